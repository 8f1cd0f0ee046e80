#!/usr/bin/env bash
# The Debian package: `cpack -G DEB` builds it, lintian finds no error in it, its
# files and Depends are right, and (as root, when crm is not installed already)
# it installs, runs and is purged cleanly. Not root: the install part is skipped and
# the suite exits 77 (CTest's SKIP_RETURN_CODE) when everything else passed.
# Environment (set by CTest): CRM_BUILD_DIR, CRM_SOURCE_DIR, CRM_VERSION, CRM_DEB_VERSION.
# shellcheck source-path=SCRIPTDIR source=../cli/lib.sh
source "$(dirname "$0")/../cli/lib.sh"

arch=$(dpkg --print-architecture)
deb=$CRM_BUILD_DIR/package/crm_${CRM_DEB_VERSION}_$arch.deb

t "cpack -G DEB builds crm_VERSION_ARCH.deb"
rm -f "$deb"
run bash -c 'cd "$1" && cpack -G DEB' _ "$CRM_BUILD_DIR"
expect_rc 0
expect_true "$deb exists" test -f "$deb"
if [[ ! -f $deb ]]; then finish; fi

t "lintian reports no error"
run lintian --fail-on error "$deb"
expect_rc 0
# Its warnings and notes, for whoever reads the test log.
printf '%s' "$out" | sed 's/^/  lintian: /'

t "the control fields"
run dpkg-deb -f "$deb" Package Version Architecture Section Priority
expect_rc 0
expect_out <<EOF
Package: crm
Version: $CRM_DEB_VERSION
Architecture: $arch
Section: utils
Priority: optional
EOF
run dpkg-deb -f "$deb" Maintainer
expect_out_match '.+ <[^ ]+@[^ ]+>'

t "Depends names the run-time libraries of crm and its phone module, and no -dev package"
run dpkg-deb -f "$deb" Depends
expect_rc 0
depends=$out
for package in libc6 'libstdc\+\+6' 'libphonenumber[0-9]' 'libyaml-cpp[0-9.]' 'libfmt[0-9]' 'libsqlite3-0' 'libutf8proc[0-9]'; do
  if grep -qE "(^|, )$package" <<<"${depends#Depends: }"; then _pass; else _fail "Depends lacks $package" "$package" "$depends"; fi
done
expect_out_lacks "-dev"

t "the package holds the files of files.txt under /usr, and the Debian changelog"
expected=$(
  {
    while read -r path cond source; do
      [[ -z $path || $path == \#* ]] && continue
      if [[ $cond == if && ! -e $CRM_SOURCE_DIR/$source ]]; then continue; fi
      printf '/usr/%s\n' "$path"
    done <"$(dirname "$0")/files.txt"
    echo /usr/share/doc/crm/changelog.Debian.gz
  } | LC_ALL=C sort
)
actual=$(dpkg-deb --fsys-tarfile "$deb" | tar -t | grep -v '/$' | sed 's|^\.||' | LC_ALL=C sort)
expect_eq "files in the .deb" "$expected" "$actual"

t "the binary and the module are stripped, the man pages gzipped"
mkdir -p unpacked
dpkg-deb -x "$deb" unpacked
run file -b unpacked/usr/bin/crm unpacked/usr/lib/crm/crm-phone.so
expect_rc 0
if [[ $(grep -c ', stripped$' <<<"$out") -eq 2 ]]; then _pass; else _fail "not stripped" "2 stripped" "$out"; fi
run gzip -t unpacked/usr/share/man/man1/crm.1.gz unpacked/usr/share/doc/crm/changelog.Debian.gz
expect_rc 0

# skip_install WHY: the checks so far decide; then exit 77 if they all passed.
skip_install() {
  echo "package.t-deb: $1: the .deb is not installed (dpkg -i)" >&2
  _close_test
  [[ $_failed -eq 0 ]] || finish
  echo "${0##*/}: $_tests passed ($_checks checks), the install skipped"
  exit 77
}
[[ $(id -u) -eq 0 ]] || skip_install "not root"
if dpkg-query -W -f='${Status}' crm 2>/dev/null | grep -q 'install ok installed'; then
  skip_install "a crm package is installed already"
fi

t "dpkg -i installs it; /usr/bin/crm runs, with its man page"
trap 'dpkg --purge crm >/dev/null 2>&1; cd / && rm -rf "$TEST_ROOT" "$_LIB"' EXIT
run dpkg -i "$deb"
expect_rc 0
run /usr/bin/crm --version
expect_rc 0
expect_out "crm $CRM_VERSION"
run man -w crm
expect_rc 0
expect_out "/usr/share/man/man1/crm.1.gz"

t "the installed crm: a workspace, a contact with a phone number (the installed module)"
run /usr/bin/crm init ws --region RO
expect_rc 0
cd ws || exit 2
run env -u CRM_PHONE_MODULE LD_DEBUG=files /usr/bin/crm contact add "Ana Popescu" --phone "0722 123 456"
expect_rc 0
loaded=$(grep -o 'file=[^ ]*crm-phone\.so' <<<"$err" | sort -u)
expect_eq "the phone module loaded" "file=/usr/lib/crm/crm-phone.so" "$loaded"
id=${out%$'\n'}
run /usr/bin/crm contact list --where 'phones = "+40 722 123 456"' --fields id,phones --format jsonl
expect_rc 0
expect_out "{\"id\":\"$id\",\"phones\":[{\"number\":\"0722 123 456\",\"e164\":\"+40722123456\"}]}"
cd .. || exit 2

t "dpkg --purge removes it"
run dpkg --purge crm
expect_rc 0
expect_no_file /usr/bin/crm
expect_no_file /usr/lib/crm/crm-phone.so
expect_no_file /usr/share/man/man1/crm.1.gz

finish
