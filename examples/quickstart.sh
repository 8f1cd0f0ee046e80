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

say crm company list
"$crm" company list --format table

say crm doctor
"$crm" doctor

say crm index status
"$crm" index status
