#!/usr/bin/env bash
# A two-minute tour: a workspace with clients in five scripts, found again by
# email, phone, id prefix and accent-free name. Copy it and change the names.
#   usage: examples/quickstart.sh DIR      (CRM=path/to/crm to pick a binary)
set -euo pipefail
crm=${CRM:-crm}
dir=${1:?usage: quickstart.sh DIR}

say() { printf '\n$ %s\n' "$*"; }

say crm init "$dir" --currency RON --region RO
"$crm" init "$dir" --currency RON --region RO
cd "$dir"

say "crm contact add ... (five scripts)"
ana=$("$crm" contact add "Ana Popescu" --email work:ana.popescu@example.ro \
  --phone "mobile:0722 123 456" --company "Atelier Verde SRL" --city Cluj-Napoca \
  --country RO --stage customer --tag vip --source referral --birthday 1987-04-12)
"$crm" contact add "Ștefan Țurcanu" --email stefan@example.md --country MD --stage lead --tag newsletter >/dev/null
"$crm" contact add "Siân Gwenllïan Evans" --email sian@example.cymru --phone "+44 29 2018 0000" \
  --city Caerdydd --country GB --stage prospect --prefers email >/dev/null
"$crm" contact add "Олена Шевченко" --email olena@example.com.ua --phone "+380 44 123 4567" \
  --city Київ --country UA --stage customer --tag vip >/dev/null
"$crm" contact add "مریم رضایی" --email maryam@example.ir --country IR --stage lead \
  --set "language=fa" >/dev/null
"$crm" contact add "李娜" --email li.na@example.cn --country CN --stage prospect >/dev/null
echo "added $ana and five more"

say crm contact list
"$crm" contact list --format table

say crm contact show "sian gwenllian evans"   "# accents and case do not matter"
"$crm" contact show "sian gwenllian evans"

say crm contact show 0722123456    "# any phone format"
"$crm" contact show 0722123456 --format json

say crm contact show OLENA@EXAMPLE.COM.UA
"$crm" contact show OLENA@EXAMPLE.COM.UA

say "crm contact set ${ana%-*} tags+=wholesale city=Iași"
"$crm" contact set "${ana%-*}" tags+=wholesale city=Iași
"$crm" contact list --tag vip --fields name,city,tags --format table

say "echo 'favourite_tea: mint' >> contacts/$ana.yaml   # a hand edit"
echo 'favourite_tea: mint' >>"contacts/$ana.yaml"
"$crm" contact list --fields name,favourite_tea --tag wholesale --format table

say "crm log call ${ana%-*} -m ... --follow-up +3d   # one file per activity"
"$crm" log call "${ana%-*}" -m "Talked about the spring order; wants a quote" --direction out \
  --duration 20m --follow-up +3d -M "send the quote"
"$crm" log email olena@example.com.ua -m "Sent the catalogue" --direction out --at yesterday
echo "Дякую, каталог отримала" | "$crm" log email olena@example.com.ua --direction in
"$crm" contact set "${ana%-*}" cadence=30d
"$crm" contact set stefan@example.md stage=prospect   # recorded as an activity too
"$crm" feedback add "${ana%-*}" --kind complaint --product "Gift box" --rating 2 -m "Two boxes arrived crushed"

say crm timeline "${ana%-*}"
"$crm" timeline "${ana%-*}" --format table

say crm due --upcoming 7d
"$crm" due --upcoming 7d --format table || true   # exit 1 = nothing due

say crm search шевченко
"$crm" search шевченко --format table

say 'crm sale record ... --item "PRODUCT x QTY @ PRICE"   # exact money, per currency'
"$crm" product add "Gift box" --sku GB-1 --price 45 --cost 18 --category gifts >/dev/null
"$crm" sale record "${ana%-*}" --item "GB-1 x 12" --item "Ribbon x 2.5 @ 0.80" --discount 5% --terms net30 \
  -m "spring order" >/dev/null
printf 'UAH:\n  2026-01-01: "0.022"\n' >rates.yaml   # 1 UAH in the base currency (RON)
uah_sale=$("$crm" sale record olena@example.com.ua --item "Tea sampler x 3 @ 450" --currency UAH --terms net30)
"$crm" payment record "$uah_sale" --amount 500 --method bank-transfer >/dev/null
"$crm" sale list --format table

say crm report receivables
"$crm" report receivables

say 'crm deal add ... / deal move / report pipeline'
deal=$("$crm" deal add stefan@example.md --title "Wedding favours" --value 3200 --close +1m)
"$crm" deal move "$deal" proposal
"$crm" report pipeline --by stages --format table

say "crm contact list --where 'revenue > 100 or vip'   # filters, computed fields"
"$crm" contact list --where 'revenue > 100 or vip' --fields name,country,revenue,orders,last_purchase --format table

say 'crm segment create vip --where "vip" / segment list'
"$crm" segment create vip --where vip -d "our best clients" >/dev/null
"$crm" segment list --format table

say 'crm report top --chart   # and revenue, rfm, churn, cross-sell...'
"$crm" report top --chart

say crm company list
"$crm" company list --format table

say crm doctor
"$crm" doctor

say crm index status
"$crm" index status
