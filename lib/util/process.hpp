#pragma once
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace crm::process {

// Runs a program and waits for it; returns its exit status (128+N when killed by
// signal N). `quiet` sends its stdout and stderr to /dev/null. Throws Error(io)
// when it cannot be started.
int run(const std::vector<std::string>& argv, const std::filesystem::path& cwd, bool quiet);

// Runs a shell command line with "$1" set to `arg` (how $EDITOR is started, so
// that EDITOR="code --wait" works). Returns the exit status.
int run_shell(const std::string& command_line, const std::string& arg);

// What a program captured by capture() printed, and how it ended.
struct Captured {
  int status = 0;   // the exit status (128+N when killed by signal N)
  std::string out;  // all of its stdout
  std::string err;  // all of its stderr
};

// Runs a program in `cwd` (none: this process's) with `input` on its stdin and
// waits for it, keeping what it prints. No shell: each argument reaches it as
// it is. Throws Error(io) when it cannot be started.
Captured capture(const std::vector<std::string>& argv, const std::filesystem::path& cwd,
                 std::string_view input = {});

} // namespace crm::process
