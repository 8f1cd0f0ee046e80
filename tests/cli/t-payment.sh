#!/usr/bin/env bash
# crm payment record / list / show / rm: payments of sales on credit only, what is
# left to pay said after each one, overpayment and amounts the currency cannot hold
# refused with nothing written, refunds lowering what is owed, and the sale's
# computed paid and balance following every payment.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

new_ws ws --region RO
cd ws || exit 2

suffix='[a-km-np-z2-9]{4}'
ana=$(crm contact add "Ana Popescu" --email ana@example.ro)
mara=$(crm contact add "Mara Dobre")
s1=$(crm sale record ana@example.ro --item "Table @ 100" --paid-by credit --at 2026-11-20T10:00+02:00)
card=$(crm sale record "$ana" --item "Chair @ 45" --paid-by card --at 2026-11-21T10:00+02:00)
plain=$(crm sale record "$ana" --item "Lamp @ 20" --at 2026-11-21T11:00+02:00)
yen=$(crm sale record "$mara" --item "Gift x 2 @ 1500" --currency JPY --terms net30 --at 2026-11-22T10:00+02:00)

# balance SALE: the computed paid and balance of a sale, as "paid balance".
balance() {
  crm sale show "$1" --format json |
    sed -n 's/^    "\(paid\|balance\)": "\(.*\)",\{0,1\}$/\2/p' | paste -sd' '
}

# ---------------------------------------------------------------- record

t "a partial payment prints its id; stderr says what is left to pay"
run crm payment record "$s1" --amount 50 --at 2026-11-26T09:30+02:00 --method bank-transfer -m "first half"
expect_rc 0
expect_out_match "2026-11-26-payment-ana-popescu-$suffix"
p1=${out%$'\n'}
expect_err "left to pay: 50.00 EUR"

t "the file: sale, contact, at, the amount in the sale's currency, method and note"
expect_file_eq "payments/2026/11/$p1.yaml" <<EOF
id: $p1
sale: $s1
contact: $ana
at: 2026-11-26T09:30:00+02:00
amount: "50.00"
currency: EUR
method: bank-transfer
notes: first half
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
EOF

t "the sale shows it: paid 50.00, balance 50.00"
expect_eq "paid balance" "50.00 50.00" "$(balance "$s1")"

t "more than is left is invalid data (exit 3) with a hint; nothing written"
snapshot .
run crm payment record "$s1" --amount 50.01
expect_rc 3
expect_out ""
expect_err <<EOF
crm: a payment of 50.01 EUR is more than the 50.00 EUR left to pay on sale '$s1'
hint: record at most 50.00
EOF
expect_unchanged .

t "an amount with more decimals than EUR has, or written 12,5: exit 3"
run crm payment record "$s1" --amount 10.005
expect_rc 3
expect_out ""
expect_err <<'EOF'
crm: bad --amount '10.005'
hint: expected an amount of EUR more than 0 with at most 2 decimals
EOF
run crm payment record "$s1" --amount 12,5
expect_rc 3
expect_err <<'EOF'
crm: bad --amount '12,5' (use a dot as decimal separator: 12.5)
hint: expected an amount of EUR more than 0 with at most 2 decimals
EOF
expect_unchanged .

t "an amount of 0 or less: exit 3"
run crm payment record "$s1" --amount 0
expect_rc 3
expect_err <<'EOF'
crm: bad --amount '0'
hint: expected an amount of EUR more than 0 with at most 2 decimals
EOF
run crm payment record "$s1" --amount=-5
expect_rc 3
expect_err <<'EOF'
crm: bad --amount '-5'
hint: expected an amount of EUR more than 0 with at most 2 decimals
EOF
expect_unchanged .

t "a bad --method: exit 3 with the methods (credit is not one)"
run crm payment record "$s1" --amount 10 --method credit
expect_rc 3
expect_out ""
expect_err <<'EOF'
crm: bad --method 'credit'
hint: use one of: card, cash, check, paypal, bank-transfer, other
EOF
expect_unchanged .

t "a sale paid by card takes no payments: conflict (exit 4)"
run crm payment record "$card" --amount 10
expect_rc 4
expect_out ""
expect_err <<EOF
crm: sale '$card' is not on credit; it was paid by card when it was recorded
hint: payments are for sales recorded with --paid-by credit
EOF
expect_unchanged .

t "nor does a sale recorded without --paid-by"
run crm payment record "$plain" --amount 10
expect_rc 4
expect_out ""
expect_err <<EOF
crm: sale '$plain' is not on credit; it was paid when it was recorded
hint: payments are for sales recorded with --paid-by credit
EOF
expect_unchanged .

t "an unknown sale: exit 1"
run crm payment record 2026-01-01-sale-nobody --amount 10
expect_rc 1
expect_out ""
expect_err <<'EOF'
crm: no sale matches '2026-01-01-sale-nobody'
hint: give its id or an id prefix; 'crm sale list' shows them all
EOF
expect_unchanged .

t "--amount is required: exit 2"
run crm payment record "$s1"
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: --amount is required
hint: see 'crm payment record -h'
EOF
expect_unchanged .

t "the last payment: 'paid in full'; --at defaults to now"
run crm payment record "$s1" --amount 50.00 --method cash
expect_rc 0
expect_out_match "2026-11-25-payment-ana-popescu-$suffix"
p2=${out%$'\n'}
expect_err "paid in full"
expect_file_eq "payments/2026/11/$p2.yaml" <<EOF
id: $p2
sale: $s1
contact: $ana
at: 2026-11-25T10:00:00+02:00
amount: "50.00"
currency: EUR
method: cash
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
EOF
expect_eq "paid balance" "100.00 0.00" "$(balance "$s1")"

t "a sale paid in full takes no more: exit 4"
snapshot .
run crm payment record "$s1" --amount 1
expect_rc 4
expect_out ""
expect_err "crm: sale '$s1' is paid in full"
expect_unchanged .

t "JPY: whole numbers only; what is left is said without decimals"
run crm payment record "$yen" --amount 10.5
expect_rc 3
expect_out ""
expect_err <<'EOF'
crm: bad --amount '10.5'
hint: expected a whole number of JPY more than 0
EOF
expect_unchanged .
run crm payment record "$yen" --amount 1000 --at 2026-11-23
expect_rc 0
expect_out_match "2026-11-23-payment-mara-dobre-$suffix"
p3=${out%$'\n'}
expect_err "left to pay: 2000 JPY"
expect_eq "amount" 'amount: "1000"
currency: JPY' "$(grep -E '^(amount|currency):' "payments/2026/11/$p3.yaml")"
run crm payment record "$yen" --amount 2001
expect_rc 3
expect_err <<EOF
crm: a payment of 2001 JPY is more than the 2000 JPY left to pay on sale '$yen'
hint: record at most 2000
EOF

t "a refund lowers what is owed: 100 on credit, 40 back, then at most 60"
s2=$(crm sale record "$mara" --item "Desk x 2 @ 50" --item "Pen x 4 @ 10" --paid-by credit --at 2026-11-24T10:00+02:00)
crm sale refund "$s2" --item "Pen x 4" -m "not needed" >/dev/null 2>&1
expect_eq "paid balance" "0.00 100.00" "$(balance "$s2")"
snapshot .
run crm payment record "$s2" --amount 100.01
expect_rc 3
expect_err <<EOF
crm: a payment of 100.01 EUR is more than the 100.00 EUR left to pay on sale '$s2'
hint: record at most 100.00
EOF
expect_unchanged .
run crm payment record "$s2" --amount 60 --at 2026-11-25T08:00+02:00
expect_rc 0
expect_err "left to pay: 40.00 EUR"
p4=${out%$'\n'}

t "a void sale on credit takes no payments: exit 4"
s3=$(crm sale record "$mara" --item "Shelf @ 30" --paid-by credit --at 2026-11-24T12:00+02:00)
crm sale void "$s3" -m "typo" 2>/dev/null
snapshot .
run crm payment record "$s3" --amount 10
expect_rc 4
expect_out ""
expect_err "crm: sale '$s3' is void"
expect_unchanged .

# ---------------------------------------------------------------- list, show, rm

t "list: newest first, with id, at, contact_name, sale, amount, currency, method"
run crm payment list
expect_rc 0
expect_err ""
expect_out <<EOF
id	at	contact_name	sale	amount	currency	method
$p1	2026-11-26T09:30:00+02:00	Ana Popescu	$s1	50.00	EUR	bank-transfer
$p2	2026-11-25T10:00:00+02:00	Ana Popescu	$s1	50.00	EUR	cash
$p4	2026-11-25T08:00:00+02:00	Mara Dobre	$s2	60.00	EUR	
$p3	2026-11-23T12:00:00+02:00	Mara Dobre	$yen	1000	JPY	
EOF

t "list --sale ID: one sale's payments"
run crm payment list --sale "$s1" --format ids
expect_rc 0
expect_out <<EOF
$p1
$p2
EOF

t "list --sale of a sale with no payments: exit 1"
run crm payment list --sale "$card" --format ids
expect_rc 1
expect_out ""

t "show: a card, the contact by name"
run crm payment show "$p1"
expect_rc 0
expect_err ""
expect_out <<EOF
$p1
  sale          $s1
  contact       Ana Popescu ($ana)
  at            2026-11-26T09:30:00+02:00
  amount        50.00
  currency      EUR
  method        bank-transfer
  notes         first half
  created       2026-11-25T10:00:00+02:00
  updated       2026-11-25T10:00:00+02:00
  contact_name  Ana Popescu
EOF

t "show --format json"
run crm payment show "$p3" --format json
expect_rc 0
expect_out <<EOF
{
  "id": "$p3",
  "sale": "$yen",
  "contact": "$mara",
  "at": "2026-11-23T12:00:00+02:00",
  "amount": "1000",
  "currency": "JPY",
  "created": "2026-11-25T10:00:00+02:00",
  "updated": "2026-11-25T10:00:00+02:00",
  "computed": {
    "contact_name": "Mara Dobre"
  }
}
EOF

t "rm needs --force off a terminal; nothing removed"
snapshot .
run crm payment rm "$p1"
expect_rc 2
expect_out ""
expect_err <<EOF
crm: refusing to remove payment '$p1' without --force
hint: stdin is not a terminal, so crm cannot ask; add --force in scripts
EOF
expect_unchanged .

t "rm --force: the file is gone and the sale owes that amount again"
run crm payment rm "$p1" --force
expect_rc 0
expect_out ""
expect_err ""
expect_no_file "payments/2026/11/$p1.yaml"
expect_eq "paid balance" "50.00 50.00" "$(balance "$s1")"
run crm payment list --sale "$s1" --format ids
expect_out "$p2"

t "after the removal the sale takes a payment again"
run crm payment record "$s1" --amount 20 --method card
expect_rc 0
expect_err "left to pay: 30.00 EUR"

finish
