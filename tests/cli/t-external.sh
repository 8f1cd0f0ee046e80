#!/usr/bin/env bash
# External commands: `crm NAME ARGS` runs crm-NAME from PATH with CRM_WORKSPACE set,
# its exit status passed on; help -a lists them; an unknown name is still an error.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

new_ws ws
mkdir -p ws/sub bin bin2 none
cat >bin/crm-hello <<'EOF2'
#!/bin/sh
printf 'args:'
for a in "$@"; do printf ' [%s]' "$a"; done
printf '\nworkspace: %s\npwd: %s\n' "${CRM_WORKSPACE-(unset)}" "$PWD"
exit "${HELLO_EXIT:-0}"
EOF2
# A second crm-hello later on PATH never runs; crm-other is listed from bin2.
printf '#!/bin/sh\necho second\n' >bin2/crm-hello
printf '#!/bin/sh\necho other\n' >bin2/crm-other
printf '#!/bin/sh\necho never\n' >bin2/crm-contact # a crm command wins
printf 'not executable\n' >bin/crm-plain
chmod +x bin/crm-hello bin2/crm-hello bin2/crm-other bin2/crm-contact
PATH=$TEST_ROOT/bin:$TEST_ROOT/bin2:$PATH
export PATH

t "crm NAME runs crm-NAME from PATH with the arguments and CRM_WORKSPACE"
run crm_in ws/sub hello a "b c" --flag
expect_rc 0
expect_err ""
expect_out <<EOF2
args: [a] [b c] [--flag]
workspace: $TEST_ROOT/ws
pwd: $TEST_ROOT/ws/sub
EOF2

t "-C DIR before the name: the program starts there, with that workspace"
run crm -C ws/sub --format json -q hello x
expect_rc 0
expect_err ""
expect_out <<EOF2
args: [x]
workspace: $TEST_ROOT/ws
pwd: $TEST_ROOT/ws/sub
EOF2

t "outside a workspace CRM_WORKSPACE is left unset"
run crm_in none hello
expect_rc 0
expect_out <<EOF2
args:
workspace: (unset)
pwd: $TEST_ROOT/none
EOF2
CRM_WORKSPACE=$TEST_ROOT/ws run crm_in none hello
expect_out <<EOF2
args:
workspace: $TEST_ROOT/ws
pwd: $TEST_ROOT/none
EOF2
CRM_WORKSPACE=$TEST_ROOT/ws run crm -C none hello
expect_out <<EOF2
args:
workspace: (unset)
pwd: $TEST_ROOT/none
EOF2

t "the program's exit status is crm's"
HELLO_EXIT=7 run crm_in ws hello
expect_rc 7
expect_out_contains "args:"

t "a crm command and an alias win over a program of the same name"
run crm_in ws contact list --format ids
expect_rc 1
expect_out ""
expect_err ""
crm -C ws config set alias.hello "config get currency"
run crm_in ws hello
expect_rc 0
expect_out "EUR"
crm -C ws config unset alias.hello

t "an alias may stand for an external command"
crm -C ws config set alias.hi "hello from-alias"
run crm_in ws hi more
expect_rc 0
expect_out <<EOF2
args: [from-alias] [more]
workspace: $TEST_ROOT/ws
pwd: $TEST_ROOT/ws
EOF2

t "help -a lists the programs on PATH, the first of a name, not the hidden ones"
run env PATH="$TEST_ROOT/bin:$TEST_ROOT/bin2" "$CRM" -C none help -a
expect_rc 0
expect_err ""
expect_eq "the external commands section" "External commands (crm-NAME on PATH):
  hello                       $TEST_ROOT/bin/crm-hello
  other                       $TEST_ROOT/bin2/crm-other
" "${out#*$'\n\n'}" # the text after the commands
expect_out_lacks "Aliases"
expect_out_contains "Commands:
  init "

t "crm help NAME says where an external command is"
run crm_in none help hello
expect_rc 0
expect_out "'hello' is an external command: $TEST_ROOT/bin/crm-hello"

t "a name that is no command, alias or program: exit 2 as before"
run crm_in ws nosuch a b
expect_rc 2
expect_out ""
expect_err <<'EOF2'
crm: 'nosuch' is not a crm command
hint: see 'crm -h'
EOF2
run crm_in ws plain
expect_rc 2
expect_err <<'EOF2'
crm: 'plain' is not a crm command
hint: see 'crm -h'
EOF2

finish
