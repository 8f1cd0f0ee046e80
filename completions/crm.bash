# bash completion for crm                                  -*- shell-script -*-
# The candidates come from the binary: `crm __complete WORDS...` prints one a
# line, as `value<TAB>description` (bash shows no descriptions: they are cut
# off); a line `<TAB>files` or `<TAB>dirs` asks for file or directory names.
# See docs/completion.md.

_crm() {
    local cur prev words cword split
    if declare -F _init_completion > /dev/null 2>&1; then
        # Words are not split at '=', ':' or '@' (--format=json, KEY=VALUE, emails).
        _init_completion -n =:@ || return
    else
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
        cur=${COMP_WORDS[COMP_CWORD]}
    fi

    # The words as crm will see them: an opening quote on the word being typed
    # is the shell's, not part of the value.
    local typed=$cur quote=""
    case $cur in
        \"* | \'*) quote=${cur:0:1} typed=${cur:1} ;;
    esac
    local -a args=("${words[@]:1:cword-1}" "$typed")

    local line value fallback=""
    local -a values=()
    while IFS= read -r line; do
        case $line in
            $'\t'files) fallback=files ;;
            $'\t'dirs) fallback=dirs ;;
            *) values+=("${line%%$'\t'*}") ;;
        esac
    done < <(command crm __complete "${args[@]}" 2> /dev/null)

    COMPREPLY=()
    if [[ $fallback == files ]]; then
        compopt -o filenames 2> /dev/null
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
        return
    elif [[ $fallback == dirs ]]; then
        compopt -o filenames 2> /dev/null
        mapfile -t COMPREPLY < <(compgen -d -- "$cur")
        return
    fi

    # Readline replaces only what follows the last word-break character of
    # the word ('=' of --format=js, ':' or '@'): the candidates lose what
    # comes before it.
    local head="" i c
    for ((i = ${#typed} - 1; i >= 0; i--)); do
        c=${typed:i:1}
        if [[ $c == [=:@] && $COMP_WORDBREAKS == *"$c"* ]]; then
            head=${typed:0:i+1}
            break
        fi
    done

    for value in "${values[@]}"; do
        [[ -n $head ]] && value=${value#"$head"}
        if [[ -n $quote ]]; then
            # Inside an open quote the text goes in as it is.
            COMPREPLY+=("$value")
        else
            printf -v value '%q' "$value"
            COMPREPLY+=("$value")
        fi
    done
    # KEY= and --option= wait for their value: no space after them.
    if ((${#COMPREPLY[@]} == 1)) && [[ ${COMPREPLY[0]} == *= ]]; then
        compopt -o nospace 2> /dev/null
    fi
}
complete -F _crm crm
