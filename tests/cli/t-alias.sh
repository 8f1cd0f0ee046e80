#!/usr/bin/env bash
# Aliases (alias: in config.yaml): expanded in the command word's place, global options
# kept in front and the rest of the words added; alias to alias, loops, shadowing, help.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

new_ws ws
cd ws || exit 2
crm config set alias.cur "config get currency"
crm config set alias.get "config get"
crm config set alias.stage-of "get deals.stages"
cat >>.crm/config.yaml <<'EOF2'
  who: "contact list --fields name,city --where 'city = \"Cluj-Napoca\"'"
  add-ana: contact add 'Ana Pop' --city Cluj-Napoca
EOF2

t "an alias runs the words it stands for"
run crm cur
expect_rc 0
expect_err ""
expect_out "EUR"

t "the words after an alias are added at its end"
run crm get region
expect_rc 0
expect_err ""
expect_out "RO"
run crm get deals.stages --format json
expect_rc 0
expect_out <<'EOF2'
{
  "lead": 10,
  "qualified": 25,
  "proposal": 50,
  "negotiation": 75
}
EOF2

t "global options before an alias stay in front of its words"
cd .. || exit 2
run crm -C ws --format json cur
expect_rc 0
expect_err ""
expect_out '"EUR"'
run crm -Cws -q get index.verify
expect_rc 0
expect_out "stat"
cd ws || exit 2

t "an alias may start with another alias"
run crm stage-of
expect_rc 0
expect_out <<'EOF2'
lead: 10
qualified: 25
proposal: 50
negotiation: 75
EOF2

t "quotes in an alias keep words together, as in a shell"
run crm add-ana --email ana@pop.ro
expect_rc 0
expect_err ""
expect_out_match 'ana-pop-[a-z2-9]{4}'
crm contact add "Ion Rus" --city Iași >/dev/null
run crm who
expect_rc 0
expect_err ""
expect_out <<'EOF2'
name	city
Ana Pop	Cluj-Napoca
EOF2

t "an alias loop is an error: exit 2, nothing run"
crm config set alias.ping "pong --x"
crm config set alias.pong -- "-q ping"
run crm ping
expect_rc 2
expect_out ""
expect_err <<'EOF2'
crm: alias loop: ping -> pong -> ping
hint: change one of them in the alias: map of .crm/config.yaml
EOF2
crm config unset alias.ping
crm config unset alias.pong

t "an alias with a quote that does not close: exit 3"
crm config set alias.broken "contact list --where 'city = x"
run crm broken
expect_rc 3
expect_out ""
expect_err <<'EOF2'
crm: bad alias 'broken': unclosed '
hint: crm config set alias.broken "..." changes it
EOF2
crm config unset alias.broken

t "an alias named like a crm command is ignored, with a warning"
crm config set alias.contact "config get currency"
run crm contact list --fields name --where 'name = "Ion Rus"'
expect_rc 0
expect_out <<'EOF2'
name
Ion Rus
EOF2
expect_err "warning: alias 'contact' is ignored: 'contact' is a crm command"
run crm -q contact list --fields name --where 'name = "Ion Rus"'
expect_rc 0
expect_err ""

t "crm -h lists the aliases with what they stand for"
run crm -h
expect_rc 0
expect_err ""
aliases=${out#*$'\n'Aliases (from .crm/config.yaml):$'\n'}
expect_eq "the aliases section of crm -h" \
  "  add-ana                     contact add 'Ana Pop' --city Cluj-Napoca
  contact                     config get currency (ignored: 'contact' is a crm command)
  cur                         config get currency
  get                         config get
  stage-of                    get deals.stages
  who                         contact list --fields name,city --where 'city = \"Cluj-Napoca\"'
" "$aliases"
run crm help
expect_eq "crm help" "$(crm -h)"$'\n' "$out"

t "crm help ALIAS says what it stands for"
run crm help cur
expect_rc 0
expect_err ""
expect_out "'cur' is an alias for 'config get currency'"

t "crm help -a lists the aliases after the commands"
run crm help -a
expect_rc 0
expect_err ""
expect_out_contains "Commands:
  init                        create a workspace in DIR (default: the current directory)
"
expect_out_contains "
  config                      read and change the workspace settings in .crm/config.yaml
"
expect_out_contains "
Aliases (from .crm/config.yaml):
  add-ana                     contact add 'Ana Pop' --city Cluj-Napoca
  contact                     config get currency (ignored: 'contact' is a crm command)
  cur                         config get currency
"

t "with config.yaml broken, an unknown word says why its aliases are not there"
cp .crm/config.yaml ../config.yaml.good
sed -i 's/^currency: EUR$/currency: euro/' .crm/config.yaml
run crm cur
expect_rc 3
expect_out ""
expect_err <<EOF2
crm: $TEST_ROOT/ws/.crm/config.yaml:2: bad currency 'euro'
hint: 'cur' is no crm command; the aliases in config.yaml could not be read
EOF2
cp ../config.yaml.good .crm/config.yaml

t "outside the workspace its aliases are unknown"
cd .. || exit 2
run crm cur
expect_rc 2
expect_out ""
expect_err <<'EOF2'
crm: 'cur' is not a crm command
hint: see 'crm -h'
EOF2

finish
