#include "util/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
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

namespace {

// The environment of a child: crm's own with `changes` set.
std::vector<std::string> child_environment(const std::vector<std::pair<std::string, std::string>>& changes) {
  std::vector<std::string> out;
  for (char** e = environ; e && *e; ++e) {
    const std::string_view entry(*e);
    const auto eq = entry.find('=');
    const std::string_view key = entry.substr(0, eq);
    bool replaced = false;
    for (const auto& [k, v] : changes) replaced = replaced || k == key;
    if (!replaced) out.emplace_back(entry);
  }
  for (const auto& [k, v] : changes) out.push_back(k + "=" + v);
  return out;
}

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

// Reads what is there; false at the end of the stream (or an error).
bool read_some(int fd, std::string& into) {
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n > 0) {
      into.append(buf, static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
  }
}

// SIGPIPE held off while the child's stdin is written: a child that exits
// without reading it gives EPIPE, not crm's death. A SIGPIPE raised meanwhile is
// taken off before the mask is put back.
class NoSigpipe {
public:
  NoSigpipe() {
    sigset_t pipe_only;
    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    sigset_t pending;
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &pipe_only, &old_);
  }
  ~NoSigpipe() {
    if (!was_pending_) {
      sigset_t pipe_only;
      sigemptyset(&pipe_only);
      sigaddset(&pipe_only, SIGPIPE);
      const timespec zero{0, 0};
      while (sigtimedwait(&pipe_only, nullptr, &zero) == SIGPIPE) {
      }
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  NoSigpipe(const NoSigpipe&) = delete;
  NoSigpipe& operator=(const NoSigpipe&) = delete;

private:
  sigset_t old_;
  bool was_pending_ = false;
};

} // namespace

Finished run_captured(const Spawn& spawn) {
  int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1};
  auto close_all = [&] {
    for (int* p : {in, out, err}) {
      close_fd(p[0]);
      close_fd(p[1]);
    }
  };
  if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0 ||
      (!spawn.merge_stderr && ::pipe2(err, O_CLOEXEC) != 0)) {
    const int e = errno;
    close_all();
    throw Error(ErrorKind::io, fmt::format("cannot run '{}': {}", spawn.argv.at(0), std::strerror(e)));
  }
  std::vector<char*> args;
  for (const auto& a : spawn.argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  auto env_text = child_environment(spawn.env);
  std::vector<char*> env;
  for (auto& e : env_text) env.push_back(e.data());
  env.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (!spawn.cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, spawn.cwd.c_str());
  posix_spawn_file_actions_adddup2(&actions, in[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, spawn.merge_stderr ? out[1] : err[1], 2);
  pid_t pid;
  const int rc = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), env.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    close_all();
    throw Error(ErrorKind::io, fmt::format("cannot run '{}': {}", spawn.argv[0], std::strerror(rc)));
  }
  close_fd(in[0]);
  close_fd(out[1]);
  close_fd(err[1]);
  int to_child = in[1], from_out = out[0], from_err = err[0];
  for (int fd : {to_child, from_out, from_err})
    if (fd >= 0) ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  if (spawn.input.empty()) close_fd(to_child);

  Finished done;
  std::size_t written = 0;
  bool exited = false;
  int status = 0;
  {
    NoSigpipe guard;
    for (;;) {
      if (!exited) {
        const pid_t r = ::waitpid(pid, &status, WNOHANG);
        exited = r == pid;
        if (r < 0 && errno != EINTR) { // reaped elsewhere: its status is lost, say it failed
          exited = true;
          status = 1 << 8;
        }
      }
      if (exited) {
        // What is left in the pipes, without waiting for a background process
        // that may hold them open.
        close_fd(to_child);
        if (from_out >= 0) read_some(from_out, done.out);
        if (from_err >= 0) read_some(from_err, done.err);
        break;
      }
      pollfd fds[3];
      nfds_t n = 0;
      if (to_child >= 0) fds[n++] = {to_child, POLLOUT, 0};
      if (from_out >= 0) fds[n++] = {from_out, POLLIN, 0};
      if (from_err >= 0) fds[n++] = {from_err, POLLIN, 0};
      if (n == 0) {
        while (::waitpid(pid, &status, 0) < 0)
          if (errno != EINTR) throw Error(ErrorKind::io, fmt::format("waitpid failed: {}", std::strerror(errno)));
        exited = true;
        break;
      }
      if (::poll(fds, n, 50) < 0 && errno != EINTR) break;
      for (nfds_t i = 0; i < n; ++i) {
        if (!fds[i].revents) continue;
        if (fds[i].fd == to_child) {
          const ssize_t w = ::write(to_child, spawn.input.data() + written, spawn.input.size() - written);
          if (w > 0) written += static_cast<std::size_t>(w);
          else if (w < 0 && errno != EAGAIN && errno != EINTR) close_fd(to_child); // EPIPE: it reads no more
          if (written == spawn.input.size()) close_fd(to_child);
        } else if (fds[i].fd == from_out) {
          if (!read_some(from_out, done.out)) close_fd(from_out);
        } else if (!read_some(from_err, done.err)) {
          close_fd(from_err);
        }
      }
    }
  }
  close_fd(to_child);
  close_fd(from_out);
  close_fd(from_err);
  if (!exited)
    while (::waitpid(pid, &status, 0) < 0)
      if (errno != EINTR) throw Error(ErrorKind::io, fmt::format("waitpid failed: {}", std::strerror(errno)));
  done.status = WIFEXITED(status) ? WEXITSTATUS(status) : WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 1;
  return done;
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
