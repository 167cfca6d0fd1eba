"""The English catalogue is complete: every msgid has a translation and none is fuzzy.

zh-Hans is the source language (msgids are Chinese). A string added without an English translation fails
here; run `make messages-update` (scripts/i18n-check.sh) to refresh the catalogue and see what is missing.
"""

import re
from pathlib import Path

import civicloop

PO = Path(civicloop.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.po"
_STRING = re.compile(r'^(?:msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$|^"(.*)"$')


def parse_po(text: str) -> list[dict]:
    """A tiny .po reader: entries as {"msgid", "msgstr": [...], "flags", "obsolete"} (enough for this check)."""
    entries = []
    for block in text.split("\n\n"):
        entry = {"msgid": None, "msgstr": [], "flags": set(), "obsolete": False}
        current = None
        for line in block.splitlines():
            if line.startswith("#~"):
                entry["obsolete"] = True
                continue
            if line.startswith("#,"):
                entry["flags"].update(f.strip() for f in line[2:].split(","))
                continue
            if line.startswith("#"):
                continue
            m = _STRING.match(line)
            if not m:
                continue
            value = m.group(1) if m.group(1) is not None else m.group(2)
            if line.startswith("msgid "):
                entry["msgid"], current = value, "msgid"
            elif line.startswith("msgid_plural"):
                current = "plural"
            elif line.startswith("msgstr"):
                entry["msgstr"].append(value)
                current = "msgstr"
            elif current == "msgid":
                entry["msgid"] += value
            elif current == "msgstr":
                entry["msgstr"][-1] += value
        if entry["msgid"] is not None:
            entries.append(entry)
    return entries


def test_the_parser_reads_wrapped_entries():
    entries = parse_po('msgid ""\nmsgstr ""\n"Language: en\\n"\n\n#, python-format\nmsgid ""\n"长"\n"句"\nmsgstr ""\n"long"\n\n'
                       'msgid "空"\nmsgstr ""\n')
    assert [(e["msgid"], e["msgstr"]) for e in entries] == [("", ["Language: en\\n"]), ("长句", ["long"]), ("空", [""])]
    assert "python-format" in entries[1]["flags"]


def test_every_string_has_an_english_translation():
    entries = [e for e in parse_po(PO.read_text(encoding="utf-8")) if e["msgid"] and not e["obsolete"]]
    assert len(entries) > 100
    missing = [e["msgid"] for e in entries if not all(e["msgstr"])]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert missing == [], f"untranslated: {missing}"
    assert fuzzy == [], f"fuzzy (check and unmark): {fuzzy}"


def test_placeholders_survive_translation():
    for e in parse_po(PO.read_text(encoding="utf-8")):
        if e["msgid"] and "python-format" in e["flags"]:
            wanted = sorted(re.findall(r"%\(\w+\)s", e["msgid"]))
            for s in filter(None, e["msgstr"]):  # empty ones are reported by the test above
                assert sorted(re.findall(r"%\(\w+\)s", s)) == wanted, e["msgid"]
