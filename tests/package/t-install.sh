#!/usr/bin/env bash
# `cmake --install` into a temporary prefix: exactly the files of files.txt, and
# the installed crm runs on its own: its version, its man page, and a phone
# number parsed by the installed phone module (not the one in the build folder).
# Environment (set by CTest): CRM_BUILD_DIR, CRM_SOURCE_DIR, CRM_VERSION.
# shellcheck source-path=SCRIPTDIR source=../cli/lib.sh
source "$(dirname "$0")/../cli/lib.sh"

prefix=$TEST_ROOT/prefix

t "cmake --install puts exactly the files of tests/package/files.txt under the prefix"
run cmake --install "$CRM_BUILD_DIR" --prefix "$prefix"
expect_rc 0
expect_err ""
# files.txt: one path a line; "PATH if SOURCE" when PATH is installed only while
# SOURCE (a path in the repository) exists; # starts a comment.
expected=$(
  while read -r path cond source; do
    [[ -z $path || $path == \#* ]] && continue
    if [[ $cond == if && ! -e $CRM_SOURCE_DIR/$source ]]; then continue; fi
    printf '%s\n' "$path"
  done <"$(dirname "$0")/files.txt" | LC_ALL=C sort
)
actual=$(cd "$prefix" && find . ! -type d | sed 's|^\./||' | LC_ALL=C sort)
expect_eq "installed files (tests/package/files.txt lists them)" "$expected" "$actual"

t "the installed binary and module are executable and carry no RPATH into the build"
expect_true "bin/crm is executable" test -x "$prefix/bin/crm"
run readelf -d "$prefix/bin/crm" "$prefix/lib/crm/crm-phone.so"
expect_rc 0
expect_out_lacks "RPATH"
expect_out_lacks "RUNPATH"

# shellcheck disable=SC2317 # called through run
crm_installed() { env -u CRM_PHONE_MODULE "$prefix/bin/crm" "$@"; }

t "the installed crm prints its version"
run crm_installed --version
expect_rc 0
expect_out "crm $CRM_VERSION"
expect_err ""

t "the installed crm parses a phone number with the installed module"
run crm_installed init ws --region RO
expect_rc 0
cd ws || exit 2
# LD_DEBUG=files: the dynamic loader names each library it loads, on stderr.
run env LD_DEBUG=files "$prefix/bin/crm" contact add "Ana Popescu" --phone "0722 123 456"
expect_rc 0
id=${out%$'\n'}
loaded=$(grep -o 'file=[^ ]*crm-phone\.so' <<<"$err" | sort -u)
expect_eq "the phone module loaded" "file=$prefix/lib/crm/crm-phone.so" "$loaded"
run crm_installed contact list --where 'phones = "+40 722 123 456"' --fields id,phones --format jsonl
expect_rc 0
expect_out "{\"id\":\"$id\",\"phones\":[{\"number\":\"0722 123 456\",\"e164\":\"+40722123456\"}]}"
cd .. || exit 2

t "man finds the installed pages"
run env MANPATH="$prefix/share/man" man -w crm
expect_rc 0
expect_out "$prefix/share/man/man1/crm.1.gz"
run env MANPATH="$prefix/share/man" man -w 5 crm-workspace
expect_rc 0
expect_out "$prefix/share/man/man5/crm-workspace.5.gz"
run gzip -t "$prefix/share/man/man7/crm-filter.7.gz"
expect_rc 0

finish
