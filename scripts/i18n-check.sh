#!/usr/bin/env bash
# Refresh the English catalogue from the code and templates, compile it, and list untranslated strings.
#   scripts/i18n-check.sh        (also: make messages-update)
# zh-Hans is the source language: msgids are Chinese; translate every new msgid in
# src/civicloop/locale/en/LC_MESSAGES/django.po (fill msgstr, remove "#, fuzzy"), then run this again.
# tests/test_i18n.py fails while any msgstr is empty or fuzzy. The .mo files are not committed (make messages).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="$PWD/.venv/bin"
(cd src/civicloop && "$BIN/civicloop" makemessages -l en --ignore '.venv/*' --ignore 'node_modules/*' -v0)
"$BIN/civicloop" compilemessages -v0 --ignore '.venv/*' --ignore 'node_modules/*'
"$BIN/pytest" -q tests/test_i18n.py
