#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace crm::process {

// Runs a program and waits for it; returns its exit status (128+N when killed by
// signal N). `quiet` sends its stdout and stderr to /dev/null. Throws Error(io)
// when it cannot be started.
int run(const std::vector<std::string>& argv, const std::filesystem::path& cwd, bool quiet);

// Runs a shell command line with "$1" set to `arg` (how $EDITOR is started, so
// that EDITOR="code --wait" works). Returns the exit status.
int run_shell(const std::string& command_line, const std::string& arg);

} // namespace crm::process
