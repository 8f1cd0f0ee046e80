#!/usr/bin/env bash
# Help for every registered command, `crm help PATH`, --version, and unknown commands.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

t "crm __commands lists every command as PATH<TAB>description"
run crm __commands
expect_rc 0
expect_err ""
commands=$out
expect_match "__commands" '([a-z]+( [a-z-]+)*	[^	
]+
)+' "$commands"
for path in init contact "contact add" "contact show" "contact list" "contact set" "contact edit" \
  "contact rm" company "company add" "company show" "company list" "company set" "company rm" \
  index "index status" "index rebuild" doctor help; do
  if grep -q "^$path	" <<<"$commands"; then _pass; else _fail "'$path' is not listed by __commands"; fi
done

t "every top-level command lives in cmd/NAME.cpp, and each file there is a command or shared code"
src=$CLI_DIR/../..
while IFS=$'\t' read -r path _; do
  [[ $path == *" "* ]] && continue
  if grep -q "^void set_${path}_command(CLI::App& app, Context& ctx) {" "$src/cmd/$path.cpp" 2>/dev/null; then _pass
  else _fail "'crm $path' is not set up by set_${path}_command in cmd/$path.cpp"; fi
done <<<"${commands%$'\n'}"
for file in "$src"/cmd/*.cpp; do
  name=$(basename "$file" .cpp)
  case $name in main | commands | context | record_commands | complete) continue ;; esac
  if grep -q "^$name	" <<<"$commands"; then _pass; else _fail "cmd/$name.cpp is not a top-level command"; fi
done

t "every command: -h exits 0 with its description and a 'Usage: crm PATH' line"
while IFS=$'\t' read -r path description; do
  # shellcheck disable=SC2086 # the path is words: "contact add"
  run crm $path -h
  expect_rc 0
  expect_err ""
  expect_eq "first line of 'crm $path -h'" "$description" "$(head -1 <<<"$out")"
  if grep -q "^Usage: crm $path \[OPTIONS\]" <<<"$out"; then _pass; else _fail "no 'Usage: crm $path' line in 'crm $path -h'" "Usage: crm $path [OPTIONS]..." "$out"; fi
  if [[ -n $description ]]; then _pass; else _fail "'$path' has no description"; fi
  # git style: lowercase, no final period.
  if [[ $description =~ ^[a-z] && $description != *. ]]; then _pass; else _fail "description of '$path' is not lowercase without a final period: $description"; fi
done <<<"${commands%$'\n'}"

t "every command: 'crm help PATH' prints the same as 'crm PATH -h'"
while IFS=$'\t' read -r path _; do
  # shellcheck disable=SC2086
  run crm $path -h
  dash_h=$out
  # shellcheck disable=SC2086
  run crm help $path
  expect_rc 0
  expect_eq "crm help $path" "$dash_h" "$out"
done <<<"${commands%$'\n'}"

t "crm help contact add equals crm contact add -h"
run crm contact add -h
expected=$out
run crm help contact add
expect_rc 0
expect_err ""
expect_eq "help contact add" "$expected" "$out"

t "crm --help lists the top-level commands"
run crm --help
expect_rc 0
expect_err ""
expect_out_contains "Usage: crm [OPTIONS] [SUBCOMMAND]"
while IFS=$'\t' read -r path description; do
  [[ $path == *" "* ]] && continue
  listed=0
  while IFS= read -r line; do
    if [[ $line =~ ^\ \ ([a-z]+)\ +(.*)$ && ${BASH_REMATCH[1]} == "$path" && ${BASH_REMATCH[2]} == "$description" ]]; then listed=1; fi
  done <<<"$out"
  if [[ $listed == 1 ]]; then _pass; else _fail "crm --help does not list '$path' with '$description'"; fi
done <<<"${commands%$'\n'}"

t "crm help with no command is crm --help"
run crm --help
expected=$out
run crm help
expect_rc 0
expect_eq "crm help" "$expected" "$out"

t "crm help nosuch: exit 2"
run crm help nosuch
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: no such command 'crm nosuch'
hint: run 'crm --help' for the list of commands
EOF
run crm help contact nosuch
expect_rc 2
expect_err <<'EOF'
crm: no such command 'crm contact nosuch'
hint: run 'crm --help' for the list of commands
EOF

t "crm --version prints crm X.Y.Z"
run crm --version
expect_rc 0
expect_err ""
expect_match "version" 'crm [0-9]+\.[0-9]+\.[0-9]+'$'\n' "$out"

t "crm nosuch: exit 2 with a crm: error line naming it, and a hint"
run crm nosuch
expect_rc 2
expect_out ""
expect_err_match "crm: [^
]*'nosuch'[^
]*
hint: [^
]+"

t "a group without its subcommand: exit 2 and a hint to its help"
run crm contact
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: 'crm contact' needs a subcommand
hint: see 'crm contact -h'
EOF
run crm log
expect_rc 2
expect_err <<'EOF'
crm: 'crm log' needs a subcommand
hint: see 'crm log -h'
EOF

t "a group with an unknown subcommand names the word"
run crm contact nosuch
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: 'nosuch' is not a crm contact command
hint: see 'crm contact -h'
EOF
run crm log bogus ana
expect_rc 2
expect_err <<'EOF'
crm: 'bogus' is not a crm log command
hint: see 'crm log -h'
EOF

t "an unknown option: exit 2 and a hint to the command's help"
run crm contact list --bogus
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: unknown option '--bogus'
hint: see 'crm contact list -h'
EOF

t "help never needs a workspace"
mkdir nowhere
run crm_in nowhere contact add -h
expect_rc 0
expect_out_contains "Usage: crm contact add [OPTIONS] NAME"
run crm_in nowhere help index
expect_rc 0
expect_err ""

finish
