#!/usr/bin/env bash
# Nothing outside the workspace: whatever a journal, the index or a link in a
# record folder says, crm writes, removes and reads only the workspace's own files.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

new_ws ws
cd ws || exit 2
echo "keep me" >../outside.yaml
printf 'name,email\nAna Popescu,ana@example.ro\n' >people.csv
crm import csv people.csv >/dev/null
ana=$(crm contact show ana@example.ro --format ids)
journal=$(ls .crm/imports/*.jsonl)
batch=$(basename "$journal" .jsonl)
bob=$(crm contact add "Bob Ionescu")

# plant FILE FROM TO: the journal's path FROM becomes TO (as a damaged or hostile copy would say).
plant() { sed -i "s#\"path\":\"$2\"#\"path\":\"$3\"#" "$1"; }

t "import undo: a journal line naming a file outside the workspace is refused, nothing is touched"
cp "$journal" "$_LIB/journal"
plant "$journal" "contacts/$ana.yaml" "../outside.yaml"
snapshot .
run crm import undo "$batch"
expect_rc 3
expect_out ""
expect_err "crm: $journal:2: the journal names '../outside.yaml', which is not a file of contact '$ana'
hint: the journal was damaged or edited: nothing was taken back"
expect_unchanged .
expect_file_eq ../outside.yaml "keep me"

t "import undo: a journal line naming another record's file is refused too"
cp "$_LIB/journal" "$journal"
plant "$journal" "contacts/$ana.yaml" "contacts/$bob.yaml"
snapshot .
run crm import undo "$batch"
expect_rc 3
expect_err_contains "crm: $journal:2: the journal names 'contacts/$bob.yaml', which is not a file of contact '$ana'"
expect_unchanged .

t "import undo: an absolute path in a journal is refused"
cp "$_LIB/journal" "$journal"
plant "$journal" "contacts/$ana.yaml" "$TEST_ROOT/outside.yaml"
run crm import undo "$batch"
expect_rc 3
expect_err_contains "the journal names '$TEST_ROOT/outside.yaml', which is not a file of contact '$ana'"
expect_file_eq ../outside.yaml "keep me"
cp "$_LIB/journal" "$journal"

# plant_index ID PATH: the index row of contact ID names PATH.
plant_index() {
  python3 - "$1" "$2" <<'EOF'
import sqlite3, sys
db = sqlite3.connect(".crm/index.sqlite")
db.execute("UPDATE contacts SET path = ? WHERE id = ?", (sys.argv[2], sys.argv[1]))
db.commit()
EOF
}

t "a planted index path: contact set writes the contact's own file, never the one named"
plant_index "$bob" ../outside.yaml
run crm contact set "$bob" tags+=vip
expect_rc 0
expect_err ""
expect_file_eq ../outside.yaml "keep me"
run crm contact list --where vip --format ids
expect_out "$bob"

t "a planted index path: contact rm removes the contact's own file, never the one named"
plant_index "$bob" ../outside.yaml
run crm contact rm "$bob" --force
expect_rc 0
expect_file_eq ../outside.yaml "keep me"
expect_no_file "contacts/$bob.yaml"

t "a planted index path: doctor names it and the index is rebuilt"
plant_index "$ana" ../outside.yaml
run crm doctor
expect_rc 1
expect_out ".crm/index.sqlite: the index says contact '$ana' is in '../outside.yaml', not a file of that record (rebuilt from the files)
1 problem found"
run crm doctor
expect_rc 0
expect_out "no problems found"

t "a record folder that is a link: no write goes through it"
mkdir ../elsewhere
rm -rf followups
ln -s ../elsewhere followups
snapshot ../elsewhere
run crm followup add "$ana" --due 2026-12-01 -m "Send the quote"
expect_rc 3
expect_out ""
expect_err "crm: 'followups' is a symbolic link: crm does not write through links in a workspace
hint: replace the link by the folder it points to"
expect_unchanged ../elsewhere

t "a record folder that is a link: its files are not read, and doctor names the link"
printf 'id: planted\ncontact: %s\ndue: 2026-12-01\ntext: from outside\n' "$ana" >../elsewhere/planted.yaml
run crm followup list --format ids
expect_rc 1
expect_out ""
run crm doctor
expect_rc 1
expect_out "followups: a symbolic link: crm does not read or write record files through links (replace it by what it points to)
1 problem found"
rm followups
mkdir followups

t "a record file that is a link to a file outside: not read, not listed, doctor names it"
printf 'id: evil\nname: Read From Outside\n' >../evil.yaml
ln -s ../../evil.yaml contacts/evil.yaml
run crm contact list --format ids
expect_out "$ana"
run crm doctor
expect_rc 1
expect_out "contacts/evil.yaml: a symbolic link: crm does not read or write record files through links (replace it by what it points to)
1 problem found"
expect_file_eq ../evil.yaml 'id: evil
name: Read From Outside'
rm contacts/evil.yaml

t "a subfolder that is a link inside a dated record folder is not followed"
mkdir ../dated
crm log note "$ana" -m "real note" >/dev/null
ln -s ../../../dated activities/2026/12
printf 'id: 2026-12-01-x\ncontact: %s\nkind: note\nat: 2026-12-01T10:00:00+02:00\nsummary: planted\n' "$ana" \
  >../dated/2026-12-01-x.yaml
run crm activity list --fields summary --format tsv
expect_out "summary
real note"
rm activities/2026/12

t "a rewrite keeps a private file private, an export over a private file too"
chmod 600 "contacts/$ana.yaml"
crm contact set "$ana" city=Cluj >/dev/null
expect_eq "mode after set" "600" "$(stat -c %a "contacts/$ana.yaml")"
crm export csv -o ../private.csv >/dev/null
chmod 600 ../private.csv
crm export csv -o ../private.csv >/dev/null
expect_eq "mode after export -o" "600" "$(stat -c %a ../private.csv)"

finish
