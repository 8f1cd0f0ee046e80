#include "ops/records/change_journal.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "model/record_type.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/random.hpp"
#include "util/text.hpp"

namespace crm::ops {

namespace stdfs = std::filesystem;
using Json = nlohmann::json;

namespace {

stdfs::path changes_dir(const store::Workspace& ws) { return ws.crm_dir() / "changes"; }

// CRM_TEST_CRASH_AFTER_WRITES=N, read once; 0 = never.
std::size_t crash_after_writes() {
  static const std::size_t n = [] {
    const char* v = std::getenv("CRM_TEST_CRASH_AFTER_WRITES");
    std::size_t out = 0;
    if (v) std::from_chars(v, v + std::strlen(v), out);
    return out;
  }();
  return n;
}

void write_all(int fd, std::string_view data, const stdfs::path& path) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error(ErrorKind::io, fmt::format("cannot write '{}': {}", path.string(), std::strerror(errno)));
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

// A journal line may name only a record file or a file of files/: anything else
// (a journal is not in git, but a hand or a tool may have written one) is skipped.
bool is_journaled_path_allowed(const std::string& relpath) {
  if (!store::is_plain_relpath(relpath)) return false;
  const std::string top = relpath.substr(0, relpath.find('/'));
  if (top == "files") return true;
  for (const auto* t : model::all_types())
    if (t->plural == top) return relpath.size() > top.size() + 1;
  return false;
}

struct Entry {
  std::string path;
  std::optional<std::string> before; // nullopt: the file did not exist
};

struct ParsedJournal {
  std::string command;
  std::vector<Entry> entries;
  bool done = false; // the command finished: nothing to take back
};

ParsedJournal read_journal(const stdfs::path& path) {
  ParsedJournal j;
  const std::string text = fs::read_file(path);
  std::size_t start = 0;
  bool first = true;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) break; // a torn last line: its file was not touched yet
    const Json v = Json::parse(std::string_view(text).substr(start, end - start), nullptr, false);
    start = end + 1;
    if (v.is_discarded() || !v.is_object()) continue;
    if (first) {
      first = false;
      if (v.contains("command") && v["command"].is_string()) j.command = v["command"].get<std::string>();
      continue;
    }
    if (v.contains("done")) {
      j.done = true;
      continue;
    }
    if (!v.contains("path") || !v["path"].is_string()) continue;
    Entry e{v["path"].get<std::string>(), std::nullopt};
    if (v.contains("before") && v["before"].is_string()) e.before = v["before"].get<std::string>();
    j.entries.push_back(std::move(e));
  }
  return j;
}

// Puts each file back, newest first; returns what could not be.
std::vector<std::string> revert_entries(const store::Workspace& ws, const ParsedJournal& j) {
  std::vector<std::string> problems;
  for (auto it = j.entries.rbegin(); it != j.entries.rend(); ++it) {
    if (!is_journaled_path_allowed(it->path)) {
      problems.push_back(fmt::format("'{}' is not a file of the workspace: left alone", it->path));
      continue;
    }
    try {
      const auto abs = ws.writable(it->path);
      if (it->before) {
        fs::write_file_atomic(abs, *it->before);
      } else {
        struct stat st;
        if (::lstat(abs.c_str(), &st) == 0) fs::remove_file(abs); // else never written
        std::error_code ec;
        // The folders made for it (sales/2026/11) go too when empty; a type's own stays.
        for (auto dir = stdfs::path(it->path).parent_path(); dir.has_parent_path(); dir = dir.parent_path())
          if (!stdfs::remove(ws.absolute(dir), ec)) break;
      }
    } catch (const Error& e) {
      problems.push_back(fmt::format("'{}': {}", it->path, e.what()));
    }
  }
  return problems;
}

std::vector<stdfs::path> journal_files(const store::Workspace& ws) {
  std::vector<stdfs::path> out;
  std::error_code ec;
  for (const auto& e : stdfs::directory_iterator(changes_dir(ws), ec))
    if (e.path().extension() == ".jsonl" && e.is_regular_file(ec)) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

} // namespace

ChangeJournal::ChangeJournal(const store::Workspace& workspace, std::string command)
    : workspace_(workspace), command_(std::move(command)) {}

ChangeJournal::~ChangeJournal() {
  if (fd_ >= 0) ::close(fd_);
}

void ChangeJournal::note(const std::string& relpath) {
  if (!noted_.insert(relpath).second) return;
  if (fd_ < 0) {
    const auto dir = changes_dir(workspace_);
    std::error_code ec;
    stdfs::create_directories(dir, ec);
    path_ = dir / (random_token(8) + ".jsonl");
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0600);
    if (fd_ < 0) {
      const int err = errno;
      noted_.clear();
      stdfs::remove(dir, ec); // made for nothing
      throw Error(ErrorKind::io, fmt::format("cannot create '{}': {}", path_.string(), std::strerror(err)));
    }
    write_all(fd_, Json{{"command", command_}, {"pid", ::getpid()}}.dump() + "\n", path_);
  }
  Json line = {{"path", relpath}};
  const auto abs = workspace_.absolute(relpath);
  struct stat st;
  if (::lstat(abs.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
    std::string before = fs::read_file(abs);
    if (!text::is_valid_utf8(before))
      throw Error(ErrorKind::invalid_data, fmt::format("'{}' is not UTF-8 text: crm does not rewrite it", relpath));
    line["before"] = std::move(before);
  }
  write_all(fd_, line.dump() + "\n", path_);
  if (fs::fsync_enabled()) {
    if (::fdatasync(fd_) != 0)
      throw Error(ErrorKind::io, fmt::format("cannot sync '{}': {}", path_.string(), std::strerror(errno)));
    if (noted_.size() == 1) fs::sync_directory(path_.parent_path());
  }
}

void ChangeJournal::wrote() {
  ++writes_;
  if (crash_after_writes() != 0 && writes_ == crash_after_writes()) ::kill(::getpid(), SIGKILL);
}

namespace {

// The journal file goes, and its folder with the last one (a workspace without
// an interrupted command has none).
void drop_journal(const stdfs::path& path) {
  fs::remove_file(path);
  std::error_code ec;
  stdfs::remove(path.parent_path(), ec);
}

} // namespace

void ChangeJournal::commit() {
  if (fd_ < 0) return;
  // The end mark first: should the journal then fail to go, it is a finished
  // command's, which the next writer drops rather than takes back.
  write_all(fd_, "{\"done\":true}\n", path_);
  if (fs::fsync_enabled() && ::fdatasync(fd_) != 0)
    throw Error(ErrorKind::io, fmt::format("cannot sync '{}': {}", path_.string(), std::strerror(errno)));
  ::close(fd_);
  fd_ = -1;
  noted_.clear();
  try {
    drop_journal(path_);
  } catch (const Error&) { // finished all the same
  }
}

std::vector<std::string> ChangeJournal::revert() {
  if (fd_ < 0) return {};
  ::close(fd_);
  fd_ = -1;
  auto problems = revert_entries(workspace_, read_journal(path_));
  if (problems.empty()) drop_journal(path_); // else kept: the next writing command tries again
  noted_.clear();
  return problems;
}

std::vector<InterruptedChange> interrupted_changes(const store::Workspace& workspace, const stdfs::path& own) {
  std::vector<InterruptedChange> out;
  for (const auto& f : journal_files(workspace)) {
    if (!own.empty() && f == own) continue;
    const auto j = read_journal(f);
    if (j.done) continue;
    out.push_back({f.lexically_relative(workspace.root()).string(), j.command, j.entries.size()});
  }
  return out;
}

std::vector<std::string> recover_interrupted_changes(const store::Workspace& workspace) {
  std::vector<std::string> messages;
  for (const auto& f : journal_files(workspace)) {
    const auto j = read_journal(f);
    if (j.done) { // a finished command's journal that failed to go
      drop_journal(f);
      continue;
    }
    const auto problems = revert_entries(workspace, j);
    const std::string what = j.command.empty() ? "command" : fmt::format("'{}'", j.command);
    if (problems.empty()) {
      drop_journal(f);
      messages.push_back(fmt::format("an interrupted {} was taken back ({} {})", what, j.entries.size(),
                                     j.entries.size() == 1 ? "file" : "files"));
    } else {
      drop_journal(f); // tried once: what is left is said, not tried forever
      for (const auto& p : problems) messages.push_back(fmt::format("an interrupted {}: {}", what, p));
    }
  }
  return messages;
}

} // namespace crm::ops
