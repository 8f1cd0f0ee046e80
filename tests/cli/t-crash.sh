#!/usr/bin/env bash
# A command that writes several files is all or nothing: killed after any of its
# writes (CRM_TEST_CRASH_AFTER_WRITES=N sends it SIGKILL there, as kill -9 would),
# it leaves a journal that doctor names and that the next writing command (or
# doctor --fix) takes back, to the workspace exactly as it was before; a command
# that fails takes back what it wrote at once.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

new_ws base
cd base || exit 2
ana=$(crm contact add "Ana Popescu" --email ana@example.ro --stage lead)
ana2=$(crm contact add "Ana Popescu" --email ana.p@example.ro --city Cluj)
crm log note "$ana2" -m "met at the fair" >/dev/null
sale=$(crm sale record "$ana" --item "Audit x 2 @ 40")
deal=$(crm deal add "$ana" --title "Website" --value 1200)
cd .. || exit 2

# crash_each NAME CMD...: for every write of CMD but the last, a fresh copy of base
# where CMD is killed after that write; the copy must come back to base exactly.
crash_each() {
  local name=$1 k rc
  shift
  for ((k = 1; k <= 20; k++)); do
    rm -rf "ws-$name"
    cp -a base "ws-$name"
    snapshot "ws-$name"
    (cd "ws-$name" && CRM_TEST_CRASH_AFTER_WRITES=$k "$CRM" "$@" >/dev/null 2>&1) 2>/dev/null
    rc=$?
    if [[ $rc -ne 137 ]]; then
      # It ended before its k-th write: it writes k-1 files, and wrote them all.
      expect_eq "$name: exit code of the whole run (after $((k - 1)) writes)" 0 "$rc"
      expect_true "$name: writes more than one file (it wrote $((k - 1)))" test "$k" -gt 2
      figures "crash: $name: killed after each of its first $((k - 2)) of $((k - 1)) writes, taken back each time"
      return
    fi
    run crm -C "ws-$name" doctor
    expect_rc 1
    # shellcheck disable=SC2016 # a sed expression, not the shell's
    expect_out_match "\.crm/changes/[a-z0-9]+\.jsonl: 'crm $(printf '%s' "$1 $2" | sed 's/[.[\*^$()+?{|]/\\&/g')[^']*' was interrupted after $k of its files were noted: the next writing command takes them back \('crm doctor --fix' does it now\)
1 problem found"
    run crm -C "ws-$name" doctor --fix
    expect_rc 0
    expect_err_match "fixed: an interrupted 'crm $1 $2[^']*' was taken back \($k files?\)"
    expect_out "no problems found"
    expect_unchanged "ws-$name"
  done
  expect_true "$name: fewer than 20 writes" false
}

t "log call --follow-up killed after its first file: taken back"
crash_each log-follow-up log call "$ana" -m "Talked" --follow-up 3d

t "contact add --company NEW --stage killed after each of its files: taken back"
crash_each add-company contact add "Ion Ionescu" --company "Acme Nou" --stage prospect --email ion@acme.ro

t "contact merge killed after each of its files: taken back"
crash_each merge contact merge "$ana" "$ana2" --take city

t "sale refund killed after each of its files: taken back"
crash_each refund sale refund "$sale" -m "broken"

t "deal won --record-sale killed after each of its files: taken back"
crash_each deal-won deal won "$deal" --record-sale

t "the next writing command takes an interrupted change back before it writes, and says so"
rm -rf ws-next
cp -a base ws-next
(cd ws-next && CRM_TEST_CRASH_AFTER_WRITES=1 "$CRM" log call "$ana" -m "Talked" --follow-up 3d >/dev/null 2>&1) 2>/dev/null
run crm -C ws-next contact set "$ana" city=Iași
expect_rc 0
expect_err_match "warning: an interrupted 'crm log call $ana -m Talked --follow-up 3d' was taken back \(1 file\)"
run crm -C ws-next followup list --format ids
expect_rc 1
expect_out ""
run crm -C ws-next contact show "$ana" --format json
expect_out_contains '"city": "Iași"'

t "a reading command leaves an interrupted change for the next writer, and works"
rm -rf ws-read
cp -a base ws-read
(cd ws-read && CRM_TEST_CRASH_AFTER_WRITES=1 "$CRM" log call "$ana" -m "Talked" --follow-up 3d >/dev/null 2>&1) 2>/dev/null
run crm -C ws-read contact list --format ids
expect_rc 0
expect_eq "journals left" 1 "$(find ws-read/.crm/changes -name '*.jsonl' | wc -l)"

t "a command that fails after a write takes it back at once (the follow-up written, the call's folder unusable)"
rm -rf ws-fail
cp -a base ws-fail
: >ws-fail/activities/2025 # a file where the call's folder must go
snapshot ws-fail
run crm -C ws-fail log call "$ana" -m "Talked" --at 2025-03-01T10:00 --follow-up 3d
expect_rc 5
expect_out ""
expect_err_match "crm: cannot create '.*/activities/2025/03/[^']*': Not a directory"
expect_unchanged ws-fail

finish
