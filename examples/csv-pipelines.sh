#!/usr/bin/env bash
# CSV and JSON in and out of crm, through the tools a Unix user already has:
# sqlite3 for SQL over an export, Miller for reshaping, jq for JSON. The last
# step edits contacts outside crm and brings the changes back with an import,
# which matches rows to contacts by id and updates them in place.
#   usage: examples/csv-pipelines.sh WORKSPACE      (CRM=path/to/crm to pick a binary)
# Needs sqlite3, mlr (Miller) and jq.
set -euo pipefail
crm=${CRM:-crm}
ws=${1:?usage: csv-pipelines.sh WORKSPACE}
cd "$ws"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/crm-csv.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

say() { printf '\n$ %s\n' "$*"; }

# SQL over an export: contacts per stage, with sqlite3's own CSV reader.
say "crm export csv | sqlite3: contacts per stage"
"$crm" export csv >"$tmp/contacts.csv"
sqlite3 -csv -header :memory: \
  ".import $tmp/contacts.csv contacts" \
  "SELECT stage, count(*) AS contacts FROM contacts GROUP BY stage ORDER BY stage;"

# Miller: the sales export, revenue per customer, largest first.
say "crm export csv --type sales | mlr: revenue per customer"
"$crm" export csv --type sales |
  mlr --icsv --opprint stats1 -a sum,count -f total -g contact "then" sort -nr total_sum

# jq: names and emails of the customers, from the JSON export.
say "crm export json | jq: the customers' emails"
"$crm" export json --where "stage = customer" | jq -r '.[] | "\(.name)\t\(.emails[0].address)"'

# A round trip: tag everyone in Cluj with Miller, import the result; the import
# updates the same contacts (matched by id) and says so.
say "mlr ... | crm import csv: tag the contacts in Cluj-Napoca"
# shellcheck disable=SC2016 # $tags is Miller's, not the shell's
"$crm" export csv --where 'city = "Cluj-Napoca"' |
  mlr --csv cut -o -f id,name,tags "then" put '$tags = $tags == "" ? "cluj" : $tags . "; cluj"' >"$tmp/tagged.csv"
"$crm" import csv "$tmp/tagged.csv"
"$crm" contact list --tag cluj --fields name,tags --format tsv
