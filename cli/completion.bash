# bash completion for gannet: source <(gannet completion bash)
# Asks the binary what may follow the words typed so far (subcommands and flags).
_gannet_complete() {
    local cur="${COMP_WORDS[COMP_CWORD]}"
    local words=("${COMP_WORDS[@]:1:COMP_CWORD-1}")
    local candidates
    candidates="$("${COMP_WORDS[0]}" "${words[@]}" --completion-bash 2>/dev/null)"
    COMPREPLY=($(compgen -W "${candidates}" -- "${cur}"))
}
complete -o default -F _gannet_complete gannet
