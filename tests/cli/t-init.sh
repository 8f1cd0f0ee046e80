#!/usr/bin/env bash
# crm init and workspace discovery (-C, $CRM_WORKSPACE, walking up).
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

record_dirs="activities campaigns companies contacts deals feedback files followups loyalty payments products sales segments vouchers"

t "init DIR prints where the workspace is"
run crm init ws
expect_rc 0
expect_err ""
expect_out "created crm workspace in $TEST_ROOT/ws"

t "init creates .crm/config.yaml with the defaults"
expect_file_eq ws/.crm/config.yaml <<'EOF'
# crm workspace settings: see crm-workspace(5)
currency: EUR
region: ""
index:
  # stat: check every record file (sees in-place edits); dirs: directory mtimes only
  verify: stat
# a contact's lifecycle stages, in order (a business may add awareness or onboarding)
stages: [lead, prospect, customer, inactive, lost]
# how often to get in touch with contacts that have no cadence of their own
# cadence:
#   stage: {customer: 30d, prospect: 14d}
#   tag: {vip: 14d}
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
EOF

t "init creates every record folder, kept in git by a .keep file"
listing=$(cd ws && find . ! -path './.crm/*' | LC_ALL=C sort)
expected=$(
  printf '.\n./.crm\n./.gitignore\n'
  for d in $record_dirs; do printf './%s\n./%s/.keep\n' "$d" "$d"; done | LC_ALL=C sort
)
expect_eq "workspace layout" "$expected" "$listing"
expect_eq ".crm holds only the config" "config.yaml" "$(ls -A ws/.crm)"

t "init writes a .gitignore for the index and the lock"
expect_file_eq ws/.gitignore <<'EOF'
# crm: the index, the lock and an interrupted command's journal are per clone
.crm/index.sqlite
.crm/index.sqlite-*
.crm/lock
.crm/changes/
EOF

t "--currency and --region go into the config"
run crm init ws2 --currency RON --region UA
expect_rc 0
expect_out "created crm workspace in $TEST_ROOT/ws2"
expect_file_eq ws2/.crm/config.yaml <<'EOF'
# crm workspace settings: see crm-workspace(5)
currency: RON
region: UA
index:
  # stat: check every record file (sees in-place edits); dirs: directory mtimes only
  verify: stat
# a contact's lifecycle stages, in order (a business may add awareness or onboarding)
stages: [lead, prospect, customer, inactive, lost]
# how often to get in touch with contacts that have no cadence of their own
# cadence:
#   stage: {customer: 30d, prospect: 14d}
#   tag: {vip: 14d}
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
EOF

t "init with no DIR uses the current directory"
mkdir here
run crm_in here init --region GB
expect_rc 0
expect_err ""
expect_out "created crm workspace in $TEST_ROOT/here"
expect_file here/.crm/config.yaml

t "init creates missing parent folders"
run crm init deep/er/ws
expect_rc 0
expect_out "created crm workspace in $TEST_ROOT/deep/er/ws"
expect_file deep/er/ws/contacts/.keep

t "re-running init on a workspace is exit 4 and changes nothing"
crm -C ws contact add "Ana Pop" >/dev/null
snapshot ws
run crm init ws --currency USD --region GB
expect_rc 4
expect_out ""
expect_err <<EOF
crm: '$TEST_ROOT/ws' is already a crm workspace
hint: nothing was changed; remove its .crm/ folder first to start over
EOF
expect_unchanged ws

t "re-running init from inside the workspace says the same"
run crm_in ws init
expect_rc 4
expect_out ""
expect_err <<EOF
crm: '$TEST_ROOT/ws' is already a crm workspace
hint: nothing was changed; remove its .crm/ folder first to start over
EOF
expect_unchanged ws

t "a bad currency is exit 2 and creates nothing"
for bad in eur EURO 123; do
  run crm init badcur --currency "$bad"
  expect_rc 2
  expect_out ""
  expect_err <<EOF
crm: bad currency '$bad'
hint: use an ISO 4217 code in capitals, such as EUR, GBP, RON, UAH
EOF
done
expect_no_file badcur

t "a bad region is exit 2 and creates nothing"
run crm init badreg --region ro
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: bad region 'ro'
hint: use an ISO 3166 country code in capitals, such as RO, GB, UA
EOF
expect_no_file badreg

t "an unknown option is a usage error that points at the command's help"
run crm init x --bogus
expect_rc 2
expect_err <<'EOF'
crm: unknown option '--bogus'
hint: see 'crm init -h'
EOF
expect_no_file x

t "--git makes a repository with one commit holding the empty workspace"
run crm init gws --git
expect_rc 0
expect_out "created crm workspace in $TEST_ROOT/gws"
expect_eq "commits" "1" "$(git -C gws rev-list --count HEAD)"
expect_eq "commit subject" "crm: new workspace" "$(git -C gws log -1 --format=%s)"
expected=$(
  printf '.crm/config.yaml\n.gitattributes\n.gitignore\n'
  for d in $record_dirs; do printf '%s/.keep\n' "$d"; done
)
expect_eq "committed files" "$expected" "$(git -C gws ls-files)"
expect_eq "clean tree" "" "$(git -C gws status --porcelain)"

t "--git makes crm the merge driver of the record files (docs/git.md)"
expect_eq "attributes of a contact" "contacts/x.yaml: merge: crm" "$(git -C gws check-attr merge -- contacts/x.yaml)"
expect_eq "attributes of an activity" "activities/2026/11/x.yaml: merge: crm" \
  "$(git -C gws check-attr merge -- activities/2026/11/x.yaml)"
expect_eq "driver" "'$(readlink -f "$CRM")' __merge-driver %O %A %B %P" "$(git -C gws config merge.crm.driver)"

t "the index and the lock stay out of git"
crm -C gws contact list >/dev/null
crm -C gws contact add "Ana Pop" >/dev/null
expect_file gws/.crm/index.sqlite
expect_file gws/.crm/lock
expect_eq "git status (the contact was committed: --git turns git.autocommit on)" "" "$(git -C gws status --porcelain)"
expect_match "tracked" '\.crm/config\.yaml
contacts/ana-pop-[a-km-np-z2-9]{4}\.yaml' "$(git -C gws ls-files .crm contacts/*.yaml)"

# ---------------------------------------------------------------- discovery

new_ws w1
new_ws w2
id1=$(crm -C w1 contact add "One Person")
id2=$(crm -C w2 contact add "Two Person")

t "-C DIR runs in that workspace"
run crm -C w1 contact list --format ids
expect_rc 0
expect_err ""
expect_out "$id1"
run crm -C "$TEST_ROOT/w2" contact list --format ids
expect_out "$id2"

t "-C into a subfolder still finds the workspace above"
run crm -C w1/contacts contact list --format ids
expect_rc 0
expect_out "$id1"

t "\$CRM_WORKSPACE names the workspace"
CRM_WORKSPACE=$TEST_ROOT/w2 run crm contact list --format ids
expect_rc 0
expect_out "$id2"

t "\$CRM_WORKSPACE wins over the current directory"
CRM_WORKSPACE=$TEST_ROOT/w2 run crm_in w1 contact list --format ids
expect_rc 0
expect_out "$id2"

t "-C wins over \$CRM_WORKSPACE"
CRM_WORKSPACE=$TEST_ROOT/w1 run crm -C w2 contact list --format ids
expect_rc 0
expect_out "$id2"

t "\$CRM_WORKSPACE that is not a workspace is exit 2"
mkdir -p plain/dir
CRM_WORKSPACE=$TEST_ROOT/plain run crm contact list
expect_rc 2
expect_out ""
expect_err <<EOF
crm: not a crm workspace: '$TEST_ROOT/plain' (from CRM_WORKSPACE)
hint: run 'crm init' there to create one
EOF

t "crm walks up from a subdirectory to the first .crm/"
mkdir -p w1/files/deep/er
run crm_in w1/files/deep/er contact list --format ids
expect_rc 0
expect_out "$id1"
run crm_in w1/files/deep/er contact add "Three Person"
expect_rc 0
expect_eq "the record lands in the workspace" "2" "$(find w1/contacts -name '*.yaml' | wc -l)"
expect_no_file w1/files/deep/er/contacts

t "outside any workspace: exit 2 with the directory and a hint"
run crm_in plain/dir contact list
expect_rc 2
expect_out ""
expect_err <<EOF
crm: not a crm workspace (or any parent): $TEST_ROOT/plain/dir
hint: run 'crm init' to create one here, or use -C DIR
EOF
run crm -C plain contact add "Nobody"
expect_rc 2
expect_out ""
expect_err <<EOF
crm: not a crm workspace (or any parent): $TEST_ROOT/plain
hint: run 'crm init' to create one here, or use -C DIR
EOF
expect_no_file plain/contacts

t "-C to a folder that does not exist is an error, not the workspace around it"
snapshot w1
run crm_in w1 -C nosuchdir contact add "Lost Person"
expect_rc 2
expect_out ""
expect_err_match "crm: .*'nosuchdir'.*"
expect_unchanged w1

finish
