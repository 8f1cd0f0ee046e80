#!/usr/bin/env bash
# Every command has its help, its man page and its completion, and the pages agree with the help.
# Driven by `crm __commands`: a page in man/ whose command is not built (yet) is not
# checked, a command without a page fails. `mandoc -T lint` on the built pages is
# the docs.mandoc-lint test (tests/docs/CMakeLists.txt).
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

MAN_DIR=$CLI_DIR/../../man

run crm __commands
commands=${out%$'\n'}
paths=()
while IFS=$'\t' read -r path _; do paths+=("$path"); done <<<"$commands"
# Keyed by the path; crm itself (no path) is "(crm)": bash has no empty keys.
declare -A is_path=(["(crm)"]=1) help=()
for path in "${paths[@]}"; do is_path[$path]=1; done

t "crm __commands lists the commands"
expect_rc 0
if [[ ${#paths[@]} -gt 20 ]]; then _pass; else _fail "only ${#paths[@]} command paths listed"; fi

t "every command: 'crm PATH -h' exits 0 with its help"
run crm -h
help["(crm)"]=$out
for path in "${paths[@]}"; do
  # shellcheck disable=SC2086 # the path is words: "contact add"
  run crm $path -h
  expect_rc 0
  expect_err ""
  if [[ -n $out ]]; then _pass; else _fail "'crm $path -h' prints nothing"; fi
  help[$path]=$out
done

t "every command completes: 'crm __complete' offers each word of its path after its parent"
# The workspace is none: completion of command words needs only the command table.
for path in "${paths[@]}"; do
  read -r -a words <<<"$path"
  last=${words[-1]}
  # shellcheck disable=SC2086 # the parent path is words
  run crm __complete ${path% "$last"} "${last:0:1}"
  [[ $path == "$last" ]] && run crm __complete "${last:0:1}"
  expect_rc 0
  if grep -q "^$last\(	\|\$\)" <<<"$out"; then _pass; else _fail "'crm __complete ${path% "$last"} ${last:0:1}' does not offer '$last'"; fi
done

t "every top-level command has its page man/crm-COMMAND.1.scd"
for path in "${paths[@]}"; do
  [[ $path == *" "* ]] && continue
  if [[ -f $MAN_DIR/crm-$path.1.scd ]]; then _pass; else _fail "'crm $path' has no man page man/crm-$path.1.scd"; fi
done
if [[ -f $MAN_DIR/crm.1.scd ]]; then _pass; else _fail "no man/crm.1.scd"; fi

t "a command's page names each of its subcommands (in SYNOPSIS as *crm PATH* or as an item *SUB*)"
for path in "${paths[@]}"; do
  [[ $path == *" "* ]] || continue
  top=${path%% *}
  rest=${path#* }
  page=$MAN_DIR/crm-$top.1.scd
  [[ -f $page ]] || continue
  if grep -qE "(\*crm ${path}[* ])|(^\*${rest}\*)" "$page"; then _pass
  else _fail "man/crm-$top.1.scd does not name 'crm $path' (as *crm $path* in SYNOPSIS or an item *$rest*)"; fi
done

t "every option in a page's SYNOPSIS is in the -h of its command"
for page in "$MAN_DIR"/crm.1.scd "$MAN_DIR"/crm-*.1.scd; do
  name=$(basename "$page" .1.scd)
  # The SYNOPSIS lines that start a command: *crm WORDS* [options...]
  synopsis=$(sed -n '/^# SYNOPSIS/,/^# /{/^\*crm/p}' "$page")
  if [[ -n $synopsis ]]; then _pass; else _fail "man/$name.1.scd has no SYNOPSIS line starting *crm"; fi
  while IFS= read -r line; do
    [[ -n $line ]] || continue
    path=${line#\*crm}
    path=${path%%\**}
    path=${path# }
    top=${path%% *}
    # A command not built here (a page written ahead of it) is not checked.
    [[ -n $top && -z ${is_path[$top]:-} ]] && continue
    key=${path:-(crm)}
    if [[ -n ${is_path[$key]:-} ]]; then _pass; else
      _fail "man/$name.1.scd: SYNOPSIS names 'crm $path', which is not a command"
      continue
    fi
    # An option is listed in -h as "  -x,--name ARG   help": after two spaces or a
    # comma, before a space, a comma or the end of the line.
    while IFS= read -r option; do
      [[ -n $option ]] || continue
      pattern="(^|"$'\n'"| |,)${option}( |,|=|"$'\n'"|$)"
      if [[ ${help[$key]} =~ $pattern || ${help["(crm)"]} =~ $pattern ]]; then _pass
      else _fail "man/$name.1.scd: SYNOPSIS gives 'crm $path' the option $option, which 'crm $path -h' does not list"; fi
    done < <(grep -oE -- '\*--?[A-Za-z0-9][A-Za-z0-9-]*\*' <<<"$line" | tr -d '*')
  done <<<"$synopsis"
done

finish
