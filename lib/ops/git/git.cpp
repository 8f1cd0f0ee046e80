#include "ops/git/git.hpp"

#include <algorithm>
#include <system_error>

#include <fmt/format.h>

#include "model/record_type.hpp"
#include "ops/git/merge.hpp"
#include "store/record_file.hpp"
#include "store/workspace.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"

namespace crm::ops {

namespace stdfs = std::filesystem;

namespace {

// A program run without a shell, with `input` on its stdin, its output kept.
process::Finished capture(const std::vector<std::string>& argv, const stdfs::path& cwd,
                          std::string_view input = {}) {
  process::Spawn spawn;
  spawn.argv = argv;
  spawn.cwd = cwd;
  spawn.input = std::string(input);
  return process::run_captured(spawn);
}

std::string trim_newline(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

// A word as sh reads it back: in single quotes, a quote as '\''.
std::string shell_quoted(const std::string& word) {
  std::string out = "'";
  for (char c : word) {
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  return out + "'";
}

} // namespace

std::optional<GitRepo> GitRepo::find(const stdfs::path& workspace_root) {
  process::Finished r;
  try {
    r = capture({"git", "rev-parse", "--show-prefix"}, workspace_root);
  } catch (const Error&) {
    return std::nullopt; // no git at all
  }
  if (r.status != 0) return std::nullopt;
  return GitRepo(workspace_root, trim_newline(r.out));
}

GitRepo GitRepo::open(const stdfs::path& workspace_root) {
  if (auto repo = find(workspace_root)) return *repo;
  throw Error(ErrorKind::usage, fmt::format("not a git repository: {}", workspace_root.string()),
              {"'crm init --git' starts a workspace in git; 'git clone URL' gets a shared one"});
}

process::Finished GitRepo::run(const std::vector<std::string>& args, std::string_view input) const {
  // Paths as they are: git would write a non-ASCII path (contacts/олена-….yaml)
  // quoted, in octal escapes, which matches no record file.
  std::vector<std::string> argv{"git", "-c", "core.quotePath=false"};
  argv.insert(argv.end(), args.begin(), args.end());
  return capture(argv, root_, input);
}

std::vector<std::string> git_message(const process::Finished& result) {
  std::vector<std::string> lines;
  const std::string& text = result.err.empty() ? result.out : result.err;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = trim_newline(text.substr(start, end - start));
    if (!line.empty()) lines.push_back(std::move(line));
    start = end + 1;
  }
  return lines;
}

std::string GitRepo::out(const std::vector<std::string>& args) const {
  auto r = run(args);
  if (r.status != 0)
    throw Error(ErrorKind::io, fmt::format("git {} failed", args.empty() ? "" : args.front()), git_message(r));
  return std::move(r.out);
}

std::vector<std::string> GitRepo::nul_list(const std::vector<std::string>& args) const {
  const std::string text = out(args);
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\0', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

std::optional<std::string> GitRepo::commit_of(const std::string& rev) const {
  const auto r = run({"rev-parse", "-q", "--verify", rev + "^{commit}"});
  if (r.status != 0) return std::nullopt;
  return trim_newline(r.out);
}

bool GitRepo::merging() const { return commit_of("MERGE_HEAD").has_value(); }

std::string merge_driver_command() {
  std::error_code ec;
  const auto exe = stdfs::read_symlink("/proc/self/exe", ec);
  const std::string program = ec ? std::string("crm") : shell_quoted(exe.string());
  return program + " __merge-driver %O %A %B %P";
}

std::vector<std::string> gitattributes_lines() {
  std::vector<std::string> lines;
  for (const auto& folder : store::record_folders())
    if (folder != "files") lines.push_back(fmt::format("{}/**/*.yaml merge=crm", folder)); // attachments are not records
  return lines;
}

GitSetup git_setup(const GitRepo& repo, bool attributes) {
  GitSetup done;
  if (attributes) {
    const auto path = repo.root() / ".gitattributes";
    std::string text;
    std::error_code ec;
    if (stdfs::exists(path, ec)) text = fs::read_file(path);
    std::vector<std::string> have;
    for (std::size_t start = 0; start < text.size();) {
      auto end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      have.push_back(trim_newline(text.substr(start, end - start)));
      start = end + 1;
    }
    std::string missing;
    for (const auto& line : gitattributes_lines())
      if (std::find(have.begin(), have.end(), line) == have.end()) missing += line + "\n";
    if (!missing.empty()) {
      if (!text.empty() && text.back() != '\n') text += '\n';
      if (text.find("merge=crm") == std::string::npos)
        text += "# crm merges its record files field by field (crm git setup, docs/git.md)\n";
      text += missing;
      fs::write_file_atomic(path, text);
      done.attributes = true;
    }
  }
  const std::vector<std::pair<std::string, std::string>> config = {
      {"merge.crm.name", "crm: record files merged field by field"},
      {"merge.crm.driver", merge_driver_command()},
  };
  for (const auto& [key, value] : config) {
    const auto now = repo.run({"config", "--local", "--get", key});
    if (now.status == 0 && trim_newline(now.out) == value) continue;
    repo.out({"config", "--local", key, value});
    done.config = true;
  }
  return done;
}

namespace {

// The record type of a file git names (relative to the top of the work tree,
// the workspace perhaps in a folder below it): the first folder on its way
// that is a type's.
const model::RecordType* type_of_path(const std::string& path) {
  if (!path.ends_with(".yaml")) return nullptr;
  for (const auto& part : stdfs::path(path).parent_path())
    if (const auto* type = model::find_type(part.string()); type && type->plural == part.string()) return type;
  return nullptr;
}

// git merge-file: the text merged line by line, conflicts between git's markers.
int merge_lines(const stdfs::path& base, const stdfs::path& ours, const stdfs::path& theirs) {
  const auto r = capture(
      {"git", "merge-file", "-L", "ours", "-L", "base", "-L", "theirs", ours.string(), base.string(), theirs.string()},
      {});
  if (r.status < 0 || r.status > 127)
    throw Error(ErrorKind::io, "git merge-file failed", git_message(r));
  return r.status == 0 ? 0 : 1;
}

} // namespace

int run_merge_driver(const stdfs::path& base, const stdfs::path& ours, const stdfs::path& theirs,
                     const std::string& path) {
  const auto* type = type_of_path(path);
  if (!type) return merge_lines(base, ours, theirs);
  const std::string b = fs::read_file(base), o = fs::read_file(ours), t = fs::read_file(theirs);
  RecordMerge merged;
  try {
    merged = merge_record_files(*type, b, o, t, path);
  } catch (const Error&) {
    // Not a record crm can read (or write back): nothing is lost line by line.
    return merge_lines(base, ours, theirs);
  }
  if (merged.text != o) fs::write_file_atomic(ours, merged.text);
  return merged.conflicts.empty() ? 0 : 1;
}

} // namespace crm::ops
