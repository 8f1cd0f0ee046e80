#!/usr/bin/env bash
# Injected I/O faults (libfiu's fiu-run: random failures, EIO or ENOSPC, of open,
# read, write, fsync, rename, unlink... in crm and in SQLite under it) on every kind of writing
# command: each run ends in success (exit 0) with a sound workspace, or in a clear
# exit 5 after which the workspace is as it was (once `doctor --fix` has taken back
# a change whose taking back failed too). Prints trials and failures.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

if ! command -v fiu-run >/dev/null; then
  echo "fiu-run not found: install fiu-utils (scripts/deps.sh)" >&2
  exit 1
fi

new_ws base
cd base || exit 2
ana=$(crm contact add "Ana Popescu" --email ana@example.ro --stage lead)
ana2=$(crm contact add "Ana Popescu" --email ana.p@example.ro --city Cluj)
crm log note "$ana2" -m "met at the fair" >/dev/null
bob=$(crm contact add "Bob Ionescu" --email bob@example.ro)
sale=$(crm sale record "$ana" --item "Audit x 2 @ 40")
cd .. || exit 2
printf 'name,email,city\nIon Pop,ion@example.ro,Iasi\nMara Pop,mara@example.ro,Cluj\nDan Pop,dan@example.ro,Arad\n' >people.csv
trials=${CRM_FAULT_TRIALS:-12}
total=0 ok=0 failed=0 broken=0 undone=0

# faults NAME CMD...: CMD run $trials times on a fresh copy of base under random
# faults (3 in 1000 I/O calls fail); a clean run first gives the files it changes.
faults() {
  local name=$1 i rc changed want
  shift
  rm -rf clean && cp -a base clean
  (cd clean && "$CRM" "$@" >/dev/null 2>&1) || {
    _fail "$name: the run without faults failed"
    return
  }
  want=$(diff <(cd base && find . -path ./.crm -prune -o -type f -print | sort) \
    <(cd clean && find . -path ./.crm -prune -o -type f -print | sort) | grep -c '^>')
  for ((i = 1; i <= trials; i++)); do
    total=$((total + 1))
    rm -rf ws && cp -a base ws
    snapshot ws
    # Half the trials fail with EIO, half with ENOSPC (a full disk).
    (cd ws && fiu-run -x -c "enable_random name=posix/io/*,probability=0.003,failinfo=$((i % 2 ? 5 : 28))" \
      "$CRM" "$@" >/dev/null 2>"$_LIB/fault.err")
    rc=$?
    if [[ $rc -eq 0 ]]; then
      ok=$((ok + 1))
      changed=$(diff <(cd base && find . -path ./.crm -prune -o -type f -print | sort) \
        <(cd ws && find . -path ./.crm -prune -o -type f -print | sort) | grep -c '^>')
      run crm -C ws doctor
      if [[ $rc -ne 0 || $changed -ne $want ]]; then
        broken=$((broken + 1))
        _fail "$name trial $i: exit 0 but doctor says: $out (new files: $changed, expected $want)"
      fi
    elif [[ $rc -eq 5 ]]; then
      failed=$((failed + 1))
      # Should taking back have failed too (the faults go on while it runs), the
      # error says how to finish it: as the journal says.
      local undo
      undo=$(grep -o "'crm import undo [^']*'" "$_LIB/fault.err" | tr -d "'")
      if [[ -n $undo ]]; then
        undone=$((undone + 1))
        (cd ws && ${undo/crm/"$CRM"} >/dev/null 2>&1) || _fail "$name trial $i: '$undo' failed"
      fi
      run crm -C ws doctor --fix
      # After an undo its journal stays, marked undone ("as the journal says").
      local skip='^$' # the listing has no empty line: nothing is skipped
      if [[ -n $undo ]]; then skip='\.crm/imports'; fi
      if [[ $rc -ne 0 ]] ||
        ! diff -q <(_listing ws | grep -v "$skip") <(grep -v "$skip" "$(_snap_file ws)") >/dev/null; then
        broken=$((broken + 1))
        _fail "$name trial $i: exit 5 ($(head -1 "$_LIB/fault.err")) but the workspace did not come back" \
          "$(cat "$(_snap_file ws)")" "$(_listing ws)"
      fi
    else
      broken=$((broken + 1))
      _fail "$name trial $i: exit $rc (expected 0 or 5): $(head -3 "$_LIB/fault.err")"
    fi
  done
  _pass
}

t "faults: every run succeeds soundly or fails with exit 5 and the workspace as it was"
faults contact-add contact add "Ion Ionescu" --company "Acme Nou" --stage prospect --email ion@acme.ro
faults contact-set contact set "$ana" city=Iași tags+=vip
faults log-follow-up log call "$ana" -m "Talked" --follow-up 3d
faults sale-record sale record "$ana" --item "Audit @ 40" --paid-by card
faults refund sale refund "$sale" -m "broken"
faults merge contact merge "$ana" "$ana2" --take city
faults rm contact rm "$bob" --force
faults import import csv ../people.csv
figures "faults: $total trials, $ok succeeded, $failed failed with exit 5 and were taken back ($undone of them by the" \
  "'crm import undo' their error named, as taking back failed under the faults too), $broken broken"
expect_eq "broken runs" 0 "$broken"
expect_true "some runs failed (the faults were injected): $failed" test "$failed" -gt 0

finish
