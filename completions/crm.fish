# fish completion for crm. The candidates come from the binary: `crm __complete
# WORDS...` prints one a line, as `value<TAB>description` (what fish shows); a
# line `<TAB>files` or `<TAB>dirs` asks for file or directory names.
# See docs/completion.md.

function __crm_complete
    # The words before the cursor, unquoted, then what is typed of the current one.
    set -l words (commandline -opc)
    set -e words[1]
    set -l current (commandline -ct | string unescape)
    for line in (command crm __complete $words "$current" 2>/dev/null)
        switch $line
            case \tfiles
                __fish_complete_path "$current"
            case \tdirs
                __fish_complete_directories "$current"
            case '*'
                printf '%s\n' $line
        end
    end
end

complete -c crm -f -a '(__crm_complete)'
