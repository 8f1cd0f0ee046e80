#!/usr/bin/env bash
# crm sale record / show / list / void / refund: the exact files written (items with
# product_id when a product matched, totals, discount, cost and margin, credit terms),
# exact money (half-even rounding once per line, JPY and KWD decimals), bad input
# refused with nothing written, void and refund rules, and the return feedback a
# refund writes.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

new_ws ws --region RO
cd ws || exit 2

suffix='[a-km-np-z2-9]{4}'
ana=$(crm contact add "Ana Popescu" --email ana@example.ro)
mara=$(crm contact add "Mara Dobre")
audit=$(crm product add "Website audit" --sku WA-1 --price 40 --cost 10)
gift=$(crm product add "Gift box" --price 1500 --currency JPY)

# sale_file ID: where the sale or refund ID lives (sales/YYYY/MM/ID.yaml).
sale_file() { printf 'sales/%s/%s/%s.yaml' "${1:0:4}" "${1:5:2}" "$1"; }

# yamls DIR: the record files under DIR, sorted, one a line.
yamls() { find "$1" -name '*.yaml' | LC_ALL=C sort; }

# ---------------------------------------------------------------- record

t "record prints the new id: date, 'sale', the contact's slug and 4 characters"
run crm sale record ana@example.ro --item "Website audit x 2.5" --item "Hosting x 3 @ 0.10" \
  --discount 10% --paid-by credit -m "first job"
expect_rc 0
expect_err ""
expect_out_match "2026-11-25-sale-ana-popescu-$suffix"
s1=${out%$'\n'}

t "the file: price and cost from the product, 0.10 x 3 exactly 0.30, 10% of 100.30 is 10.03, net30"
expect_file_eq "sales/2026/11/$s1.yaml" <<EOF
id: $s1
contact: $ana
at: 2026-11-25T10:00:00+02:00
status: completed
currency: EUR
items:
  - product: Website audit
    product_id: $audit
    quantity: "2.5"
    price: "40.00"
    cost: "10.00"
    total: "100.00"
  - product: Hosting
    quantity: "3"
    price: "0.10"
    total: "0.30"
subtotal: "100.30"
discount: 10%
discount_amount: "10.03"
total: "90.27"
paid_by: credit
terms: net30
due: "2026-12-25"
notes: first job
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
EOF

t "an item named by SKU with its own price keeps the product's cost; cost and margin when every item has one"
run crm sale record "$ana" --item "WA-1 x 2 @ 35" --item "Pen x 4 @ 2.50 cost 1.20" --paid-by card \
  --campaign "Spring fair" --at 2026-10-03T09:15+02:00
expect_rc 0
expect_err ""
expect_out_match "2026-10-03-sale-ana-popescu-$suffix"
s2=${out%$'\n'}
expect_file_eq "sales/2026/10/$s2.yaml" <<EOF
id: $s2
contact: $ana
at: 2026-10-03T09:15:00+02:00
status: completed
currency: EUR
items:
  - product: Website audit
    product_id: $audit
    quantity: "2"
    price: "35.00"
    cost: "10.00"
    total: "70.00"
  - product: Pen
    quantity: "4"
    price: "2.50"
    cost: "1.20"
    total: "10.00"
subtotal: "80.00"
total: "80.00"
cost: "24.80"
margin: "55.20"
paid_by: card
campaign: Spring fair
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
EOF

t "a product name matches in any case (not by prefix); x QTY defaults to 1"
run crm sale record "$mara" --item "website AUDIT" --paid-by cash
expect_rc 0
s3=${out%$'\n'}
expect_eq "item" "  - product: Website audit
    product_id: $audit
    quantity: \"1\"
    price: \"40.00\"
    cost: \"10.00\"
    total: \"40.00\"" "$(sed -n '/^items:/,/^subtotal:/p' "$(sale_file "$s3")" | sed '1d;$d')"
rm "$(sale_file "$s3")"

t "--campaign naming a campaign record (in any case) stores the campaign's id"
bf=$(crm campaign add "Black Friday" --channel email)
run crm sale record "$mara" --item "Lamp @ 20" --paid-by card --campaign "black friday"
expect_rc 0
expect_eq "campaign line" "campaign: $bf" "$(grep '^campaign:' "$(sale_file "${out%$'\n'}")")"
rm "$(sale_file "${out%$'\n'}")"

t "line totals round half to even, once: 0.05 x 0.5 = 0.02, 0.15 x 0.5 = 0.08, 1.15 x 3 = 3.45"
run crm sale record "$mara" --item "Pen x 0.5 @ 0.05" --item "Clip x 0.5 @ 0.15" --item "Tea x 3 @ 1.15" \
  --paid-by cash --at 2026-11-24
expect_rc 0
expect_err ""
expect_out_match "2026-11-24-sale-mara-dobre-$suffix"
s4=${out%$'\n'}
expect_file_eq "sales/2026/11/$s4.yaml" <<EOF
id: $s4
contact: $mara
at: 2026-11-24T12:00:00+02:00
status: completed
currency: EUR
items:
  - product: Pen
    quantity: "0.5"
    price: "0.05"
    total: "0.02"
  - product: Clip
    quantity: "0.5"
    price: "0.15"
    total: "0.08"
  - product: Tea
    quantity: "3"
    price: "1.15"
    total: "3.45"
subtotal: "3.55"
total: "3.55"
paid_by: cash
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
EOF

t "a percentage discount rounds half to even on the subtotal: 25% of 0.18 is 0.04"
run crm sale record "$mara" --item "Sticker @ 0.18" --discount 25% --paid-by other
expect_rc 0
s5=${out%$'\n'}
expect_eq "totals" 'subtotal: "0.18"
discount: 25%
discount_amount: "0.04"
total: "0.14"
paid_by: other' "$(sed -n '/^subtotal:/,/^paid_by:/p' "$(sale_file "$s5")")"
rm "$(sale_file "$s5")"

t "JPY has no decimals: Gift box x 3 @ 1500 is 4500"
run crm sale record "$ana" --item "Gift box x 3 @ 1500" --currency JPY --paid-by paypal
expect_rc 0
expect_err ""
s6=${out%$'\n'}
expect_file_eq "$(sale_file "$s6")" <<EOF
id: $s6
contact: $ana
at: 2026-11-25T10:00:00+02:00
status: completed
currency: JPY
items:
  - product: Gift box
    product_id: $gift
    quantity: "3"
    price: "1500"
    total: "4500"
subtotal: "4500"
total: "4500"
paid_by: paypal
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
EOF

t "a JPY product's price is used for a JPY sale when @ PRICE is left out"
run crm sale record "$ana" --item "Gift box x 2" --currency JPY
expect_rc 0
expect_eq "totals" 'subtotal: "3000"
total: "3000"' "$(grep -E '^(subtotal|total):' "$(sale_file "${out%$'\n'}")")"
rm "$(sale_file "${out%$'\n'}")"

t "KWD has 3 decimals: x 3 @ 1.255 is 3.765; an amount discount of 0.5 is 0.500"
run crm sale record "$mara" --item "Dinar box x 3 @ 1.255" --currency KWD --discount 0.5 --paid-by check
expect_rc 0
s7=${out%$'\n'}
expect_file_eq "$(sale_file "$s7")" <<EOF
id: $s7
contact: $mara
at: 2026-11-25T10:00:00+02:00
status: completed
currency: KWD
items:
  - product: Dinar box
    quantity: "3"
    price: "1.255"
    total: "3.765"
subtotal: "3.765"
discount: "0.5"
discount_amount: "0.500"
total: "3.265"
paid_by: check
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
EOF

t "--terms due:DATE alone makes it a sale on credit with that due date"
run crm sale record "$mara" --item "Repair @ 120" --terms due:2026-12-31 --at 2026-11-20
expect_rc 0
s8=${out%$'\n'}
expect_eq "credit lines" 'total: "120.00"
paid_by: credit
terms: due:2026-12-31
due: "2026-12-31"' "$(sed -n '/^total:/,/^due:/p' "$(sale_file "$s8")")"

t "net30 counts 30 days from the sale's day, across the year"
run crm sale record "$mara" --item "Repair @ 80" --paid-by credit --terms net30 --at 2026-12-15T18:00+02:00
expect_rc 0
expect_out_match "2026-12-15-sale-mara-dobre-$suffix"
s9=${out%$'\n'}
expect_eq "credit lines" 'paid_by: credit
terms: net30
due: "2027-01-14"' "$(sed -n '/^paid_by:/,/^due:/p' "$(sale_file "$s9")")"

t "an amount discount is taken off the subtotal as it is"
run crm sale record "$ana" --item "Lamp x 2 @ 20" --discount 5 --paid-by bank-transfer --at 2026-11-23
expect_rc 0
s10=${out%$'\n'}
expect_eq "totals" 'subtotal: "40.00"
discount: "5"
discount_amount: "5.00"
total: "35.00"
paid_by: bank-transfer' "$(sed -n '/^subtotal:/,/^paid_by:/p' "$(sale_file "$s10")")"

# ---------------------------------------------------------------- bad input

snapshot .

t "--terms with --paid-by card is a usage error (exit 2), nothing written"
run crm sale record "$ana" --item "Lamp @ 20" --paid-by card --terms net30
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: --terms is for sales on credit
hint: add --paid-by credit, or leave out --terms
EOF
expect_unchanged .

t "an unknown currency: exit 3"
run crm sale record "$ana" --item "Lamp @ 20" --currency XYZ
expect_rc 3
expect_out ""
expect_err <<'EOF'
crm: unknown currency 'XYZ'
hint: use an ISO 4217 code in capitals, such as EUR, USD, GBP, JPY, KWD
EOF
expect_unchanged .

t "a negative quantity: exit 3, refunds are another command"
run crm sale record "$ana" --item "Lamp x -2 @ 20"
expect_rc 3
expect_out ""
expect_err <<'EOF'
crm: bad --item 'Lamp x -2 @ 20': quantity '-2' is not more than 0
hint: refunds and returns are 'crm sale refund SALE'
EOF
expect_unchanged .

t "a quantity of 0, a quantity that is no number, an item with no product"
run crm sale record "$ana" --item "Lamp x 0 @ 20"
expect_rc 3
expect_err <<'EOF'
crm: bad --item 'Lamp x 0 @ 20': quantity '0' is not more than 0
hint: refunds and returns are 'crm sale refund SALE'
EOF
run crm sale record "$ana" --item "Lamp x two @ 20"
expect_rc 3
expect_err <<'EOF'
crm: bad --item 'Lamp x two @ 20': bad quantity 'two'
hint: a quantity is a number such as 2 or 2.5
EOF
run crm sale record "$ana" --item "x 2 @ 20"
expect_rc 3
expect_err <<'EOF'
crm: bad --item 'x 2 @ 20': no product
hint: write it as "PRODUCT x QTY @ PRICE" (x QTY and @ PRICE may be left out)
EOF
expect_unchanged .

t "a price written 12,5: exit 3"
run crm sale record "$ana" --item "Lamp x 2 @ 12,5"
expect_rc 3
expect_out ""
expect_err <<'EOF'
crm: bad price '12,5' in --item 'Lamp' (use a dot as decimal separator: 12.5)
hint: expected an amount of EUR with at most 2 decimals
EOF
expect_unchanged .

t "a price with more decimals than the currency has: 12.5 JPY, 12.555 EUR"
run crm sale record "$ana" --item "Gift x 1 @ 12.5" --currency JPY
expect_rc 3
expect_out ""
expect_err <<'EOF'
crm: bad price '12.5' in --item 'Gift'
hint: expected a whole number of JPY
EOF
run crm sale record "$ana" --item "Lamp @ 12.555"
expect_rc 3
expect_err <<'EOF'
crm: bad price '12.555' in --item 'Lamp'
hint: expected an amount of EUR with at most 2 decimals
EOF
expect_unchanged .

t "an unknown contact: exit 1"
run crm sale record nobody@example.ro --item "Lamp @ 20"
expect_rc 1
expect_out ""
expect_err <<'EOF'
crm: no contact matches 'nobody@example.ro'
hint: a REF is an id, an id prefix, an email, a phone or an exact name; 'crm contact list' shows them all
EOF
expect_unchanged .

t "no price and no product to take it from: exit 3"
run crm sale record "$ana" --item "Lamp x 2"
expect_rc 3
expect_out ""
expect_err <<'EOF'
crm: no price for 'Lamp'
hint: give it: --item "Lamp x 2 @ PRICE"
hint: or add the product with its price: crm product add NAME --price PRICE
EOF
expect_unchanged .

t "a product priced in EUR does not price a USD sale"
run crm sale record "$ana" --item "Website audit x 2" --currency USD
expect_rc 3
expect_out ""
expect_err <<'EOF'
crm: product 'Website audit' is priced in EUR, not USD
hint: give the price: --item "Website audit x 2 @ PRICE"
EOF
expect_unchanged .

t "a bad --paid-by, a bad --terms, a discount over the subtotal, a bad --at"
run crm sale record "$ana" --item "Lamp @ 20" --paid-by bitcoin
expect_rc 3
expect_err <<'EOF'
crm: bad --paid-by 'bitcoin'
hint: use one of: card, cash, check, paypal, bank-transfer, other, credit
EOF
run crm sale record "$ana" --item "Lamp @ 20" --terms net
expect_rc 3
expect_err <<'EOF'
crm: bad --terms 'net'
hint: use netN (net30: 30 days after the sale) or due:YYYY-MM-DD
EOF
run crm sale record "$ana" --item "Lamp @ 20" --discount 21
expect_rc 3
expect_err "crm: bad discount '21' (expected a percentage such as 10% or an amount up to the subtotal 20.00)"
run crm sale record "$ana" --item "Lamp @ 20" --discount 101%
expect_rc 3
expect_err "crm: bad discount '101%' (expected a percentage such as 10% or an amount up to the subtotal 20.00)"
run crm sale record "$ana" --item "Lamp @ 20" --at someday
expect_rc 3
expect_err <<'EOF'
crm: bad --at 'someday'
hint: use a date (2026-11-22), a date and time (2026-11-22T15:30), today, tomorrow,
hint: +3d, -2w, +1m, +4h, monday or next monday
EOF
expect_unchanged .

t "--item is required: exit 2"
run crm sale record "$ana"
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: --item is required
hint: see 'crm sale record -h'
EOF
expect_unchanged .

# ---------------------------------------------------------------- show

t "show: a card with the items; a sale on credit with its computed paid and balance"
run crm sale show "$s1"
expect_rc 0
expect_err ""
expect_out <<EOF
$s1
  contact          Ana Popescu ($ana)
  at               2026-11-25T10:00:00+02:00
  status           completed
  currency         EUR
  items            Website audit x 2.5 @ 40.00 = 100.00 (cost 10.00)
                   Hosting x 3 @ 0.10 = 0.30
  subtotal         100.30
  discount         10%
  discount_amount  10.03
  total            90.27
  paid_by          credit
  terms            net30
  due              2026-12-25
  notes            first job
  created          2026-11-25T10:00:00+02:00
  updated          2026-11-25T10:00:00+02:00
  contact_name     Ana Popescu
  paid             0.00
  balance          90.27
EOF

t "show --format json: the record, then paid and balance under computed"
crm payment record "$s1" --amount 40.27 --at 2026-11-30 >/dev/null 2>&1
run crm sale show "$s1" --format json
expect_rc 0
expect_out_contains $'  "notes": "first job",\n  "created": "2026-11-25T10:00:00+02:00",\n  "updated": "2026-11-25T10:00:00+02:00",\n  "computed": {\n    "contact_name": "Ana Popescu",\n    "paid": "40.27",\n    "balance": "50.00"\n  }\n}'
expect_out_contains $'  "discount_amount": "10.03",\n  "total": "90.27",\n'

t "a sale paid by card shows no paid or balance"
run crm sale show "$s2" --format json
expect_rc 0
expect_out_contains $'  "computed": {\n    "contact_name": "Ana Popescu"\n  }\n}'

t "show an unknown sale: exit 1"
run crm sale show 2026-01-01-sale-nobody
expect_rc 1
expect_out ""
expect_err <<'EOF'
crm: no sale matches '2026-01-01-sale-nobody'
hint: give its id or an id prefix; 'crm sale list' shows them all
EOF

# ---------------------------------------------------------------- list and void

cd "$TEST_ROOT" || exit 2
new_ws lst --region RO
cd lst || exit 2
radu=$(crm contact add "Radu Ene" --email radu@ene.ro)
ioana=$(crm contact add "Ioana Marin")
l1=$(crm sale record radu@ene.ro --item "Chair x 2 @ 45" --paid-by card --at 2026-11-20T10:00+02:00)
l2=$(crm sale record "$ioana" --item "Table @ 300" --paid-by credit --at 2026-11-21T11:00+02:00)
l3=$(crm sale record "$radu" --item "Lamp @ 19.99" --at 2026-11-22T12:30+02:00)
l4=$(crm sale record "$ioana" --item "Gift x 2 @ 1500" --currency JPY --paid-by cash --at 2026-11-23T09:00+02:00)

t "list: newest first, tsv with id, at, contact_name, total, currency, paid_by, status"
run crm sale list
expect_rc 0
expect_err ""
expect_out <<EOF
id	at	contact_name	total	currency	paid_by	status
$l4	2026-11-23T09:00:00+02:00	Ioana Marin	3000	JPY	cash	completed
$l3	2026-11-22T12:30:00+02:00	Radu Ene	19.99	EUR		completed
$l2	2026-11-21T11:00:00+02:00	Ioana Marin	300.00	EUR	credit	completed
$l1	2026-11-20T10:00:00+02:00	Radu Ene	90.00	EUR	card	completed
EOF

t "list --contact REF: one customer's sales"
run crm sale list --contact radu@ene.ro
expect_rc 0
expect_out <<EOF
id	at	contact_name	total	currency	paid_by	status
$l3	2026-11-22T12:30:00+02:00	Radu Ene	19.99	EUR		completed
$l1	2026-11-20T10:00:00+02:00	Radu Ene	90.00	EUR	card	completed
EOF

t "list --paid-by credit, --format ids"
run crm sale list --paid-by credit --format ids
expect_rc 0
expect_out "$l2"

t "list --status void finds nothing yet: exit 1"
run crm sale list --status void --format ids
expect_rc 1
expect_out ""

t "void: status void, voided_at and void_reason written, 'voided ID' on stderr"
CRM_NOW=2026-11-26T08:30:00+02:00 run crm sale void "$l3" -m "entered twice"
expect_rc 0
expect_out ""
expect_err "voided $l3"
expect_file_eq "sales/2026/11/$l3.yaml" <<EOF
id: $l3
contact: $radu
at: 2026-11-22T12:30:00+02:00
status: void
currency: EUR
items:
  - product: Lamp
    quantity: "1"
    price: "19.99"
    total: "19.99"
subtotal: "19.99"
total: "19.99"
voided_at: 2026-11-26T08:30:00+02:00
void_reason: entered twice
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-26T08:30:00+02:00
EOF

t "list --status void and --status completed"
run crm sale list --status void
expect_rc 0
expect_out <<EOF
id	at	contact_name	total	currency	paid_by	status
$l3	2026-11-22T12:30:00+02:00	Radu Ene	19.99	EUR		void
EOF
run crm sale list --status completed --contact "$radu" --format ids
expect_rc 0
expect_out "$l1"

t "list --format json: whole records"
run crm sale list --contact "$radu" --status completed --format json
expect_rc 0
expect_out <<EOF
[
  {
    "id": "$l1",
    "contact": "$radu",
    "at": "2026-11-20T10:00:00+02:00",
    "status": "completed",
    "currency": "EUR",
    "items": [
      {
        "product": "Chair",
        "quantity": "2",
        "price": "45.00",
        "total": "90.00"
      }
    ],
    "subtotal": "90.00",
    "total": "90.00",
    "paid_by": "card",
    "created": "2026-11-25T10:00:00+02:00",
    "updated": "2026-11-25T10:00:00+02:00"
  }
]
EOF

t "voiding twice is a conflict (exit 4), nothing written"
snapshot .
run crm sale void "$l3" -m "again"
expect_rc 4
expect_out ""
expect_err <<EOF
crm: sale '$l3' is already void
hint: it was voided on 2026-11-26T08:30:00+02:00
EOF
expect_unchanged .

t "a sale with payments cannot be voided (exit 4)"
crm payment record "$l2" --amount 100 >/dev/null 2>&1
snapshot .
run crm sale void "$l2" -m "mistake"
expect_rc 4
expect_out ""
expect_err <<EOF
crm: sale '$l2' has payments; it cannot be voided
hint: refund it instead: crm sale refund $l2
EOF
expect_unchanged .

t "a void sale cannot be refunded (exit 4)"
run crm sale refund "$l3" -m "x"
expect_rc 4
expect_out ""
expect_err "crm: sale '$l3' is void; there is nothing to refund"
expect_unchanged .

# ---------------------------------------------------------------- refund

cd "$TEST_ROOT" || exit 2
new_ws ref --region RO
cd ref || exit 2
elena=$(crm contact add "Elena Stan" --email elena@stan.ro)
mug=$(crm product add "Mug" --price 12.50 --cost 4)
r1=$(crm sale record elena@stan.ro --item "Mug x 4" --item "Teapot x 1 @ 60" --discount 10% --paid-by card \
  --campaign "Autumn" --at 2026-11-20T10:00+02:00 -m "shop sale")

t "the original: 4 x 12.50 + 60 = 110.00, 10% off is 11.00, total 99.00"
expect_eq "totals" 'subtotal: "110.00"
discount: 10%
discount_amount: "11.00"
total: "99.00"' "$(sed -n '/^subtotal:/,/^total:/p' "$(sale_file "$r1")")"

t "refund one item in part: a negative sale at the original price, the percentage discount carried over"
CRM_NOW=2026-11-26T09:00:00+02:00 run crm sale refund "$r1" --item "mug x 1" -m "chipped handle"
expect_rc 0
expect_out_match "2026-11-26-refund-elena-stan-$suffix"
rf1=${out%$'\n'}
expect_err_match "feedback (2026-11-26-return-elena-stan-$suffix)"
fb1=${BASH_REMATCH[1]}
expect_file_eq "sales/2026/11/$rf1.yaml" <<EOF
id: $rf1
contact: $elena
at: 2026-11-26T09:00:00+02:00
status: completed
currency: EUR
items:
  - product: Mug
    product_id: $mug
    quantity: "-1"
    price: "12.50"
    cost: "4.00"
    total: "-12.50"
subtotal: "-12.50"
discount: 10%
discount_amount: "-1.25"
total: "-11.25"
cost: "-4.00"
margin: "-7.25"
paid_by: card
campaign: Autumn
refund_of: $r1
feedback: $fb1
notes: chipped handle
created: 2026-11-26T09:00:00+02:00
updated: 2026-11-26T09:00:00+02:00
EOF

t "without --feedback a return is recorded, naming the sale and the product"
expect_file_eq "feedback/2026/11/$fb1.yaml" <<EOF
id: $fb1
kind: return
contact: $elena
at: 2026-11-26T09:00:00+02:00
product: Mug
sale: $r1
summary: chipped handle
status: open
created: 2026-11-26T09:00:00+02:00
updated: 2026-11-26T09:00:00+02:00
EOF

t "show of the original: what was refunded, under computed"
run crm sale show "$r1" --format json
expect_rc 0
expect_out_contains $'  "computed": {\n    "contact_name": "Elena Stan",\n    "refunded": "-11.25"\n  }\n}'

t "a refund without a reason and without --feedback is a usage error (exit 2), nothing written"
snapshot .
run crm sale refund "$r1" --item "Mug x 1"
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: a refund needs a reason
hint: give it with -m TEXT, or link feedback with --feedback ID
EOF
expect_unchanged .

t "refunding more of an item than is left (after the earlier refund): exit 3"
run crm sale refund "$r1" --item "Mug x 4" -m "all of them"
expect_rc 3
expect_out ""
expect_err "crm: cannot refund 4 of 'Mug': 3 left of what the sale had"
expect_unchanged .

t "an item the sale does not have: exit 3 with its items"
run crm sale refund "$r1" --item "Saucer x 1" -m "x"
expect_rc 3
expect_out ""
expect_err <<EOF
crm: sale '$r1' has no item 'Saucer'
hint: its items: Mug, Teapot
EOF
expect_unchanged .

t "a whole refund after a partial one is refused (exit 4)"
run crm sale refund "$r1" -m "everything"
expect_rc 4
expect_out ""
expect_err <<EOF
crm: sale '$r1' is already partly refunded
hint: name what goes back: --item "PRODUCT x QTY"
EOF
expect_unchanged .

t "a sale with refunds cannot be voided (exit 4)"
run crm sale void "$r1" -m "x"
expect_rc 4
expect_out ""
expect_err <<EOF
crm: sale '$r1' has refunds; it cannot be voided
hint: void its refunds first ('crm sale list --format json' shows them under refund_of)
EOF
expect_unchanged .

t "a refund cannot itself be refunded (exit 3)"
run crm sale refund "$rf1" -m "x"
expect_rc 3
expect_out ""
expect_err <<EOF
crm: '$rf1' is itself a refund
hint: refund the original sale: $r1
EOF
expect_unchanged .

t "--feedback links a complaint already recorded: no new feedback"
fb_c=$(crm feedback add "$elena" --kind complaint -m "the teapot leaks")
CRM_NOW=2026-11-27T15:00:00+02:00 run crm sale refund "$r1" --item "Teapot" --feedback "$fb_c"
expect_rc 0
expect_err ""
rf2=${out%$'\n'}
expect_match "id" "2026-11-27-refund-elena-stan-$suffix" "$rf2"
expect_file_eq "sales/2026/11/$rf2.yaml" <<EOF
id: $rf2
contact: $elena
at: 2026-11-27T15:00:00+02:00
status: completed
currency: EUR
items:
  - product: Teapot
    quantity: "-1"
    price: "60.00"
    total: "-60.00"
subtotal: "-60.00"
discount: 10%
discount_amount: "-6.00"
total: "-54.00"
paid_by: card
campaign: Autumn
refund_of: $r1
feedback: $fb_c
created: 2026-11-27T15:00:00+02:00
updated: 2026-11-27T15:00:00+02:00
EOF
expect_eq "feedback files" "$(printf 'feedback/2026/11/%s.yaml\n' "$fb1" "$fb_c" | LC_ALL=C sort)" "$(yamls feedback)"

t "a whole refund copies every line with negative quantities"
r2=$(crm sale record "$elena" --item "Mug x 2.5" --item "Spoon x 3 @ 0.10" --paid-by cash --at 2026-11-21)
run crm sale refund "$r2" -m "wrong order"
expect_rc 0
rf3=${out%$'\n'}
expect_err_match "feedback (2026-11-25-return-elena-stan-$suffix)"
fb3=${BASH_REMATCH[1]}
expect_file_eq "$(sale_file "$rf3")" <<EOF
id: $rf3
contact: $elena
at: 2026-11-25T10:00:00+02:00
status: completed
currency: EUR
items:
  - product: Mug
    product_id: $mug
    quantity: "-2.5"
    price: "12.50"
    cost: "4.00"
    total: "-31.25"
  - product: Spoon
    quantity: "-3"
    price: "0.10"
    total: "-0.30"
subtotal: "-31.55"
total: "-31.55"
paid_by: cash
refund_of: $r2
feedback: $fb3
notes: wrong order
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
EOF

t "the refund that takes back the last of the goods takes back what is left of the money (an amount discount)"
r3=$(crm sale record "$elena" --item "Vase @ 10" --discount 5 --paid-by card)
run crm sale refund "$r3" --item "Vase x 1" -m "broken"
expect_rc 0
r3b=${out%$'\n'}
expect_eq "amounts" 'subtotal: "-10.00"
discount: "5.00"
discount_amount: "-5.00"
total: "-5.00"' "$(grep -E '^(subtotal|discount|discount_amount|total):' "sales/2026/11/$r3b.yaml")"
snapshot .
run crm sale refund "$r3" --item "Vase x 1" -m "again"
expect_rc 3
expect_out ""
expect_err "crm: cannot refund 1 of 'Vase': 0 left of what the sale had"
expect_unchanged .

t "refund an unknown sale: exit 1"
snapshot .
run crm sale refund 2026-01-01-sale-nobody -m "x"
expect_rc 1
expect_out ""
expect_err <<'EOF'
crm: no sale matches '2026-01-01-sale-nobody'
hint: give its id or an id prefix; 'crm sale list' shows them all
EOF
expect_unchanged .

t "a 10% discount refunded one item at a time: the last refund takes back exactly what is left"
r4=$(crm sale record "$elena" --item "Mug x 2 @ 12.25" --discount 10% --paid-by card)
expect_eq "sale total" 'total: "22.05"' "$(grep '^total:' "sales/2026/11/$r4.yaml")"
first=$(crm sale refund "$r4" --item "Mug x 1" -m one 2>/dev/null)
expect_eq "first refund" 'total: "-11.03"' "$(grep '^total:' "sales/2026/11/$first.yaml")"
run crm sale refund "$r4" --item "Mug x 1" -m two
expect_rc 0
second=${out%$'\n'}
expect_eq "second refund" 'discount: "1.23"
total: "-11.02"' "$(grep -E '^(discount|total):' "sales/2026/11/$second.yaml")"

# ---------------------------------------------------------------- margins, the first sale

t "margin is a contact field: items with a cost count (the product's cost when only a price is given)"
cd "$TEST_ROOT" || exit 2
new_ws shop --region RO
cd shop || exit 2
crm product add "Lamp" --price 30 --cost 12 --category light >/dev/null
crm product add "Mug" --category kitchen >/dev/null
ion=$(crm contact add "Ion Rusu" --stage prospect)
eva=$(crm contact add "Eva Lungu")
dan=$(crm contact add "Dan Popa")
crm sale record "$ion" --item "Lamp @ 40" --item "Mug @ 10" --discount 10% --at 2026-11-20T09:00+02:00 >/dev/null
crm sale record "$eva" --item "Pen x 2 @ 3 cost 1" >/dev/null
crm sale record "$dan" --item "Mug @ 10" >/dev/null
run crm contact list --fields name,revenue,margin --sort -margin
expect_rc 0
expect_err ""
expect_out <<'EOF'
name	revenue	margin
Ion Rusu	45.00	24.00
Eva Lungu	6.00	4.00
Dan Popa	10.00	
EOF
run crm contact list --where "margin > 10" --format ids
expect_rc 0
expect_out "$ion"
run crm contact show "$ion" --format json
expect_rc 0
expect_eq "computed margin" '"margin": "24.00",' "$(grep -o '"margin": "[^"]*",' <<<"$out")"

t "report revenue --by product: margin beside revenue, and how much revenue has no cost"
run crm report revenue --by product --format tsv
expect_rc 0
expect_out <<'EOF'
product	orders	revenue	margin	without_cost
Lamp	1	36.00	24.00	0.00
Mug	2	19.00		19.00
Pen	1	6.00	4.00	0.00
EOF
run crm report revenue --by category --format json
expect_rc 0
expect_eq "totals" '  "margin": "28.00",
  "without_cost": "19.00",' "$(grep -E '^  "(margin|without_cost)"' <<<"$out")"

t "report top --by margin says how much revenue has no cost"
run crm report top --by margin --format json
expect_rc 0
expect_eq "totals" '  "total": "28.00",
  "without_cost": "19.00",' "$(grep -E '^  "(total|without_cost)"' <<<"$out")"

t "the first completed sale made each contact a customer, a stage change dated by the sale"
run crm contact list --fields name,stage
expect_rc 0
expect_out <<'EOF'
name	stage
Dan Popa	customer
Eva Lungu	customer
Ion Rusu	customer
EOF
run crm activity list --contact "$ion" --fields at,kind,summary
expect_rc 0
expect_out <<'EOF'
at	kind	summary
2026-11-25T10:00:00+02:00	stage	stage: prospect
2026-11-20T09:00:00+02:00	stage	stage: prospect -> customer
EOF

t "report leads lists no one who has bought"
crm contact add "Lia Voda" --stage lead >/dev/null
crm contact set "$eva" stage=lead >/dev/null
run crm report leads --format tsv
expect_rc 0
expect_out <<'EOF'
name	stage	source	score	rules
Lia Voda	lead		0	
EOF

t "sales.first_sale_stage: off leaves the stage alone"
sed -i 's/^  first_sale_stage: customer$/  first_sale_stage: off/' .crm/config.yaml
crm sale record "Lia Voda" --item "Mug @ 10" >/dev/null
run crm contact list --fields name,stage --where "stage = lead"
expect_rc 0
expect_out <<'EOF'
name	stage
Eva Lungu	lead
Lia Voda	lead
EOF

t "a first_sale_stage that is not a stage: exit 3 naming config.yaml and the line"
sed -i 's/^  first_sale_stage: off$/  first_sale_stage: client/' .crm/config.yaml
run crm contact list
expect_rc 3
expect_out ""
expect_err "crm: $TEST_ROOT/shop/.crm/config.yaml:21: bad sales.first_sale_stage (expected off or one of: lead, prospect, customer, inactive, lost) 'client'"

finish
