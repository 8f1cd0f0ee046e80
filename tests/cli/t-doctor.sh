#!/usr/bin/env bash
# crm doctor: validates every record file and reports each problem with file:line;
# exit 0 when clean, 1 when it finds anything; never writes.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

t "a clean workspace: 'no problems found', exit 0"
fixture_ws ws small
run crm -C ws doctor
expect_rc 0
expect_err ""
expect_out "no problems found"
run crm -C ws doctor --format json
expect_rc 0
expect_out "[]"

t "an empty workspace is clean too"
new_ws empty
run crm -C empty doctor
expect_rc 0
expect_out "no problems found"

# One file per kind of problem; h-ok is fine.
new_ws bad
cd bad || exit 2
printf 'id: a-syntax\nname: A\ntitle: [CEO\ncity: Iasi\n' >contacts/a-syntax.yaml
printf 'id: b-noname\nemails:\n  - address: b@example.ro\n' >contacts/b-noname.yaml
printf 'id: c-bademail\nname: C\nemails:\n  - address: not-an-email\n' >contacts/c-bademail.yaml
printf 'id: d-baddate\nname: D\nbirthday: 2025-02-30\n' >contacts/d-baddate.yaml
printf 'id: e-stage\nname: E\nstage: client\n' >contacts/e-stage.yaml
printf 'id: f-other\nname: F\n' >contacts/f-mismatch.yaml
printf 'id: g-company\nname: G\ncompany: nosuch-co\n' >contacts/g-company.yaml
printf 'id: h-ok\nname: H\n' >contacts/h-ok.yaml
printf 'id: half-writ' >contacts/.crm-tmp-x

t "every problem is found, with file:line, and doctor exits 1"
snapshot .
run crm doctor
expect_rc 1
expect_out <<'EOF'
contacts/.crm-tmp-x: temp file left by an interrupted write (the next command removes it)
contacts/a-syntax.yaml:4: end of sequence flow not found
contacts/b-noname.yaml: missing 'name'
contacts/c-bademail.yaml:4: bad email 'not-an-email'
contacts/d-baddate.yaml:3: bad date '2025-02-30' (expected YYYY-MM-DD or --MM-DD)
contacts/e-stage.yaml:3: bad stage 'client' (expected one of: lead, prospect, customer, inactive, lost)
contacts/f-mismatch.yaml:1: id 'f-other' does not match the file name
contacts/g-company.yaml:3: company 'nosuch-co' does not exist
8 problems found
EOF

t "doctor never writes, not even the temp file away"
expect_unchanged .
expect_file contacts/.crm-tmp-x

t "doctor --format json: one object per problem"
run crm doctor --format json
expect_rc 1
expect_out <<'EOF'
[
  {
    "where": "contacts/.crm-tmp-x",
    "problem": "temp file left by an interrupted write (the next command removes it)"
  },
  {
    "where": "contacts/a-syntax.yaml:4",
    "problem": "end of sequence flow not found"
  },
  {
    "where": "contacts/b-noname.yaml",
    "problem": "missing 'name'"
  },
  {
    "where": "contacts/c-bademail.yaml:4",
    "problem": "bad email 'not-an-email'"
  },
  {
    "where": "contacts/d-baddate.yaml:3",
    "problem": "bad date '2025-02-30' (expected YYYY-MM-DD or --MM-DD)"
  },
  {
    "where": "contacts/e-stage.yaml:3",
    "problem": "bad stage 'client' (expected one of: lead, prospect, customer, inactive, lost)"
  },
  {
    "where": "contacts/f-mismatch.yaml:1",
    "problem": "id 'f-other' does not match the file name"
  },
  {
    "where": "contacts/g-company.yaml:3",
    "problem": "company 'nosuch-co' does not exist"
  }
]
EOF
expect_unchanged .

t "other commands keep working beside the broken files"
run crm contact show h-ok --format ids
expect_rc 0
expect_out "h-ok"
expect_err <<'EOF'
warning: skipping contacts/a-syntax.yaml:4: end of sequence flow not found
warning: skipping contacts/f-mismatch.yaml:1: id 'f-other' does not match the file name
EOF

t "the next command, a reading one too, removes the leftover temp file"
run crm contact list --format ids
expect_rc 0
expect_no_file contacts/.crm-tmp-x
run crm contact add "New Person"
expect_rc 0
run crm doctor
expect_rc 1
expect_out_lacks ".crm-tmp-x"
expect_out_contains "7 problems found"

t "fixing the files makes doctor clean again"
printf 'id: a-syntax\nname: A\ntitle: CEO\n' >contacts/a-syntax.yaml
printf 'id: b-noname\nname: B\n' >contacts/b-noname.yaml
rm contacts/c-bademail.yaml contacts/d-baddate.yaml contacts/e-stage.yaml contacts/g-company.yaml
mv contacts/f-mismatch.yaml contacts/f-other.yaml
run crm doctor
expect_rc 0
expect_out "no problems found"
cd .. || exit 2

t "one problem: singular wording"
new_ws one
printf 'id: co\nname: Co\nemails: [not-an-email]\n' >one/companies/co.yaml
run crm -C one doctor
expect_rc 1
expect_out <<'EOF'
companies/co.yaml:3: bad email 'not-an-email'
1 problem found
EOF

t "duplicate ids are reported"
new_ws dup
printf 'id: same\nname: One\n' >dup/contacts/same.yaml
printf 'id: same\nname: Two\n' >dup/contacts/copy.yaml
run crm -C dup doctor
expect_rc 1
expect_out <<'EOF'
contacts/copy.yaml:1: id 'same' does not match the file name
contacts/same.yaml:1: duplicate id 'same' (also in contacts/copy.yaml)
2 problems found
EOF

t "an unterminated quoted string is a syntax error, not a silently longer value"
new_ws quote
printf 'id: q\nname: "Ana Pop\ncity: Iasi\n' >quote/contacts/q.yaml
run crm -C quote doctor
expect_rc 1
expect_out_match 'contacts/q\.yaml:[23]: .*
1 problem found'

t "what points to a contact whose file does not parse points to that file, not to nothing"
new_ws brokenref
printf 'id: ana\nname: Ana\ntitle: [CEO\n' >brokenref/contacts/ana.yaml
mkdir -p brokenref/activities/2026/11
printf 'id: 2026-11-20-call-ana\nkind: call\ncontact: ana\nat: 2026-11-20T10:00:00+00:00\n' \
  >brokenref/activities/2026/11/2026-11-20-call-ana.yaml
printf 'id: bob\nname: Bob\ncompany: nosuch\n' >brokenref/contacts/bob.yaml
run crm -C brokenref doctor
expect_rc 1
expect_out <<'EOF'
activities/2026/11/2026-11-20-call-ana.yaml:3: contact 'ana' is in a file that does not parse (contacts/ana.yaml)
contacts/ana.yaml:4: end of sequence flow not found
contacts/bob.yaml:3: company 'nosuch' does not exist
3 problems found
EOF

t "doctor outside a workspace is exit 2"
mkdir nowhere
run crm -C nowhere doctor
expect_rc 2
expect_out ""
expect_err <<EOF
crm: not a crm workspace (or any parent): $TEST_ROOT/nowhere
hint: run 'crm init' to create one here, or use -C DIR
EOF

t "temp files of a killed journal write in .crm/ are named by doctor and removed by the next command"
cd "$TEST_ROOT" || exit 2
new_ws journals
cd journals || exit 2
mkdir -p .crm/imports .crm/changes
printf '{"row": 1' >.crm/imports/.crm-tmp-20261125-100000-abcd.jsonl-0123456789abcdef
printf '{"path"' >.crm/changes/.crm-tmp-k7q2.jsonl-fedcba9876543210
run crm doctor
expect_rc 1
expect_out <<'EOF'
.crm/changes/.crm-tmp-k7q2.jsonl-fedcba9876543210: temp file left by an interrupted write (the next command removes it)
.crm/imports/.crm-tmp-20261125-100000-abcd.jsonl-0123456789abcdef: temp file left by an interrupted write (the next command removes it)
2 problems found
EOF
run crm contact list --format ids
expect_rc 1 # an empty list
expect_eq "temp files left" "" "$(find .crm -name '.crm-tmp-*')"
run crm doctor
expect_rc 0
expect_out "no problems found"

finish
