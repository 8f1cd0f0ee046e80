#!/usr/bin/env bash
# Configures and builds one CMake preset (default: dev). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-dev}
[ -f "build/$preset/build.ninja" ] || cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"
