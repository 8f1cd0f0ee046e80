#!/usr/bin/env bash
# Every report's numbers against an independent computation: report_data.py writes
# a varied workspace straight as YAML files (fixed seed), report_check.py reads
# those files itself, works each report out from its definition (not from the
# index nor from crm) and compares it field by field with `crm report NAME
# --format json` for several option sets. A mismatch is printed with its field.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

# The reports count days from the pinned clock (report_check.py pins it too).
export CRM_NOW=2026-11-25T10:00:00+00:00

python3 "$CLI_DIR/report_data.py" ws || exit 2

t "the generated workspace passes crm's checks"
run crm -C ws doctor
expect_rc 0
expect_out "no problems found"
run crm -C ws index rebuild
expect_rc 0
expect_out_contains "(0 broken)"

# check GROUP: report_check.py on one report group; its mismatches are the output.
check() {
  run python3 "$CLI_DIR/report_check.py" ws "$1"
  expect_rc 0
  expect_out_match "[0-9]+ values compared, 0 mismatches"
}

t "revenue matches an independent computation"
check revenue
t "top customers match an independent computation"
check top
t "rfm scores and classes match an independent computation"
check rfm
t "churn matches an independent computation"
check churn
t "reorder matches an independent computation"
check reorder
t "lifecycle matches an independent computation"
check lifecycle
t "conversion matches an independent computation"
check conversion
t "leads and leads --learn match an independent computation"
check leads
t "campaigns match an independent computation"
check campaigns
t "feedback matches an independent computation"
check feedback
t "cross-sell matches an independent computation"
check cross-sell
t "every fact of a report is kept in its json"
check facts

finish
