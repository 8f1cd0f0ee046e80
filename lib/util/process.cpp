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
  // posix_spawn has no chdir before glibc 2.29's non-portable extension: fork+exec.
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) throw Error(ErrorKind::io, fmt::format("cannot start '{}': {}", argv[0], std::strerror(errno)));
  if (pid == 0) {
    if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) ::_exit(127);
    if (quiet) {
      const int devnull = ::open("/dev/null", O_WRONLY);
      if (devnull >= 0) {
        ::dup2(devnull, 1);
        ::dup2(devnull, 2);
      }
    }
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
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
