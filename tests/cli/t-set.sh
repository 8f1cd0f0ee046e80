#!/usr/bin/env bash
# crm contact set: scalars, unsetting, list edits, maps, custom fields, refusals,
# the updated stamp, hand-added keys and a stable file layout.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

new_ws ws --region RO
cd ws || exit 2

id=$(crm contact add "Ana Popescu" --email work:ana@acme.ro --phone "0722 123 456" \
  --title CEO --city Cluj-Napoca --stage lead --tag vip --tag cluj --set vat_id=RO123)
f=contacts/$id.yaml
later=2026-11-26T08:30:00+02:00 # a second "now" to see updated move

# block KEY: the KEY line of the record file and the indented lines under it.
block() { awk -v k="$1:" '$1 == k { on = 1; print; next } on && /^ / { print; next } { on = 0 }' "$f"; }

t "the starting file"
expect_file_eq "$f" <<EOF
id: $id
name: Ana Popescu
emails:
  - address: ana@acme.ro
    label: work
phones:
  - number: 0722 123 456
    e164: "+40722123456"
title: CEO
city: Cluj-Napoca
stage: lead
tags:
  - vip
  - cluj
custom:
  vat_id: RO123
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
EOF

t "set a scalar: silent, exit 0, only that line and updated change"
cp "$f" before.yaml
CRM_NOW=$later run crm contact set "$id" title=CTO
expect_rc 0
expect_out ""
expect_err ""
expect_eq "diff" "$(
  cat <<'EOF'
9c9
< title: CEO
---
> title: CTO
18c18
< updated: 2026-11-25T10:00:00+02:00
---
> updated: 2026-11-26T08:30:00+02:00
EOF
)" "$(diff before.yaml "$f")"

t "created never moves; updated takes the new now"
expect_eq "created" "created: 2026-11-25T10:00:00+02:00" "$(grep '^created:' "$f")"
expect_eq "updated" "updated: 2026-11-26T08:30:00+02:00" "$(grep '^updated:' "$f")"

t "a set that changes nothing writes nothing (updated stays)"
cp "$f" before.yaml
CRM_NOW=2026-12-01T00:00:00+02:00 run crm contact set "$id" title=CTO tags+=vip
expect_rc 0
expect_out ""
expect_eq "file" "$(cat before.yaml)" "$(cat "$f")"

t "several changes in one set, shown by the next show"
CRM_NOW=$later run crm contact set "$id" stage=customer country=RO "source=fair 2026"
expect_rc 0
run crm contact show "$id" --format jsonl
expect_rc 0
expect_out_contains '"stage":"customer"'
expect_out_contains '"source":"fair 2026"'
expect_out_contains '"country":"RO"'

t "KEY= unsets a field: the line disappears"
cp "$f" before.yaml
CRM_NOW=$later run crm contact set "$id" city=
expect_rc 0
expect_eq "diff" "$(printf '10d9\n< city: Cluj-Napoca')" "$(diff before.yaml "$f")"

t "tags+= and tags-= add and remove one tag, case-insensitively"
cp "$f" before.yaml
CRM_NOW=$later run crm contact set "$id" tags+=newsletter tags-=CLUJ
expect_rc 0
expect_eq "diff" "$(printf '15c15\n<   - cluj\n---\n>   - newsletter')" "$(diff before.yaml "$f")"
expect_eq "tags" "$(printf 'tags:\n  - vip\n  - newsletter')" "$(block tags)"

t "an existing tag is not added twice"
cp "$f" before.yaml
CRM_NOW=2026-12-01T00:00:00+02:00 run crm contact set "$id" tags+=VIP
expect_rc 0
expect_eq "file" "$(cat before.yaml)" "$(cat "$f")"

t "email+= with a label, email-= in another case"
CRM_NOW=$later run crm contact set "$id" email+=home:ana@home.ro
expect_rc 0
expect_eq "emails" "$(
  cat <<'EOF'
emails:
  - address: ana@acme.ro
    label: work
  - address: ana@home.ro
    label: home
EOF
)" "$(block emails)"
CRM_NOW=$later run crm contact set "$id" email-=ANA@ACME.RO
expect_rc 0
expect_eq "emails" "$(printf 'emails:\n  - address: ana@home.ro\n    label: home')" \
  "$(block emails)"
run crm contact show ana@home.ro --format ids
expect_out "$id"
run crm contact show ana@acme.ro --format ids
expect_rc 1

t "phone+= computes E.164, phone-= matches any format"
CRM_NOW=$later run crm contact set "$id" "phone+=work:+40 264 123 456"
expect_rc 0
expect_eq "phones" "$(
  cat <<'EOF'
phones:
  - number: 0722 123 456
    e164: "+40722123456"
  - number: +40 264 123 456
    e164: "+40264123456"
    label: work
EOF
)" "$(block phones)"
CRM_NOW=$later run crm contact set "$id" "phone-=+40 (722) 123-456"
expect_rc 0
expect_eq "phones" "$(printf 'phones:\n  - number: +40 264 123 456\n    e164: "+40264123456"\n    label: work')" \
  "$(block phones)"
run crm contact show 0264123456 --format ids
expect_out "$id"

t "social.NETWORK=URL sets one profile, social.NETWORK= removes it"
CRM_NOW=$later run crm contact set "$id" social.linkedin=https://linkedin.com/in/ana social.mastodon=@ana@mastodon.ro
expect_rc 0
expect_eq "social" "$(printf 'social:\n  linkedin: https://linkedin.com/in/ana\n  mastodon: "@ana@mastodon.ro"')" \
  "$(block social)"
CRM_NOW=$later run crm contact set "$id" social.mastodon=
expect_rc 0
expect_eq "social" "$(printf 'social:\n  linkedin: https://linkedin.com/in/ana')" \
  "$(block social)"

t "custom fields: custom.KEY=, an unknown plain key, and unsetting"
CRM_NOW=$later run crm contact set "$id" custom.shoe_size=38 loyalty_card=LC-0042
expect_rc 0
expect_eq "custom" "$(printf 'custom:\n  vat_id: RO123\n  shoe_size: "38"\n  loyalty_card: LC-0042')" \
  "$(block custom)"
CRM_NOW=$later run crm contact set "$id" custom.vat_id= shoe_size=
expect_rc 0
expect_eq "custom" "$(printf 'custom:\n  loyalty_card: LC-0042')" \
  "$(block custom)"
run crm contact list --fields id,custom.loyalty_card --format tsv
expect_out "$(printf 'id\tcustom.loyalty_card\n%s\tLC-0042' "$id")"

t "renaming keeps the id and the file name"
CRM_NOW=$later run crm contact set "$id" "name=Ana Maria Popescu"
expect_rc 0
expect_file "$f"
expect_eq "name line" "name: Ana Maria Popescu" "$(sed -n 2p "$f")"
run crm contact show "ana maria popescu" --format ids
expect_out "$id"

# ---------------------------------------------------------------- refusals

t "a typo of a field name: exit 2 with a did-you-mean hint, nothing written"
snapshot .
run crm contact set "$id" emial=x@y.ro
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: unknown field 'emial'
hint: did you mean 'email'?
hint: to keep it as a custom field, write custom.emial=...
EOF
run crm contact set "$id" ctiy=Iași
expect_rc 2
expect_err <<'EOF'
crm: unknown field 'ctiy'
hint: did you mean 'city'?
hint: to keep it as a custom field, write custom.ctiy=...
EOF
expect_unchanged .

t "id, created and updated cannot be set"
for key in id created updated; do
  run crm contact set "$id" "$key=2020-01-01"
  expect_rc 2
  expect_out ""
  expect_err <<EOF
crm: '$key' cannot be changed
hint: crm maintains it; edit the file by hand if you really must
EOF
done
expect_unchanged .

t "bad values: exit 3, nothing written, even with good changes beside them"
run crm contact set "$id" title=Boss email+=not-an-email
expect_rc 3
expect_out ""
expect_err "crm: bad email 'not-an-email'"
run crm contact set "$id" birthday=1990-02-30
expect_rc 3
expect_err "crm: bad date '1990-02-30' (expected YYYY-MM-DD or --MM-DD)"
run crm contact set "$id" stage=client
expect_rc 3
expect_err "crm: bad stage 'client' (expected one of: lead, prospect, customer, inactive, lost)"
run crm contact set "$id" name=
expect_rc 3
expect_err "crm: 'name' cannot be empty"
run crm contact set "$id" "tags+=two words"
expect_rc 3
expect_err "crm: bad tags entry 'two words' (one word, no spaces or commas)"
expect_unchanged .

t "malformed changes are usage errors"
run crm contact set "$id" title+=x
expect_rc 2
expect_err "crm: 'title' is not a list: use title=VALUE"
run crm contact set "$id" justaword
expect_rc 2
expect_err <<'EOF'
crm: expected KEY=VALUE, got 'justaword'
hint: KEY+=VALUE adds to a list, KEY-=VALUE removes, KEY= unsets
EOF
run crm contact set "$id" social=x
expect_rc 2
expect_err "crm: use social.KEY=VALUE to set one entry"
run crm contact set "$id"
expect_rc 2
expect_err <<'EOF'
crm: CHANGE is required
hint: see 'crm contact set -h'
EOF
expect_unchanged .

t "removing what is not there is exit 1 and writes nothing"
run crm contact set "$id" city=Iași tags-=nosuch
expect_rc 1
expect_out ""
expect_err "crm: 'nosuch' is not in tags"
run crm contact set "$id" email-=nobody@x.ro
expect_rc 1
expect_err "crm: 'nobody@x.ro' is not in emails"
expect_unchanged .

# ---------------------------------------------------------------- hand edits

t "a key added to the file by hand survives a set"
echo "favourite_tea: mint" >>"$f"
cp "$f" before.yaml
CRM_NOW=2026-11-27T12:00:00+02:00 run crm contact set "$id" title=Founder
expect_rc 0
expect_eq "last line" "favourite_tea: mint" "$(tail -1 "$f")"
expect_eq "diff" "$(
  cat <<'EOF'
10c10
< title: CTO
---
> title: Founder
22c22
< updated: 2026-11-26T08:30:00+02:00
---
> updated: 2026-11-27T12:00:00+02:00
EOF
)" "$(diff before.yaml "$f")"
run crm contact show "$id" --format jsonl
expect_out_contains '"favourite_tea":"mint","computed":{'

t "a nested hand-added key survives too"
printf 'kids:\n  - name: Matei\n    born: "2019"\n' >>"$f"
CRM_NOW=$later run crm contact set "$id" title=CEO
expect_rc 0
expect_eq "tail" "$(printf 'favourite_tea: mint\nkids:\n  - name: Matei\n    born: "2019"')" "$(tail -4 "$f")"

t "a file written by hand in short form is read, and rewritten in the long form"
cat >contacts/hand-made-x2y3.yaml <<'EOF'
id: hand-made-x2y3
name: Hand Made
emails: hand@made.ro
phones: [0733 000 111]
tags: vip
EOF
run crm contact show hand@made.ro --format ids
expect_rc 0
expect_out "hand-made-x2y3"
run crm contact show 0733000111 --format ids
expect_out "hand-made-x2y3"
run crm contact set hand-made-x2y3 tags+=new
expect_rc 0
expect_file_eq contacts/hand-made-x2y3.yaml <<'EOF'
id: hand-made-x2y3
name: Hand Made
emails:
  - address: hand@made.ro
phones:
  - number: 0733 000 111
tags:
  - vip
  - new
updated: 2026-11-25T10:00:00+02:00
EOF

t "company set works the same way"
co=$(crm company add "Acme SRL" --city Cluj-Napoca)
CRM_NOW=$later run crm company set acme industry=software city= tags+=partner
expect_rc 0
expect_out ""
expect_file_eq "companies/$co.yaml" <<EOF
id: $co
name: Acme SRL
industry: software
tags:
  - partner
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-26T08:30:00+02:00
EOF

rm -f before.yaml
finish
