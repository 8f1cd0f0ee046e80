#!/bin/sh
# Renders one man page: man/render.sh SOURCE.scd OUT
# writes OUT (scdoc's roff, tidied by tidy.awk) and OUT.gz (gzip -9n: no name
# or timestamp inside, as Debian wants). SOURCE_DATE_EPOCH sets the page's date.
set -eu
here=$(dirname "$0")
scdoc < "$1" > "$2.scdoc"
awk -f "$here/tidy.awk" "$2.scdoc" > "$2.tmp"
rm "$2.scdoc"
mv "$2.tmp" "$2"
gzip -9nc "$2" > "$2.gz.tmp"
mv "$2.gz.tmp" "$2.gz"
