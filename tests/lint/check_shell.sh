#!/usr/bin/env bash
# Runs shellcheck on every shell script of the project: *.sh, the completion and
# plugin scripts, anything with a sh or bash #! line. Run by CTest (lint.shellcheck).
#   check_shell.sh SOURCE_DIR
set -euo pipefail
cd "${1:?usage: check_shell.sh SOURCE_DIR}"
files=()
while IFS= read -r -d '' f; do
  case $f in
    *.sh | *.bash) files+=("$f") ;;
    *) head -c 64 "$f" | head -1 | grep -Eq '^#!.*[/ ](ba)?sh( |$)' && files+=("$f") ;;
  esac
done < <(find . \( -name .git -o -name build -o -name 'build-*' \) -prune -o -type f -print0 | sort -z)
[ ${#files[@]} -gt 0 ] || { echo "no shell scripts found" >&2; exit 1; }
echo "shellcheck: ${#files[@]} scripts"
# Two at a time: the large suites take seconds each.
printf '%s\0' "${files[@]}" | xargs -0 -n 6 -P 2 shellcheck -x
