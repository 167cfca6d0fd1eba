#!/usr/bin/env bash
# The CJK font the weekly report's PDF is set in (dashboard/report_render.py): Debian's fonts-wqy-microhei at its
# packaged path — the font the browser tests draw Chinese with too. Installed with apt when missing; without it the
# PDF download answers 503 report_font_missing. Another font: CIVICLOOP_REPORT_FONT=/path/to/font.ttc.
set -euo pipefail
FONT=${CIVICLOOP_REPORT_FONT:-/usr/share/fonts/truetype/wqy/wqy-microhei.ttc}
[ -f "$FONT" ] && exit 0
if [ -n "${CIVICLOOP_REPORT_FONT:-}" ]; then
  echo "CIVICLOOP_REPORT_FONT names $FONT, which does not exist" >&2; exit 1
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "the weekly report's PDF needs a CJK font: apt-get install fonts-wqy-microhei (as root)," >&2
  echo "or set CIVICLOOP_REPORT_FONT to a .ttf/.ttc file with Chinese glyphs" >&2
  exit 1
fi
echo "== installing the CJK font of the PDF reports (apt: fonts-wqy-microhei)"
apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei >/dev/null
[ -f "$FONT" ] || { echo "fonts-wqy-microhei installed, but $FONT is not there" >&2; exit 1; }
