#include "util/process.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "util/error.hpp"

extern char** environ;

namespace crm::process {
namespace {

int wait_for(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) throw Error(ErrorKind::io, fmt::format("waitpid failed: {}", std::strerror(errno)));
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

} // namespace

int run(const std::vector<std::string>& argv, const std::filesystem::path& cwd, bool quiet) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
  if (quiet) {
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
  }
  pid_t pid;
  // glibc's posix_spawnp reports a program that cannot be run as an error here.
  const int rc = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw Error(ErrorKind::io, fmt::format("cannot run '{}': {}", argv[0], std::strerror(rc)));
  return wait_for(pid);
}

int run_shell(const std::string& command_line, const std::string& arg) {
  const std::string script = command_line + " \"$1\"";
  std::vector<std::string> argv = {"/bin/sh", "-c", script, "sh", arg};
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  pid_t pid;
  const int rc = ::posix_spawn(&pid, "/bin/sh", nullptr, nullptr, args.data(), environ);
  if (rc != 0) throw Error(ErrorKind::io, fmt::format("cannot start the editor: {}", std::strerror(rc)));
  return wait_for(pid);
}

} // namespace crm::process
