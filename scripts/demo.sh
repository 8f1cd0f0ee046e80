#!/usr/bin/env bash
# The main job on a fresh Debian machine: install what is missing, build, then
# create an example workspace from examples/quickstart.sh and use it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
# The binary and its phone plugin only: the unit tests are for scripts/test.sh.
scripts/build.sh dev crm crm_phone
workspace=${1:-build/example-workspace}
rm -rf "$workspace"
CRM="$PWD/build/dev/cmd/crm" examples/quickstart.sh "$workspace"
