#!/usr/bin/env bash
# crm and git (docs/git.md): crm git setup, crm sync between two clones of a bare
# remote (concurrent adds, edits of different fields merged, the same field a
# conflict named by record and field, --continue and --abort, lists as sets,
# notes appended, an import against a contact merge), crm history and crm undo.
# Commits are made by hand (git add -A && git commit), as a person would without
# autocommit.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

# Pinned commit dates: the same work gives the same commits.
export GIT_AUTHOR_DATE=2026-11-25T10:00:00+02:00 GIT_COMMITTER_DATE=2026-11-25T10:00:00+02:00

# commit DIR MESSAGE...: everything in the clone, committed.
commit() {
  local dir=$1
  shift
  git -C "$dir" add -A && git -C "$dir" commit -q "${@/#/-m}" || exit 2
}

# contact DIR ID NAME [YAML LINES]: a contact file with a fixed id, as crm writes it.
contact() {
  {
    printf 'id: %s\nname: %s\n' "$2" "$3"
    if [[ $# -ge 4 ]]; then printf '%s\n' "$4"; fi
    printf 'created: 2026-11-20T09:00:00+02:00\nupdated: 2026-11-20T09:00:00+02:00\n'
  } >"$1/contacts/$2.yaml"
}

git init -q --bare remote.git
new_ws a --git --region RO
# This suite commits by hand; t-autocommit has crm commit its own writes.
crm -C a config set git.autocommit false >/dev/null || exit 2
git -C a commit -qam "commits by hand" >/dev/null || exit 2
git -C a remote add origin "$TEST_ROOT/remote.git"
git -C a push -q -u origin main || exit 2
git clone -q remote.git b 2>/dev/null || exit 2

# ---------------------------------------------------------------- setup

t "git setup in a clone: the attributes came with it, the driver goes in its config"
run crm -C b git setup
expect_rc 0
expect_err ""
expect_out "set merge.crm in this clone's git config"
expect_eq "driver" "'$(readlink -f "$CRM")' __merge-driver %O %A %B %P" "$(git -C b config merge.crm.driver)"
run crm -C b git setup
expect_rc 0
expect_out "already set up"

t "git setup in a git workspace without attributes writes .gitattributes"
new_ws plain --region RO
git -C plain init -q
run crm -C plain git setup
expect_rc 0
expect_out <<'EOF'
wrote .gitattributes: record files merge through crm (commit it to share it)
set merge.crm in this clone's git config
EOF
expect_eq "first lines" "$(printf '%s\n' '# crm merges its record files field by field (crm git setup, docs/git.md)' \
  'contacts/**/*.yaml merge=crm' 'companies/**/*.yaml merge=crm')" "$(head -3 plain/.gitattributes)"
expect_eq "a sale's attributes" "sales/2026/11/x.yaml: merge: crm" "$(git -C plain check-attr merge -- sales/2026/11/x.yaml)"

# ---------------------------------------------------------------- refusals

t "sync outside git, without a remote, without an upstream: exit 2 with what to do"
new_ws nogit --region RO
run crm -C nogit sync
expect_rc 2
expect_out ""
expect_err <<EOF
crm: not a git repository: $TEST_ROOT/nogit
hint: 'crm init --git' starts a workspace in git; 'git clone URL' gets a shared one
EOF
run crm -C plain sync
expect_rc 2
expect_err <<'EOF'
crm: no remote to sync with
hint: add the shared repository: git remote add origin URL
hint: then push to it once: git push -u origin main
EOF
git -C plain remote add origin "$TEST_ROOT/remote.git"
run crm -C plain sync
expect_rc 2
expect_err <<'EOF'
crm: branch 'main' has no upstream
hint: push to it once: git push -u origin main
EOF

t "sync refuses uncommitted changes to record files"
contact a ana-popescu-k7q2 "Ana Popescu" "city: Brasov
country: RO
tags:
  - cluj
  - old
notes: Met at the fair."
run crm -C a sync
expect_rc 4
expect_out ""
expect_err <<'EOF'
crm: uncommitted changes to record files: contacts/ana-popescu-k7q2.yaml
hint: commit them first: git add -A && git commit -m 'what changed'
hint: or let crm commit each change it makes: crm config set git.autocommit true
EOF

# ---------------------------------------------------------------- sharing

t "concurrent adds on both clones: after a sync each, both have both"
commit a "add ana"
contact b bogdan-ionescu-m3n4 "Bogdan Ionescu"
commit b "add bogdan"
run crm -C a sync
expect_rc 0
expect_err ""
expect_out "pushed 1 commit"
run crm -C b sync
expect_rc 0
expect_err ""
expect_out "pulled 1 commit, pushed 2"
expect_eq "merge commit" "crm sync: merge origin/main" "$(git -C b log -1 --format=%s)"
run crm -C a sync
expect_rc 0
expect_out "pulled 2 commits"
run crm -C a contact list --format ids --sort name
expect_out "$(printf 'ana-popescu-k7q2\nbogdan-ionescu-m3n4')"
run crm -C b contact list --format ids --sort name
expect_out "$(printf 'ana-popescu-k7q2\nbogdan-ionescu-m3n4')"
run crm -C a sync
expect_rc 0
expect_out "already up to date with origin/main"
run crm -C a -q sync
expect_rc 0
expect_out ""

t "edits of different fields of one contact: merged field by field, both kept"
crm -C a contact set ana-popescu-k7q2 title="Head of Purchasing" >/dev/null
commit a "ana's title"
CRM_NOW=2026-11-26T09:00:00+02:00 crm -C b contact set ana-popescu-k7q2 city=Cluj-Napoca >/dev/null
commit b "ana moved"
crm -C a sync >/dev/null
run crm -C b sync
expect_rc 0
expect_err ""
expect_out "pulled 1 commit, pushed 2"
merged='id: ana-popescu-k7q2
name: Ana Popescu
title: Head of Purchasing
city: Cluj-Napoca
country: RO
tags:
  - cluj
  - old
notes: Met at the fair.
created: 2026-11-20T09:00:00+02:00
updated: 2026-11-26T09:00:00+02:00'
expect_file_eq b/contacts/ana-popescu-k7q2.yaml "$merged"
run crm -C a sync
expect_out "pulled 2 commits"
expect_file_eq a/contacts/ana-popescu-k7q2.yaml "$merged"
run crm -C a doctor
expect_rc 0
expect_out "no problems found"

t "lists merge as sets: one side adds a tag, the other removes another"
crm -C a contact set ana-popescu-k7q2 tag+=vip >/dev/null
commit a "vip"
crm -C b contact set ana-popescu-k7q2 tag-=old >/dev/null
commit b "not old"
crm -C a sync >/dev/null
run crm -C b sync
expect_rc 0
expect_err ""
expect_eq "tags" "$(printf 'tags:\n  - cluj\n  - vip')" "$(sed -n '/^tags:/,/^notes:/p' b/contacts/ana-popescu-k7q2.yaml | sed '$d')"

t "notes both sides wrote to are appended: ours, then what theirs added"
crm -C a sync >/dev/null
crm -C a contact set ana-popescu-k7q2 notes="$(printf 'Met at the fair.\nWants a quote for 40 chairs.')" >/dev/null
commit a "quote"
crm -C b contact set ana-popescu-k7q2 notes="$(printf 'Met at the fair.\nPrefers calls after 5.')" >/dev/null
commit b "calls"
crm -C a sync >/dev/null
run crm -C b sync
expect_rc 0
expect_eq "notes" "$(printf 'notes: |\n  Met at the fair.\n  Prefers calls after 5.\n  Wants a quote for 40 chairs.')" \
  "$(sed -n '/^notes:/,/^created:/p' b/contacts/ana-popescu-k7q2.yaml | sed '$d')"
crm -C a sync >/dev/null

# ---------------------------------------------------------------- conflicts

t "the same field changed two ways: exit 4 naming the record and the field, and what to do"
crm -C a contact set ana-popescu-k7q2 city=Iasi >/dev/null
commit a "iasi"
crm -C b contact set ana-popescu-k7q2 city=Brasov >/dev/null
commit b "brasov"
crm -C a sync >/dev/null
run crm -C b sync
expect_rc 4
expect_out ""
expect_err <<'EOF'
crm: merge conflict in contacts/ana-popescu-k7q2.yaml field 'city'
hint: in each file keep one side of each conflict and drop the <<<<<<<, ======= and >>>>>>> lines
hint: 'crm contact edit ana-popescu-k7q2' opens contacts/ana-popescu-k7q2.yaml
hint: then run 'crm sync --continue', or 'crm sync --abort' to go back to before the sync
EOF
expect_eq "the conflict in the file" "$(printf 'title: Head of Purchasing\n<<<<<<< ours\ncity: Brasov\n=======\ncity: Iasi\n>>>>>>> theirs\ncountry: RO')" \
  "$(sed -n '3,9p' b/contacts/ana-popescu-k7q2.yaml)"

t "doctor and the index name the record and the field of a conflict"
run crm -C b doctor
expect_rc 1
expect_out <<'EOF'
contacts/ana-popescu-k7q2.yaml:4: merge conflict in field 'city'
1 problem found
EOF
run crm -C b contact list --format ids --sort name
expect_rc 0
expect_out "bogdan-ionescu-m3n4"
expect_err "warning: skipping contacts/ana-popescu-k7q2.yaml:4: merge conflict in field 'city'"

t "a stopped sync: sync again refuses, --continue refuses while markers remain"
run crm -C b sync
expect_rc 4
expect_err <<'EOF'
warning: skipping contacts/ana-popescu-k7q2.yaml:4: merge conflict in field 'city'
crm: a sync is waiting for its conflicts to be resolved
hint: resolve them, then run 'crm sync --continue'
hint: or run 'crm sync --abort' to go back
EOF
run crm -C b sync --continue
expect_rc 4
expect_err_contains "crm: merge conflict in contacts/ana-popescu-k7q2.yaml field 'city'"

t "--abort takes the merge back; sync stops on the conflict again"
run crm -C b sync --abort
expect_rc 0
expect_out "sync aborted: the workspace is as it was before it"
expect_eq "city after abort" "city: Brasov" "$(grep '^city:' b/contacts/ana-popescu-k7q2.yaml)"
run crm -C b sync
expect_rc 4

t "crm contact edit opens the conflicted file; --continue commits the merge and pushes"
# An "editor" keeping their side: the lines from <<<<<<< to ======= and >>>>>>> go.
cat >"$TEST_ROOT/keep-theirs" <<'EOF'
#!/bin/sh
sed -i '/^<<<<<<< /,/^=======$/d; /^>>>>>>> /d' "$1"
EOF
chmod +x "$TEST_ROOT/keep-theirs"
EDITOR=$TEST_ROOT/keep-theirs CRM_NOW=2026-11-27T09:00:00+02:00 run crm -C b contact edit ana-popescu-k7q2
expect_rc 0
expect_eq "city resolved" "city: Iasi" "$(grep '^city:' b/contacts/ana-popescu-k7q2.yaml)"
run crm -C b sync --continue
expect_rc 0
expect_err ""
expect_out "pulled 1 commit, pushed 2"
run crm -C a sync
expect_out "pulled 2 commits"
expect_eq "city on a" "city: Iasi" "$(grep '^city:' a/contacts/ana-popescu-k7q2.yaml)"
expect_eq "updated on a" "updated: 2026-11-27T09:00:00+02:00" "$(grep '^updated:' a/contacts/ana-popescu-k7q2.yaml)"
run crm -C b sync --continue
expect_rc 2
expect_err "$(printf "crm: no sync to continue\nhint: 'crm sync' pulls and pushes")"

t "an import on one side and a contact merge on the other"
contact a ana-popescu-x9z8 "ANA POPESCU" "emails:
  - address: ana.p@gmail.com
title: CEO"
commit a "a duplicate"
crm -C a sync >/dev/null
crm -C b sync >/dev/null
printf 'name,email,phone\nAna Popescu,ana@acme.ro,0722 123 456\nCarmen Dobre,carmen@dobre.ro,\n' >clients.csv
crm -C a contact set ana-popescu-k7q2 email+=ana@acme.ro >/dev/null
commit a "ana's email"
crm -C a sync >/dev/null
crm -C b sync >/dev/null
crm -C a import csv "$TEST_ROOT/clients.csv" >/dev/null 2>&1
commit a "import"
crm -C b contact merge ana-popescu-k7q2 ana-popescu-x9z8 >/dev/null 2>&1
commit b "merge ana"
run crm -C a sync
expect_rc 0
expect_out "pushed 1 commit"
run crm -C b sync
expect_rc 0
expect_err ""
expect_out "pulled 1 commit, pushed 2"
crm -C a sync >/dev/null
for clone in a b; do
  run crm -C "$clone" contact list --format ids --sort name
  expect_out_match $'ana-popescu-k7q2\nbogdan-ionescu-m3n4\ncarmen-dobre-[a-z0-9]{4}'
done
# The import's phone and the merge's email and merged id, in one file on both.
merged='id: ana-popescu-k7q2
name: Ana Popescu
emails:
  - address: ana@acme.ro
  - address: ana.p@gmail.com
phones:
  - number: 0722 123 456
    e164: "+40722123456"
title: Head of Purchasing
city: Iasi
country: RO
merged_ids:
  - ana-popescu-x9z8
tags:
  - cluj
  - vip
notes: |
  Met at the fair.
  Prefers calls after 5.
  Wants a quote for 40 chairs.
created: 2026-11-20T09:00:00+02:00
updated: 2026-11-25T10:00:00+02:00'
expect_file_eq a/contacts/ana-popescu-k7q2.yaml "$merged"
expect_file_eq b/contacts/ana-popescu-k7q2.yaml "$merged"
expect_no_file a/contacts/ana-popescu-x9z8.yaml
run crm -C a doctor
expect_rc 0
run crm -C b doctor
expect_rc 0

t "a record deleted on one side and changed on the other: named; --continue keeps the change"
contact a radu-marin-r4s5 "Radu Marin"
commit a "add radu"
crm -C a sync >/dev/null
crm -C b sync >/dev/null
crm -C a contact rm -f radu-marin-r4s5 >/dev/null
commit a "radu left"
crm -C b contact set radu-marin-r4s5 city=Sibiu >/dev/null
commit b "radu moved"
crm -C a sync >/dev/null
run crm -C b sync
expect_rc 4
expect_out ""
expect_err <<'EOF'
crm: merge conflict in contacts/radu-marin-r4s5.yaml: changed here, deleted in 'origin/main'
hint: a file deleted on one side is kept as changed; 'git rm FILE' deletes it instead
hint: then run 'crm sync --continue', or 'crm sync --abort' to go back to before the sync
EOF
run crm -C b sync --continue
expect_rc 0
expect_out "pulled 1 commit, pushed 2"
crm -C a sync >/dev/null
expect_eq "radu on a" "city: Sibiu" "$(grep '^city:' a/contacts/radu-marin-r4s5.yaml)"

t "a fresh clone's first sync sets the merge driver up itself"
git clone -q remote.git c 2>/dev/null || exit 2
expect_eq "no driver yet" "" "$(git -C c config merge.crm.driver)"
crm -C a contact set bogdan-ionescu-m3n4 title=Engineer >/dev/null
commit a "bogdan's title"
CRM_NOW=2026-11-28T09:00:00+02:00 crm -C c contact set bogdan-ionescu-m3n4 city=Arad >/dev/null
commit c "bogdan moved"
crm -C a sync >/dev/null
run crm -C c sync
expect_rc 0
expect_err ""
expect_out "pulled 1 commit, pushed 2"
expect_file_eq c/contacts/bogdan-ionescu-m3n4.yaml <<'EOF'
id: bogdan-ionescu-m3n4
name: Bogdan Ionescu
title: Engineer
city: Arad
created: 2026-11-20T09:00:00+02:00
updated: 2026-11-28T09:00:00+02:00
EOF
crm -C a sync >/dev/null

# ---------------------------------------------------------------- history

t "history: every field of the first version, then each change, newest first, in every format"
contact a dana-ene-d4e5 "Dana Ene" "emails:
  - address: dana@ene.ro
title: Buyer"
commit a "add dana"
h1=$(git -C a rev-parse --short HEAD)
CRM_NOW=2026-11-26T11:00:00+02:00 crm -C a contact set dana-ene-d4e5 city=Iasi title=CEO >/dev/null
GIT_AUTHOR_NAME="Ion Ionescu" GIT_AUTHOR_DATE=2026-11-26T11:00:00+02:00 commit a "dana moved"
h2=$(git -C a rev-parse --short HEAD)
CRM_NOW=2026-11-27T12:00:00+02:00 crm -C a contact set dana-ene-d4e5 custom.size=L email+=d@ene.ro >/dev/null
GIT_AUTHOR_DATE=2026-11-27T12:00:00+02:00 commit a "dana's size"
h3=$(git -C a rev-parse --short HEAD)
run crm -C a history dana --format tsv
expect_rc 0
expect_err ""
expect_out "$(tr '|' '\t' <<EOF
commit|date|author|field|old|new
$h3|2026-11-27T12:00:00+02:00|Test User|emails|dana@ene.ro|dana@ene.ro, d@ene.ro
$h3|2026-11-27T12:00:00+02:00|Test User|custom.size||L
$h2|2026-11-26T11:00:00+02:00|Ion Ionescu|title|Buyer|CEO
$h2|2026-11-26T11:00:00+02:00|Ion Ionescu|city||Iasi
$h1|2026-11-25T10:00:00+02:00|Test User|id||dana-ene-d4e5
$h1|2026-11-25T10:00:00+02:00|Test User|name||Dana Ene
$h1|2026-11-25T10:00:00+02:00|Test User|emails||dana@ene.ro
$h1|2026-11-25T10:00:00+02:00|Test User|title||Buyer
$h1|2026-11-25T10:00:00+02:00|Test User|created||2026-11-20T09:00:00+02:00
$h1|2026-11-25T10:00:00+02:00|Test User|updated||2026-11-20T09:00:00+02:00
EOF
)"
run crm -C a history dana@ene.ro --format jsonl
expect_rc 0
expect_eq "first two rows" "$(cat <<EOF
{"commit":"$h3","date":"2026-11-27T12:00:00+02:00","author":"Test User","field":"emails","old":[{"address":"dana@ene.ro"}],"new":[{"address":"dana@ene.ro"},{"address":"d@ene.ro"}]}
{"commit":"$h3","date":"2026-11-27T12:00:00+02:00","author":"Test User","field":"custom.size","old":null,"new":"L"}
EOF
)" "$(head -2 <<<"$out")"
run crm -C a history dana-ene-d4e5 --format ids
expect_out "$(printf '%s\n' "$h3" "$h3" "$h2" "$h2" "$h1" "$h1" "$h1" "$h1" "$h1" "$h1")"

t "history of a company by name and of another record by its id"
crm -C a company add "Acme SRL" >/dev/null
activity=$(crm -C a log call dana-ene-d4e5 -m "asked for a quote" --at 2026-11-27T10:00)
commit a "acme and a call"
run crm -C a history "acme srl" --format tsv
expect_rc 0
expect_eq "company fields" "$(printf 'field\nid\nname\ncreated\nupdated')" "$(cut -f4 <<<"$out")"
run crm -C a history "$activity" --format tsv
expect_rc 0
expect_eq "activity fields" "$(printf 'field\nid\nkind\ncontact\nat\nsummary\ncreated\nupdated')" "$(cut -f4 <<<"$out")"

t "history: a merge commit shows only what it made anew"
# The notes appended from both sides and the tags merged as a set are values
# neither parent had; the other merges (the conflict resolved to one side's
# city too) brought only their parents' values.
run crm -C b history ana-popescu-k7q2 --format tsv
merges=$(git -C b log --merges --format=%h -- contacts/ana-popescu-k7q2.yaml)
merge_rows=$(awk -F'\t' 'NR == FNR { merge[$1]; next } $1 in merge { print $4 }' <(printf '%s\n' "$merges") \
  <(printf '%s' "$out") | sort | uniq -c | sed 's/^ *//')
expect_eq "fields changed by merges" "$(printf '1 notes\n1 tags')" "$merge_rows"

t "history of a removed record, by its id: its removal, then its first version"
contact a gone-g6h7 "Gone Soon"
commit a "gone soon"
g1=$(git -C a rev-parse --short HEAD)
crm -C a contact rm -f gone-g6h7 >/dev/null
GIT_AUTHOR_DATE=2026-11-26T10:00:00+02:00 commit a "gone"
g2=$(git -C a rev-parse --short HEAD)
run crm -C a history gone-g6h7 --format tsv
expect_rc 0
expect_out "$(tr '|' '\t' <<EOF
commit|date|author|field|old|new
$g2|2026-11-26T10:00:00+02:00|Test User|id|gone-g6h7|
$g2|2026-11-26T10:00:00+02:00|Test User|name|Gone Soon|
$g2|2026-11-26T10:00:00+02:00|Test User|created|2026-11-20T09:00:00+02:00|
$g1|2026-11-25T10:00:00+02:00|Test User|id||gone-g6h7
$g1|2026-11-25T10:00:00+02:00|Test User|name||Gone Soon
$g1|2026-11-25T10:00:00+02:00|Test User|created||2026-11-20T09:00:00+02:00
$g1|2026-11-25T10:00:00+02:00|Test User|updated||2026-11-20T09:00:00+02:00
EOF
)"

t "history refuses outside git, and names a REF that matches nothing"
run crm -C nogit history anyone
expect_rc 2
expect_err_contains "crm: not a git repository: $TEST_ROOT/nogit"
run crm -C a history nobody-at-all
expect_rc 1
expect_err "$(printf "crm: no record matches 'nobody-at-all'\nhint: a REF is an id, an id prefix, or a contact's or company's email, phone or name")"

# ---------------------------------------------------------------- undo

t "undo refuses a commit crm did not make"
crm -C a sync >/dev/null
head=$(git -C a rev-parse --short HEAD)
subject=$(git -C a log -1 --format=%s)
run crm -C a undo
expect_rc 4
expect_out ""
expect_err "$(printf "crm: the last commit '%s' (%s) was not made by crm\nhint: 'crm undo --force' takes it back all the same" "$subject" "$head")"

t "undo drops a crm commit not pushed yet, keeping uncommitted work"
eva=$(crm -C a contact add "Eva Pop")
commit a "contact add: Eva Pop" "Crm-Command: contact add"
h=$(git -C a rev-parse --short HEAD)
crm -C a contact set bogdan-ionescu-m3n4 title=Boss >/dev/null
run crm -C a undo
expect_rc 0
expect_err ""
expect_out "undid 'contact add: Eva Pop' ($h)"
expect_no_file "a/contacts/$eva.yaml"
expect_eq "HEAD" "$head" "$(git -C a rev-parse --short HEAD)"
expect_eq "uncommitted work" " M contacts/bogdan-ionescu-m3n4.yaml" "$(git -C a status --porcelain)"
run crm -C a contact list --format ids --where 'name = "Eva Pop"'
expect_out ""
git -C a checkout -q -- contacts

t "undo refuses a pushed commit; --force reverts it with a new commit, which undo can drop"
eva=$(crm -C a contact add "Eva Pop")
commit a "contact add: Eva Pop" "Crm-Command: contact add"
h=$(git -C a rev-parse --short HEAD)
full=$(git -C a rev-parse HEAD)
crm -C a sync >/dev/null
run crm -C a undo
expect_rc 4
expect_err "$(printf "crm: the last commit 'contact add: Eva Pop' (%s) was pushed already\nhint: 'crm undo --force' reverts it with a new commit, which the next sync shares" "$h")"
expect_file "a/contacts/$eva.yaml"
run crm -C a undo --force
expect_rc 0
expect_err ""
revert=$(git -C a rev-parse --short HEAD)
expect_out "reverted 'contact add: Eva Pop' ($h) with a new commit ($revert)"
expect_no_file "a/contacts/$eva.yaml"
expect_eq "revert message" "$(printf 'Revert "contact add: Eva Pop"\n\nThis reverts commit %s.\n\nCrm-Command: undo' "$full")" \
  "$(git -C a log -1 --format=%B)"
run crm -C a undo
expect_rc 0
expect_out "undid 'Revert \"contact add: Eva Pop\"' ($revert)"
expect_file "a/contacts/$eva.yaml"

t "post-sync: a trusted clone's hook gets what the sync did; an untrusted clone's does not run"
crm -C a sync >/dev/null && crm -C b sync >/dev/null || exit 2
mkdir -p b/.crm/hooks
# shellcheck disable=SC2016 # the hook's own variable
printf '#!/bin/sh\ncat >"$CRM_WORKSPACE/../post-sync.json"\n' >b/.crm/hooks/post-sync
chmod +x b/.crm/hooks/post-sync
contact a carmen-diaz-p5q6 "Carmen Díaz"
commit a "add carmen"
crm -C a sync >/dev/null || exit 2
run crm -C b sync
expect_rc 0
expect_out "pulled 1 commit"
expect_err "warning: hooks in .crm/hooks are not run: this workspace is not trusted
hint: read them; then 'crm trust' runs them from now on"
expect_eq "no payload" "no" "$([[ -e post-sync.json ]] && echo yes || echo no)"
crm -C b trust >/dev/null || exit 2
contact b dan-mihai-r7s8 "Dan Mihai"
commit b "add dan"
run crm -C b sync
expect_rc 0
expect_err ""
expect_out "pushed 1 commit"
expect_eq "payload" '{"hook":"post-sync","command":"sync","summary":"pulled 0, pushed 1","upstream":"origin/main","pulled":0,"pushed":1,"changes":[]}' \
  "$(jq -c '{hook, command, summary, upstream, pulled, pushed, changes}' post-sync.json)"
expect_eq "its workspace" "$TEST_ROOT/b" "$(jq -r .workspace post-sync.json)"

t "history of a record whose id is not ASCII (git quotes such paths unless told not to)"
contact a олена-k1m2 "Олена Шевченко"
commit a "add олена"
run crm -C a history олена-k1m2 --format tsv
expect_rc 0
expect_err ""
expect_eq "fields and values" "$(printf 'field\tnew\nid\tолена-k1m2\nname\tОлена Шевченко\ncreated\t2026-11-20T09:00:00+02:00\nupdated\t2026-11-20T09:00:00+02:00')" "$(cut -f4,6 <<<"$out")"

finish
