#!/usr/bin/env bash
# crm contact list: every output format, table widths across scripts, sorting,
# limits, field selection, tag and stage filters, colour rules.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

# Seven contacts in five scripts with fixed ids (tests/fixtures/small).
fixture_ws ws small
cd ws || exit 2

t "--format table aligns Latin, Cyrillic, Arabic, Persian and CJK by display width"
run crm contact list --format table
expect_rc 0
expect_err ""
expect_out <<'EOF'
id                    name             emails                phones            company   stage     tags
ana-popescu-k7q2      Ana Popescu      ana@acme.ro           0722 123 456      Acme SRL  customer  vip, cluj
ioana-marin-m3n4      Ioana Marin      ioana@example.ro                                  lead      vip
sian-evans-z5a6       Siân Evans                                                         inactive  cymru
олена-коваленко-p5r6  Олена Коваленко  olena@example.com.ua  +380 44 123 4567            prospect  ua
سارا-محمدی-v9w2       سارا محمدی                                                         customer
محمد-الاحمد-t7u8      محمد الأحمد                                                        lead      vip, gulf
王小明-x3y4           王小明           wang@example.cn                                   customer  vip
EOF

t "a CJK character takes two columns: the padding after it is exact"
run crm contact list --format table
# id column 20 wide, name 15, emails 20, phones 16, company 8 (the company's
# name, "Acme SRL"); the gap is 2.
# "王小明-x3y4" is 11 columns and "王小明" 6, so 9+2 spaces follow each.
row=$(sed -n 8p <<<"$out")
expect_eq "CJK row" "$(printf '王小明-x3y4%11s王小明%11swang@example.cn%35scustomer  vip' '' '' '')" "$row"
row=$(sed -n 7p <<<"$out")
expect_eq "Arabic row" "$(printf 'محمد-الاحمد-t7u8%6sمحمد الأحمد%56slead      vip, gulf' '' '')" "$row"
row=$(sed -n 5p <<<"$out")
expect_eq "Cyrillic row" "олена-коваленко-p5r6  Олена Коваленко  olena@example.com.ua  +380 44 123 4567  $(printf '%8s' '')  prospect  ua" "$row"

t "--format tsv: tab separated, header first, lists joined by ', '"
run crm contact list --format tsv
expect_rc 0
expect_out "$(
  printf 'id\tname\temails\tphones\tcompany\tstage\ttags\n'
  printf 'ana-popescu-k7q2\tAna Popescu\tana@acme.ro\t0722 123 456\tAcme SRL\tcustomer\tvip, cluj\n'
  printf 'ioana-marin-m3n4\tIoana Marin\tioana@example.ro\t\t\tlead\tvip\n'
  printf 'sian-evans-z5a6\tSiân Evans\t\t\t\tinactive\tcymru\n'
  printf 'олена-коваленко-p5r6\tОлена Коваленко\tolena@example.com.ua\t+380 44 123 4567\t\tprospect\tua\n'
  printf 'سارا-محمدی-v9w2\tسارا محمدی\t\t\t\tcustomer\t\n'
  printf 'محمد-الاحمد-t7u8\tمحمد الأحمد\t\t\t\tlead\tvip, gulf\n'
  printf '王小明-x3y4\t王小明\twang@example.cn\t\t\tcustomer\tvip'
)"

t "on a pipe the default format is tsv, with no escape codes"
tsv=$out
piped=$(crm contact list | cat && printf x)
expect_eq "piped default" "$tsv" "${piped%x}"
run crm contact list
expect_eq "default to a file" "$tsv" "$out"
expect_out_lacks $'\e'

t "--format csv: CRLF line ends, lists joined by '; '"
run crm contact list --format csv
expect_rc 0
expect_out "$(
  printf 'id,name,emails,phones,company,stage,tags\r\n'
  printf 'ana-popescu-k7q2,Ana Popescu,ana@acme.ro,0722 123 456,Acme SRL,customer,vip; cluj\r\n'
  printf 'ioana-marin-m3n4,Ioana Marin,ioana@example.ro,,,lead,vip\r\n'
  printf 'sian-evans-z5a6,Siân Evans,,,,inactive,cymru\r\n'
  printf 'олена-коваленко-p5r6,Олена Коваленко,olena@example.com.ua,+380 44 123 4567,,prospect,ua\r\n'
  printf 'سارا-محمدی-v9w2,سارا محمدی,,,,customer,\r\n'
  printf 'محمد-الاحمد-t7u8,محمد الأحمد,,,,lead,vip; gulf\r\n'
  printf '王小明-x3y4,王小明,wang@example.cn,,,customer,vip\r'
)"

t "--format ids: one id a line"
run crm contact list --format ids
expect_rc 0
expect_out <<'EOF'
ana-popescu-k7q2
ioana-marin-m3n4
sian-evans-z5a6
олена-коваленко-p5r6
سارا-محمدی-v9w2
محمد-الاحمد-t7u8
王小明-x3y4
EOF

t "--format json: an array of whole records, keys = YAML keys in file order"
run crm contact list --stage lead --format json
expect_rc 0
expect_err ""
expect_out <<'EOF'
[
  {
    "id": "ioana-marin-m3n4",
    "name": "Ioana Marin",
    "emails": [
      {
        "address": "ioana@example.ro"
      }
    ],
    "city": "Iași",
    "country": "RO",
    "stage": "lead",
    "tags": [
      "vip"
    ],
    "created": "2026-11-02T09:00:00+02:00",
    "updated": "2026-11-02T09:00:00+02:00"
  },
  {
    "id": "محمد-الاحمد-t7u8",
    "name": "محمد الأحمد",
    "city": "دبي",
    "country": "AE",
    "stage": "lead",
    "tags": [
      "vip",
      "gulf"
    ],
    "created": "2026-11-04T09:00:00+02:00",
    "updated": "2026-11-04T09:00:00+02:00"
  }
]
EOF

t "--format jsonl: one compact object a line"
run crm contact list --stage lead --format jsonl
expect_rc 0
expect_out <<'EOF'
{"id":"ioana-marin-m3n4","name":"Ioana Marin","emails":[{"address":"ioana@example.ro"}],"city":"Iași","country":"RO","stage":"lead","tags":["vip"],"created":"2026-11-02T09:00:00+02:00","updated":"2026-11-02T09:00:00+02:00"}
{"id":"محمد-الاحمد-t7u8","name":"محمد الأحمد","city":"دبي","country":"AE","stage":"lead","tags":["vip","gulf"],"created":"2026-11-04T09:00:00+02:00","updated":"2026-11-04T09:00:00+02:00"}
EOF

t "--format yaml: a sequence of records as in the files"
run crm contact list --stage lead --format yaml
expect_rc 0
expect_out <<'EOF'
- id: ioana-marin-m3n4
  name: Ioana Marin
  emails:
    - address: ioana@example.ro
  city: Iași
  country: RO
  stage: lead
  tags:
    - vip
  created: 2026-11-02T09:00:00+02:00
  updated: 2026-11-02T09:00:00+02:00
- id: محمد-الاحمد-t7u8
  name: محمد الأحمد
  city: دبي
  country: AE
  stage: lead
  tags:
    - vip
    - gulf
  created: 2026-11-04T09:00:00+02:00
  updated: 2026-11-04T09:00:00+02:00
EOF

t "the global --format works before the command too"
run crm --format ids contact list --stage customer
expect_rc 0
expect_out <<'EOF'
ana-popescu-k7q2
سارا-محمدی-v9w2
王小明-x3y4
EOF

t "an unknown format is a usage error"
run crm contact list --format xml
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: unknown format 'xml'
hint: valid formats: table, json, jsonl, csv, tsv, yaml, ids
EOF

t "--sort city puts each city in order, across scripts"
run crm contact list --sort city --fields name,city
expect_rc 0
expect_out "$(
  printf 'name\tcity\n'
  printf 'Siân Evans\tCaerdydd\n'
  printf 'Ana Popescu\tCluj-Napoca\n'
  printf 'Ioana Marin\tIași\n'
  printf 'Олена Коваленко\tКиїв\n'
  printf 'سارا محمدی\tتهران\n'
  printf 'محمد الأحمد\tدبي\n'
  printf '王小明\t上海'
)"

t "--sort name and -name: accent-insensitive, reversed with a minus"
run crm contact list --sort name --format ids
expect_rc 0
expect_out <<'EOF'
ana-popescu-k7q2
ioana-marin-m3n4
sian-evans-z5a6
олена-коваленко-p5r6
سارا-محمدی-v9w2
محمد-الاحمد-t7u8
王小明-x3y4
EOF
run crm contact list --sort -name --format ids
expect_rc 0
expect_out <<'EOF'
王小明-x3y4
محمد-الاحمد-t7u8
سارا-محمدی-v9w2
олена-коваленко-p5r6
sian-evans-z5a6
ioana-marin-m3n4
ana-popescu-k7q2
EOF

t "--limit N after sorting"
run crm contact list --sort -name --limit 2 --fields name
expect_rc 0
expect_out "$(printf 'name\n王小明\nمحمد الأحمد')"

t "--fields picks columns, including custom.KEY"
run crm contact list --fields name,custom.vat_id,country --format table
expect_rc 0
expect_out <<'EOF'
name             custom.vat_id  country
Ana Popescu      RO123          RO
Ioana Marin                     RO
Siân Evans                      GB
Олена Коваленко                 UA
سارا محمدی                      IR
محمد الأحمد                     AE
王小明                          CN
EOF
run crm contact list --fields id,custom.vat_id --format csv --tag cluj
expect_rc 0
expect_out "$(printf 'id,custom.vat_id\r\nana-popescu-k7q2,RO123\r')"

t "--fields also limits json and jsonl output to those keys"
run crm contact list --fields name,city --format jsonl --stage lead
expect_rc 0
expect_out <<'EOF'
{"name":"Ioana Marin","city":"Iași"}
{"name":"محمد الأحمد","city":"دبي"}
EOF

t "--tag: several tags are an AND, case-insensitive"
run crm contact list --tag vip --format ids
expect_rc 0
expect_out <<'EOF'
ana-popescu-k7q2
ioana-marin-m3n4
محمد-الاحمد-t7u8
王小明-x3y4
EOF
run crm contact list --tag vip --tag gulf --format ids
expect_rc 0
expect_out "محمد-الاحمد-t7u8"
run crm contact list --tag VIP --tag Cluj --format ids
expect_rc 0
expect_out "ana-popescu-k7q2"

t "--stage filters on the lifecycle stage"
run crm contact list --stage customer --fields name
expect_rc 0
expect_out "$(printf 'name\nAna Popescu\nسارا محمدی\n王小明')"
run crm contact list --stage prospect --tag ua --format ids
expect_rc 0
expect_out "олена-коваленко-p5r6"

t "a bad --stage is rejected with the valid ones"
run crm contact list --stage client
expect_rc 2
expect_out ""
expect_err "crm: bad stage 'client' (expected one of: lead, prospect, customer, inactive, lost)"

t "an unknown field in --fields: exit 2 with a did-you-mean hint"
snapshot .
run crm contact list --fields name,ctiy
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: unknown field 'ctiy'
hint: did you mean 'city'?
EOF

t "an unknown field in --sort: exit 2 with a did-you-mean hint"
run crm contact list --sort nmae
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: cannot sort by unknown field 'nmae'
hint: did you mean 'name'?
EOF
run crm contact list --sort=-nmae
expect_rc 2
expect_err <<'EOF'
crm: cannot sort by unknown field 'nmae'
hint: did you mean 'name'?
EOF
expect_unchanged .

t "an empty result is exit 1 with nothing but the header"
run crm contact list --tag nosuch
expect_rc 1
expect_err ""
expect_out "$(printf 'id\tname\temails\tphones\tcompany\tstage\ttags')"
run crm contact list --tag nosuch --format ids
expect_rc 1
expect_out ""
run crm contact list --tag nosuch --format json
expect_rc 1
expect_out "[]"
run crm contact list --stage lost --format jsonl
expect_rc 1
expect_out ""

t "on a terminal the default is a table with a coloured header"
run_tty 200 crm contact list --stage lead
expect_rc 0
expect_out "$(
  printf '\e[1;4mid                name         emails            phones  company  stage  tags\e[0m\n'
  printf 'ioana-marin-m3n4  Ioana Marin  ioana@example.ro                   lead   vip\n'
  printf 'محمد-الاحمد-t7u8  محمد الأحمد                                     lead   vip, gulf'
)"

t "NO_COLOR and --no-color: the same table without escape codes"
plain=$(printf '%s' "$out" | sed $'s/\e\\[[0-9;]*m//g' && printf x)
plain=${plain%x}
NO_COLOR=1 run_tty 200 crm contact list --stage lead
expect_rc 0
expect_eq "NO_COLOR table" "$plain" "$out"
run_tty 200 crm --no-color contact list --stage lead
expect_rc 0
expect_eq "--no-color table" "$plain" "$out"
run crm contact list --stage lead --format table
expect_out_lacks $'\e'
expect_eq "table on a pipe" "$plain" "$out"

t "the show card: a bold title on a terminal, plain with NO_COLOR, --no-color or a pipe"
run_tty 200 crm contact show sian-evans-z5a6
expect_rc 0
card=$'Siân Evans\n  id       sian-evans-z5a6\n  city     Caerdydd\n  country  GB\n  stage    inactive\n  tags     cymru\n  created  2026-11-07T09:00:00+02:00\n  updated  2026-11-07T09:00:00+02:00\n'
expect_out "$(printf '\e[1mSiân Evans\e[0m\n%s' "${card#*$'\n'}")"
NO_COLOR=1 run_tty 200 crm contact show sian-evans-z5a6
expect_eq "NO_COLOR card" "$card" "$out"
run_tty 200 crm --no-color contact show sian-evans-z5a6
expect_eq "--no-color card" "$card" "$out"
run crm contact show sian-evans-z5a6
expect_eq "card on a pipe" "$card" "$out"

t "combining marks take no column: the table still lines up"
new_ws marks
# "Ą́" is A-ogonek plus a combining acute that has no precomposed form.
run crm -C marks contact add "$(printf 'A\xcc\xa8\xcc\x81z\xcc\x8cuolas')" --city Vilnius
expect_rc 0
run crm -C marks contact add "Zoë Ng" --city Leeds
run crm -C marks contact list --fields name,city --format table
expect_rc 0
expect_out "$(printf 'name     city\n\xc4\x84\xcc\x81\xc5\xbeuolas  Vilnius\nZo\xc3\xab Ng   Leeds')"

t "csv quotes commas and quotes, and guards cells that would run as formulas"
run crm -C marks contact add '=HYPERLINK("http://x")' --title 'CEO, "the boss"'
expect_rc 0
run crm -C marks contact list --fields name,title --format csv --sort -name
expect_rc 0
expect_out "$(printf 'name,title\r\nZoë Ng,\r\nĄ́žuolas,\r\n"'"'"'=HYPERLINK(""http://x"")","CEO, ""the boss"""\r')"

t "the company column shows the company's name in a table, tsv and csv; json, yaml and ids keep its id"
run crm contact list --tag cluj --fields id,company --format table
expect_rc 0
expect_out <<'EOF'
id                company
ana-popescu-k7q2  Acme SRL
EOF
run crm contact list --tag cluj --fields name,company --format tsv
expect_out "$(printf 'name\tcompany\nAna Popescu\tAcme SRL')"
run crm contact list --tag cluj --fields name,company --format csv
expect_out "$(printf 'name,company\r\nAna Popescu,Acme SRL\r')"
run crm contact list --tag cluj --fields name,company --format jsonl
expect_out '{"name":"Ana Popescu","company":"acme-srl-h2x9"}'
run crm contact list --tag cluj --format jsonl
expect_out_contains '"company":"acme-srl-h2x9"'
run crm contact list --tag cluj --fields company --format yaml
expect_out "- company: acme-srl-h2x9"

t "--fields company.name, company.city: a linked record's fields, in every format"
run crm contact list --fields name,company.name,company.city --stage customer --format table
expect_rc 0
expect_err ""
expect_out <<'EOF'
name         company.name  company.city
Ana Popescu  Acme SRL      Cluj-Napoca
سارا محمدی
王小明
EOF
run crm contact list --fields id,company.name --tag cluj --format jsonl
expect_out '{"id":"ana-popescu-k7q2","company.name":"Acme SRL"}'

t "an unknown linked field: exit 2 naming the nearest fields of the linked record"
run crm contact list --fields name,company.nmae
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: unknown field 'company.nmae'
hint: did you mean 'company.name'?
EOF

t "a --fields name no field declares and no record holds: exit 2 with the nearest names, never an empty column"
run crm contact list --fields name,custom.vta_id
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: unknown field 'custom.vta_id'
hint: did you mean 'custom.vat_id'?
EOF
run crm contact list --fields name,nickname --format json
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: unknown field 'nickname'
hint: run 'crm contact show REF' to see the fields a contact has
EOF
run crm contact list --fields name,revenu
expect_rc 2
expect_err <<'EOF'
crm: unknown field 'revenu'
hint: did you mean 'revenue'?
EOF

t "a key added by hand to one record is a column; the others leave it empty"
cp contacts/sian-evans-z5a6.yaml "$_LIB/sian.yaml"
printf 'nickname: Sia\n' >>contacts/sian-evans-z5a6.yaml
run crm contact list --fields name,nickname --stage inactive
expect_rc 0
expect_out "$(printf 'name\tnickname\nSiân Evans\tSia')"
cp "$_LIB/sian.yaml" contacts/sian-evans-z5a6.yaml

t "every row lines up: Devanagari vowel signs, Bengali, Thai, emoji sequences, flags and CJK"
new_ws widths
for n in "अनीता शर्मा" "সুমিত্রা দাস" "สมชาย ใจดี" "Dev 👩‍💻" "Flag 🇷🇴 Ro" "王小明" "Ana"; do
  run crm -C widths contact add "$n" --city X
  expect_rc 0
done
# Widths: 3, 6, 10, 7 (a consonant with its vowel sign or virama is one column),
# 7, 9 (Thai: the vowel above or below takes none), 6: every city starts at column 13.
run crm -C widths contact list --fields name,city --format table
expect_rc 0
expect_out <<'EOF'
name        city
Ana         X
Dev 👩‍💻      X
Flag 🇷🇴 Ro  X
अनीता शर्मा     X
সুমিত্রা দাস     X
สมชาย ใจดี   X
王小明      X
EOF

finish
