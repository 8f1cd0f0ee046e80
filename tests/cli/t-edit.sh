#!/usr/bin/env bash
# crm contact edit: $EDITOR on the record, validated after save; never leaves an
# invalid record; re-opens on a terminal when asked to.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

new_ws ws --region RO
cd ws || exit 2

id=$(crm contact add "Ana Pop" --email ana@pop.ro --city Cluj-Napoca --tag vip)
f=contacts/$id.yaml
later=2026-11-26T08:30:00+02:00

t "an editor's change is saved and indexed: show reflects it"
EDITOR="sed -i s/Ana/Anna/" CRM_NOW=$later run crm contact edit "$id"
expect_rc 0
expect_out ""
expect_err ""
expect_file_eq "$f" <<EOF
id: $id
name: Anna Pop
emails:
  - address: ana@pop.ro
city: Cluj-Napoca
tags:
  - vip
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-26T08:30:00+02:00
EOF
run crm contact show "anna pop" --format ids
expect_rc 0
expect_out "$id"
run crm contact list --fields name
expect_out "$(printf 'name\nAnna Pop')"

t "VISUAL wins over EDITOR"
VISUAL="sed -i s/Cluj-Napoca/Iasi/" EDITOR=false run crm contact edit "$id"
expect_rc 0
expect_eq "city" "city: Iasi" "$(grep '^city:' "$f")"

t "the editor gets a draft outside the record folders, removed afterwards"
# shellcheck disable=SC2016 # $1 is expanded by the editor's shell, not here
EDITOR='sh -c "echo \"\$1\" >../draft-path" editor' run crm contact edit "$id"
expect_rc 0
expect_err "no changes"
expect_eq "draft path" ".crm/edit-$id.yaml" "$(sed "s|^$TEST_ROOT/ws/||" ../draft-path)"
expect_eq "no draft left" "" "$(find . -name 'edit-*' -o -name '.crm-tmp-*')"

t "a key added by hand in the editor survives"
EDITOR="sh -c 'echo \"favourite_tea: mint\" >>\"\$1\"' editor" run crm contact edit "$id"
expect_rc 0
expect_eq "last line" "favourite_tea: mint" "$(tail -1 "$f")"
run crm contact show "$id" --format jsonl
expect_out_contains '"favourite_tea":"mint"'

t "no change: 'no changes' on stderr, exit 0, file untouched"
snapshot .
EDITOR=true run crm contact edit "$id"
expect_rc 0
expect_out ""
expect_err "no changes"
expect_unchanged .
EDITOR=true run crm -q contact edit "$id"
expect_rc 0
expect_err ""

t "an edit that breaks the YAML: exit 3 with file:line, the file unchanged"
EDITOR="sed -i s/^city:.*/city:\\ [Iasi/" run crm contact edit "$id"
expect_rc 3
expect_out ""
expect_err <<EOF
crm: $f:6: end of sequence flow not found
hint: nothing was changed
EOF
expect_unchanged .

t "an edit that sets a bad email: exit 3 with file:line, the file unchanged"
EDITOR="sed -i s/ana@pop.ro/ana-at-pop.ro/" run crm contact edit "$id"
expect_rc 3
expect_out ""
expect_err <<EOF
crm: $f:4: bad email 'ana-at-pop.ro'
hint: nothing was changed
EOF
expect_unchanged .

t "an edit that removes the name or changes the id is refused"
EDITOR="sed -i /^name:/d" run crm contact edit "$id"
expect_rc 3
expect_err <<EOF
crm: $f: missing 'name'
hint: nothing was changed
EOF
EDITOR="sed -i s/^id:.*/id:\\ other-id/" run crm contact edit "$id"
expect_rc 3
expect_err <<EOF
crm: $f: the id cannot change (it was '$id')
hint: nothing was changed
EOF
expect_unchanged .

t "an editor that exits 1: exit 5, nothing changed even if it wrote"
EDITOR="sh -c 'echo \"title: X\" >>\"\$1\"; exit 1' editor" run crm contact edit "$id"
expect_rc 5
expect_out ""
expect_err "crm: the editor exited with status 1; nothing was changed"
EDITOR=false run crm contact edit "$id"
expect_rc 5
expect_err "crm: the editor exited with status 1; nothing was changed"
expect_unchanged .
expect_eq "no draft left" "" "$(find . -name 'edit-*' -o -name '.crm-tmp-*')"

t "an unknown REF: exit 1 and the editor never starts"
EDITOR="touch ../editor-ran" run crm contact edit nobody
expect_rc 1
expect_err "crm: no contact matches 'nobody'
hint: a REF is an id, an id prefix, an email, a phone or an exact name; 'crm contact list' shows them all"
expect_no_file ../editor-ran
expect_unchanged .

# The editor breaks the name on its first run and fixes it on the second.
cat >../two-step-editor <<'EOF'
#!/bin/sh
count_file=$(dirname "$0")/editor-count
n=$(($(cat "$count_file" 2>/dev/null || echo 0) + 1))
echo "$n" >"$count_file"
if [ "$n" = 1 ]; then sed -i 's/^name: .*/name: [broken/' "$1"; else sed -i 's/^name: .*/name: Ana Fixed/' "$1"; fi
EOF
chmod +x ../two-step-editor

t "stdin not a terminal: an invalid edit is not re-opened"
rm -f ../editor-count
snapshot .
EDITOR=$TEST_ROOT/two-step-editor run crm contact edit "$id"
expect_rc 3
expect_out ""
expect_err <<EOF
crm: $f:3: end of sequence flow not found
hint: nothing was changed
EOF
expect_eq "editor runs" "1" "$(cat ../editor-count)"
expect_unchanged .

t "on a terminal, an invalid edit offers to re-open; yes re-opens and saves"
rm -f ../editor-count
EDITOR=$TEST_ROOT/two-step-editor TTY_INPUT=$'y\n' run_tty 100 crm contact edit "$id"
expect_rc 0
expect_out_contains "crm: $f:3: end of sequence flow not found"$'\n'
expect_out_contains "re-open the editor? [Y/n] "
expect_eq "editor runs" "2" "$(cat ../editor-count)"
expect_eq "name" "name: Ana Fixed" "$(sed -n 2p "$f")"

t "on a terminal, answering no leaves the file unchanged: exit 3"
rm -f ../editor-count
snapshot .
EDITOR=$TEST_ROOT/two-step-editor TTY_INPUT=$'n\n' run_tty 100 crm contact edit "$id"
expect_rc 3
expect_out_contains "re-open the editor? [Y/n] "
expect_out_contains "hint: nothing was changed"
expect_eq "editor runs" "1" "$(cat ../editor-count)"
expect_unchanged .

t "company edit works the same way"
co=$(crm company add "Acme SRL")
EDITOR="sed -i s/Acme/Acme\\ Group/" run crm company edit acme
expect_rc 0
expect_eq "name" "name: Acme Group SRL" "$(sed -n 2p "companies/$co.yaml")"
run crm company show "acme group srl" --format ids
expect_out "$co"

finish
