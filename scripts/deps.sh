#!/usr/bin/env bash
# Installs the Debian packages crm builds and tests with, when any is missing.
# Idempotent: with everything present it only checks. Uses sudo when not root.
set -euo pipefail

packages=(
  # build (g++ for the dev preset; clang with its sanitizer and libFuzzer runtimes
  # for the asan preset, llvm for llvm-symbolizer's stack traces)
  cmake ninja-build g++ pkg-config git clang libclang-rt-14-dev llvm
  # libraries (DESIGN.md section 2)
  libcli11-dev libyaml-cpp-dev libfmt-dev libsqlitecpp-dev libsqlite3-dev doctest-dev
  libutf8proc-dev libphonenumber-dev nlohmann-json3-dev
  # country names in every language, read at build time (scripts/gen_country_names.py
  # with Debian's python3: iso-codes and its translations, then ICU's display names)
  iso-codes python3 python3-icu
  # tests and benchmarks
  sqlite3 python3 python3-icalendar python3-yaml python3-vobject util-linux
  # injected I/O faults (tests/cli/t-faults.sh: fiu-run)
  fiu-utils
  # SVG charts checked in headless Chromium (tests/cli/check_svg.sh), with fonts for
  # Latin, Cyrillic and Arabic (DejaVu) and CJK (Droid Sans Fallback) labels
  chromium fonts-dejavu-core fonts-droid-fallback
  # git as the sharing engine (crm sync, history, the merge driver), completions tested
  # in real shells, man pages from scdoc checked by mandoc, the .deb checked by lintian,
  # examples that round-trip CSV through jq and Miller, shellcheck on every script
  git bash-completion zsh fish scdoc mandoc lintian dpkg-dev jq miller shellcheck
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}" >&2
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
