#include "util/process.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>

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

std::vector<std::string> split_words(std::string_view line) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) words.push_back(std::exchange(word, {}));
      in_word = false;
      continue;
    }
    in_word = true;
    if (c == '\\') {
      if (i + 1 < line.size()) word += line[++i];
    } else if (c == '\'') {
      const auto close = line.find('\'', i + 1);
      if (close == std::string_view::npos)
        throw Error(ErrorKind::usage, "unclosed '");
      word += line.substr(i + 1, close - i - 1);
      i = close;
    } else if (c == '"') {
      for (++i;; ++i) {
        if (i >= line.size()) throw Error(ErrorKind::usage, "unclosed \"");
        if (line[i] == '"') break;
        if (line[i] == '\\' && i + 1 < line.size() && std::strchr("\"\\$`", line[i + 1])) ++i;
        word += line[i];
      }
    } else {
      word += c;
    }
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

namespace {

std::vector<std::filesystem::path> path_dirs() {
  std::vector<std::filesystem::path> dirs;
  const char* path = std::getenv("PATH");
  const std::string_view all = path ? path : "";
  std::size_t start = 0;
  for (;;) {
    const auto colon = all.find(':', start);
    const auto dir = all.substr(start, colon == std::string_view::npos ? std::string_view::npos : colon - start);
    dirs.emplace_back(dir.empty() ? "." : std::string(dir)); // an empty entry is the current folder
    if (colon == std::string_view::npos) break;
    start = colon + 1;
  }
  if (!path) dirs.clear();
  return dirs;
}

bool is_executable_file(const std::filesystem::path& p) {
  std::error_code ec;
  return std::filesystem::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0;
}

} // namespace

std::optional<std::filesystem::path> find_program(std::string_view name) {
  if (name.empty() || name.find('/') != std::string_view::npos) return std::nullopt;
  for (const auto& dir : path_dirs())
    if (auto p = dir / std::string(name); is_executable_file(p)) return p;
  return std::nullopt;
}

std::vector<std::pair<std::string, std::filesystem::path>> programs_with_prefix(std::string_view prefix) {
  std::map<std::string, std::filesystem::path> found;
  for (const auto& dir : path_dirs()) {
    std::error_code ec;
    for (auto it = std::filesystem::directory_iterator(dir, ec); !ec && it != std::filesystem::directory_iterator();
         it.increment(ec)) {
      const std::string file = it->path().filename().string();
      if (file.size() <= prefix.size() || !file.starts_with(prefix)) continue;
      const std::string name = file.substr(prefix.size());
      if (!found.count(name) && is_executable_file(it->path())) found.emplace(name, it->path());
    }
  }
  return {found.begin(), found.end()};
}

void exec(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  ::execvp(args[0], args.data());
  throw Error(ErrorKind::io, fmt::format("cannot run '{}': {}", argv[0], std::strerror(errno)));
}

} // namespace crm::process
