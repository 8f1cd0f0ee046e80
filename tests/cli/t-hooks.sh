#!/usr/bin/env bash
# Hooks in .crm/hooks and crm trust: a pre-write refusal takes every file back
# (exit 4, the hook's words); post-write and post-import get the exact JSON
# payload; nothing runs in a workspace that is not trusted (a clone included),
# which a writing command says once; crm trust --list and --remove.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

export XDG_CONFIG_HOME=$TEST_ROOT/config

# hook WS NAME SCRIPT: an executable hook.
hook() {
  mkdir -p "$1/.crm/hooks"
  printf '%s\n' "$3" >"$1/.crm/hooks/$2"
  chmod +x "$1/.crm/hooks/$2"
}

# A post-write hook that keeps its payload, and where and how it ran, beside the workspace.
# shellcheck disable=SC2016 # the hook's own variables, expanded when it runs
keeper='#!/bin/sh
cat >"$CRM_WORKSPACE/../$CRM_HOOK.json"
echo "$CRM_HOOK $CRM_WORKSPACE $(pwd -P)" >"$CRM_WORKSPACE/../$CRM_HOOK.env"'

new_ws ws
ws_real=$(cd ws && pwd -P)
hook ws post-write "$keeper"

t "an untrusted workspace runs no hook and says so once"
run crm -C ws contact add "Ana Popescu" --email ana@example.ro
expect_rc 0
ana=${out%$'\n'}
expect_err <<'EOF'
warning: hooks in .crm/hooks are not run: this workspace is not trusted
hint: read them; then 'crm trust' runs them from now on
EOF
expect_no_file post-write.json

t "a read-only command says nothing of hooks"
run crm -C ws contact list --format ids
expect_rc 0
expect_err ""

t "crm trust DIR records the workspace's canonical path"
run crm trust ws
expect_rc 0
expect_err ""
expect_out "trusted: $ws_real (its .crm/hooks run from now on)"
expect_file_eq config/crm/trusted <<EOF
# workspaces whose .crm/hooks crm runs (crm trust), one a line
$ws_real
EOF
run crm_in ws/contacts trust
expect_rc 0
expect_out "already trusted: $ws_real"
run crm trust --list
expect_rc 0
expect_out "$ws_real"

t "post-write gets the exact JSON payload, in the workspace, with CRM_WORKSPACE and CRM_HOOK"
run crm -C ws contact set ana city=Cluj tag+=vip
expect_rc 0
expect_err ""
expect_file_eq post-write.env "post-write $TEST_ROOT/ws $ws_real"
check=$(
  cat <<'EOF'
import json, sys
got = json.load(open(sys.argv[1]))
root, ana = sys.argv[2], sys.argv[3]
want = {
    "hook": "post-write", "workspace": root, "command": "contact set", "summary": "contact set: Ana Popescu",
    "changes": [{
        "action": "update", "type": "contact", "id": ana, "path": f"contacts/{ana}.yaml",
        "record": {"id": ana, "name": "Ana Popescu", "emails": [{"address": "ana@example.ro"}], "city": "Cluj",
                   "tags": ["vip"], "created": "2026-11-25T10:00:00+02:00", "updated": "2026-11-25T10:00:00+02:00"},
    }],
}
print("same" if got == want else json.dumps(got, ensure_ascii=False, indent=1))
print(list(got) == ["hook", "workspace", "command", "summary", "changes"])
EOF
)
run python3 -c "$check" "$TEST_ROOT/post-write.json" "$TEST_ROOT/ws" "$ana"
expect_out "same
True"

t "a command's several files are each a change: created, in the order written"
rm -f post-write.json
run crm -C ws log call ana -m "asked for a quote" --follow-up +3d
expect_rc 0
run jq -r '.summary, (.changes[] | [.action, .type, (.path | split("/")[0]), .record.contact] | @tsv)' post-write.json
expect_out <<EOF
log call: Ana Popescu
create	followup	followups	$ana
create	activity	activities	$ana
EOF

t "a failing post-write hook is a warning: the write stays"
hook ws post-write '#!/bin/sh
echo "could not tell the team" >&2
exit 3'
run crm -C ws contact add "Bogdan Ionescu"
expect_rc 0
expect_match "new id" 'bogdan-ionescu-[a-z0-9]{4}' "${out%$'\n'}"
expect_file "ws/contacts/${out%$'\n'}.yaml"
expect_err <<'EOF'
could not tell the team
warning: the post-write hook failed (exit status 3)
hint: what was written stays
EOF
rm ws/.crm/hooks/post-write

t "a pre-write refusal: exit 4, the hook's words, and the workspace byte for byte as before"
hook ws pre-write '#!/bin/sh
echo "every contact needs an email" >&2
exit 1'
snapshot ws
run crm -C ws contact add "Cezar Pop" --company "New Co" --stage lead
expect_rc 4
expect_err <<'EOF'
crm: pre-write hook refused the change
hint: pre-write: every contact needs an email
hint: nothing was written
EOF
expect_unchanged ws
run crm -C ws sale record ana --item "Tea x 2 @ 10" --paid-by cash
expect_rc 4
expect_unchanged ws
run crm -C ws contact rm "Bogdan Ionescu" --force
expect_rc 4
expect_unchanged ws
run crm -C ws contact list --format ids
expect_eq "the index follows the files" 2 "$(wc -l <<<"${out%$'\n'}")"

t "a refused import takes its whole batch back"
printf 'name,email,city\nDana Rus,dana@example.ro,Arad\nAna Popescu,ana@example.ro,Brasov\n' >people.csv
run crm -C ws import csv people.csv
expect_rc 4
expect_unchanged ws

t "a refusal with another exit status says it"
hook ws pre-write '#!/bin/sh
exit 2'
snapshot ws
run crm -C ws contact set ana city=Iasi
expect_rc 4
expect_err <<'EOF'
crm: pre-write hook refused the change
hint: it exited with status 2
hint: nothing was written
EOF
expect_unchanged ws

t "a pre-write hook sees the files written; its output is shown; it may read no stdin"
hook ws pre-write '#!/bin/sh
python3 -c "
import json, os, sys
d = json.load(sys.stdin)
missing = [c[\"path\"] for c in d[\"changes\"] if not os.path.exists(c[\"path\"])]
print(\"checked\", len(d[\"changes\"]), \"missing\", missing)
"'
run crm -C ws contact set ana city=Iasi
expect_rc 0
expect_err "checked 1 missing []"
hook ws pre-write '#!/bin/sh
exit 0'
python3 -c '
print("name,email")
for i in range(3000): print(f"Person {i},p{i}@example.org")' >many.csv
run crm -C ws import csv many.csv
expect_rc 0
expect_err ""
rm ws/.crm/hooks/pre-write

t "post-import gets the batch and the counts"
hook ws post-import "$keeper"
run crm -C ws import csv people.csv
expect_rc 0
batch=$(sed -n 's/^import \([0-9a-z-]*\): .*/\1/p' <<<"$out")
run jq -c '[.hook, .command, .summary, .batch, .created, .updated, .unchanged, .rejected, (.changes | length), (.changes | map(.action) | sort | unique)]' post-import.json
expect_out "[\"post-import\",\"import csv\",\"import csv: 1 created, 1 updated (batch $batch)\",\"$batch\",1,1,0,0,2,[\"create\",\"update\"]]"
run jq -r '.changes[] | select(.action == "create") | .record.name' post-import.json
expect_out "Dana Rus"
rm ws/.crm/hooks/post-import

t "a refused import undo puts back every file and the batch's journal"
hook ws pre-write '#!/bin/sh
echo "no undo today"
exit 1'
snapshot ws
run crm -C ws import undo "$batch"
expect_rc 4
expect_err <<'EOF'
crm: pre-write hook refused the change
hint: pre-write: no undo today
hint: nothing was written
EOF
expect_unchanged ws
rm ws/.crm/hooks/pre-write
run crm -C ws import undo "$batch"
expect_rc 0
expect_out "undid import $batch: 1 removed, 1 restored"

t "what a hook prints goes to stderr: stdout keeps the new id alone"
hook ws post-write '#!/bin/sh
echo "hook on stdout"
echo "hook on stderr" >&2'
run crm -C ws contact add "Eva Lungu"
expect_rc 0
expect_match "stdout" 'eva-lungu-[a-z0-9]{4}' "${out%$'\n'}"
expect_err "hook on stdout
hook on stderr"
rm ws/.crm/hooks/post-write

t "a hook that is not executable is no hook, and no warning either"
new_ws plain
mkdir plain/.crm/hooks
printf '#!/bin/sh\nexit 1\n' >plain/.crm/hooks/pre-write
run crm -C plain contact add "Ana Popescu"
expect_rc 0
expect_err ""

t "only a hook for what the command did is said"
hook plain post-import '#!/bin/sh
exit 1'
run crm -C plain contact add "Bogdan Ionescu"
expect_rc 0
expect_err ""

t "a cloned workspace does not run the hook it holds until crm trust"
run crm init origin --git
# shellcheck disable=SC2016 # expanded when the hook runs
hook origin post-write '#!/bin/sh
touch "$CRM_WORKSPACE/../ran-in-clone"'
git -C origin add -A && git -C origin commit -qm "a hook"
git clone -q origin clone
run crm -C clone contact add "Ana Popescu"
expect_rc 0
expect_err <<'EOF'
warning: hooks in .crm/hooks are not run: this workspace is not trusted
hint: read them; then 'crm trust' runs them from now on
EOF
expect_no_file ran-in-clone
run crm -C clone trust
expect_rc 0
run crm -C clone contact add "Bogdan Ionescu"
expect_rc 0
expect_err ""
expect_file ran-in-clone

t "trust --list, then --remove"
clone_real=$(cd clone && pwd -P)
run crm trust --list
expect_out "$ws_real
$clone_real"
run crm -C clone trust --remove
expect_rc 0
expect_out "no longer trusted: $clone_real"
run crm trust --remove clone
expect_rc 1
expect_err <<EOF
crm: '$clone_real' is not trusted
hint: 'crm trust --list' shows the trusted workspaces
EOF
rm -rf ws
run crm trust --remove "$TEST_ROOT/ws"
expect_rc 0
expect_out "no longer trusted: $ws_real"
run crm trust --list
expect_rc 1
expect_out ""

t "trust outside a workspace is a usage error"
mkdir empty
run crm trust empty
expect_rc 2
expect_err <<EOF
crm: not a crm workspace (or any parent): $TEST_ROOT/empty
hint: run 'crm init' to create one here, or use -C DIR
EOF
run crm trust --list ws
expect_rc 2

finish
