#!/usr/bin/env bash
# crm contact add / show: ids, the exact file written, Unicode names stored as NFC,
# the card, and bad input refused with the workspace left as it was.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

new_ws ws --region RO
cd ws || exit 2

suffix='[a-km-np-z2-9]{4}' # the id alphabet has no look-alikes (l, o, 0, 1)

t "add prints only the new id: a slug of the name, a dash and 4 characters"
run crm contact add "Ana Popescu"
expect_rc 0
expect_err ""
expect_match "id" "ana-popescu-$suffix"$'\n' "$out"
ana=${out%$'\n'}
expect_file "contacts/$ana.yaml"

t "the minimal file: id, name and the pinned timestamps"
expect_file_eq "contacts/$ana.yaml" <<EOF
id: $ana
name: Ana Popescu
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
EOF

t "the same name twice gets two different ids"
run crm contact add "Ana Popescu"
expect_rc 0
expect_match "second id" "ana-popescu-$suffix"$'\n' "$out"
if [[ ${out%$'\n'} != "$ana" ]]; then _pass; else _fail "the second id repeats the first: $ana"; fi
rm "contacts/${out%$'\n'}.yaml"

t "add with many fields writes them in the fixed key order"
run crm contact add "Ioana Marin" --given-name Ioana --family-name Marin \
  --email work:ioana@acme.ro --email ioana.m@gmail.com \
  --phone "mobile:0722 123 456" --phone "+44 20 7946 0958" \
  --company "Atelier Verde SRL" --title "Head of Sales" \
  --address "Str. Memorandumului 28" --postal-code 400114 --city Cluj-Napoca --region Cluj --country RO \
  --website https://ioana.ro --prefers phone --source "fair 2026" --stage customer \
  --birthday 1987-04-12 --anniversary --06-01 --family "Husband Mihai; two kids" \
  --interest hiking --interest jazz --group book-club --tag vip --tag cluj \
  --notes "$(printf 'Met at the fair.\nPrefers calls after 5.')" \
  --set social.linkedin=https://linkedin.com/in/ioana --set vat_id=RO123 --set custom.shoe_size=38
expect_rc 0
expect_err ""
expect_match "id" "ioana-marin-$suffix"$'\n' "$out"
ioana=${out%$'\n'}
co=$(ls companies)
co=${co%.yaml}
expect_match "company id" "atelier-verde-srl-$suffix" "$co"
# The phone without a country code gets its E.164 form from the workspace region (RO).
expect_file_eq "contacts/$ioana.yaml" <<EOF
id: $ioana
name: Ioana Marin
given_name: Ioana
family_name: Marin
emails:
  - address: ioana@acme.ro
    label: work
  - address: ioana.m@gmail.com
phones:
  - number: 0722 123 456
    e164: "+40722123456"
    label: mobile
  - number: +44 20 7946 0958
    e164: "+442079460958"
company: $co
title: Head of Sales
address: Str. Memorandumului 28
postal_code: "400114"
city: Cluj-Napoca
region: Cluj
country: RO
website: https://ioana.ro
social:
  linkedin: https://linkedin.com/in/ioana
prefers: phone
source: fair 2026
stage: customer
birthday: "1987-04-12"
anniversary: --06-01
family: Husband Mihai; two kids
interests:
  - hiking
  - jazz
groups:
  - book-club
tags:
  - vip
  - cluj
notes: |
  Met at the fair.
  Prefers calls after 5.
custom:
  vat_id: RO123
  shoe_size: "38"
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
EOF

t "--company NAME creates the company once, then finds it by name"
expect_file_eq "companies/$co.yaml" <<EOF
id: $co
name: Atelier Verde SRL
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
EOF
run crm contact add "Mihai Marin" --company "atelier verde srl"
expect_rc 0
mihai=${out%$'\n'}
expect_eq "companies" "$co.yaml" "$(ls companies)"
expect_eq "company of the second contact" "company: $co" "$(grep '^company:' "contacts/$mihai.yaml")"

t "show prints a readable card, the company by name"
run crm contact show "$ioana"
expect_rc 0
expect_err ""
expect_out <<EOF
Ioana Marin
  id                $ioana
  given_name        Ioana
  family_name       Marin
  emails            ioana@acme.ro (work)
                    ioana.m@gmail.com
  phones            0722 123 456 (mobile)
                    +44 20 7946 0958
  company           Atelier Verde SRL ($co)
  title             Head of Sales
  address           Str. Memorandumului 28
  postal_code       400114
  city              Cluj-Napoca
  region            Cluj
  country           RO
  website           https://ioana.ro
  social.linkedin   https://linkedin.com/in/ioana
  prefers           phone
  source            fair 2026
  stage             customer
  birthday          1987-04-12
  anniversary       --06-01
  family            Husband Mihai; two kids
  interests         hiking, jazz
  groups            book-club
  tags              vip, cluj
  notes             Met at the fair.
                    Prefers calls after 5.
  custom.vat_id     RO123
  custom.shoe_size  38
  created           2026-11-25T10:00:00+02:00
  updated           2026-11-25T10:00:00+02:00
EOF

t "show --format json: the record with the YAML keys, computed fields apart"
run crm contact show "$ana" --format json
expect_rc 0
expect_out <<EOF
{
  "id": "$ana",
  "name": "Ana Popescu",
  "created": "2026-11-25T10:00:00+02:00",
  "updated": "2026-11-25T10:00:00+02:00",
  "computed": {
    "interactions": 0,
    "interactions_call": 0,
    "interactions_email": 0,
    "interactions_meeting": 0,
    "interactions_text": 0,
    "interactions_note": 0,
    "interactions_chat": 0,
    "inbound": 0,
    "outbound": 0,
    "orders": 0,
    "score": 0,
    "open_followups": 0,
    "complaints": 0
  }
}
EOF
run crm --format yaml contact show "$ana"
expect_rc 0
expect_out <<EOF
id: $ana
name: Ana Popescu
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
computed:
  interactions: 0
  interactions_call: 0
  interactions_email: 0
  interactions_meeting: 0
  interactions_text: 0
  interactions_note: 0
  interactions_chat: 0
  inbound: 0
  outbound: 0
  orders: 0
  score: 0
  open_followups: 0
  complaints: 0
EOF

t "names in six scripts: ids keep the letters, case-folded, Latin accents removed"
# أ is a letter of its own (alef with its hamza), so the id keeps it.
declare -A slug=(
  ["محمد الأحمد"]="محمد-الأحمد"
  ["سارا محمدی"]="سارا-محمدی"
  ["Олена Шевченко"]="олена-шевченко"
  ["Ștefan Țurcanu"]="stefan-turcanu"
  ["Siân Gwenllïan"]="sian-gwenllian"
  ["李娜"]="李娜"
)
declare -A idof
for name in "محمد الأحمد" "سارا محمدی" "Олена Шевченко" "Ștefan Țurcanu" "Siân Gwenllïan" "李娜"; do
  run crm contact add "$name"
  expect_rc 0
  expect_err ""
  expect_match "id of $name" "${slug[$name]}-$suffix"$'\n' "$out"
  idof[$name]=${out%$'\n'}
  expect_eq "name line of $name" "name: $name" "$(sed -n 2p "contacts/${out%$'\n'}.yaml")"
done

t "each script's contact shows under its own name"
for name in "${!idof[@]}"; do
  run crm contact show "${idof[$name]}"
  expect_rc 0
  expect_eq "card title" "$name" "$(head -1 <<<"$out")"
done

t "a decomposed (NFD) name is stored composed (NFC)"
nfd_name=$(printf 'Gwenlli\xcc\x88an Bra\xcc\x82ncus\xcc\xa6i') # i + U+0308, a + U+0302, s + U+0326
nfc_name=$(printf 'Gwenll\xc3\xafan Br\xc3\xa2ncu\xc8\x99i')    # ï, â and ș precomposed
nfd_city=$(printf 'Ias\xcc\xa6i')                       # s + U+0326 comma below
run crm contact add "$nfd_name" --city "$nfd_city" --tag "$(printf 'cafe\xcc\x81')"
expect_rc 0
nfd_id=${out%$'\n'}
expect_match "id" "gwenllian-brancusi-$suffix" "$nfd_id"
expect_file_eq "contacts/$nfd_id.yaml" <<EOF
id: $nfd_id
name: $nfc_name
city: $(printf 'Ia\xc8\x99i')
tags:
  - $(printf 'caf\xc3\xa9')
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
EOF
# Byte-level: no combining mark survives in the file.
expect_true "no U+0302, U+0308, U+0326 or U+0301 in the file" \
  python3 -c 'import sys; b=open(sys.argv[1],"rb").read(); sys.exit(any(m in b for m in (b"\xcc\x82", b"\xcc\x88", b"\xcc\xa6", b"\xcc\x81")))' "contacts/$nfd_id.yaml"
run crm contact show "$nfd_name" --format ids
expect_rc 0
expect_out "$nfd_id"

t "ids are safe file names whatever the name: no '/', '..' or leading dot"
for name in "../../etc/passwd" ".hidden" "a/b\\c" "!!!" "Ana 😀 Pop" "$(printf 'A%.0s' {1..80})"; do
  run crm contact add "$name"
  expect_rc 0
  expect_err ""
  new_id=${out%$'\n'}
  expect_match "id for $name" "[^./][^/]*-$suffix" "$new_id"
  if [[ $new_id != *..* ]]; then _pass; else _fail "id with '..': $new_id"; fi
  expect_file "contacts/$new_id.yaml"
  rm -f "contacts/$new_id.yaml"
done
expect_no_file ../etc

t "country codes are upper-cased"
run crm contact add "Mara Ionescu" --country ro
expect_rc 0
expect_eq "country line" "country: RO" "$(grep '^country:' "contacts/${out%$'\n'}.yaml")"

# ---------------------------------------------------------------- bad input

# bad_add "expected stderr" ARGS...: exit 3, that message, no file touched.
bad_add() {
  local expected=$1
  shift
  snapshot .
  run crm contact add "$@"
  expect_rc 3
  expect_out ""
  expect_err "$expected"
  expect_unchanged .
}

t "a bad email is exit 3 and writes nothing"
bad_add "crm: bad email 'not-an-email'" "Bad Email" --email not-an-email
bad_add "crm: bad email 'work:ana@'" "Bad Email" --email work:ana@

t "an impossible date is exit 3 and writes nothing"
bad_add "crm: bad date '2025-02-30' (expected YYYY-MM-DD or --MM-DD)" "Bad Date" --birthday 2025-02-30
bad_add "crm: bad date '--02-30' (expected YYYY-MM-DD or --MM-DD)" "Bad Date" --anniversary --02-30
bad_add "crm: bad date '12/04/1987' (expected YYYY-MM-DD or --MM-DD)" "Bad Date" --birthday 12/04/1987

t "a stage outside the list is exit 3 and writes nothing"
bad_add "crm: bad stage 'client' (expected one of: lead, prospect, customer, inactive, lost)" "Bad Stage" --stage client

t "a country that is neither a code nor a country's name is exit 3, quoting what was typed"
bad_add "crm: unknown country 'Romanica'
hint: give an ISO 3166 code such as RO or GB, or the country's name" "Bad Country" --country Romanica

t "a bad phone is exit 3 with a hint"
bad_add "$(printf "crm: bad phone 'call me'\nhint: a phone has at least 5 digits and only + - . ( ) / and spaces besides")" "Bad Phone" --phone "call me"

t "a bad preferred channel is exit 3"
bad_add "crm: bad prefers 'pigeon' (expected one of: email, phone, text, chat, post, in-person)" "Bad Channel" --prefers pigeon

t "a tag with a space is exit 3"
bad_add "crm: bad tags entry 'two words' (one word, no spaces or commas)" "Bad Tag" --tag "two words"

t "an empty or blank name is exit 3"
bad_add "crm: a contact needs a name" ""
bad_add "crm: a contact needs a name" "   "

t "a name that is not valid UTF-8 is exit 3"
bad_add "crm: invalid UTF-8 at byte 3" "$(printf 'Ana\xff')"

t "a failed add does not create the company it names"
bad_add "crm: bad date '2025-02-30' (expected YYYY-MM-DD or --MM-DD)" "Nou Client" --company "Brand New SRL" --birthday 2025-02-30
bad_add "crm: bad email 'nope'" "Nou Client" --company "Brand New SRL" --email nope

t "a two-line name is exit 3 and names the field"
snapshot .
run crm contact add "$(printf 'Ana\nPopescu')"
expect_rc 3
expect_out ""
expect_err_match "crm: .*'name'.*"
expect_unchanged .

t "a field name typo in --set is a usage error with a did-you-mean hint"
snapshot .
run crm contact add "Typo" --set emial=a@b.ro
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: unknown field 'emial'
hint: did you mean 'email'?
hint: to keep it as a custom field, write custom.emial=...
EOF
expect_unchanged .

t "id and created cannot be given"
for key in id created updated; do
  run crm contact add "Fixed" --set "$key=x"
  expect_rc 2
  expect_out ""
  expect_err <<EOF
crm: '$key' cannot be changed
hint: crm maintains it; edit the file by hand if you really must
EOF
done
expect_unchanged .

t "a missing NAME is a usage error"
run crm contact add
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: NAME is required
hint: see 'crm contact add -h'
EOF
expect_unchanged .

# ---------------------------------------------------------------- shared emails and phones

t "adding an email or phone another contact has is a warning naming that contact; the add happens"
cd "$TEST_ROOT" || exit 2
new_ws dupes --region RO
cd dupes || exit 2
mara=$(crm contact add "Mara Dobre" --email Mara@Example.ro --phone "0721 234 567")
run crm contact add "Mara D." --email mara@example.ro
expect_rc 0
expect_err "warning: email 'mara@example.ro' is also Mara Dobre's ($mara)"
second=${out%$'\n'}
expect_file "contacts/$second.yaml"
run crm contact set "$second" phone+=+40721234567
expect_rc 0
expect_out ""
expect_err "warning: phone '+40721234567' is also Mara Dobre's ($mara)"
expect_eq "phone kept" "    e164: \"+40721234567\"" "$(grep 'e164' "contacts/$second.yaml")"

t "a change that adds nothing new warns of nothing; -q keeps the warning out"
run crm contact set "$second" title=Buyer
expect_rc 0
expect_err ""
run crm -q contact add "Mara Three" --email mara@example.ro
expect_rc 0
expect_err ""

t "an email of a company is not a contact's duplicate"
crm company add "Dobre SRL" --email office@dobre.ro >/dev/null
run crm contact add "Office" --email office@dobre.ro
expect_rc 0
expect_err ""

# ---------------------------------------------------------------- stages in config.yaml

t "stages of the workspace's own: a stage, --where stage, help texts and report lifecycle follow them"
cd "$TEST_ROOT" || exit 2
new_ws staged --region RO
cd staged || exit 2
sed -i 's/^stages: .*/stages: [awareness, lead, onboarding, customer, lost]/' .crm/config.yaml
run crm contact add "Ana Albu" --stage awareness
expect_rc 0
expect_err ""
ana=${out%$'\n'}
crm contact add "Bob Barbu" --stage onboarding >/dev/null
run crm contact list --where "stage in (awareness, onboarding)" --fields name,stage
expect_rc 0
expect_out <<'EOF'
name	stage
Ana Albu	awareness
Bob Barbu	onboarding
EOF
run crm contact add -h
expect_rc 0
expect_out_contains "--stage awareness|lead|onboarding|customer|lost"
run crm help filter
expect_rc 0
expect_out_contains "  stage              lifecycle stage: awareness, lead, onboarding, customer, lost"
run crm report lifecycle --format tsv
expect_rc 0
expect_out_contains "stage	contacts	entered	left
awareness	1	1	0
onboarding	1	1	0
"

t "a stage the workspace does not have is refused with the ones it has; nothing written"
snapshot .
run crm contact set "$ana" stage=prospect
expect_rc 3
expect_out ""
expect_err "crm: bad stage 'prospect' (expected one of: awareness, lead, onboarding, customer, lost)"
expect_unchanged .
run crm contact list --where "stage = prospect"
expect_rc 3
expect_err "crm: bad filter at column 9: expected one of awareness, lead, onboarding, customer, lost for stage, found 'prospect'"

t "a bad stages list in config.yaml: exit 3 naming the line"
sed -i 's/^stages: .*/stages: [lead, Lead Two]/' .crm/config.yaml
run crm contact list
expect_rc 3
expect_err <<EOF
crm: $TEST_ROOT/staged/.crm/config.yaml:8: bad stage 'Lead Two'
hint: a stage is one lowercase word (letters, digits, - or _), named once
EOF
sed -i 's/^stages: .*/stages: [lead, lead]/' .crm/config.yaml
run crm contact list
expect_rc 3
expect_err <<EOF
crm: $TEST_ROOT/staged/.crm/config.yaml:8: duplicate stage 'lead'
hint: a stage is one lowercase word (letters, digits, - or _), named once
EOF

finish
