# bash completion for crm                                  -*- shell-script -*-
# The candidates come from the binary: `crm __complete WORDS...` prints one a
# line, as `value<TAB>description` (bash shows no descriptions: they are cut
# off); a line `<TAB>files` or `<TAB>dirs` asks for file or directory names.
# See docs/completion.md.

# __crm_dequote WORD: WORD as the shell would pass it on, in REPLY: quotes
# removed, backslash escapes undone (nothing is evaluated).
__crm_dequote() {
    local in=$1 c q=""
    REPLY=""
    while [[ -n $in ]]; do
        c=${in:0:1} in=${in:1}
        if [[ $q == "'" ]]; then
            if [[ $c == "'" ]]; then q=""; else REPLY+=$c; fi
        elif [[ $c == "\\" ]]; then
            if [[ -z $in ]]; then break; fi
            # Inside double quotes a backslash escapes only $ ` " \ and a newline.
            if [[ $q == '"' && ${in:0:1} != [\$\`\"\\] ]]; then REPLY+=$c; fi
            REPLY+=${in:0:1} in=${in:1}
        elif [[ $c == '"' ]]; then
            if [[ $q == '"' ]]; then q=""; else q='"'; fi
        elif [[ $c == "'" && -z $q ]]; then
            q="'"
        else
            REPLY+=$c
        fi
    done
}

_crm() {
    # shellcheck disable=SC2034 # prev and split are set by _init_completion
    local cur prev words cword split
    if declare -F _init_completion > /dev/null 2>&1; then
        # Words are not split at '=', ':' or '@' (--format=json, KEY=VALUE, emails).
        _init_completion -n =:@ || return
    else
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
        cur=${COMP_WORDS[COMP_CWORD]}
    fi

    # The words as crm will see them: quotes and backslashes are the shell's.
    # The word being typed may have an open quote; what goes in then is not
    # quoted again.
    local quote="" typed word
    case $cur in
        \"* | \'*) quote=${cur:0:1} ;;
    esac
    local -a args=()
    for word in "${words[@]:1:cword-1}"; do
        __crm_dequote "$word"
        args+=("$REPLY")
    done
    __crm_dequote "$cur"
    typed=$REPLY
    args+=("$typed")

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
    if [[ -n $fallback ]]; then
        local -a dirs_only=()
        [[ $fallback == dirs ]] && dirs_only=(-d)
        if declare -F _filedir > /dev/null 2>&1; then
            _filedir "${dirs_only[@]}"
        else
            compopt -o filenames 2> /dev/null
            if [[ $fallback == dirs ]]; then
                mapfile -t COMPREPLY < <(compgen -d -- "$typed")
            else
                mapfile -t COMPREPLY < <(compgen -f -- "$typed")
            fi
        fi
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
