#!/usr/bin/env bash
# --format ids on every listing and report: each prints the ids of what it is
# about (records, import batches, the files doctor found wrong), one a line, or
# is refused with exit 2 where its rows are not records; none prints nothing
# and succeeds. The workspace has something in every list, so an empty
# success could not hide behind an empty list.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

new_ws shop --region RO
cd shop || exit 2
sed -i 's/^  points_per_unit: 0$/  points_per_unit: 1/' .crm/config.yaml
ana=$(made crm contact add "Ana Popescu" --email ana@example.ro --tag vip)
made crm contact add "Ana Popescu" --email ana@example.ro >/dev/null 2>&1
bob=$(made crm contact add "Bob Marsh" --stage lead)
# Bob becomes a customer with his first sale; Dan stays a lead for report leads.
made crm contact add "Dan Ilie" --stage lead >/dev/null
made crm company add Acme >/dev/null
made crm product add Chair --price 100 --cost 60 >/dev/null
made crm sale record "$ana" --item Chair --at 2026-07-01 >/dev/null
made crm sale record "$ana" --item Chair --at 2026-07-11 >/dev/null
# Bob buys every 21 days: due again on 12-01 (reorder); Ana stopped (churn).
made crm sale record "$bob" --item Chair --at 2026-10-20 >/dev/null
made crm sale record "$bob" --item Chair --at 2026-11-10 >/dev/null
owed=$(made crm sale record "$ana" --item Chair --at 2026-08-01 --paid-by credit --terms net30)
made crm payment record "$owed" --amount 10 >/dev/null 2>&1
made crm loyalty redeem "$ana" 5 >/dev/null 2>&1
made crm deal add "$ana" --title "Big order" --value 1000 --close 2026-12-15 >/dev/null
made crm followup add "$bob" -m "call back" --due 2026-11-20 >/dev/null
made crm log call "$bob" -m "asked for a quote" >/dev/null
made crm campaign add Autumn --channel email --audience "$ana" >/dev/null
made crm feedback add "$ana" --kind complaint --product Chair --rating 2 -m "wobbly" >/dev/null
made crm segment create VIPs --where vip >/dev/null
printf 'name,email\nCid Lind,cid@example.ro\n' >people.csv
made crm import csv people.csv >/dev/null 2>&1

# ids_or_refused ARGS...: `crm --format ids ARGS` prints at least one line, each
# naming a file of the workspace (a record's id is its file's name), or fails
# with exit 2 and prints nothing.
ids_or_refused() {
  run crm --format ids "$@"
  if [[ $rc -eq 2 ]]; then
    expect_out ""
    expect_err_contains "has no ids"
    return
  fi
  expect_rc 0
  expect_true "crm $* prints some ids" test -n "$out"
  local id
  while IFS= read -r id; do
    expect_true "'$id' names a file" test -n "$(find . -name "$id.*" -print -quit)"
  done <<<"$out"
}

t "every listing prints ids of files or is refused"
for cmd in "contact list" "company list" "activity list" "followup list" "feedback list" "product list" \
  "sale list" "payment list" "loyalty list" "deal list" "campaign list" "segment list" "segment show VIPs" \
  "import list" "due" "search Ana" "timeline $ana" "index status"; do
  # shellcheck disable=SC2086 # the command's words
  ids_or_refused $cmd
done

t "every report prints the ids of its records or is refused"
for r in revenue top rfm churn reorder lifecycle conversion leads campaigns feedback cross-sell receivables pipeline \
  "leads --learn" "cross-sell --contact $ana" "receivables --table sales"; do
  # shellcheck disable=SC2086
  ids_or_refused report $r
done

t "contact dupes --format ids: KEEP OTHER a line"
run crm --format ids contact dupes
expect_rc 0
expect_match "a pair of ids" 'ana-popescu-[a-z0-9]+ ana-popescu-[a-z0-9]+' "${out%$'\n'}"

t "import list --format ids: the batch ids, for import undo"
run crm import list --format ids
expect_rc 0
batch=${out%$'\n'}
expect_match "a batch id" '[0-9]{8}-[0-9]{6}-[a-z0-9]+' "$batch"
expect_file ".crm/imports/$batch.jsonl"

t "index status --format ids is refused: it describes the index, not records"
run crm index status --format ids
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: index status has no ids: it describes the index, not records
hint: --format json or yaml gives its figures
EOF

t "doctor --format ids: each file with a problem once (exit 1), nothing when all is well (exit 0)"
run crm doctor --format ids
expect_rc 0
expect_out ""
printf 'id: broken\nname: [\n' >contacts/broken.yaml
printf 'id: another\nname: Other\nstage: nonsense\n' >contacts/other.yaml # two problems, one file
run crm doctor --format ids
expect_rc 1
expect_out <<'EOF'
contacts/broken.yaml
contacts/other.yaml
EOF

finish
