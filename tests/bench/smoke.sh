#!/usr/bin/env bash
# bench.smoke: the bench tooling works without a crm binary.
#   smoke.sh PATH/TO/crm_bench_floor
# Generates 200 contacts, checks both read floors see exactly 200 files, and that the
# generators are deterministic (same seed -> byte-identical trees and CSV) and the
# generated sales add up as crm checks them.
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
"$python" "$here/gen_sales.py" "$tmp/a" 3 2> /dev/null
"$python" "$here/gen_sales.py" "$tmp/b" 3 2> /dev/null
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

# Sales: item total = quantity x price, subtotal, discount (half to even), total,
# cost and margin all add up, as crm's check of every sale file wants.
"$python" - "$tmp/a/sales" <<'EOF'
import os, sys
def cents(v):
    v = v.strip('"')
    sign = -1 if v.startswith("-") else 1
    units, frac = v.lstrip("-").split(".")
    return sign * (int(units) * 100 + int(frac))
sales = 0
for root, _, names in os.walk(sys.argv[1]):
    for name in names:
        keys, items = {}, []
        for line in open(os.path.join(root, name), encoding="utf-8"):
            line = line.rstrip("\n")
            if line.startswith("  - "):
                items.append({})
            if line.startswith(("  - ", "    ")):
                k, v = line[4:].split(": ", 1)
                items[-1][k] = v
            elif ": " in line:
                k, v = line.split(": ", 1)
                keys[k] = v
        sub = cost = 0
        for it in items:
            q = int(it["quantity"].strip('"'))
            if cents(it["total"]) != q * cents(it["price"]):
                sys.exit("bench.smoke: %s: item total" % name)
            sub += q * cents(it["price"])
            cost += q * cents(it["cost"])
        off = 0
        if "discount" in keys:
            d = keys["discount"]
            if d.endswith("%"):
                q, r = divmod(sub * int(d[:-1]), 100)
                off = q + (2 * r > 100 or (2 * r == 100 and q % 2 == 1))
            else:
                off = cents(d)
            if cents(keys["discount_amount"]) != off:
                sys.exit("bench.smoke: %s: discount" % name)
        if (cents(keys["subtotal"]), cents(keys["total"]), cents(keys["cost"]), cents(keys["margin"])) != \
                (sub, sub - off, cost, sub - off - cost):
            sys.exit("bench.smoke: %s: totals do not add up" % name)
        sales += 1
if sales < 200:
    sys.exit("bench.smoke: only %d sales" % sales)
EOF

wrote=$("$floor" write-files "$tmp/w" 50)
[[ $wrote == 50 ]] || fail "write-files printed '$wrote', expected 50"
files=$(find "$tmp/w" -name '*.yaml' -type f | wc -l)
[[ $files == 50 ]] || fail "write-files left $files files, expected 50"
leftovers=$(find "$tmp/w" -name '*.tmp' | wc -l)
[[ $leftovers == 0 ]] || fail "write-files left $leftovers temp files"

echo "bench.smoke: ok ($n contacts, floors agree, generators deterministic, sales add up)"
