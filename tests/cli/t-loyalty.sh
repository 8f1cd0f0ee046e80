#!/usr/bin/env bash
# Loyalty points: off by default (redeem refused), loyalty.points_per_unit in the
# config turns it on; each sale stores the whole points it earned, converted to the
# base currency with rates.yaml (the rate dated on or before the sale's day; with none,
# no points and a warning); void sales do not count, refunds take points back;
# crm loyalty redeem / list / show, and the contact's computed balance.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

new_ws ws --region RO
cd ws || exit 2

suffix='[a-km-np-z2-9]{4}'
ana=$(crm contact add "Ana Popescu" --email ana@example.ro)
mara=$(crm contact add "Mara Dobre")

# sale_file ID: where the sale or refund ID lives (sales/YYYY/MM/ID.yaml).
sale_file() { printf 'sales/%s/%s/%s.yaml' "${1:0:4}" "${1:5:2}" "$1"; }

# points_of REF: the contact's computed points in json (nothing when absent).
points_of() { crm contact show "$1" --format json | sed -n 's/^    "points": \(-\{0,1\}[0-9]*\),\{0,1\}$/\1/p'; }

# ---------------------------------------------------------------- off by default

t "a new workspace has no programme: points_per_unit 0"
expect_eq "config line" "  points_per_unit: 0" "$(grep 'points_per_unit:' .crm/config.yaml)"

t "with no programme a sale earns no points"
off=$(crm sale record "$ana" --item "Lamp @ 50" --at 2026-11-01)
expect_eq "points line" "" "$(grep '^points:' "$(sale_file "$off")")"

t "with no programme redeem is a conflict (exit 4), nothing written"
snapshot .
run crm loyalty redeem "$ana" 5
expect_rc 4
expect_out ""
expect_err <<'EOF'
crm: this workspace has no loyalty programme
hint: turn it on with loyalty: {points_per_unit: 1} in .crm/config.yaml
EOF
expect_unchanged .

# ---------------------------------------------------------------- earning

sed -i 's/^  points_per_unit: 0$/  points_per_unit: 1/' .crm/config.yaml

t "points_per_unit: 1 in the config turns it on"
expect_eq "config line" "  points_per_unit: 1" "$(grep 'points_per_unit:' .crm/config.yaml)"

t "a sale of 99.99 EUR earns 99 points, stored on the sale"
run crm sale record ana@example.ro --item "Vase x 3 @ 33.33" --paid-by card --at 2026-11-20T10:00+02:00
expect_rc 0
expect_err ""
expect_out_match "2026-11-20-sale-ana-popescu-$suffix"
s1=${out%$'\n'}
expect_file_eq "sales/2026/11/$s1.yaml" <<EOF
id: $s1
contact: $ana
at: 2026-11-20T10:00:00+02:00
status: completed
currency: EUR
items:
  - product: Vase
    quantity: "3"
    price: "33.33"
    total: "99.99"
subtotal: "99.99"
total: "99.99"
paid_by: card
points: 99
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
EOF

t "the points earned before the programme are not given afterwards: the balance is 99"
run crm contact show "$ana"
expect_rc 0
expect_err ""
# The two sales also show in what she spent (75.00: 149.99 / 2, rounded to the cent);
# the first made her a customer.
expect_out <<EOF
Ana Popescu
  id              $ana
  emails          ana@example.ro
  stage           customer
  created         2026-11-25T10:00:00+02:00
  updated         2026-11-25T10:00:00+02:00
  revenue         149.99
  orders          2
  avg_order       75.00
  first_purchase  2026-11-01
  last_purchase   2026-11-20
  priority        C
  points          99
EOF

t "contact show --format json: points under computed"
run crm contact show "$ana" --format json
expect_rc 0
expect_out_contains $'    "complaints": 0,\n    "points": 99\n  }\n}'

t "a sale in USD with no rates.yaml: recorded, no points, a warning"
run crm sale record "$ana" --item "Book @ 20" --currency USD --at 2026-03-01
expect_rc 0
expect_out_match "2026-03-01-sale-ana-popescu-$suffix"
usd0=${out%$'\n'}
expect_err "warning: no loyalty points: no USD rate on or before 2026-03-01 in rates.yaml"
expect_file_eq "sales/2026/03/$usd0.yaml" <<EOF
id: $usd0
contact: $ana
at: 2026-03-01T12:00:00+02:00
status: completed
currency: USD
items:
  - product: Book
    quantity: "1"
    price: "20.00"
    total: "20.00"
subtotal: "20.00"
total: "20.00"
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
EOF
expect_eq "balance" "99" "$(points_of "$ana")"

cat >rates.yaml <<'EOF'
# one unit of each currency in EUR
USD:
  2026-01-01: "0.90"
  2026-06-01: "0.95"
JPY:
  2026-01-01: "0.0061"
EOF

t "the rate dated on or before the sale's day: 10.99 USD on 2026-03-01 is 9.89 EUR, 9 points"
run crm sale record "$ana" --item "Book @ 10.99" --currency USD --at 2026-03-01
expect_rc 0
expect_err ""
usd1=${out%$'\n'}
expect_eq "points line" "points: 9" "$(grep '^points:' "$(sale_file "$usd1")")"

t "a later rate for a later sale: 10.99 USD on 2026-07-01 is 10.44 EUR, 10 points"
run crm sale record "$ana" --item "Book @ 10.99" --currency USD --at 2026-07-01
expect_rc 0
expect_err ""
usd2=${out%$'\n'}
expect_eq "points line" "points: 10" "$(grep '^points:' "$(sale_file "$usd2")")"

t "on the day of a rate, that rate: 10.99 USD on 2026-06-01 is 10.44 EUR"
run crm sale record "$mara" --item "Book @ 10.99" --currency USD --at 2026-06-01
expect_rc 0
expect_eq "points line" "points: 10" "$(grep '^points:' "$(sale_file "${out%$'\n'}")")"

t "a sale before the first rate: no points, the warning names the day"
run crm sale record "$ana" --item "Book @ 10" --currency USD --at 2025-12-31
expect_rc 0
usd3=${out%$'\n'}
expect_err "warning: no loyalty points: no USD rate on or before 2025-12-31 in rates.yaml"
expect_eq "points line" "" "$(grep '^points:' "$(sale_file "$usd3")")"

t "JPY: 1500 at 0.0061 is 9.15 EUR, 9 points"
run crm sale record "$ana" --item "Gift @ 1500" --currency JPY --at 2026-11-21
expect_rc 0
expect_err ""
jpy=${out%$'\n'}
expect_eq "points line" "points: 9" "$(grep '^points:' "$(sale_file "$jpy")")"

t "the balance adds the sales' points: 99 + 9 + 10 + 9 = 127"
expect_eq "balance" "127" "$(points_of "$ana")"

t "a bad rates.yaml refuses the sale with its line (exit 3), nothing written"
cp rates.yaml "$TEST_ROOT/rates.good"
printf 'USD:\n  2026-01-01: "0,90"\n' >rates.yaml
snapshot .
run crm sale record "$ana" --item "Book @ 10" --currency USD
expect_rc 3
expect_out ""
expect_err <<'EOF'
crm: rates.yaml:2: bad rate '0,90' for USD on 2026-01-01 (expected a number such as 0.92)
hint: write CURRENCY: {YYYY-MM-DD: RATE}, where RATE is one unit of CURRENCY in the base currency
EOF
expect_unchanged .
cp "$TEST_ROOT/rates.good" rates.yaml

t "a void sale's points do not count"
crm sale void "$usd2" -m "entered twice" 2>/dev/null
expect_eq "points kept on the sale" "points: 10" "$(grep '^points:' "$(sale_file "$usd2")")"
expect_eq "balance" "117" "$(points_of "$ana")"

t "a refund takes points back: 1 of 3 vases (33.33) is -33 points"
CRM_NOW=2026-11-26T09:00:00+02:00 run crm sale refund "$s1" --item "Vase x 1" -m "chipped"
expect_rc 0
rf=${out%$'\n'}
expect_match "refund id" "2026-11-26-refund-ana-popescu-$suffix" "$rf"
expect_eq "refund totals" 'total: "-33.33"
paid_by: card
refund_of: '"$s1" "$(sed -n '/^total:/,/^refund_of:/p' "$(sale_file "$rf")")"
expect_eq "points line" "points: -33" "$(grep '^points:' "$(sale_file "$rf")")"
expect_eq "balance" "84" "$(points_of "$ana")"

t "points are kept as earned: a new points_per_unit counts for new sales only"
sed -i 's/^  points_per_unit: 1$/  points_per_unit: 2/' .crm/config.yaml
run crm sale record "$mara" --item "Tea @ 10.25" --at 2026-11-22
expect_rc 0
expect_eq "points line" "points: 20" "$(grep '^points:' "$(sale_file "${out%$'\n'}")")"
expect_eq "old sale" "points: 99" "$(grep '^points:' "$(sale_file "$s1")")"
expect_eq "balance" "84" "$(points_of "$ana")"
expect_eq "mara's balance" "30" "$(points_of "$mara")"
sed -i 's/^  points_per_unit: 2$/  points_per_unit: 1/' .crm/config.yaml

# ---------------------------------------------------------------- redeem

t "redeem prints the record's id; stderr says what is left"
CRM_NOW=2026-11-27T11:00:00+02:00 run crm loyalty redeem ana@example.ro 50 -m "voucher for a vase"
expect_rc 0
expect_out_match "2026-11-27-redeem-ana-popescu-$suffix"
l1=${out%$'\n'}
expect_err "34 points left"

t "the file: loyalty/YYYY/MM/<id>.yaml with negative points and the reason"
expect_file_eq "loyalty/2026/11/$l1.yaml" <<EOF
id: $l1
contact: $ana
at: 2026-11-27T11:00:00+02:00
points: -50
reason: voucher for a vase
created: 2026-11-27T11:00:00+02:00
updated: 2026-11-27T11:00:00+02:00
EOF
expect_eq "balance" "34" "$(points_of "$ana")"

t "redeeming more than the balance: exit 3, nothing written"
snapshot .
run crm loyalty redeem "$ana" 35
expect_rc 3
expect_out ""
expect_err "crm: 'Ana Popescu' has 34 points; 35 cannot be redeemed"
expect_unchanged .

t "POINTS must be a whole number more than 0"
for bad in 0 -5 2.5 ten; do
  run crm loyalty redeem "$ana" "$bad"
  expect_rc 3
  expect_out ""
  expect_err <<EOF
crm: bad POINTS '$bad'
hint: expected a whole number more than 0
EOF
done
expect_unchanged .

t "redeem for an unknown contact: exit 1"
run crm loyalty redeem nobody@example.ro 1
expect_rc 1
expect_out ""
expect_err <<'EOF'
crm: no contact matches 'nobody@example.ro'
hint: a REF is an id, an id prefix, an email, a phone or an exact name; 'crm contact list' shows them all
EOF
expect_unchanged .

t "redeem the whole balance without -m: reason 'redeemed', 0 points left"
run crm loyalty redeem "$ana" 34
expect_rc 0
l2=${out%$'\n'}
expect_err "0 points left"
expect_file_eq "loyalty/2026/11/$l2.yaml" <<EOF
id: $l2
contact: $ana
at: 2026-11-25T10:00:00+02:00
points: -34
reason: redeemed
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
EOF
expect_eq "balance" "0" "$(points_of "$ana")"
run crm loyalty redeem "$ana" 1
expect_rc 3
expect_err "crm: 'Ana Popescu' has 0 points; 1 cannot be redeemed"

t "loyalty list: newest first, with id, at, contact_name, points, reason"
run crm loyalty list
expect_rc 0
expect_err ""
expect_out <<EOF
id	at	contact_name	points	reason
$l1	2026-11-27T11:00:00+02:00	Ana Popescu	-50	voucher for a vase
$l2	2026-11-25T10:00:00+02:00	Ana Popescu	-34	redeemed
EOF

t "loyalty list --format json: points are numbers"
run crm loyalty list --contact "$ana" --fields id,points --format json
expect_rc 0
expect_out <<EOF
[
  {
    "id": "$l1",
    "points": -50
  },
  {
    "id": "$l2",
    "points": -34
  }
]
EOF

t "loyalty show: a card"
run crm loyalty show "$l1"
expect_rc 0
expect_out <<EOF
voucher for a vase
  id            $l1
  contact       Ana Popescu ($ana)
  at            2026-11-27T11:00:00+02:00
  points        -50
  created       2026-11-27T11:00:00+02:00
  updated       2026-11-27T11:00:00+02:00
  contact_name  Ana Popescu
EOF

t "contact list --fields name,points: every contact's balance"
run crm contact list --fields name,points --sort name
expect_rc 0
expect_out <<'EOF'
name	points
Ana Popescu	0
Mara Dobre	30
EOF

t "with the programme turned off again, redeem is refused (exit 4)"
sed -i 's/^  points_per_unit: 1$/  points_per_unit: 0/' .crm/config.yaml
snapshot .
run crm loyalty redeem "$mara" 10
expect_rc 4
expect_out ""
expect_err <<'EOF'
crm: this workspace has no loyalty programme
hint: turn it on with loyalty: {points_per_unit: 1} in .crm/config.yaml
EOF
expect_unchanged .

t "refunds take points back in proportion, at the sale's own rate; the last one takes back the rest"
sed -i 's/^  points_per_unit: 0$/  points_per_unit: 1/' .crm/config.yaml
cat >rates.yaml <<'EOF'
USD:
  2026-01-01: "0.90"
  2026-06-01: "0.95"
EOF
lena=$(crm contact add "Lena Points")
s1=$(crm sale record "$lena" --item "Book x 2 @ 10.99" --currency USD --at 2026-03-01)
expect_eq "earned" "points: 19" "$(grep '^points:' sales/2026/03/"$s1".yaml)"
r1=$(crm sale refund "$s1" --item "Book x 1" -m "one back" 2>/dev/null)
expect_eq "first refund" "points: -9" "$(grep '^points:' sales/2026/11/"$r1".yaml)"
r2=$(crm sale refund "$s1" --item "Book x 1" -m "the other" 2>/dev/null)
expect_eq "last refund" "points: -10" "$(grep '^points:' sales/2026/11/"$r2".yaml)"
run crm contact show "$lena" --format json
expect_rc 0
expect_eq "balance" "0" "$(jq '.computed.points' <<<"$out")"

finish
