#!/usr/bin/env bash
# REF resolution: id, unique id prefix, email, phone in any format, exact name
# (case- and accent-insensitive); ambiguity is exit 4 with the candidates, unknown exit 1.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

new_ws ws --region RO
cd ws || exit 2

ioana=$(crm contact add Ioana --email Ioana.Pop@Example.RO --phone "0722 123 456")
sian=$(crm contact add "Siân")
stefan=$(crm contact add "Ștefan")
olena=$(crm contact add "Олена Шевченко" --phone "+380 44 123 4567")
ana=$(crm contact add "Ana")
ana_maria=$(crm contact add "Ana Maria")
pop1=$(crm contact add "Maria Pop" --email office@pop.ro --phone 0744555666)
pop2=$(crm contact add "Maria Pop" --email office@pop.ro --phone "+40 744 555 666")
# Two hand-made files whose ids are prefixes of each other.
printf 'id: x\nname: X One\n' >contacts/x.yaml
printf 'id: x2\nname: X Two\n' >contacts/x2.yaml

# resolves REF ID: `crm contact show REF` finds exactly that contact.
resolves() {
  run crm contact show "$1" --format ids
  expect_rc 0
  expect_err ""
  expect_out "$2"
}

no_match_hint="hint: a REF is an id, an id prefix, an email, a phone or an exact name; 'crm contact list' shows them all"

t "REF: the exact id"
resolves "$ioana" "$ioana"
resolves "$olena" "$olena"

t "REF: an exact id wins even when it is also a prefix of another id"
resolves x x
resolves x2 x2

t "REF: a unique id prefix"
resolves "${ioana:0:4}" "$ioana"
resolves "${stefan:0:8}" "$stefan"
resolves "олена-ш" "$olena"

t "REF: an id prefix in any letter case, typed as the name is written"
resolves "IOAN" "$ioana"
resolves "Ioan" "$ioana"
resolves "Олена" "$olena"
resolves "ОЛЕНА-Ш" "$olena"
resolves "Ștef" "$stefan"

t "REF: an email, in any letter case"
resolves Ioana.Pop@Example.RO "$ioana"
resolves ioana.pop@example.ro "$ioana"
resolves IOANA.POP@EXAMPLE.RO "$ioana"

t "REF: a phone in several formats, read with the workspace region RO"
for phone in "0722 123 456" "0722123456" "0722-123-456" "+40722123456" "+40 722 123 456" \
  "+40 (722) 123-456" "0040 722 123 456" "(0722) 123.456"; do
  resolves "$phone" "$ioana"
done
resolves "+380441234567" "$olena"
resolves "+380 (44) 123-45-67" "$olena"

t "REF: the exact name, case-insensitive"
resolves IOANA "$ioana"
resolves ioana "$ioana"
resolves "олена шевченко" "$olena"
resolves "ОЛЕНА ШЕВЧЕНКО" "$olena"

t "REF: the exact name, accent-insensitive"
resolves sian "$sian"
resolves SIAN "$sian"
resolves "Siân" "$sian"
resolves stefan "$stefan"
resolves STEFAN "$stefan"
resolves "ȘTEFAN" "$stefan"
# Ş (s-cedilla) is the look-alike many keyboards type for Ș (s-comma).
resolves "ŞTEFAN" "$stefan"

t "REF: surrounding spaces are ignored"
resolves " Ioana " "$ioana"

t "REF: an exact name beats an id prefix shared with others"
resolves ana "$ana"
resolves "ana maria" "$ana_maria"

t "REF: other commands take the same REF"
run crm contact set IOANA.POP@EXAMPLE.RO city=Brașov
expect_rc 0
expect_err ""
expect_out ""
run crm contact show "+40 (722) 123-456" --format jsonl
expect_rc 0
expect_out_contains '"city":"Brașov"'

# Candidates are listed sorted by id; the two Maria Pop ids are random.
pop_hints=$(printf 'hint:   %s  Maria Pop\n' "$pop1" "$pop2" | LC_ALL=C sort)

t "ambiguous name: exit 4 listing the candidates"
snapshot .
run crm contact show "maria pop"
expect_rc 4
expect_out ""
expect_err <<EOF
crm: 'maria pop' matches 2 contacts
hint: the candidates are:
$pop_hints
EOF

t "ambiguous email and phone: exit 4 listing the candidates"
run crm contact show OFFICE@pop.ro
expect_rc 4
expect_err <<EOF
crm: 'OFFICE@pop.ro' matches 2 contacts
hint: the candidates are:
$pop_hints
EOF
run crm contact show "0744 555 666"
expect_rc 4
expect_err <<EOF
crm: '0744 555 666' matches 2 contacts
hint: the candidates are:
$pop_hints
EOF

t "ambiguous id prefix: exit 4 listing the candidates"
run crm contact show an
expect_rc 4
expect_out ""
expect_err <<EOF
crm: 'an' matches 2 contacts
hint: the candidates are:
$(printf 'hint:   %s  %s\n' "$ana" "Ana" "$ana_maria" "Ana Maria" | LC_ALL=C sort)
EOF

t "an ambiguous REF never picks one: set and rm change nothing"
run crm contact set "Maria Pop" city=Iași
expect_rc 4
run crm contact rm "Maria Pop" --force
expect_rc 4
expect_unchanged .

t "an unknown REF is exit 1"
for ref in nobody nobody@example.ro "0799 999 999" "Ioana Popescu" ioana-zzzz; do
  run crm contact show "$ref"
  expect_rc 1
  expect_out ""
  expect_err "$(printf "crm: no contact matches '%s'\n%s" "$ref" "$no_match_hint")"
done
run crm contact set nobody city=X
expect_rc 1
expect_err "$(printf "crm: no contact matches 'nobody'\n%s" "$no_match_hint")"
expect_unchanged .

t "an empty REF is a usage error, never a prefix of everything"
new_ws solo
solo=$(crm -C solo contact add Solo)
snapshot solo
run crm -C solo contact show ""
expect_rc 2
expect_out ""
expect_err_match "crm: .*"
run crm -C solo contact rm "" --force
expect_rc 2
expect_out ""
expect_file "solo/contacts/$solo.yaml"
expect_unchanged solo

t "company REFs work the same way"
co=$(crm company add "Atelier Verde SRL" --email Office@Verde.ro)
run crm company show "ATELIER VERDE SRL" --format ids
expect_rc 0
expect_out "$co"
run crm company show office@verde.RO --format ids
expect_rc 0
expect_out "$co"
run crm company show atelier --format ids
expect_rc 0
expect_out "$co"
# An id prefix matches in any case.
run crm company show "Atelier" --format ids
expect_rc 0
expect_out "$co"
run crm company show "Verde"
expect_rc 1
expect_err "crm: no company matches 'Verde'
hint: a REF is an id, an id prefix, an email, a phone or an exact name; 'crm company list' shows them all"

t "ids keep the letters of every script, marks included; Latin ids drop accents as before"
run crm contact add "अनीता शर्मा"
expect_rc 0
expect_match "Devanagari id" "अनीता-शर्मा-[a-km-np-z2-9]{4}"$'\n' "$out"
anita=${out%$'\n'}
resolves "अनीता" "$anita"
run crm company add "Київ Трейд"
expect_rc 0
expect_match "Ukrainian id" "київ-трейд-[a-km-np-z2-9]{4}"$'\n' "$out"
kyiv=${out%$'\n'}
run crm company show "Київ" --format ids
expect_rc 0
expect_out "$kyiv"
expect_match "Latin id" "sian-[a-km-np-z2-9]{4}" "$sian"

t "REF: Persian and Arabic spellings of the same letters find each other"
# ی (Farsi yeh) and ي (Arabic yeh), ک (keheh) and ك (kaf), ه and ة.
ali=$(crm contact add "علی کریمی")
fatima=$(crm contact add "فاطمة")
resolves "علي كريمي" "$ali"
resolves "علی کریمی" "$ali"
resolves "فاطمه" "$fatima"
run crm contact list --where 'name ~ "كريمي"' --format ids
expect_rc 0
expect_out "$ali"

finish
