#!/usr/bin/env bash
# Configures and builds one CMake preset (default: dev), every target or only the
# ones named after the preset. Idempotent.
#   scripts/build.sh [PRESET [TARGET...]]
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-dev}
shift || true
# Configured anew when the presets changed since (a new compiler, a new option):
# CMake then starts the cache over by itself where it must.
[ "build/$preset/build.ninja" -nt CMakePresets.json ] || cmake --preset "$preset" >/dev/null
targets=()
[ $# -eq 0 ] || targets=(--target "$@")
cmake --build --preset "$preset" "${targets[@]}"
