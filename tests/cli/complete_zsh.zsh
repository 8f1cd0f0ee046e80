#!/usr/bin/env zsh
# zsh -f complete_zsh.zsh FPATH_DIR LINE...: for each LINE, types it and a Tab into
# an interactive zsh (in a pseudo-terminal, with compinit and FPATH_DIR's _crm),
# then prints the line ("line: LINE"), each match the completion added, once, in
# the order added ("match: VALUE"), and the command line after the Tab
# ("buffer: LINE"). Used by t-complete.sh.

zmodload zsh/zpty || exit 2
local dir=$1 typed
shift
zpty shell TERM=dumb zsh -f -i
# A compadd that also writes down what it adds, and a key that prints the line.
zpty -w shell "PS1='' PROMPT='' RPROMPT=''; fpath=(${(q)dir} \$fpath); autoload -Uz compinit; compinit -u -D"
zpty -w shell 'compadd() { local -a __m; builtin compadd -O __m "$@"; print -rn -- "<m>"${^__m}"</m>" > /dev/tty; builtin compadd "$@"; }'
zpty -w shell '__show_buffer() { print -rn -- "<b>$BUFFER</b>" > /dev/tty; }; zle -N __show_buffer; bindkey "^X^B" __show_buffer'
zpty -w shell "print -r -- '<ready>'"
local line out=""
while zpty -r shell line; do [[ $line == *'<ready>'* && $line != *print* ]] && break; done
zmodload zsh/zselect || exit 2
for typed in "$@"; do
  # zle drops keys typed while a completion runs: the key that prints the line
  # is sent again (it only prints) until the line comes back.
  zpty -w -n shell "$typed"$'\t'
  out=""
  local tries=0
  until [[ $out == *'</b>'* ]] || (( ++tries > 50 )); do
    zpty -w -n shell $'\C-X\C-B'
    zselect -t 20
    while zpty -r -t shell line; do out+=$line; done
  done
  zpty -w -n shell $'\C-U'
  zpty -w shell "print -r -- '<done>'"
  while zpty -r shell line; do
    [[ $line == *'<done>'* && $line != *print* ]] && break
    out+=$line
  done
  # Matches and the buffer from what the terminal showed.
  print -r -- "line: $typed"
  local -aU found=()
  local rest=$out
  while [[ $rest == *'<m>'*'</m>'* ]]; do
    rest=${rest#*<m>}
    found+=("${rest%%</m>*}")
    rest=${rest#*</m>}
  done
  (( ${#found} )) && print -rl -- "match: "${^found}
  rest=${out#*<b>}
  [[ $rest != $out ]] && print -r -- "buffer: ${rest%%</b>*}"
done
zpty -d shell
