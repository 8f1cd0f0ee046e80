#!/usr/bin/env bash
# crm product add / list / show / set / edit / rm: the exact files (price and cost
# normalized to the currency's decimals, the workspace currency by default), amounts
# the currency cannot hold refused with nothing written, currency changes checked
# against the amounts, and how a sale finds a product (name, id, SKU; ambiguity).
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

new_ws ws --region RO --currency RON
cd ws || exit 2

suffix='[a-km-np-z2-9]{4}'
later=2026-11-26T08:30:00+02:00

# ---------------------------------------------------------------- add

t "add prints the new id: the name's slug and 4 characters"
run crm product add "Website audit" --sku WA-1 --price 40 --cost 10 --category services --unit hour
expect_rc 0
expect_err ""
expect_out_match "website-audit-$suffix"
audit=${out%$'\n'}

t "the file: price \"40\" stored as \"40.00\", in the workspace currency (RON)"
expect_file_eq "products/$audit.yaml" <<EOF
id: $audit
name: Website audit
sku: WA-1
category: services
unit: hour
currency: RON
price: "40.00"
cost: "10.00"
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
EOF

t "--currency JPY: a whole price stays whole"
run crm product add "Gift box" --price 1500 --currency JPY
expect_rc 0
gift=${out%$'\n'}
expect_file_eq "products/$gift.yaml" <<EOF
id: $gift
name: Gift box
currency: JPY
price: "1500"
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
EOF

t "--currency KWD: three decimals, 1.5 is 1.500 and 0.125 stays"
run crm product add "Dinar tea" --price 1.5 --cost 0.125 --currency KWD
expect_rc 0
tea=${out%$'\n'}
expect_file_eq "products/$tea.yaml" <<EOF
id: $tea
name: Dinar tea
currency: KWD
price: "1.500"
cost: "0.125"
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
EOF

t "a product without a price still names its currency"
run crm product add "Consulting" --unit hour
expect_rc 0
consult=${out%$'\n'}
expect_file_eq "products/$consult.yaml" <<EOF
id: $consult
name: Consulting
unit: hour
currency: RON
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
EOF

snapshot .

t "a price written 12,5: exit 3, nothing written"
run crm product add "Mug" --price 12,5
expect_rc 3
expect_out ""
expect_err "crm: bad price '12,5' (use a dot as decimal separator: 12.5)"
expect_unchanged .

t "a JPY price with decimals: exit 3"
run crm product add "Mug" --price 12.5 --currency JPY
expect_rc 3
expect_out ""
expect_err "crm: bad price '12.5' (no decimals for JPY)"
expect_unchanged .

t "more decimals than the currency has: 4.555 RON, a KWD cost of 0.1255"
run crm product add "Mug" --price 4.555
expect_rc 3
expect_err "crm: bad price '4.555' (at most 2 decimals for RON)"
run crm product add "Mug" --price 1 --cost 0.1255 --currency KWD
expect_rc 3
expect_err "crm: bad cost '0.1255' (at most 3 decimals for KWD)"
expect_unchanged .

t "an unknown or lower-case currency: exit 3"
run crm product add "Mug" --price 4 --currency XYZ
expect_rc 3
expect_out ""
expect_err "crm: unknown currency 'XYZ' (expected an ISO 4217 code such as EUR, USD or JPY)"
run crm product add "Mug" --price 4 --currency usd
expect_rc 3
expect_err "crm: unknown currency 'usd' (expected an ISO 4217 code such as EUR, USD or JPY)"
expect_unchanged .

t "an empty name: exit 3"
run crm product add "  "
expect_rc 3
expect_out ""
expect_err "crm: a product needs a name"
expect_unchanged .

# ---------------------------------------------------------------- list and show

t "list: id, name, sku, category, price, currency"
run crm product list
expect_rc 0
expect_err ""
expect_out <<EOF
id	name	sku	category	price	currency
$consult	Consulting				RON
$tea	Dinar tea			1.500	KWD
$gift	Gift box			1500	JPY
$audit	Website audit	WA-1	services	40.00	RON
EOF

t "list --fields and --format json"
run crm product list --fields name,unit,cost --format json
expect_rc 0
expect_out <<'EOF'
[
  {
    "name": "Consulting",
    "unit": "hour"
  },
  {
    "name": "Dinar tea",
    "cost": "0.125"
  },
  {
    "name": "Gift box"
  },
  {
    "name": "Website audit",
    "unit": "hour",
    "cost": "10.00"
  }
]
EOF

t "show by exact name, in any case: a card"
run crm product show "website AUDIT"
expect_rc 0
expect_err ""
expect_out <<EOF
Website audit
  id        $audit
  sku       WA-1
  category  services
  unit      hour
  currency  RON
  price     40.00
  cost      10.00
  created   2026-11-25T10:00:00+02:00
  updated   2026-11-25T10:00:00+02:00
EOF

t "show --format yaml is the record"
run crm product show "$tea" --format yaml
expect_rc 0
expect_out "$(cat "products/$tea.yaml")"

t "show an unknown product: exit 1"
run crm product show "Teapot"
expect_rc 1
expect_out ""
expect_err <<'EOF'
crm: no product matches 'Teapot'
hint: give its id or an id prefix; 'crm product list' shows them all
EOF

# ---------------------------------------------------------------- set and edit

t "set price=45.5: normalized to 45.50, updated stamped"
CRM_NOW=$later run crm product set "$audit" price=45.5
expect_rc 0
expect_out ""
expect_err ""
expect_file_eq "products/$audit.yaml" <<EOF
id: $audit
name: Website audit
sku: WA-1
category: services
unit: hour
currency: RON
price: "45.50"
cost: "10.00"
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-26T08:30:00+02:00
EOF

t "set price=12,5: exit 3, the file unchanged"
snapshot .
run crm product set "$audit" price=12,5
expect_rc 3
expect_out ""
expect_err "crm: bad price '12,5' (use a dot as decimal separator: 12.5)"
expect_unchanged .

t "set currency=JPY while the price has decimals: exit 3, unchanged"
run crm product set "$audit" currency=JPY
expect_rc 3
expect_out ""
expect_err <<'EOF'
crm: bad price '45.50' (no decimals for JPY)
hint: bad cost '10.00' (no decimals for JPY)
EOF
expect_unchanged .

t "set currency= : a product keeps a currency (exit 3)"
run crm product set "$audit" currency=
expect_rc 3
expect_err "crm: 'currency' cannot be empty"
expect_unchanged .

t "set currency=KWD: the amounts are rewritten with 3 decimals"
CRM_NOW=$later run crm product set "$audit" currency=KWD
expect_rc 0
expect_eq "amounts" 'currency: KWD
price: "45.500"
cost: "10.000"' "$(grep -E '^(currency|price|cost):' "products/$audit.yaml")"

t "set cost= unsets, and a price with its currency in one go"
CRM_NOW=$later run crm product set "$audit" cost= currency=RON price=48
expect_rc 0
expect_file_eq "products/$audit.yaml" <<EOF
id: $audit
name: Website audit
sku: WA-1
category: services
unit: hour
currency: RON
price: "48.00"
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-26T08:30:00+02:00
EOF

t "edit: a JPY price with decimals is refused with file:line, the file unchanged"
snapshot .
EDITOR="sed -i s/^price:.*/price:\\ \"1500.5\"/" run crm product edit "$gift"
expect_rc 3
expect_out ""
expect_err <<EOF
crm: products/$gift.yaml:4: bad price '1500.5' (no decimals for JPY)
hint: nothing was changed
EOF
expect_unchanged .

t "edit: a good price is saved"
EDITOR="sed -i s/^price:.*/price:\\ \"1800\"/" CRM_NOW=$later run crm product edit "$gift"
expect_rc 0
expect_out ""
expect_file_eq "products/$gift.yaml" <<EOF
id: $gift
name: Gift box
currency: JPY
price: "1800"
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-26T08:30:00+02:00
EOF

# ---------------------------------------------------------------- products in sales

ana=$(crm contact add "Ana Popescu")

t "a sale finds a product by SKU and takes its price and cost"
crm product set "$audit" cost=12 >/dev/null
run crm sale record "$ana" --item "WA-1 x 2"
expect_rc 0
expect_eq "item" "  - product: Website audit
    product_id: $audit
    quantity: \"2\"
    price: \"48.00\"
    cost: \"12.00\"
    total: \"96.00\"" "$(sed -n '/^items:/,/^subtotal:/p' "sales/2026/11/${out%$'\n'}.yaml" | sed '1d;$d')"

t "by id, in the product's currency"
run crm sale record "$ana" --item "$gift x 2" --currency JPY
expect_rc 0
expect_eq "item and totals" "  - product: Gift box
    product_id: $gift
    quantity: \"2\"
    price: \"1800\"
    total: \"3600\"
subtotal: \"3600\"
total: \"3600\"" "$(sed -n '/^items:/,/^total:/p' "sales/2026/11/${out%$'\n'}.yaml" | sed '1d')"

t "two products with one name: the sale is ambiguous (exit 4), nothing written"
dup=$(crm product add "Gift box" --price 20)
snapshot .
run crm sale record "$ana" --item "Gift box x 1"
expect_rc 4
expect_out ""
expect_err <<EOF
crm: item 'Gift box' matches 2 products
hint: name one by its id: $(printf '%s\n' "$gift" "$dup" | LC_ALL=C sort | paste -sd, | sed 's/,/, /')
EOF
expect_unchanged .

t "a product with no price: the sale needs @ PRICE (exit 3), with a hint to set one"
run crm sale record "$ana" --item "Consulting x 3"
expect_rc 3
expect_out ""
expect_err <<EOF
crm: no price for 'Consulting'
hint: give it: --item "Consulting x 3 @ PRICE"
hint: or set one: crm product set $consult price=PRICE
EOF
expect_unchanged .

# ---------------------------------------------------------------- rm

t "rm needs --force off a terminal"
run crm product rm "$dup"
expect_rc 2
expect_out ""
expect_err <<EOF
crm: refusing to remove product '$dup' without --force
hint: stdin is not a terminal, so crm cannot ask; add --force in scripts
EOF
expect_unchanged .

t "rm --force removes the file; the name is no longer ambiguous"
run crm product rm "$dup" --force
expect_rc 0
expect_out ""
expect_err ""
expect_no_file "products/$dup.yaml"
run crm product show "gift box" --format ids
expect_rc 0
expect_out "$gift"

t "a negative price or cost is refused (exit 3), nothing written"
snapshot .
run crm product add "Minus mug" --price -4
expect_rc 3
expect_out ""
expect_err "crm: bad price '-4.00' (a price is not negative)"
run crm product add "Minus mug" --price 4 --cost -1
expect_rc 3
expect_err "crm: bad cost '-1.00' (a cost is not negative)"
expect_unchanged .

finish
