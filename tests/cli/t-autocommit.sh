#!/usr/bin/env bash
# git.autocommit: each writing command makes one commit of exactly the files it
# wrote, whose subject says what it did and whose trailer names the command; hand
# edits and staged files stay out; a failed or read-only command commits nothing;
# with autocommit off crm never runs git; a workspace outside git or a commit git
# refuses leaves the files written and warns.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

commits() { git -C "$1" rev-list --count HEAD; }
# The last commit: its whole message, then the files it changed (status and path).
last_commit() { git -C "$1" log -1 --format=%B%x00 --name-status | tr '\0' '\n' | sed '/^$/d'; }
clean() { git -C "$1" status --porcelain; }

t "init --git turns autocommit on (with a comment) and makes the first commit"
run crm init ws --git --region RO
expect_rc 0
expect_err ""
expect_eq "the config's end" "git:
  # every writing command commits the files it wrote, saying what it did (false: crm never runs git)
  autocommit: true" "$(tail -n 3 ws/.crm/config.yaml)"
expect_eq "commits" 1 "$(commits ws)"
expect_eq "subject" "crm: new workspace" "$(git -C ws log -1 --format=%s)"
expect_eq "clean tree" "" "$(clean ws)"

t "contact add: one commit, the contact's name in the subject, the command in the trailer"
run crm -C ws contact add "Ana Popescu" --email ana@example.ro
expect_rc 0
expect_err ""
ana=${out%$'\n'}
expect_eq "commits" 2 "$(commits ws)"
expect_eq "the commit" "contact add: Ana Popescu
Crm-Command: contact add
A	contacts/$ana.yaml" "$(last_commit ws)"
expect_eq "the trailer, as git reads it" "contact add" \
  "$(git -C ws log -1 --format='%(trailers:key=Crm-Command,valueonly)' | sed '/^$/d')"
expect_eq "clean tree" "" "$(clean ws)"

t "contact set"
run crm -C ws contact set ana city=Cluj
expect_rc 0
expect_err ""
expect_eq "commits" 3 "$(commits ws)"
expect_eq "the commit" "contact set: Ana Popescu
Crm-Command: contact set
M	contacts/$ana.yaml" "$(last_commit ws)"
expect_eq "clean tree" "" "$(clean ws)"

t "log call names its contact; the follow-up it made goes in the same commit"
run crm -C ws log call ana -m "asked for a quote" --follow-up +3d
expect_rc 0
expect_eq "commits" 4 "$(commits ws)"
act=$(git -C ws show --format= --name-only HEAD -- activities)
fu=$(git -C ws show --format= --name-only HEAD -- followups)
expect_match "activity path" 'activities/2026/11/2026-11-25-call-ana-popescu-[a-z0-9]{4}\.yaml' "$act"
expect_match "follow-up path" 'followups/[a-z0-9-]+\.yaml' "$fu"
expect_eq "the commit" "log call: Ana Popescu
Crm-Command: log call
A	$act
A	$fu" "$(last_commit ws)"
expect_eq "clean tree" "" "$(clean ws)"

t "a sale names its contact too, and takes the contact's stage change along"
run crm -C ws sale record ana --item "Tea x 2 @ 10" --paid-by cash
expect_rc 0
expect_eq "subject" "sale record: Ana Popescu" "$(git -C ws log -1 --format=%s)"
expect_eq "clean tree" "" "$(clean ws)"

t "hand edits and staged files elsewhere are not swept in"
echo "a note of mine" >ws/notes.txt
echo "read me" >ws/README
git -C ws add README
sed -i 's/^city: Cluj$/city: Iasi/' "ws/contacts/$ana.yaml"
before=$(commits ws)
run crm -C ws contact add "Bogdan Ionescu"
expect_rc 0
bogdan=${out%$'\n'}
expect_eq "commits" $((before + 1)) "$(commits ws)"
expect_eq "the commit" "contact add: Bogdan Ionescu
Crm-Command: contact add
A	contacts/$bogdan.yaml" "$(last_commit ws)"
expect_eq "what was there before is as it was" "A  README
 M contacts/$ana.yaml
?? notes.txt" "$(clean ws)"
git -C ws add -A && git -C ws commit -qm "by hand"

t "contact rm names the contact it removed"
run crm -C ws contact rm "$bogdan" --force
expect_rc 0
expect_eq "the commit" "contact rm: Bogdan Ionescu
Crm-Command: contact rm
D	contacts/$bogdan.yaml" "$(last_commit ws)"
expect_eq "clean tree" "" "$(clean ws)"

t "import csv: one commit with the counts, the batch, its records and its journal"
cat >people.csv <<'EOF'
name,email,city
Ana Popescu,ana@example.ro,Brasov
Olena Shevchenko,olena@example.ua,Kyiv
Gwen Jones,gwen@example.cymru,Cardiff
EOF
before=$(commits ws)
run crm -C ws import csv people.csv
expect_rc 0
batch=$(sed -n 's/^import \([0-9a-z-]*\): .*/\1/p' <<<"$out")
expect_match "batch" '[0-9]{8}-[0-9]{6}-[a-z0-9]{4}' "$batch"
expect_eq "commits" $((before + 1)) "$(commits ws)"
expect_eq "message" "import csv: 2 created, 1 updated (batch $batch)

Crm-Command: import csv" "$(git -C ws log -1 --format=%B)"
expected=$(
  printf '%s\n' ".crm/imports/$batch.jsonl" "contacts/$ana.yaml"
  cd ws && ls contacts/olena-* contacts/gwen-*
)
expect_eq "files" "$(LC_ALL=C sort <<<"$expected")" "$(git -C ws show --format= --name-only HEAD | LC_ALL=C sort)"
expect_eq "clean tree" "" "$(clean ws)"

t "import undo: one commit, the batch and what it took back"
run crm -C ws import undo "$batch"
expect_rc 0
expect_eq "message" "import undo: $batch (2 removed, 1 restored)

Crm-Command: import undo" "$(git -C ws log -1 --format=%B)"
expect_eq "clean tree" "" "$(clean ws)"

t "a failed command makes no commit"
before=$(commits ws)
run crm -C ws contact set nosuch city=Cluj
expect_rc 1
run crm -C ws contact add "  "
expect_rc 3
run crm -C ws log call ana --at "not a date" -m x
expect_rc 3
expect_eq "commits" "$before" "$(commits ws)"
expect_eq "clean tree" "" "$(clean ws)"

t "a read-only command, or one that changes nothing, makes no commit"
before=$(commits ws)
run crm -C ws contact list
expect_rc 0
run crm -C ws contact set ana city=Brasov
expect_rc 0
run crm -C ws contact set ana city=Brasov
expect_rc 0
expect_eq "one commit for the one change" $((before + 1)) "$(commits ws)"
expect_eq "clean tree" "" "$(clean ws)"

# A git that says it was run, ahead of the real one on PATH.
mkdir -p fakebin
cat >fakebin/git <<EOF
#!/bin/sh
echo "\$*" >>"$TEST_ROOT/git-was-run"
exec /usr/bin/git "\$@"
EOF
chmod +x fakebin/git

t "autocommit off: crm never runs git"
run crm init off --git
sed -i 's/^  autocommit: true$/  autocommit: false/' off/.crm/config.yaml
git -C off commit -qam "autocommit off"
rm -f git-was-run
PATH=$TEST_ROOT/fakebin:$PATH run crm -C off contact add "Ana Popescu"
expect_rc 0
expect_err ""
expect_no_file git-was-run
expect_eq "commits" 2 "$(commits off)"
expect_match "the contact is left to the person" '\?\? contacts/ana-popescu-[a-z0-9]{4}\.yaml' "$(clean off)"

t "the fake git does see an autocommit"
PATH=$TEST_ROOT/fakebin:$PATH run crm -C ws contact set ana city=Sibiu
expect_rc 0
expect_file git-was-run

t "a workspace outside git: the write stays, a warning says why"
new_ws nogit
printf 'git:\n  autocommit: true\n' >>nogit/.crm/config.yaml
run crm -C nogit contact add "Ana Popescu"
expect_rc 0
expect_match "id" 'ana-popescu-[a-z0-9]{4}' "${out%$'\n'}"
expect_file "nogit/contacts/${out%$'\n'}.yaml"
expect_err <<EOF
warning: not committed to git: '$TEST_ROOT/nogit' is not in a git work tree
hint: the files are written
hint: 'git init' there starts a repository; or set git.autocommit: false in .crm/config.yaml
EOF

t "a commit git refuses (no user identity): the write stays, a warning says why"
run crm init noid --git
git -C noid config user.useConfigOnly true
mkdir -p nohome
HOME=$TEST_ROOT/nohome run crm -C noid contact add "Ana Popescu"
expect_rc 0
expect_file "noid/contacts/${out%$'\n'}.yaml"
expect_eq "commits" 1 "$(commits noid)"
expect_err <<'EOF'
warning: not committed to git: no email was given and auto-detection is disabled
hint: the files are written
hint: tell git who you are: git config --global user.name 'Your Name'; git config --global user.email you@example.org
EOF

t "a workspace in a folder of a bigger repository commits its files by their path there"
mkdir -p repo
git -C repo init -q
new_ws repo/sub/ws
printf 'git:\n  autocommit: true\n' >>repo/sub/ws/.crm/config.yaml
git -C repo add -A && git -C repo commit -qm "a workspace inside"
echo "not crm's" >repo/other.txt
run crm -C repo/sub/ws contact add "Ana Popescu"
expect_rc 0
expect_err ""
expect_eq "the commit" "contact add: Ana Popescu
Crm-Command: contact add
A	sub/ws/contacts/${out%$'\n'}.yaml" "$(last_commit repo)"
expect_eq "status" "?? other.txt" "$(clean repo)"

t "a bad git.autocommit is an error naming its line"
new_ws badcfg
printf 'git:\n  autocommit: sometimes\n' >>badcfg/.crm/config.yaml
line=$(grep -n 'autocommit: sometimes' badcfg/.crm/config.yaml | cut -d: -f1)
run crm -C badcfg contact list
expect_rc 3
expect_err "crm: $TEST_ROOT/badcfg/.crm/config.yaml:$line: bad git.autocommit (expected true or false) 'sometimes'"

finish
