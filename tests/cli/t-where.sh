#!/usr/bin/env bash
# crm <type> list --where: the filter language on contacts, companies, sales,
# activities and follow-ups with exact output; bad filters exit 3 with the column
# (in characters) and a hint; values that look like SQL match nothing and change
# nothing.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

# rows: expected TSV written with '|' between the cells.
rows() { tr '|' '\t'; }

# Seven contacts in five scripts with fixed ids (tests/fixtures/small).
fixture_ws ws small
cd ws || exit 2

# ================================================================ contacts

t "contacts: a tag and a field, side by side with and"
run crm contact list --where 'vip and country = RO' --fields id,name,city
expect_rc 0
expect_err ""
expect_out "$(rows <<'EOF'
id|name|city
ana-popescu-k7q2|Ana Popescu|Cluj-Napoca
ioana-marin-m3n4|Ioana Marin|Iași
EOF
)"
run crm contact list --where 'vip country = RO' --fields id
expect_out "$(printf 'id\nana-popescu-k7q2\nioana-marin-m3n4')"

t "contacts: text ignores case and accents, ~ matches a part"
run crm contact list --where 'name ~ POPESC or city = iasi' --format ids
expect_rc 0
expect_out "$(printf 'ana-popescu-k7q2\nioana-marin-m3n4')"
run crm contact list --where 'name = "sian evans"' --fields name
expect_out "$(printf 'name\nSiân Evans')"
run crm contact list --where 'city = київ' --fields name,city
expect_out "$(printf 'name\tcity\nОлена Коваленко\tКиїв')"

t "contacts: not, in (...), has: and parentheses"
run crm contact list --where 'not vip' --fields name,tags
expect_rc 0
expect_out "$(rows <<'EOF'
name|tags
Siân Evans|cymru
Олена Коваленко|ua
سارا محمدی|
EOF
)"
run crm contact list --where 'stage in (lead, prospect) and has:email' --fields name,stage
expect_out "$(rows <<'EOF'
name|stage
Ioana Marin|lead
Олена Коваленко|prospect
EOF
)"
run crm contact list --where '(gulf or cymru) and not stage = lead' --fields name
expect_out "$(printf 'name\nSiân Evans')"

t "contacts: != includes those without the value"
run crm contact list --where 'company != acme-srl-h2x9' --format ids
expect_rc 0
expect_out <<'EOF'
ioana-marin-m3n4
sian-evans-z5a6
олена-коваленко-p5r6
سارا-محمدی-v9w2
محمد-الاحمد-t7u8
王小明-x3y4
EOF

t "contacts: a custom field by its name, a reference by its name"
run crm contact list --where 'vat_id = ro123' --fields name,company
expect_rc 0
expect_out "$(printf 'name\tcompany\nAna Popescu\tAcme SRL')"
run crm contact list --where 'company = "acme srl"' --format ids
expect_out "ana-popescu-k7q2"

t "--where goes with --tag, --sort and --limit"
run crm contact list --where 'stage = customer' --tag vip --sort -name --fields name --limit 1
expect_rc 0
expect_out "$(printf 'name\n王小明')"

t "companies: --where on another type"
run crm company list --where 'industry = Software and city ~ cluj' --fields name,industry
expect_rc 0
expect_out "$(printf 'name\tindustry\nAcme SRL\tsoftware')"

t "no match: exit 1, the header only"
run crm contact list --where 'stage = lost'
expect_rc 1
expect_err ""
expect_out "$(printf 'id\tname\temails\tphones\tcompany\tstage\ttags')"
run crm contact list --where 'stage = lost' --format ids
expect_rc 1
expect_out ""

# ================================================================ sales

ana="ana-popescu-k7q2"
ioana="ioana-marin-m3n4"
wang=王小明-x3y4
s1=$(made crm sale record "$ana" --item "Audit x 2 @ 400" --at 2026-11-20T10:00:00+02:00)
s2=$(made crm sale record "$ioana" --item "Mug @ 150" --currency RON --at 2026-10-01T10:00:00+02:00)
s3=$(made crm sale record "$wang" --item "Setup @ 90" --paid-by credit --at 2026-11-24T10:00:00+02:00)
s4=$(made crm sale record "$ana" --item "Mug @ 20" --at 2026-11-25T09:00:00+02:00)

t "sales: money compares in the sale's own currency"
run crm sale list --where 'total >= 150' --fields contact_name,total,currency
expect_rc 0
expect_err ""
expect_out "$(rows <<'EOF'
contact_name|total|currency
Ana Popescu|800.00|EUR
Ioana Marin|150.00|RON
EOF
)"
run crm sale list --where 'total = 150 and currency = ron' --format ids
expect_out "$s2"

t "sales: dates absolute and relative, choices, the customer by name"
run crm sale list --where 'at < 2026-11-01' --fields contact_name,at
expect_rc 0
expect_out "$(printf 'contact_name\tat\nIoana Marin\t2026-10-01T10:00:00+02:00')"
run crm sale list --where 'at >= -1d' --format ids
expect_out "$(printf '%s\n%s' "$s4" "$s3")"
run crm sale list --where 'paid_by = credit' --fields contact_name,total,paid_by
expect_out "$(printf 'contact_name\ttotal\tpaid_by\n王小明\t90.00\tcredit')"
run crm sale list --where 'contact = "ana popescu"' --format ids
expect_out "$(printf '%s\n%s' "$s4" "$s1")"
run crm sale list --where 'paid_by = cheque'
expect_rc 3
expect_out ""
expect_err "crm: bad filter at column 11: expected one of card, cash, check, paypal, bank-transfer, other, credit for paid_by, found 'cheque'"

t "contacts: computed revenue, orders and last purchase"
run crm contact list --where 'revenue > 100' --fields name,revenue,orders,last_purchase
expect_rc 0
expect_out "$(printf 'name\trevenue\torders\tlast_purchase\nAna Popescu\t820.00\t2\t2026-11-25')"
run crm contact list --where 'orders >= 1 and last_purchase < -30d' --format ids
expect_out "$ioana"
run crm contact list --where 'balance > 0' --fields name,balance
expect_out "$(printf 'name\tbalance\n王小明\t90.00')"

# ================================================================ activities and follow-ups

a1=$(made crm log call "$ana" -m "talked prices" --at 2026-11-24T15:00:00+02:00)
a2=$(made crm log email "$ioana" -m "sent the offer" --at 2026-11-10T09:00:00+02:00)
a3=$(made crm log meeting "$ana" -m "site visit" --at 2026-11-25T09:30:00+02:00)
f1=$(made crm followup add "$ana" --due 2026-12-01 -m "send contract")
f2=$(made crm followup add "$ioana" --due 2026-11-20 -m "call back")

t "activities: kind, text, dates and the contact"
run crm activity list --where 'kind in (call, meeting)' --fields contact_name,kind,summary
expect_rc 0
expect_err ""
expect_out "$(rows <<'EOF'
contact_name|kind|summary
Ana Popescu|meeting|site visit
Ana Popescu|call|talked prices
EOF
)"
run crm activity list --where 'summary ~ OFFER' --format ids
expect_out "$a2"
run crm activity list --where 'at >= -1d and contact = ana-popescu-k7q2' --format ids
expect_out "$(printf '%s\n%s' "$a3" "$a1")"
run crm activity list --where 'kind = visit'
expect_rc 3
expect_err "crm: bad filter at column 8: expected one of call, email, meeting, text, note, chat, stage for kind, found 'visit'"

t "follow-ups: due before today, by contact name"
run crm followup list --where 'due < today' --fields contact_name,due,summary
expect_rc 0
expect_out "$(printf 'contact_name\tdue\tsummary\nIoana Marin\t2026-11-20\tcall back')"
run crm followup list --where 'contact ~ popescu' --format ids
expect_out "$f1"
run crm followup list --where 'status = done' --format ids
expect_rc 1
expect_out ""
[[ -n $f2 ]] || exit 2

# ================================================================ errors

t "bad syntax: exit 3, the column in characters, nothing on stdout"
run crm contact list --where 'vip and (city = '
expect_rc 3
expect_out ""
expect_err "crm: bad filter at column 17: expected a value, found the end"
run crm contact list --where 'name = "Олена" and'
expect_rc 3
expect_err "crm: bad filter at column 19: expected a field, a tag or '(', found the end"
run crm contact list --where 'vip)'
expect_rc 3
expect_err "crm: bad filter at column 4: unexpected ')' (no '(' to close)"
run crm contact list --where 'name = "Ana'
expect_rc 3
expect_err 'crm: bad filter at column 8: unterminated string (expected a closing ")'
run crm contact list --where '!vip'
expect_rc 3
expect_err "crm: bad filter at column 1: expected '!=' (use 'not' to negate)"

t "a ';' is not part of a tag: SQL after a filter is a bad filter"
run crm contact list --where 'vip; DROP TABLE contacts; --'
expect_rc 3
expect_out ""
expect_err "crm: bad filter at column 4: unexpected ';' (a filter is one expression)"

t "nesting has a limit (64): 8000 nots or parentheses are a bad filter, not a crash"
run crm contact list --where "$(printf 'not %.0s' $(seq 8000))vip"
expect_rc 3
expect_err "crm: bad filter at column 257: nested more than 64 levels deep"
run crm contact list --where "$(printf '(%.0s' $(seq 8000))vip$(printf ')%.0s' $(seq 8000))"
expect_rc 3
expect_err "crm: bad filter at column 65: nested more than 64 levels deep"
run crm contact list --where "t0$(for i in $(seq 1 10000); do printf ' or t%d' "$i"; done)"
expect_rc 3
expect_err "crm: bad filter at column 1939: more than 256 terms"

t "bad values: a choice, a date, a number"
run crm contact list --where 'stage = zzz'
expect_rc 3
expect_out ""
expect_err "crm: bad filter at column 9: expected one of lead, prospect, customer, inactive, lost for stage, found 'zzz'"
run crm contact list --where 'created > soon'
expect_rc 3
expect_err "crm: bad filter at column 11: created is a date; expected a date (2026-11-01, today, -90d, -6m), found 'soon'"
run crm contact list --where 'revenue > lots'
expect_rc 3
expect_err "crm: bad filter at column 11: revenue is an amount of money; expected a number, found 'lots'"

t "an unknown field: exit 3 with the nearest names as a hint"
run crm contact list --where 'vip and revenu > 1'
expect_rc 3
expect_out ""
expect_err <<'EOF'
crm: bad filter at column 9: unknown field 'revenu' for contacts
hint: the nearest fields are: revenue
EOF
run crm sale list --where 'totl > 1'
expect_rc 3
expect_err <<'EOF'
crm: bad filter at column 1: unknown field 'totl' for sales
hint: the nearest fields are: total
EOF

t "SQL in a value matches nothing, prints nothing and changes nothing"
snapshot .
for filter in "name = \"x' OR 1=1 --\"" 'name = "x\"; DROP TABLE contacts; --"' "city = \"') OR ('1'='1\"" \
  "\"vip'; DELETE FROM contacts; --\""; do
  run crm contact list --where "$filter" --format ids
  expect_rc 1
  expect_out ""
  expect_err ""
done
expect_unchanged .
run crm contact list --format ids
expect_rc 0
expect_eq "contacts left" 7 "$(printf '%s' "$out" | wc -l | tr -d ' ')"
run crm sale list --where 'total > 0' --format ids
expect_eq "sales left" 4 "$(printf '%s' "$out" | wc -l | tr -d ' ')"

finish
