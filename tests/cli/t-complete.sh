#!/usr/bin/env bash
# Shell completion: `crm __complete WORDS...` (candidates from the command table
# and from the index as it is, never refreshed), and completions/ driven in real
# shells: bash with bash-completion, zsh through a pseudo-terminal, fish.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

COMPLETIONS=$(cd "$CLI_DIR/../../completions" && pwd)
# The scripts run `crm` from PATH: make it the binary under test.
mkdir -p "$TEST_ROOT/bin"
ln -s "$CRM" "$TEST_ROOT/bin/crm"
export PATH=$TEST_ROOT/bin:$PATH

crm init ws >/dev/null
cd ws || exit 2
mkdir -p companies segments
cat >contacts/ana-popescu-x7k2.yaml <<'EOF'
id: ana-popescu-x7k2
name: Ana Popescu
company: acme-srl-a1b2
tags: [vip, wholesale]
EOF
cat >contacts/ana-popescu-b3c4.yaml <<'EOF'
id: ana-popescu-b3c4
name: Ana Popescu
EOF
cat >contacts/stefan-ionescu-p2q3.yaml <<'EOF'
id: stefan-ionescu-p2q3
name: Ștefan Ionescu
tags: [VIP, retail]
EOF
cat >contacts/ioana-marin-m3n4.yaml <<'EOF'
id: ioana-marin-m3n4
name: Ioana Marin
tags: [Wholesale]
EOF
cat >companies/acme-srl-a1b2.yaml <<'EOF'
id: acme-srl-a1b2
name: Acme SRL
EOF
cat >companies/acme-trading-c3d4.yaml <<'EOF'
id: acme-trading-c3d4
name: Acme Trading (RO)
EOF
cat >segments/top-buyers-e5f6.yaml <<'EOF'
id: top-buyers-e5f6
name: Top buyers
where: vip
EOF
crm index rebuild >/dev/null

TAB=$'\t'

t "commands by prefix, with their descriptions"
run crm __complete d
expect_rc 0
expect_err ""
expect_out <<EOF
due${TAB}what needs attention today (exit 0 if anything, 1 if nothing; --format ics for a calendar)
deal${TAB}the sales pipeline: deals, their stages, won and lost
doctor${TAB}check every record file; exit 1 when something is wrong
EOF
run crm __complete contact ''
expect_out <<EOF
add${TAB}add a contact and print its new id
show${TAB}show one contact
list${TAB}list contacts
set${TAB}change fields of a contact
edit${TAB}open a contact's file in \$EDITOR, check it when saved
rm${TAB}remove a contact (asks first on a terminal)
dupes${TAB}list pairs of contacts that are probably one person, with why and a score (exit 1: none)
merge${TAB}merge contact OTHER into KEEP: their details, and everything that points to OTHER; OTHER's id then names KEEP
EOF
# Hidden commands are run, never offered.
run crm __complete __
expect_out ""
# Every word is the line's, even one __complete itself could take.
run crm __complete --help
expect_out "--help${TAB}print this help and exit"
run crm __complete contact -h
expect_out "-h${TAB}print this help and exit"

t "every command crm __commands lists is completed by crm __complete"
run crm __commands
commands=$out
# One `crm __complete PARENT ''` per parent path: it must list each child.
declare -A offered=()
while IFS=$'\t' read -r path description; do
  last=${path##* } parent=
  [[ $path == *" "* ]] && parent=${path% *}
  if [[ -z ${offered[x$parent]+set} ]]; then
    # shellcheck disable=SC2086 # the parent path is words: "contact"
    offered[x$parent]=$'\n'$(crm __complete $parent '')$'\n'
  fi
  if [[ ${offered[x$parent]} == *$'\n'"$last$TAB$description"$'\n'* ]]; then _pass
  else _fail "'crm $path' is not completed" "$last$TAB$description" "${offered[x$parent]}"; fi
done <<<"${commands%$'\n'}"

t "options: the command's own, then the global ones"
run crm __complete log call ana --d
expect_out <<EOF
--direction${TAB}in: they reached out; out: you did
--duration${TAB}how long (15m, 1h30m)
EOF
run crm __complete contact show -
expect_out <<EOF
--help${TAB}print this help and exit
-h${TAB}print this help and exit
--version${TAB}print the version and exit
-C${TAB}run as if crm was started in DIR
--format${TAB}output format: table, json, jsonl, csv, tsv, yaml, ids
--no-color${TAB}no color, even on a terminal (NO_COLOR works too)
--quiet${TAB}print only what scripts need
-q${TAB}print only what scripts need
--verbose${TAB}say more
-v${TAB}say more
EOF

t "--format's formats, after the option or in one word with it"
run crm __complete --format ''
expect_out "$(printf '%s\n' table json jsonl csv tsv yaml ids)"
run crm __complete contact list --format=js
expect_out "$(printf '%s\n' --format=json --format=jsonl)"
run crm __complete -q contact list --format t
expect_out "$(printf '%s\n' table tsv)"

t "choices an option lists, and choice fields"
run crm __complete log call ana --direction ''
expect_out "$(printf '%s\n' in out)"
run crm __complete contact add X --prefers ''
expect_out "$(printf '%s\n' email phone text chat post in-person)"
run crm __complete campaign add X --channel s
expect_out "$(printf '%s\n' sms social)"
run crm __complete sale record ana --paid-by c
expect_out "$(printf '%s\n' card cash check credit)"
run crm __complete export csv --type co
expect_out "$(printf '%s\n' companies contacts)"

t "stages: a contact's from config.yaml, a deal's with their chances"
run crm __complete contact add X --stage ''
expect_out "$(printf '%s\n' lead prospect customer inactive lost)"
run crm __complete deal move 7f3a ''
expect_out <<EOF
lead${TAB}10%
qualified${TAB}25%
proposal${TAB}50%
negotiation${TAB}75%
EOF
run crm __complete deal list --stage ''
expect_out <<EOF
lead${TAB}10%
qualified${TAB}25%
proposal${TAB}50%
negotiation${TAB}75%
won${TAB}closed: won
lost${TAB}closed: lost
EOF
sed -i 's/^stages: .*/stages: [lead, trial, customer, churned]/' .crm/config.yaml
run crm __complete contact list --stage ''
expect_out "$(printf '%s\n' lead trial customer churned)"
run crm __complete contact set ana stage=
expect_out "$(printf '%s\n' stage=lead stage=trial stage=customer stage=churned)"

t "contacts: names (folded) and ids by prefix; the word as typed wins"
run crm __complete contact show ''
expect_out <<EOF
Ana Popescu${TAB}ana-popescu-b3c4, ana-popescu-x7k2
Ioana Marin${TAB}ioana-marin-m3n4
Ștefan Ionescu${TAB}stefan-ionescu-p2q3
ana-popescu-b3c4${TAB}Ana Popescu
ana-popescu-x7k2${TAB}Ana Popescu
ioana-marin-m3n4${TAB}Ioana Marin
stefan-ionescu-p2q3${TAB}Ștefan Ionescu
EOF
run crm __complete contact show ana
expect_out <<EOF
ana-popescu-b3c4${TAB}Ana Popescu
ana-popescu-x7k2${TAB}Ana Popescu
EOF
run crm __complete contact show An
expect_out "Ana Popescu${TAB}ana-popescu-b3c4, ana-popescu-x7k2"
run crm __complete timeline STEF
expect_out "Ștefan Ionescu${TAB}stefan-ionescu-p2q3"
run crm __complete contact merge ana-popescu-x7k2 ana-popescu-b
expect_out "ana-popescu-b3c4${TAB}Ana Popescu"
# A group's own records for show/set/edit/rm; a contact elsewhere.
run crm __complete company show A
expect_out <<EOF
Acme SRL${TAB}acme-srl-a1b2
Acme Trading (RO)${TAB}acme-trading-c3d4
EOF
run crm __complete contact add X --company 'Acme T'
expect_out "Acme Trading (RO)${TAB}acme-trading-c3d4"
run crm __complete segment show t
expect_out "top-buyers-e5f6${TAB}Top buyers"
run crm __complete deal add i
expect_out "ioana-marin-m3n4${TAB}Ioana Marin"
run crm __complete contact show zz
expect_out ""

t "tags, folded as crm matches them, each once"
run crm __complete contact list --tag ''
expect_out "$(printf '%s\n' retail vip wholesale)"
run crm __complete contact add X --tag W
expect_out "wholesale"
run crm __complete contact set ana tags+=r
expect_out "tags+=retail"

t "KEY= for set, then the values of that field"
run crm __complete contact set ana st
expect_out "stage=${TAB}lifecycle stage"
run crm __complete contact set ana company=Acme
expect_out <<EOF
company=Acme SRL${TAB}acme-srl-a1b2
company=Acme Trading (RO)${TAB}acme-trading-c3d4
EOF

t "help COMMAND... completes command paths"
run crm __complete help cont
expect_out "contact${TAB}add, find and change contacts (people)"
run crm __complete help contact m
expect_out "merge${TAB}merge contact OTHER into KEEP: their details, and everything that points to OTHER; OTHER's id then names KEEP"

t "import batches for import undo, from .crm/imports"
mkdir -p .crm/imports
: >.crm/imports/20261124-0900-k2m4.jsonl
: >.crm/imports/20261125-1000-p3q5.jsonl
run crm __complete import undo 202611
expect_out "$(printf '%s\n' 20261124-0900-k2m4 20261125-1000-p3q5)"
run crm __complete import undo 20261125
expect_out "20261125-1000-p3q5"
rm -r .crm/imports

t "files and folders are left to the shell"
run crm __complete import csv ''
expect_out "${TAB}files"
run crm __complete export csv -o ''
expect_out "${TAB}files"
run crm __complete -C ''
expect_out "${TAB}dirs"
run crm __complete init ''
expect_out "${TAB}dirs"

t "-C DIR typed on the line names the workspace; without one, no live values"
cd "$TEST_ROOT" || exit 2
run crm __complete contact show Io
expect_rc 0
expect_err ""
expect_out ""
run crm __complete -C ws contact show Io
expect_out "Ioana Marin${TAB}ioana-marin-m3n4"
run crm __complete -Cws --format json contact list --tag v
expect_out "vip"
run crm __complete -C ws --stage
expect_out ""
cd ws || exit 2

t "the index is read as it is: never refreshed, never made"
cat >contacts/irina-pop-r7s8.yaml <<'EOF'
id: irina-pop-r7s8
name: Irina Pop
EOF
before=$(stat -c %Y.%s .crm/index.sqlite)
run crm __complete contact show Ir
expect_out ""
expect_eq "the index file" "$before" "$(stat -c %Y.%s .crm/index.sqlite)"
crm contact list >/dev/null
run crm __complete contact show Ir
expect_out "Irina Pop${TAB}irina-pop-r7s8"
crm init "$TEST_ROOT/fresh" >/dev/null
cp contacts/irina-pop-r7s8.yaml "$TEST_ROOT/fresh/contacts/"
run crm -C "$TEST_ROOT/fresh" __complete contact show ''
expect_rc 0
expect_out ""
run crm __complete -C "$TEST_ROOT/fresh" contact s
expect_out "$(printf 'show\tshow one contact\nset\tchange fields of a contact\n')"
if [[ -e $TEST_ROOT/fresh/.crm/index.sqlite ]]; then _fail "completion made an index"; else _pass; fi

# ---- real shells -------------------------------------------------------------
printf 'a,b\n' >data.csv

# bash_complete LINE WORD...: COMPREPLY of the crm.bash function (with
# bash-completion loaded) for the cursor at the end of LINE, whose words as bash
# splits them (COMP_WORDBREAKS: '=' and ':' are words of their own) are WORD...
# shellcheck disable=SC2317 # run through `run`
bash_complete() {
  bash --norc --noprofile -c '
    source /usr/share/bash-completion/bash_completion
    source "$1"
    COMP_LINE=$2 COMP_POINT=${#2}
    shift 2
    COMP_WORDS=("$@") COMP_CWORD=$(($# - 1))
    _crm crm "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
    ((${#COMPREPLY[@]} == 0)) || printf "%s\n" "${COMPREPLY[@]}"' _ "$COMPLETIONS/crm.bash" "$@"
}

t "bash: subcommands, names quoted for the line, --option=value and KEY=VALUE"
run bash_complete 'crm contact sh' crm contact sh
expect_err ""
expect_out "show"
run bash_complete 'crm contact show An' crm contact show An
expect_out 'Ana\ Popescu'
run bash_complete 'crm contact show stef' crm contact show stef
expect_out "stefan-ionescu-p2q3"
run bash_complete 'crm contact show ȘT' crm contact show ȘT
expect_out 'Ștefan\ Ionescu'
run bash_complete 'crm contact add X --company Acme\ T' crm contact add X --company 'Acme\ T'
expect_out 'Acme\ Trading\ \(RO\)'
run bash_complete 'crm contact show "Ana P' crm contact show '"Ana P'
expect_out 'Ana Popescu'
run bash_complete 'crm contact list --format=js' crm contact list --format = js
expect_out "$(printf '%s\n' json jsonl)"
run bash_complete 'crm contact set ana stage=cu' crm contact set ana stage = cu
expect_out "customer"
run bash_complete 'crm import csv da' crm import csv da
expect_out "data.csv"
run bash_complete 'crm contact show zz' crm contact show zz
expect_out ""

t "bash: without bash-completion the script still completes"
run bash --norc --noprofile -c '
  source "$1"
  COMP_LINE="crm contact l" COMP_POINT=13 COMP_WORDS=(crm contact l) COMP_CWORD=2
  _crm crm l contact
  printf "%s\n" "${COMPREPLY[@]}"' _ "$COMPLETIONS/crm.bash"
expect_out "list"

# zsh_complete LINE...: for each LINE, the matches zsh's completion system added
# for LINE<Tab> and the line after it (tests/cli/complete_zsh.zsh drives one
# interactive zsh through them all).
# shellcheck disable=SC2317 # run through `run`
zsh_complete() { timeout 60 zsh -f "$CLI_DIR/complete_zsh.zsh" "$COMPLETIONS" "$@"; }

t "zsh: matches, and the line after a Tab"
run zsh_complete 'crm contact sh' 'crm contact show An' 'crm contact show ȘT' 'crm contact list --tag ' \
  'crm contact list --format=js' 'crm contact set ana st' 'crm import csv da' 'crm contact show zz'
expect_err ""
expect_out <<'EOF'
line: crm contact sh
match: show
buffer: crm contact show 
line: crm contact show An
match: Ana Popescu
buffer: crm contact show Ana\ Popescu 
line: crm contact show ȘT
match: Ștefan Ionescu
buffer: crm contact show Ștefan\ Ionescu 
line: crm contact list --tag 
match: retail
match: vip
match: wholesale
buffer: crm contact list --tag 
line: crm contact list --format=js
match: --format=json
match: --format=jsonl
buffer: crm contact list --format=json
line: crm contact set ana st
match: stage=
buffer: crm contact set ana stage=
line: crm import csv da
match: data.csv
buffer: crm import csv data.csv 
line: crm contact show zz
buffer: crm contact show zz
EOF

# fish_complete LINE: what fish offers for LINE (complete -C), value<TAB>description.
# shellcheck disable=SC2016,SC2317 # $argv is fish's, expanded by fish; run through `run`
fish_complete() { fish --no-config -c 'source $argv[1]; complete -C $argv[2]' "$COMPLETIONS/crm.fish" "$1"; }

t "fish: candidates with their descriptions"
run fish_complete 'crm contact sh'
expect_err ""
expect_out "show${TAB}show one contact"
run fish_complete 'crm contact show An'
expect_out "Ana Popescu${TAB}ana-popescu-b3c4, ana-popescu-x7k2"
run fish_complete 'crm contact list --tag '
expect_out "$(printf '%s\n' retail vip wholesale)"
run fish_complete 'crm contact list --format=js'
expect_out "$(printf '%s\n' --format=json --format=jsonl)"
run fish_complete 'crm deal move 7f3a q'
expect_out "qualified${TAB}25%"
run fish_complete 'crm import csv da'
expect_out "data.csv"

finish
