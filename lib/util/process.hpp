#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace crm::process {

// Runs a program and waits for it; returns its exit status (128+N when killed by
// signal N). `quiet` sends its stdout and stderr to /dev/null. Throws Error(io)
// when it cannot be started.
int run(const std::vector<std::string>& argv, const std::filesystem::path& cwd, bool quiet);

// Runs a shell command line with "$1" set to `arg` (how $EDITOR is started, so
// that EDITOR="code --wait" works). Returns the exit status.
int run_shell(const std::string& command_line, const std::string& arg);

// Splits a command line into words as a POSIX shell does, without expanding
// anything: blanks separate words; '...' keeps its text as it is; "..." too,
// except that \" \\ \$ and \` stand for the character; outside quotes a
// backslash keeps the next character. Throws Error(usage) "unclosed '" (or ")
// for a quote that does not close.
std::vector<std::string> split_words(std::string_view line);

// The first executable file named `name` in the folders of $PATH, as execvp
// would find it.
std::optional<std::filesystem::path> find_program(std::string_view name);

// Every executable file on $PATH whose name starts with `prefix`, by name (the
// part after the prefix), the first on $PATH for a name that is there twice.
std::vector<std::pair<std::string, std::filesystem::path>> programs_with_prefix(std::string_view prefix);

// Replaces this process by `argv` (the program found on $PATH). Returns only
// when that fails: throws Error(io).
[[noreturn]] void exec(const std::vector<std::string>& argv);

} // namespace crm::process
