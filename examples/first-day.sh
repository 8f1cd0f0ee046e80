#!/usr/bin/env bash
# A freelancer's first day with crm: a workspace, the services you sell, the
# clients you already have, the call you made this morning, the invoice you
# sent, the payment that came in, and what is due tomorrow.
#   usage: examples/first-day.sh DIR      (CRM=path/to/crm to pick a binary)
set -euo pipefail
crm=${CRM:-crm}
dir=${1:?usage: first-day.sh DIR}

say() { printf '\n$ %s\n' "$*"; }

say crm init "$dir" --currency EUR --region RO
"$crm" init "$dir" --currency EUR --region RO >/dev/null
cd "$dir"

# What you sell, once: later sales name the product and take its price.
"$crm" product add "Logo design" --sku LOGO --category design --unit piece --price 450 >/dev/null
"$crm" product add "Web development" --sku WEB --category development --unit hour --price 60 >/dev/null

# The clients you already have, from your phone and your inbox.
ioana=$("$crm" contact add "Ioana Mureșan" --email ioana@cafeaua-verde.ro --phone "0744 555 123" \
  --company "Cafeaua Verde" --city Cluj-Napoca --stage customer --tag cafe)
dafydd=$("$crm" contact add "Dafydd ap Gruffydd" --email dafydd@example.cymru --country GB \
  --stage prospect --source referral)
"$crm" contact add "Оксана Бондар" --email oksana@example.com.ua --country UA --stage lead >/dev/null

say crm contact list --fields name,company,stage
"$crm" contact list --fields name,company,stage --format table --no-color

# This morning's call, with a follow-up for tomorrow.
say crm log call dafydd -m "wants a new website" --follow-up tomorrow -M "send the quote"
"$crm" log call "$dafydd" -m "wants a new website" --outcome "quote requested" \
  --follow-up tomorrow -M "send the quote" >/dev/null

# The logo you delivered, on 30 days' credit, and the first half paid today.
sale=$("$crm" sale record "$ioana" --item "LOGO x 1" --terms net30)
"$crm" payment record "$sale" --amount 225 --method bank-transfer >/dev/null

say crm report receivables
"$crm" report receivables --format table --no-color

say crm due --upcoming 1d
"$crm" due --upcoming 1d --format table --no-color || true

say crm timeline ioana
"$crm" timeline "$ioana" --format table --no-color
