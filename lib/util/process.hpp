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

// A program to run with its input given and its output kept (git, a hook): no
// shell, so no word of argv is ever read as shell syntax.
struct Spawn {
  std::vector<std::string> argv;
  std::filesystem::path cwd;                             // empty: crm's own
  std::vector<std::pair<std::string, std::string>> env; // set (or replaced) for the child
  std::string input;                                     // all of its stdin; then stdin is closed
  bool merge_stderr = false;                             // its stderr goes with its stdout
};

struct Finished {
  int status = 0;   // exit status; 128+N when killed by signal N
  std::string out;  // what it wrote on stdout (and stderr when merged)
  std::string err;  // what it wrote on stderr (empty when merged)
};

// Runs `spawn` and waits for it. The input is written while the output is read,
// so neither side waits for the other; a program that reads no input, or exits
// before reading all of it, is no error (SIGPIPE is held off while writing).
// Output is read until the program exits: a background process it left with
// the pipe open does not hold crm. Throws Error(io) when it cannot be started.
Finished run_captured(const Spawn& spawn);

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
