#!/usr/bin/env bash
# crm config get|set|unset|list: one setting at a time, config.yaml's comments and
# layout kept byte for byte, a bad value refused with the config reader's message.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

new_ws ws
cd ws || exit 2
cfg=.crm/config.yaml
# The text crm init wrote (t-init checks it byte for byte); every change below is
# checked against it with only the changed lines different.
default=$(cat $cfg)

t "config get prints a plain value as it is"
run crm config get currency
expect_rc 0
expect_err ""
expect_out "EUR"
run crm config get index.verify
expect_out "stat"
run crm config get region
expect_out "RO"
run crm config get deals.stages.proposal
expect_rc 0
expect_out "50"

t "config get prints a map or a list as YAML, and JSON with --format json"
run crm config get deals.stages
expect_rc 0
expect_out <<'EOF2'
lead: 10
qualified: 25
proposal: 50
negotiation: 75
EOF2
run crm config get stages
expect_out <<'EOF2'
- lead
- prospect
- customer
- inactive
- lost
EOF2
run crm --format json config get deals.stages
expect_rc 0
expect_out <<'EOF2'
{
  "lead": 10,
  "qualified": 25,
  "proposal": 50,
  "negotiation": 75
}
EOF2
run crm config get --format json currency
expect_out '"EUR"'
run crm config get --format json stages
expect_out <<'EOF2'
[
  "lead",
  "prospect",
  "customer",
  "inactive",
  "lost"
]
EOF2

t "config get of a key that is not set: exit 1 and nothing printed"
run crm config get cadence.stage.customer
expect_rc 1
expect_out ""
expect_err ""
run crm config get alias.overdue
expect_rc 1
expect_out ""
run crm config get currency.code
expect_rc 1
expect_out ""

t "config list prints every set value as key=value"
run crm config list
expect_rc 0
expect_err ""
expect_out <<'EOF2'
currency=EUR
region=RO
index.verify=stat
stages=[lead, prospect, customer, inactive, lost]
feedback.check_after=7d
deals.stages.lead=10
deals.stages.qualified=25
deals.stages.proposal=50
deals.stages.negotiation=75
sales.first_sale_stage=customer
loyalty.points_per_unit=0
rfm.a=12
rfm.b=8
churn.factor=2
EOF2

t "config list --format json: one object, numbers as numbers"
run crm --format json config list
expect_rc 0
expect_out <<'EOF2'
{
  "currency": "EUR",
  "region": "RO",
  "index.verify": "stat",
  "stages": [
    "lead",
    "prospect",
    "customer",
    "inactive",
    "lost"
  ],
  "feedback.check_after": "7d",
  "deals.stages.lead": 10,
  "deals.stages.qualified": 25,
  "deals.stages.proposal": 50,
  "deals.stages.negotiation": 75,
  "sales.first_sale_stage": "customer",
  "loyalty.points_per_unit": 0,
  "rfm.a": 12,
  "rfm.b": 8,
  "churn.factor": 2
}
EOF2

t "config set changes the one line; every comment and every other byte stays"
run crm config set currency GBP
expect_rc 0
expect_out ""
expect_err ""
expect_file_eq $cfg "${default/currency: EUR/currency: GBP}"
run crm config set index.verify dirs
expect_rc 0
expect_file_eq $cfg "$(sed -e 's/^currency: EUR$/currency: GBP/' -e 's/^  verify: stat$/  verify: dirs/' <<<"$default")"
run crm config get index.verify
expect_out "dirs"
crm config set currency EUR && crm config set index.verify stat
expect_file_eq $cfg "$default"

t "config set inside a one-line flow map writes that map again on its line"
run crm config set deals.stages.proposal 60
expect_rc 0
expect_err ""
expect_file_eq $cfg "${default/proposal: 50,/proposal: 60,}"
run crm config get deals.stages.proposal
expect_out "60"
run crm config set deals.stages.demo 40
expect_rc 0
expect_file_eq $cfg "$(sed -e 's/proposal: 50,/proposal: 60,/' -e 's/negotiation: 75}/negotiation: 75, demo: 40}/' <<<"$default")"
run crm config unset deals.stages.demo
expect_rc 0
run crm config set deals.stages.proposal 50
expect_file_eq $cfg "$default"

t "config set of a new nested key: its blocks go below the commented-out example"
run crm config set cadence.stage.customer 30d
expect_rc 0
expect_err ""
expect_file_eq $cfg <<'EOF2'
# crm workspace settings: see crm-workspace(5)
currency: EUR
region: RO
index:
  # stat: check every record file (sees in-place edits); dirs: directory mtimes only
  verify: stat
# a contact's lifecycle stages, in order (a business may add awareness or onboarding)
stages: [lead, prospect, customer, inactive, lost]
# how often to get in touch with contacts that have no cadence of their own
# cadence:
#   stage: {customer: 30d, prospect: 14d}
#   tag: {vip: 14d}
cadence:
  stage:
    customer: 30d
feedback:
  # a follow-up this long after a complaint or return is resolved (off: none)
  check_after: 7d
deals:
  # open pipeline stages in order, each with the chance (percent) to win a deal in it
  stages: {lead: 10, qualified: 25, proposal: 50, negotiation: 75}
sales:
  # the stage a contact's first completed sale moves it to (off: sales leave the stage alone)
  first_sale_stage: customer
loyalty:
  # points per whole unit of the base currency spent (0: no loyalty programme)
  points_per_unit: 0
rfm:
  # priority class by the sum of the recency, frequency and monetary scores (3-15)
  a: 12
  b: 8
churn:
  # slipping away: days since the last purchase above this many times their usual interval
  factor: 2
# lead scoring: points for each filter a lead matches (crm report leads)
# lead_scoring:
#   - {where: "has:email", points: 10}
#   - {where: "source = referral", points: 25}
EOF2
run crm config set cadence.tag.vip 2w
expect_rc 0
run crm config get cadence
expect_out <<'EOF2'
stage:
  customer: 30d
tag:
  vip: 2w
EOF2

t "config unset removes the key's lines, and a block it leaves empty"
run crm config unset cadence.tag.vip
expect_rc 0
expect_out ""
expect_err ""
run crm config --unset cadence.stage.customer
expect_rc 0
expect_err ""
expect_file_eq $cfg "$default"

t "config set of a list, and of a value that needs quotes"
run crm config set stages "[lead, prospect,customer,  churned]"
expect_rc 0
expect_err ""
expect_file_eq $cfg "${default/stages: \[lead, prospect, customer, inactive, lost\]/stages: [lead, prospect, customer, churned]}"
run crm config set stages "[lead, prospect, customer, inactive, lost]"
expect_file_eq $cfg "$default"
run crm config set alias.find 'search "Ana: VIP"'
expect_rc 0
expect_file_eq $cfg "$default
alias:
  find: \"search \\\"Ana: VIP\\\"\""
run crm config get alias.find
expect_out 'search "Ana: VIP"'

t "config set keeps unicode values as they are"
run crm config set alias.salut "log note Ștefan -m 'bună ziua, 李娜'"
expect_rc 0
run crm config get alias.salut
expect_out "log note Ștefan -m 'bună ziua, 李娜'"
expect_file_eq $cfg "$default
alias:
  find: \"search \\\"Ana: VIP\\\"\"
  salut: log note Ștefan -m 'bună ziua, 李娜'"
crm config unset alias.find && crm config unset alias.salut
expect_file_eq $cfg "$default"

t "a bad value is refused with the config reader's message: exit 3, file unchanged"
snapshot .
run crm config set currency euro
expect_rc 3
expect_out ""
expect_err "crm: $TEST_ROOT/ws/.crm/config.yaml:2: bad currency 'euro'"
run crm config set deals.stages.proposal 150
expect_rc 3
expect_err "crm: $TEST_ROOT/ws/.crm/config.yaml:18: bad deals.stages.proposal (expected a percent from 0 to 100) '150'"
run crm config set sales.first_sale_stage vip
expect_rc 3
expect_err "crm: $TEST_ROOT/ws/.crm/config.yaml:21: bad sales.first_sale_stage (expected off or one of: lead, prospect, customer, inactive, lost) 'vip'"
run crm config set alias.bad ""
expect_rc 3
expect_err "crm: $TEST_ROOT/ws/.crm/config.yaml:37: alias 'bad' needs the command it stands for"
run crm config set stages "[lead, prospect"
expect_rc 3
expect_err_match "crm: bad value '\[lead, prospect': [^
]+
hint: a list is \[a, b\], a map \{key: value\}; quote a text that starts with \[ or \{"
expect_unchanged .

t "an unknown key: exit 2, the hint names the known ones"
run crm config set curency GBP
expect_rc 2
expect_out ""
expect_err <<'EOF2'
crm: unknown key 'curency'
hint: config.yaml knows: currency, region, index, stages, cadence, feedback, deals, sales, loyalty, rfm, churn, lead_scoring, alias, git
EOF2
run crm config get nosuch.key
expect_rc 2
expect_err_contains "crm: unknown key 'nosuch.key'"
run crm config set alias..x y
expect_rc 2
expect_err <<'EOF2'
crm: bad key 'alias..x'
hint: a key is names joined by dots: currency, index.verify, alias.overdue
EOF2
expect_unchanged .

t "a key below a plain value or a list: exit 2"
run crm config set currency.code GBP
expect_rc 2
expect_err <<'EOF2'
crm: cannot set 'currency.code': 'currency' holds a value, not keys
hint: 'crm config get currency' shows it
EOF2
run crm config set stages.first lead
expect_rc 2
expect_err_contains "crm: cannot set 'stages.first': 'stages' holds a value, not keys"
expect_unchanged .

t "config unset of a key that is not set: exit 1"
run crm config unset alias.nope
expect_rc 1
expect_out ""
expect_err "crm: 'alias.nope' is not set"
run crm config --unset deals.stages.nope
expect_rc 1
expect_err "crm: 'deals.stages.nope' is not set"
expect_unchanged .

t "config alone, or --unset with a subcommand: usage errors"
run crm config
expect_rc 2
expect_err <<'EOF2'
crm: 'crm config' needs a subcommand
hint: see 'crm config -h'
EOF2
run crm config set currency
expect_rc 2
expect_err_contains "hint: see 'crm config set -h'"

t "a value that starts with - goes after --; without it, it is refused, not taken apart"
run crm config set alias.quiet-due "-q due"
expect_rc 2
expect_out ""
expect_err <<'EOF2'
crm: VALUE is required
hint: see 'crm config set -h'
EOF2
expect_file_eq $cfg "$default"
run crm config set alias.quiet-due -- "-q due"
expect_rc 0
expect_err ""
run crm config get alias.quiet-due
expect_out "-q due"
crm config unset alias.quiet-due
expect_file_eq $cfg "$default"

t "config set mends a value broken by hand: only the new text must be right"
sed -i 's/^currency: EUR$/currency: euro/' $cfg
run crm contact list
expect_rc 3
run crm config get currency
expect_rc 0
expect_out "euro"
run crm config set currency EUR
expect_rc 0
expect_err ""
expect_file_eq $cfg "$default"

t "config set waits for the writer lock and gives up with exit 4"
flock .crm/lock sh -c 'touch ../held; while [ ! -e ../release ]; do sleep 0.02; done' &
holder=$!
while [ ! -e ../held ]; do sleep 0.02; done
CRM_LOCK_TIMEOUT_MS=100 run crm config set currency GBP
expect_rc 4
expect_err_contains "crm: workspace is locked by another crm process"
CRM_LOCK_TIMEOUT_MS=1 run crm config get currency
expect_rc 0
expect_out "EUR"
touch ../release
wait "$holder"
expect_file_eq $cfg "$default"

t "git.autocommit true is refused outside a git work tree"
run crm config set git.autocommit true
expect_rc 2
expect_out ""
expect_err <<EOF2
crm: cannot turn on git.autocommit: '$TEST_ROOT/ws' is not in a git work tree
hint: run 'git init' there first (or start a workspace with 'crm init --git')
EOF2
expect_file_eq $cfg "$default"
run crm config set git.autocommit false
expect_rc 0
expect_file_eq $cfg "$default
git:
  autocommit: false"
crm config unset git.autocommit

t "git.autocommit true is taken in a git work tree"
new_ws ../gitws
git -C ../gitws init -q
run crm -C ../gitws config set git.autocommit true
expect_rc 0
expect_err ""
run crm -C ../gitws config get git.autocommit
expect_out "true"

t "CRLF line ends stay CRLF"
new_ws ../crlf
sed -i 's/$/\r/' ../crlf/$cfg
run crm -C ../crlf config set alias.d due
expect_rc 0
crlf_expected="$default
alias:
  d: due"
expect_file_eq ../crlf/$cfg "${crlf_expected//$'\n'/$'\r\n'}"$'\r'

t "config outside a workspace: exit 2"
mkdir -p ../none
run crm -C ../none config list
expect_rc 2
expect_err <<EOF2
crm: not a crm workspace (or any parent): $TEST_ROOT/none
hint: run 'crm init' to create one here, or use -C DIR
EOF2

finish
