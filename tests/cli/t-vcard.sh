#!/usr/bin/env bash
# vCard round trips: every real card imported and exported as 3.0 and 4.0 reads
# back, with vobject (check_vcard.py), as the card it came from; export, import
# and export again gives the same cards; each property is written once; N's five
# parts, UID, PHOTO, TYPE, PREF, item groups and CATEGORIES' text survive; a 2.1
# card comes out in the target version's syntax. And bad cards: the place said
# once, and --rejects holding each rejected card whole with its reason.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$here/lib.sh"

real=$FIXTURES/real
export CRM_NOW=2026-11-25T10:00:00+02:00
# vobject is a Debian package: the system python has it, a pyenv one may not.
PY=python3
if [[ -x /usr/bin/python3 ]]; then PY=/usr/bin/python3; fi
check() { run "$PY" "$CLI_DIR/check_vcard.py" "$@"; }
# The cards of FILE sorted, CRLF kept: two exports compared whatever their order.
cards() { "$PY" -c 'import sys; t = open(sys.argv[1], newline="").read(); print("\n=====\n".join(sorted(t.split("BEGIN:VCARD"))))' "$1"; }

t "every real card, exported as 3.0 and 4.0, reads back with vobject as the card it came from"
for f in "$real"/*.vcf; do
  name=$(basename "$f" .vcf)
  new_ws "$name"
  crm -C "$name" import vcard "$f" --on-error skip >/dev/null 2>&1
  for v in 3.0 4.0; do
    crm -C "$name" export vcard --version "$v" -o "$name.$v.vcf"
    check "$f" "$name.$v.vcf" "$v"
    expect_match "$name as $v" "ok: [0-9]+ cards" "${out%$'\n'}$err"
  done
done

t "export, import into a new workspace, export again: the same cards, in 3.0 and 4.0"
for f in "$real"/*.vcf; do
  name=$(basename "$f" .vcf)
  for v in 3.0 4.0; do
    new_ws "$name.again.$v"
    crm -C "$name.again.$v" import vcard "$name.$v.vcf" >/dev/null 2>&1
    crm -C "$name.again.$v" export vcard --version "$v" -o "$name.again.$v.vcf"
    expect_eq "$name as $v, twice" "$(cards "$name.$v.vcf")" "$(cards "$name.again.$v.vcf")"
    check "$f" "$name.again.$v.vcf" "$v"
    expect_match "$name as $v, twice, against the source" "ok: [0-9]+ cards" "${out%$'\n'}$err"
  done
done

t "one ORG and one ADR come back once each; N's five parts, TYPE, PREF, item groups and categories' text survive"
new_ws ws
cd ws || exit 2
printf '%s\r\n' 'BEGIN:VCARD' 'VERSION:3.0' 'FN:Mr. Ion Vasile Ionescu III' 'N:Ionescu;Ion;Vasile;Mr.;III' \
  'ORG:Acme SRL;Sales' 'ADR;TYPE=WORK:;;Str. Lungă 3;Cluj-Napoca;;400000;România' 'EMAIL;TYPE=HOME:ion@home.ro' \
  'EMAIL;TYPE=WORK,PREF:ion@acme.ro' 'TEL;TYPE=WORK,FAX:+40 264 000 000' 'item3.URL:https://acme.ro' \
  'item3.X-ABLabel:Shop' 'CATEGORIES:Category 1,VIP' 'UID:ion-1' 'END:VCARD' >ion.vcf
run crm import vcard ion.vcf
expect_rc 0
run crm contact show ion@acme.ro
expect_out_contains "middle_name"
expect_out_contains "Vasile"
expect_out_contains "III"
run crm export vcard
expect_out "$(printf '%s\r\n' 'BEGIN:VCARD' 'VERSION:4.0' 'FN:Mr. Ion Vasile Ionescu III' 'N:Ionescu;Ion;Vasile;Mr.;III' \
  'UID:ion-1' 'EMAIL;TYPE=work;PREF=1:ion@acme.ro' 'EMAIL;TYPE=home:ion@home.ro' 'TEL;TYPE=work,fax;PREF=1:+40 264 000 000' \
  'ORG:Acme SRL;Sales' 'ADR;TYPE=WORK:;;Str. Lungă 3;Cluj-Napoca;;400000;România' 'item3.URL:https://acme.ro' \
  'CATEGORIES:Category 1,VIP' 'item3.X-ABLabel:Shop' 'END:VCARD')"
cd .. || exit 2

t "bad cards: the place is said once; --rejects holds each rejected card whole, VERSION and reason included"
new_ws bad
cd bad || exit 2
printf '%s\r\n' 'BEGIN:VCARD' 'VERSION:2.1' 'NOTE;ENCODING=QUOTED-PRINTABLE:who=3F' 'END:VCARD' \
  'BEGIN:VCARD' 'VERSION:3.0' 'FN:Ok' 'END:VCARD' 'BEGIN:VCARD' 'VERSION:3.0' 'FN:Broken' >../bad.vcf
snapshot .
run crm import vcard ../bad.vcf
expect_rc 3
expect_err "crm: ../bad.vcf:1: card has no name
hint: nothing was imported; --on-error skip (or --rejects FILE) imports the other rows"
expect_unchanged .
run crm import vcard ../bad.vcf --rejects ../rejects.vcf
expect_rc 3
expect_err "crm: ../bad.vcf:1: card has no name
crm: ../bad.vcf:9: card has no END:VCARD"
expect_out_match "import [0-9a-z-]+: 1 created, 0 updated, 0 unchanged, 2 rejected"
expect_eq "the rejects file" "$(printf '%s\r\n' 'BEGIN:VCARD' 'VERSION:2.1' 'NOTE;ENCODING=QUOTED-PRINTABLE:who=3F' \
  'X-CRM-REJECT-REASON:card has no name' 'END:VCARD' 'BEGIN:VCARD' 'VERSION:3.0' 'FN:Broken' \
  'X-CRM-REJECT-REASON:card has no END:VCARD' 'END:VCARD')" "$(cat ../rejects.vcf)"
cd .. || exit 2

t "a 2.1 card comes out in the target version's syntax, with a stable UID and its photo (3.0 base64, 4.0 a data: URI)"
new_ws old
cd old || exit 2
printf '%s\r\n' 'BEGIN:VCARD' 'VERSION:2.1' 'N:Popescu;Ana' 'FN:Ana Popescu' 'TEL;WORK;VOICE:+40 21 000 0000' \
  'LABEL;WORK;ENCODING=QUOTED-PRINTABLE:Str. Lunga 3=0D=0ACluj' 'ADR;WORK:;;Str. Lunga 3;Cluj;;;' \
  'X-FOO;ENCODING=QUOTED-PRINTABLE:a=3Db, c' 'PHOTO;ENCODING=BASE64;TYPE=GIF:' '    R0lGODlhAQABAAAAACw=' '' \
  'END:VCARD' >../old.vcf
crm import vcard ../old.vcf >/dev/null
run crm export vcard --version 3.0
uid=$(grep '^UID:' <<<"$out" | tr -d '\r')
expect_match "a UID made from the id" "UID:urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}" "$uid"
expect_out "$(printf '%s\r\n' 'BEGIN:VCARD' 'VERSION:3.0' 'FN:Ana Popescu' 'N:Popescu;Ana;;;' "$uid" \
  'TEL;TYPE=work,pref:+40 21 000 0000' 'ADR;TYPE=WORK:;;Str. Lunga 3;Cluj;;;' 'PHOTO;ENCODING=b;TYPE=GIF:R0lGODlhAQABAAAAACw=' \
  'LABEL;TYPE=WORK:Str. Lunga 3\nCluj' 'X-FOO:a=b\, c' 'END:VCARD')"
run crm export vcard
expect_out "$(printf '%s\r\n' 'BEGIN:VCARD' 'VERSION:4.0' 'FN:Ana Popescu' 'N:Popescu;Ana;;;' "$uid" \
  'TEL;TYPE=work;PREF=1:+40 21 000 0000' 'ADR;TYPE=WORK;LABEL="Str. Lunga 3\nCluj":;;Str. Lunga 3;Cluj;;;' \
  'PHOTO:data:image/gif;base64,R0lGODlhAQABAAAAACw=' 'X-FOO:a=b\, c' 'END:VCARD')"
cd .. || exit 2

t "two cards of one person: each card's lines without a field are kept, and importing again changes nothing"
new_ws twice
cat >twice.vcf <<'CARDS'
BEGIN:VCARD
VERSION:3.0
FN:Rhys Evans
N:Evans;Rhys;;;
EMAIL:rhys@example.cymru
X-SHOE-SIZE:44
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Rhys Evans
N:Evans;Rhys;;;
EMAIL:rhys@example.cymru
X-FAVOURITE-TEA:Paned
END:VCARD
CARDS
run crm -C twice import vcard twice.vcf
expect_rc 0
expect_out "import $(crm -C twice import list --format ids): 1 created, 1 updated, 0 unchanged, 0 rejected"
run crm -C twice contact show rhys@example.cymru --format json
expect_out_contains '"vcard_extra": "X-SHOE-SIZE:44\nX-FAVOURITE-TEA:Paned"'
snapshot twice
run crm -C twice import vcard twice.vcf
expect_rc 0
expect_out "nothing to import: 0 created, 0 updated, 2 unchanged, 0 rejected"
expect_unchanged twice

t "an empty .vcf is invalid data (exit 3) like an empty CSV, not an import of nothing"
cd "$TEST_ROOT" || exit 2
new_ws emptyvcf
: >empty.vcf
snapshot emptyvcf
run crm -C emptyvcf import vcard empty.vcf
expect_rc 3
expect_out ""
expect_err "crm: empty.vcf: no vCard in the file
hint: a vCard starts with a BEGIN:VCARD line"
expect_unchanged emptyvcf

finish
