#!/usr/bin/env bash
# crm contact dupes / merge: pairs that look like one person with their reasons
# and scores in every format, names in several scripts (Romanian diacritics,
# Cyrillic, Arabic, Welsh), a dry run that writes nothing, a merge with its
# report, the file it leaves, records re-pointed, the merged id still naming the
# contact, refusals with their exit codes, and the `dupes --format ids | merge` loop.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

# rows: expected TSV written with '|' between the cells.
rows() { tr '|' '\t'; }

# contact ID CREATED NAME [YAML LINES]: a contact file with a fixed id.
contact() {
  {
    printf 'id: %s\nname: %s\n' "$1" "$3"
    if [[ $# -ge 4 ]]; then printf '%s\n' "$4"; fi
    printf 'created: %s\nupdated: %s\n' "$2" "$2"
  } >"contacts/$1.yaml"
}

new_ws ws --region RO
cd ws || exit 2

t "dupes in a workspace without duplicates: exit 1, the header only"
contact sian-evans-z5a6 2026-11-01T09:00:00+02:00 "Siân Evans"
run crm contact dupes
expect_rc 1
expect_err ""
expect_out "$(printf 'score\tkeep\tkeep_name\tother\tother_name\treasons')"
run crm contact dupes --format ids
expect_rc 1
expect_out ""

contact ana-popescu-k7q2 2026-11-01T09:00:00+02:00 "Ana Popescu" 'emails:
  - address: ana@acme.ro
    label: work
phones:
  - number: 0722 123 456
    e164: "+40722123456"
city: Cluj-Napoca
stage: customer
tags:
  - vip
notes: Met at the fair.'
contact ana-popescu-x9z8 2026-11-10T09:00:00+02:00 "ANA POPESCU" 'emails:
  - address: ANA@ACME.RO
  - address: ana.p@gmail.com
    label: home
phones:
  - number: +40 722 123 456
title: CEO
city: Iași
stage: lead
tags:
  - VIP
  - wholesale
notes: Prefers calls after 5.
custom:
  vat_id: RO123'
contact stefan-popescu-a1b2 2026-11-02T09:00:00+02:00 "Ștefan Popescu"
contact stefan-popescu-c3d4 2026-11-03T09:00:00+02:00 "stefan  popescu"
contact олена-коваленко-p5r6 2026-11-04T09:00:00+02:00 "Олена Коваленко"
contact олена-коваленко-q7s8 2026-11-05T09:00:00+02:00 "ОЛЕНА КОВАЛЕНКО"
contact محمد-الاحمد-t7u8 2026-11-06T09:00:00+02:00 "محمد الأحمد"
contact محمد-الاحمد-w2x3 2026-11-07T09:00:00+02:00 "محمد الاحمد"
contact gwenllian-morgan-g4h5 2026-11-08T09:00:00+02:00 "Gwenllian Morgan"
contact gwenllian-morgans-j6k7 2026-11-09T09:00:00+02:00 "Gwenllïan Morgans"
contact ionescu-maria-m8n9 2026-11-12T09:00:00+02:00 "Ionescu Maria"
contact maria-ionescu-p2q3 2026-11-11T09:00:00+02:00 "Maria Ionescu"
contact 王小明-x3y4 2026-11-06T09:00:00+02:00 "王小明"

t "dupes: every pair with its reasons and score, best first; KEEP is the older contact"
run crm contact dupes
expect_rc 0
expect_err ""
expect_out "$(rows <<'EOF'
score|keep|keep_name|other|other_name|reasons
100|ana-popescu-k7q2|Ana Popescu|ana-popescu-x9z8|ANA POPESCU|email ana@acme.ro, phone +40722123456, same name
80|stefan-popescu-a1b2|Ștefan Popescu|stefan-popescu-c3d4|stefan  popescu|same name
80|олена-коваленко-p5r6|Олена Коваленко|олена-коваленко-q7s8|ОЛЕНА КОВАЛЕНКО|same name
80|محمد-الاحمد-t7u8|محمد الأحمد|محمد-الاحمد-w2x3|محمد الاحمد|same name
60|gwenllian-morgan-g4h5|Gwenllian Morgan|gwenllian-morgans-j6k7|Gwenllïan Morgans|close name
60|maria-ionescu-p2q3|Maria Ionescu|ionescu-maria-m8n9|Ionescu Maria|swapped name
EOF
)"

t "dupes --format table aligns names of every script"
run crm contact dupes --format table
expect_rc 0
expect_out <<'EOF'
score  keep                   keep_name         other                   other_name         reasons
100    ana-popescu-k7q2       Ana Popescu       ana-popescu-x9z8        ANA POPESCU        email ana@acme.ro, phone +40722123456, same name
80     stefan-popescu-a1b2    Ștefan Popescu    stefan-popescu-c3d4     stefan  popescu    same name
80     олена-коваленко-p5r6   Олена Коваленко   олена-коваленко-q7s8    ОЛЕНА КОВАЛЕНКО    same name
80     محمد-الاحمد-t7u8       محمد الأحمد       محمد-الاحمد-w2x3        محمد الاحمد        same name
60     gwenllian-morgan-g4h5  Gwenllian Morgan  gwenllian-morgans-j6k7  Gwenllïan Morgans  close name
60     maria-ionescu-p2q3     Maria Ionescu     ionescu-maria-m8n9      Ionescu Maria      swapped name
EOF

t "dupes --format jsonl and csv: the reasons as a list"
run crm contact dupes --format jsonl
expect_rc 0
expect_out <<'EOF'
{"score":100,"keep":"ana-popescu-k7q2","keep_name":"Ana Popescu","other":"ana-popescu-x9z8","other_name":"ANA POPESCU","reasons":["email ana@acme.ro","phone +40722123456","same name"]}
{"score":80,"keep":"stefan-popescu-a1b2","keep_name":"Ștefan Popescu","other":"stefan-popescu-c3d4","other_name":"stefan  popescu","reasons":["same name"]}
{"score":80,"keep":"олена-коваленко-p5r6","keep_name":"Олена Коваленко","other":"олена-коваленко-q7s8","other_name":"ОЛЕНА КОВАЛЕНКО","reasons":["same name"]}
{"score":80,"keep":"محمد-الاحمد-t7u8","keep_name":"محمد الأحمد","other":"محمد-الاحمد-w2x3","other_name":"محمد الاحمد","reasons":["same name"]}
{"score":60,"keep":"gwenllian-morgan-g4h5","keep_name":"Gwenllian Morgan","other":"gwenllian-morgans-j6k7","other_name":"Gwenllïan Morgans","reasons":["close name"]}
{"score":60,"keep":"maria-ionescu-p2q3","keep_name":"Maria Ionescu","other":"ionescu-maria-m8n9","other_name":"Ionescu Maria","reasons":["swapped name"]}
EOF
run crm contact dupes --format csv
expect_rc 0
expect_out "$(printf '%s\r\n' 'score,keep,keep_name,other,other_name,reasons' \
  '100,ana-popescu-k7q2,Ana Popescu,ana-popescu-x9z8,ANA POPESCU,email ana@acme.ro; phone +40722123456; same name' \
  '80,stefan-popescu-a1b2,Ștefan Popescu,stefan-popescu-c3d4,stefan  popescu,same name' \
  '80,олена-коваленко-p5r6,Олена Коваленко,олена-коваленко-q7s8,ОЛЕНА КОВАЛЕНКО,same name' \
  '80,محمد-الاحمد-t7u8,محمد الأحمد,محمد-الاحمد-w2x3,محمد الاحمد,same name' \
  '60,gwenllian-morgan-g4h5,Gwenllian Morgan,gwenllian-morgans-j6k7,Gwenllïan Morgans,close name' \
  '60,maria-ionescu-p2q3,Maria Ionescu,ionescu-maria-m8n9,Ionescu Maria,swapped name')"

t "dupes --format ids: KEEP OTHER a line"
run crm contact dupes --format ids
expect_rc 0
expect_out <<'EOF'
ana-popescu-k7q2 ana-popescu-x9z8
stefan-popescu-a1b2 stefan-popescu-c3d4
олена-коваленко-p5r6 олена-коваленко-q7s8
محمد-الاحمد-t7u8 محمد-الاحمد-w2x3
gwenllian-morgan-g4h5 gwenllian-morgans-j6k7
maria-ionescu-p2q3 ionescu-maria-m8n9
EOF

# OTHER's history: a call with a follow-up, a sale, a deal, a campaign audience. Its
# sale leaves its stage (lead) alone, so that the merge has a stage to settle.
sed -i 's/^  first_sale_stage: customer$/  first_sale_stage: off/' .crm/config.yaml
crm log call ana-popescu-x9z8 -m "asked for a quote" --at 2026-11-20T10:00 --follow-up 2026-11-27 >/dev/null 2>&1 || exit 2
crm sale record ana-popescu-x9z8 --item "Audit @ 250" --at 2026-11-21T10:00 >/dev/null || exit 2
crm deal add ana-popescu-x9z8 --title "Yearly audit" >/dev/null || exit 2
crm campaign add "Spring fair" >/dev/null || exit 2
crm campaign audience "Spring fair" ana-popescu-k7q2 ana-popescu-x9z8 2>/dev/null || exit 2

t "merge --dry-run prints the report and writes nothing"
snapshot .
run crm contact merge ana-popescu-k7q2 ana-popescu-x9z8 --dry-run
expect_rc 0
expect_err ""
expect_out <<'EOF'
would merge 'ana-popescu-x9z8' (ANA POPESCU) into 'ana-popescu-k7q2' (Ana Popescu)
added: 1 email, 1 tag
filled: title, custom.vat_id
conflicts:
  field  keep         other        wins
  name   Ana Popescu  ANA POPESCU  keep
  city   Cluj-Napoca  Iași         keep
  stage  customer     lead         keep
re-pointed: 1 campaign, 1 deal, 1 activity, 1 followup, 1 sale
dry run: nothing was written
EOF
expect_unchanged .

t "merge --take city: OTHER's city; the report, then KEEP's file"
run crm contact merge ana-popescu-k7q2 ana-popescu-x9z8 --take city
expect_rc 0
expect_err ""
expect_out <<'EOF'
merged 'ana-popescu-x9z8' (ANA POPESCU) into 'ana-popescu-k7q2' (Ana Popescu)
added: 1 email, 1 tag
filled: title, custom.vat_id
conflicts:
  field  keep         other        wins
  name   Ana Popescu  ANA POPESCU  keep
  city   Cluj-Napoca  Iași         other
  stage  customer     lead         keep
re-pointed: 1 campaign, 1 deal, 1 activity, 1 followup, 1 sale
EOF
expect_no_file contacts/ana-popescu-x9z8.yaml
expect_file_eq contacts/ana-popescu-k7q2.yaml <<'EOF'
id: ana-popescu-k7q2
name: Ana Popescu
emails:
  - address: ana@acme.ro
    label: work
  - address: ana.p@gmail.com
    label: home
phones:
  - number: 0722 123 456
    e164: "+40722123456"
title: CEO
city: Iași
stage: customer
merged_ids:
  - ana-popescu-x9z8
tags:
  - vip
  - wholesale
notes: |
  Met at the fair.

  Prefers calls after 5.
custom:
  vat_id: RO123
created: 2026-11-01T09:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
EOF

t "the records that pointed to OTHER now point to KEEP"
# A table shows a contact by name: contact.id is the id each record points to.
run crm activity list --contact ana-popescu-k7q2 --fields contact.id,kind,summary
expect_rc 0
expect_out "$(rows <<'EOF'
contact.id|kind|summary
ana-popescu-k7q2|call|asked for a quote
EOF
)"
run crm sale list --contact ana-popescu-k7q2 --fields contact.id,total
expect_out "$(printf 'contact.id\ttotal\nana-popescu-k7q2\t250.00')"
run crm deal list --contact ana-popescu-k7q2 --fields contact.id,title
expect_out "$(printf 'contact.id\ttitle\nana-popescu-k7q2\tYearly audit')"
run crm followup list --fields contact.id,summary
expect_out "$(printf 'contact.id\tsummary\nana-popescu-k7q2\tfollow up: asked for a quote')"
run crm campaign show "Spring fair" --format json
expect_out_contains '"audience": [
    "ana-popescu-k7q2"
  ],'
run crm doctor
expect_rc 0

t "OTHER's id still names the contact: show, log, list --contact"
run crm contact show ana-popescu-x9z8 --format json
expect_rc 0
expect_out_contains '"id": "ana-popescu-k7q2",'
run crm log note ana-popescu-x9z8 -m "merged by hand"
expect_rc 0
run crm activity list --contact ana-popescu-x9z8 --fields contact_name,kind,summary
expect_rc 0
expect_out "$(rows <<'EOF'
contact_name|kind|summary
Ana Popescu|note|merged by hand
Ana Popescu|call|asked for a quote
EOF
)"

t "merging it again: already done, nothing to do, exit 0"
snapshot .
run crm contact merge ana-popescu-k7q2 ana-popescu-x9z8
expect_rc 0
expect_out "'ana-popescu-x9z8' is already merged into 'ana-popescu-k7q2' (Ana Popescu): nothing to do"
expect_unchanged .

t "refusals: the same contact twice (2), no such contact (1), bad --take (2), bad --prefer (2)"
snapshot .
run crm contact merge ana-popescu-k7q2 ana@acme.ro
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: cannot merge contact 'ana-popescu-k7q2' into itself
hint: give two different contacts: crm contact merge KEEP OTHER
EOF
run crm contact merge ana-popescu-k7q2 nobody
expect_rc 1
expect_err_contains "crm: no contact matches 'nobody'"
run crm contact merge stefan-popescu-a1b2 stefan-popescu-c3d4 --take emails
expect_rc 2
expect_err "crm: 'emails' cannot be taken: both contacts' emails are kept"
run crm contact merge stefan-popescu-a1b2 stefan-popescu-c3d4 --take ctiy
expect_rc 2
expect_err <<'EOF'
crm: unknown field 'ctiy' for --take
hint: did you mean 'city'?
EOF
run crm contact merge stefan-popescu-a1b2 stefan-popescu-c3d4 --prefer mine
expect_rc 2
expect_out ""
expect_unchanged .

t "merge --format json --prefer other: the report as one object"
run crm contact merge stefan-popescu-a1b2 stefan-popescu-c3d4 --prefer other --format json
expect_rc 0
expect_out <<'EOF'
{
  "keep": "stefan-popescu-a1b2",
  "keep_name": "Ștefan Popescu",
  "other": "stefan-popescu-c3d4",
  "other_name": "stefan  popescu",
  "dry_run": false,
  "added": {},
  "filled": [],
  "conflicts": [
    {
      "field": "name",
      "keep": "Ștefan Popescu",
      "other": "stefan  popescu",
      "wins": "other"
    }
  ],
  "repointed": {},
  "contact": {
    "id": "stefan-popescu-a1b2",
    "name": "stefan  popescu",
    "merged_ids": [
      "stefan-popescu-c3d4"
    ],
    "created": "2026-11-02T09:00:00+02:00",
    "updated": "2026-11-25T10:00:00+02:00"
  }
}
EOF

t "the scripted loop: dupes --format ids | merge, until no pairs are left"
new_ws "$TEST_ROOT/loop" --region RO
cd "$TEST_ROOT/loop" || exit 2
contact stefan-popescu-a1b2 2026-11-02T09:00:00+02:00 "Ștefan Popescu" 'emails:
  - address: stefan@example.ro'
contact stefan-popescu-c3d4 2026-11-03T09:00:00+02:00 "stefan  popescu" 'phones:
  - number: 0744 000 111'
contact stefan-popescu-e5f6 2026-11-04T09:00:00+02:00 "STEFAN POPESCU" 'emails:
  - address: Stefan@Example.ro
phones:
  - number: +40 744 000 111'
contact олена-коваленко-p5r6 2026-11-04T09:00:00+02:00 "Олена Коваленко"
contact олена-коваленко-q7s8 2026-11-05T09:00:00+02:00 "олена коваленко"
contact سارا-محمدی-v9w2 2026-11-05T09:00:00+02:00 "سارا محمدی"
run crm contact dupes --format ids
expect_out <<'EOF'
stefan-popescu-a1b2 stefan-popescu-e5f6
stefan-popescu-c3d4 stefan-popescu-e5f6
stefan-popescu-a1b2 stefan-popescu-c3d4
олена-коваленко-p5r6 олена-коваленко-q7s8
EOF
crm contact dupes --format ids | while read -r keep other; do crm contact merge "$keep" "$other"; done >"$TEST_ROOT/loop.out" 2>&1
# The pair c3d4/e5f6 comes after e5f6 went into a1b2: e5f6 now names a1b2, so
# a1b2 goes into c3d4, and the last pair finds nothing left to do. One contact
# holds all three, and every old id names it.
expect_eq "loop output" "merged 'stefan-popescu-e5f6' (STEFAN POPESCU) into 'stefan-popescu-a1b2' (Ștefan Popescu)
added: 1 phone
filled: none
conflicts:
  field  keep            other           wins
  name   Ștefan Popescu  STEFAN POPESCU  keep
re-pointed: none
merged 'stefan-popescu-a1b2' (Ștefan Popescu) into 'stefan-popescu-c3d4' (stefan  popescu)
added: 1 email
filled: none
conflicts:
  field  keep             other           wins
  name   stefan  popescu  Ștefan Popescu  keep
re-pointed: none
'stefan-popescu-a1b2' is already merged into 'stefan-popescu-c3d4' (stefan  popescu): nothing to do
merged 'олена-коваленко-q7s8' (олена коваленко) into 'олена-коваленко-p5r6' (Олена Коваленко)
added: none
filled: none
conflicts:
  field  keep             other            wins
  name   Олена Коваленко  олена коваленко  keep
re-pointed: none" "$(cat "$TEST_ROOT/loop.out")"
run crm contact dupes
expect_rc 1
run crm contact list --fields id,name,merged_ids,created
expect_out "$(rows <<'EOF'
id|name|merged_ids|created
stefan-popescu-c3d4|stefan  popescu|stefan-popescu-a1b2, stefan-popescu-e5f6|2026-11-02T09:00:00+02:00
олена-коваленко-p5r6|Олена Коваленко|олена-коваленко-q7s8|2026-11-04T09:00:00+02:00
سارا-محمدی-v9w2|سارا محمدی||2026-11-05T09:00:00+02:00
EOF
)"
for id in stefan-popescu-a1b2 stefan-popescu-e5f6 STEFAN@example.ro 0744000111; do
  run crm contact show "$id" --format json
  expect_out_contains '"id": "stefan-popescu-c3d4",'
done
run crm contact show stefan-popescu-c3d4 --format json
expect_out_contains '"emails": [
    {
      "address": "stefan@example.ro"
    }
  ],
  "phones": [
    {
      "number": "0744 000 111"
    }
  ],'

finish
