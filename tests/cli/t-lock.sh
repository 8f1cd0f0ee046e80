#!/usr/bin/env bash
# The writer lock: writers give up with exit 4 after CRM_LOCK_TIMEOUT_MS, readers never
# wait, and concurrent writers all succeed without losing an update.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

new_ws ws --region RO
cd ws || exit 2
ana=$(crm contact add "Ana Pop" --email ana@pop.ro)

ms() { echo $(($(date +%s%N) / 1000000)); }

# Hold .crm/lock from another process until ../release exists (no fixed sleeps).
hold_lock() {
  rm -f ../held ../release
  flock .crm/lock sh -c 'touch ../held; while [ ! -e ../release ]; do sleep 0.02; done' &
  holder=$!
  while [ ! -e ../held ]; do sleep 0.02; done
}
release_lock() {
  touch ../release
  wait "$holder"
}

lock_msg="crm: workspace is locked by another crm process: '$TEST_ROOT/ws/.crm/lock'
hint: wait for the other command to finish; the lock is released when it exits"

hold_lock

t "a writer gives up after CRM_LOCK_TIMEOUT_MS with exit 4 and writes nothing"
snapshot .
start=$(ms)
CRM_LOCK_TIMEOUT_MS=300 run crm contact add "Locked Out"
took=$(($(ms) - start))
expect_rc 4
expect_out ""
expect_err "$lock_msg"
expect_unchanged .
expect_true "waited at least 300 ms (took $took ms)" test "$took" -ge 300

t "set, rm, edit and index rebuild wait for the lock too"
CRM_LOCK_TIMEOUT_MS=100 run crm contact set "$ana" city=Iași
expect_rc 4
expect_err "$lock_msg"
CRM_LOCK_TIMEOUT_MS=100 run crm contact rm "$ana" --force
expect_rc 4
expect_err "$lock_msg"
EDITOR="touch ../editor-ran" CRM_LOCK_TIMEOUT_MS=100 run crm contact edit "$ana"
expect_rc 4
expect_err "$lock_msg"
expect_no_file ../editor-ran
CRM_LOCK_TIMEOUT_MS=100 run crm index rebuild
expect_rc 4
expect_err "$lock_msg"
expect_unchanged .

t "readers answer at once while the lock is held"
# With a 1 ms lock timeout a reader that asked for the lock would fail with exit 4.
CRM_LOCK_TIMEOUT_MS=1 run crm contact list --format ids
expect_rc 0
expect_err ""
expect_out "$ana"
CRM_LOCK_TIMEOUT_MS=1 run crm contact show ana@pop.ro --format ids
expect_rc 0
expect_out "$ana"

t "readers see a hand edit while the lock is held"
sed -i 's/^name: Ana Pop$/name: Ana Popa/' "contacts/$ana.yaml"
run crm contact list --fields name
expect_rc 0
expect_out "$(printf 'name\nAna Popa')"
run crm doctor
expect_rc 0
expect_out "no problems found"

release_lock

t "once the lock is free, the same writer succeeds"
CRM_LOCK_TIMEOUT_MS=300 run crm contact add "Let In"
expect_rc 0
expect_err ""

t "a writer waits for a lock held briefly, then succeeds"
hold_lock
(sleep 0.3 && touch ../release) &
start=$(ms)
CRM_LOCK_TIMEOUT_MS=5000 run crm contact set "$ana" city=Cluj
took=$(($(ms) - start))
wait "$holder"
expect_rc 0
expect_err ""
expect_eq "city" "city: Cluj" "$(grep '^city:' "contacts/$ana.yaml")"
expect_true "waited for the holder (took $took ms)" test "$took" -ge 50

# add_many DIR N: N `crm contact add` at once in DIR; prints the exit codes, sorted.
add_many() {
  local dir=$1 n=$2 i
  mkdir -p "$TEST_ROOT/par"
  for ((i = 1; i <= n; i++)); do
    ("$CRM" -C "$dir" contact add "Person $i" >"$TEST_ROOT/par/out.$i" 2>"$TEST_ROOT/par/err.$i"
      echo $? >"$TEST_ROOT/par/rc.$i") &
  done
  wait
  cat "$TEST_ROOT"/par/rc.* | sort | uniq -c | sed 's/^ *//'
}

t "20 concurrent adds all succeed and all 20 are listed"
new_ws "$TEST_ROOT/many"
crm -C "$TEST_ROOT/many" contact list >/dev/null || true # the index exists already
expect_eq "exit codes" "20 0" "$(add_many "$TEST_ROOT/many" 20)"
expect_eq "stderr" "" "$(cat "$TEST_ROOT"/par/err.*)"
expect_eq "files" "20" "$(find "$TEST_ROOT/many/contacts" -name '*.yaml' | wc -l)"
expect_eq "distinct ids printed" "20" "$(cat "$TEST_ROOT"/par/out.* | sort -u | wc -l)"
run crm -C "$TEST_ROOT/many" contact list --format ids
expect_rc 0
expect_eq "listed ids" "$(cat "$TEST_ROOT"/par/out.* | LC_ALL=C sort)" "$(LC_ALL=C sort <<<"${out%$'\n'}")"
rm -rf "$TEST_ROOT/par"

t "20 concurrent adds on a workspace whose index does not exist yet"
new_ws "$TEST_ROOT/fresh"
expect_eq "exit codes" "20 0" "$(add_many "$TEST_ROOT/fresh" 20)"
expect_eq "stderr" "" "$(cat "$TEST_ROOT"/par/err.*)"
run crm -C "$TEST_ROOT/fresh" contact list --format ids
expect_rc 0
expect_eq "listed" "20" "$(grep -c . <<<"$out")"
rm -rf "$TEST_ROOT/par"

t "20 concurrent readers on a workspace whose index does not exist yet"
new_ws "$TEST_ROOT/readers"
cp -R "$FIXTURES/small/." "$TEST_ROOT/readers/"
mkdir -p "$TEST_ROOT/par"
for i in $(seq 1 20); do
  ("$CRM" -C "$TEST_ROOT/readers" contact list --format ids >"$TEST_ROOT/par/out.$i" 2>"$TEST_ROOT/par/err.$i"
    echo $? >"$TEST_ROOT/par/rc.$i") &
done
wait
expect_eq "exit codes" "20 0" "$(cat "$TEST_ROOT"/par/rc.* | sort | uniq -c | sed 's/^ *//')"
expect_eq "stderr" "" "$(cat "$TEST_ROOT"/par/err.*)"
expect_eq "each saw 7 contacts" "20 7" "$(for i in $(seq 1 20); do wc -l <"$TEST_ROOT/par/out.$i"; done | sort | uniq -c | sed 's/^ *//')"
rm -rf "$TEST_ROOT/par"

t "10 concurrent sets on one record: no update is lost"
for i in $(seq 1 10); do
  crm contact set "$ana" "tags+=t$i" &
done
wait
run crm contact show "$ana" --format jsonl
expect_rc 0
for i in $(seq 1 10); do expect_out_contains "\"t$i\""; done
expect_eq "tags in the file" "10" "$(grep -c '^  - t[0-9]*$' "contacts/$ana.yaml")"

t "a CRM_LOCK_TIMEOUT_MS that is not a number of milliseconds is a usage error"
snapshot .
CRM_LOCK_TIMEOUT_MS=abc run crm contact add "Bad Timeout"
expect_rc 2
expect_out ""
expect_err "crm: bad CRM_LOCK_TIMEOUT_MS 'abc'
hint: a whole number of milliseconds, e.g. CRM_LOCK_TIMEOUT_MS=30000"
expect_unchanged .

t "a writer that waits too long names the crm command holding the lock"
rm -f ../held ../release
printf '#!/bin/sh\ntouch ../held\nwhile [ ! -e ../release ]; do sleep 0.02; done\n' >../wait-editor
chmod +x ../wait-editor
EDITOR=../wait-editor "$CRM" contact edit "$ana" >/dev/null 2>&1 &
editing=$!
while [ ! -e ../held ]; do sleep 0.02; done
CRM_LOCK_TIMEOUT_MS=100 run crm contact add "Blocked"
expect_rc 4
expect_out ""
expect_err "crm: workspace is locked by another crm process: '$TEST_ROOT/ws/.crm/lock'
hint: it is held by pid $editing: crm contact edit $ana
hint: wait for the other command to finish; the lock is released when it exits"
touch ../release
wait "$editing"
CRM_LOCK_TIMEOUT_MS=100 run crm contact add "Free Again"
expect_rc 0
expect_eq "the lock file is empty once released" "" "$(cat .crm/lock)"

finish
