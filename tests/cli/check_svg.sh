#!/usr/bin/env bash
# Checks an SVG chart the way a browser shows it: headless Chromium parses the file
# as XML, puts it inline in a page and measures every <text> (see check_svg.js).
#
#   check_svg.sh FILE.svg [SCREENSHOT.png]
#
# Prints "SVG-OK n_texts=N n_bars=M" and exits 0, or prints "SVG-FAIL reason" (or
# "check_svg: problem") and exits 1; 2 on bad usage. With SCREENSHOT.png it also
# saves a picture of the page, for a person to look at.
set -uo pipefail

usage() {
  echo "usage: check_svg.sh FILE.svg [SCREENSHOT.png]" >&2
  exit 2
}
if [ $# -lt 1 ] || [ $# -gt 2 ]; then usage; fi
svg=$1
png=${2:-}
[ -r "$svg" ] || {
  echo "check_svg: cannot read '$svg'"
  exit 1
}

browser=
for b in chromium chromium-browser google-chrome; do
  if command -v "$b" >/dev/null 2>&1; then
    browser=$b
    break
  fi
done
[ -n "$browser" ] || {
  echo "check_svg: chromium not found (scripts/deps.sh installs it)"
  exit 1
}

here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/check_svg.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT

# The SVG travels as base64 so that any bytes reach DOMParser untouched (and the
# XML parse is the strict one: the HTML parser would forgive errors).
{
  printf '<!DOCTYPE html>\n<html><head><meta charset="utf-8">\n'
  printf '<style>body{margin:0;background:#fff}#verdict{font:12px monospace}</style></head><body>\n'
  printf '<pre id="verdict">SVG-PENDING</pre>\n<div id="host"></div>\n'
  printf '<script>const SVG_BASE64 = "%s";</script>\n' "$(base64 -w0 <"$svg")"
  printf '<script>\n'
  cat "$here/check_svg.js"
  printf '</script>\n</body></html>\n'
} >"$work/page.html"

# Its own profile directory, so that several checks can run at once.
flags=(--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run
  --hide-scrollbars --user-data-dir="$work/profile" --virtual-time-budget=2000)
dom=$(timeout 60 "$browser" "${flags[@]}" --dump-dom "file://$work/page.html" 2>"$work/stderr")
rc=$?
verdict=$(printf '%s' "$dom" | grep -o 'SVG-\(OK\|FAIL\|PENDING\)[^<]*' | head -n 1)
if [ -z "$verdict" ]; then
  echo "check_svg: no verdict from $browser (exit $rc): $(tail -n 3 "$work/stderr" | tr '\n' ' ')"
  exit 1
fi
# The page escapes the reason as HTML text; put back the characters it escapes.
verdict=$(printf '%s' "$verdict" | sed -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&quot;/"/g' -e 's/&amp;/\&/g')

if [ -n "$png" ]; then
  read -r vw vh < <(sed -n 's/.*viewBox="[^"]* [^"]* \([0-9.]*\) \([0-9.]*\)".*/\1 \2/p' "$svg" | head -n 1)
  vw=${vw%.*} vh=${vh%.*}
  timeout 60 "$browser" "${flags[@]}" --screenshot="$png" \
    --window-size="$((${vw:-800} + 16)),$((${vh:-600} + 40))" "file://$work/page.html" \
    >/dev/null 2>&1 || echo "check_svg: screenshot failed" >&2
fi

echo "$verdict"
case $verdict in
SVG-OK*) exit 0 ;;
SVG-PENDING*)
  echo "check_svg: the page script did not finish"
  exit 1
  ;;
*) exit 1 ;;
esac

# Use: a CLI suite writes a chart and checks it, e.g.
#   crm report revenue --by month --chart svg -o rev.svg
#   run bash "$CLI_DIR/check_svg.sh" rev.svg
#   expect_out "SVG-OK n_texts=17 n_bars=0"
# The checks (check_svg.js): well-formed XML with an <svg> root in the SVG namespace
# with width, height and viewBox; no <script>, event attributes, <foreignObject> or
# external href; every <text> has a box wider and taller than zero (its font
# rendered) lying inside the viewBox; no two texts overlap and no text overlaps a
# bar (<rect class="bar">). n_bars counts those rects. Needs Chromium (deps.sh).
# One check takes about a second or two: Chromium starts for it.
