#!/usr/bin/env bash
# bench.smoke: the bench tooling works without a crm binary.
#   smoke.sh PATH/TO/crm_bench_floor
# Generates 200 contacts, checks both read floors see exactly 200 files, and that the
# generator is deterministic (same seed -> byte-identical trees and CSV).
set -euo pipefail

floor=${1:?usage: smoke.sh PATH/TO/crm_bench_floor}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
python=${PYTHON:-python3}
n=200

tmp=$(mktemp -d "${TMPDIR:-/tmp}/crm-bench-smoke.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

fail() { echo "bench.smoke: $*" >&2; exit 1; }

# A workspace as crm init would leave it, as far as the floors care: the record
# folder, plus .crm/ and .git/ holding a .yaml file each that the walk must skip.
for ws in a b; do
  mkdir -p "$tmp/$ws/contacts" "$tmp/$ws/.crm" "$tmp/$ws/.git"
done
printf 'id: not-a-record\n' > "$tmp/a/.crm/skip.yaml"
printf 'id: not-a-record\n' > "$tmp/a/.git/skip.yaml"

"$python" "$here/gen_contacts.py" "$tmp/a" "$n" --seed 42 --csv "$tmp/a.csv"
"$python" "$here/gen_contacts.py" "$tmp/b" "$n" --seed 42 --csv "$tmp/b.csv"

for mode in stat-walk parse-yaml; do
  got=$("$floor" "$mode" "$tmp/a")
  [[ $got == "$n" ]] || fail "$mode printed '$got', expected $n"
done

rm "$tmp/a/.crm/skip.yaml" "$tmp/a/.git/skip.yaml"
diff -r "$tmp/a" "$tmp/b" > /dev/null || fail "same seed gave different trees"
cmp -s "$tmp/a.csv" "$tmp/b.csv" || fail "same seed gave different CSV files"
rows=$(($(wc -l < "$tmp/a.csv") - 1))
[[ $rows == "$n" ]] || fail "CSV has $rows rows, expected $n"

# A different seed must give a different set (guards against the seed being ignored).
mkdir -p "$tmp/c/contacts"
"$python" "$here/gen_contacts.py" "$tmp/c" "$n" --seed 43
if diff -r -q "$tmp/a/contacts" "$tmp/c/contacts" > /dev/null; then
  fail "seeds 42 and 43 gave the same tree"
fi

# File shape: NFC, id line matches the file name, no empty values.
"$python" - "$tmp/a/contacts" <<'EOF'
import os, sys, unicodedata
folder = sys.argv[1]
for name in sorted(os.listdir(folder)):
    with open(os.path.join(folder, name), encoding="utf-8") as f:
        text = f.read()
    if unicodedata.normalize("NFC", text) != text:
        sys.exit("bench.smoke: %s is not NFC" % name)
    if not text.startswith("id: %s\n" % name[:-len(".yaml")]):
        sys.exit("bench.smoke: %s: id does not match the file name" % name)
    if any(line.rstrip().endswith(":") and not line.startswith(("emails", "phones", "tags"))
           for line in text.splitlines()):
        sys.exit("bench.smoke: %s has an empty value" % name)
EOF

wrote=$("$floor" write-files "$tmp/w" 50)
[[ $wrote == 50 ]] || fail "write-files printed '$wrote', expected 50"
files=$(find "$tmp/w" -name '*.yaml' -type f | wc -l)
[[ $files == 50 ]] || fail "write-files left $files files, expected 50"
leftovers=$(find "$tmp/w" -name '*.tmp' | wc -l)
[[ $leftovers == 0 ]] || fail "write-files left $leftovers temp files"

echo "bench.smoke: ok ($n contacts, floors agree, generator deterministic)"
