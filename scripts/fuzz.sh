#!/usr/bin/env bash
# Long fuzzing runs (README "Fuzzing"): builds the fuzz preset (clang -O1, ASan +
# UBSan, libFuzzer), runs each target SECONDS from its seeds and the corpus kept
# in build/fuzz/corpus/<target> (it grows from run to run), then prints the
# coverage the corpus reaches in the code the target is for.
#   scripts/fuzz.sh [SECONDS [TARGET...]]     default: 600 s for each of the five
# A crash, a hang or memory past 2 GiB stops the script with exit 1; the input is
# in build/fuzz/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(csv vcard record filter when)

# The seed folders and the files each target is for, as in tests/fuzz/CMakeLists.txt.
declare -A seeds=(
  [csv]="tests/fixtures/real tests/fixtures/import"
  [vcard]="tests/fixtures/real"
  [record]="tests/fuzz/seeds/record tests/fixtures/small/contacts tests/fixtures/small/companies"
  [filter]="tests/fuzz/seeds/filter"
  [when]="tests/fuzz/seeds/when"
)
declare -A subjects=(
  [csv]="lib/util/csv.cpp"
  [vcard]="lib/format/vcard.cpp lib/format/vcard_reader.cpp lib/ops/exchange/contact_from_card.cpp"
  [record]="lib/store/record_file.cpp lib/model/types.cpp"
  [filter]="lib/query/filter.cpp lib/index/filter_sql.cpp"
  [when]="lib/util/time.cpp lib/util/money.cpp"
)

scripts/build.sh fuzz "${targets[@]/#/fuzz_}"
export CRM_FUZZ_ARTIFACTS=$PWD/build/fuzz/artifacts
for t in "${targets[@]}"; do
  [ -n "${seeds[$t]:-}" ] || { echo "fuzz.sh: unknown target '$t'" >&2; exit 2; }
  export CRM_FUZZ_CORPUS=$PWD/build/fuzz/corpus/$t
  mkdir -p "$CRM_FUZZ_CORPUS"
  # shellcheck disable=SC2086 # the seed folders are words
  tests/fuzz/run.sh "build/fuzz/tests/fuzz/fuzz_$t" "$seconds" ${seeds[$t]}
  # Edges of the target's own files the corpus reaches (libFuzzer's -print_coverage).
  (cd build/fuzz && "tests/fuzz/fuzz_$t" -runs=0 -print_coverage=1 "$CRM_FUZZ_CORPUS" 2>&1) |
    awk -v files="${subjects[$t]}" -v root="$PWD/" '
      BEGIN { n = split(files, f, " ") }
      /^(UN)?COVERED_FUNC:/ {
        split($5, e, "/"); loc = $NF; sub(/:[0-9]+$/, "", loc); sub(root, "", loc)
        hit[loc] += e[1]; all[loc] += e[2]
      }
      END {
        for (i = 1; i <= n; i++)
          if (all[f[i]] > 0) printf "  %s: %d of %d edges (%.0f%%)\n", f[i], hit[f[i]], all[f[i]], 100 * hit[f[i]] / all[f[i]]
      }'
done
