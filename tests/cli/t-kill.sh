#!/usr/bin/env bash
# kill -9 at random moments during seven writing commands, 100 trials each
# (kill_trials.py says what each trial checks): never a torn or empty record file,
# no temporary file after the next command, an index that agrees with the files,
# and a workspace as before or as after one clean run (an interrupted import or
# undo, run again, ends exactly as one clean run). Prints the trials and failures
# of each. CRM_KILL_TRIALS sets the count (default 100).
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

trials=${CRM_KILL_TRIALS:-100}

new_ws base
cd base || exit 2
ana=$(made crm contact add "Ana Popescu" --email ana@example.ro --stage lead --tag cluj)
ana2=$(made crm contact add "Ana Popescu" --email ana.p@example.ro --city Cluj)
crm log note "$ana2" -m "met at the fair" >/dev/null
crm sale record "$ana2" --item "Audit x 1 @ 90" >/dev/null
crm product add "Audit" --price 40.00 >/dev/null
cd .. || exit 2

# 150 people to import: long enough to be killed halfway through.
python3 - >people.csv <<'PY'
given = ["Ana", "Ion", "Олена", "Ștefan", "Siân", "مريم", "Hans", "Zoë", "Dafydd", "Ioana"]
family = ["Popescu", "Ionescu", "Коваленко", "Evans", "Müller", "حسيني", "Marin", "Jones"]
print("Name,Email,Phone,City,Country,Tags")
for i in range(150):
    g, f = given[i % len(given)], family[(i // len(given)) % len(family)]
    print(f"{g} {f} {i},person{i}@example.org,+40 722 {i:06d},Cluj-Napoca,Romania,imported")
PY

cp -a base base-imported
batch=$(cd base-imported && crm import csv ../people.csv | sed -n 's/^import \([0-9a-z-]*\): .*/\1/p')
[[ -n $batch ]] || { echo "setup failed: import" >&2; exit 2; }

# trials NAME BASE [--rerun] -- CRM_ARGS...
trials() {
  local name=$1
  t "kill -9 at random moments: $name"
  run python3 "$CLI_DIR/kill_trials.py" "$@"
  expect_rc 0
  expect_err ""
  expect_out_match "$name: $trials trials, killed [0-9]+-[0-9]+ ms after the start \(before any change [0-9]+, midway [0-9]+, after the end [0-9]+\), 0 failures"
  figures "kill: ${out%$'\n'}"
}

trials add base "$trials" -- contact add "Ion Ionescu" --company "Acme Nou" --stage prospect --email ion@acme.ro --tag new
trials set base "$trials" -- contact set "$ana" city=Iași tags+=vip stage=customer
trials log base "$trials" -- log call "$ana" -m "Talked about the audit" --follow-up 3d
trials sale base "$trials" -- sale record "$ana" --item "Audit x 2"
trials merge base "$trials" -- contact merge "$ana" "$ana2" --take city
trials import base "$trials" --rerun -- import csv "$PWD/people.csv"
trials undo base-imported "$trials" --rerun -- import undo "$batch"

finish
