#include "ops/records/autocommit.hpp"

#include <unistd.h>

#include <filesystem>

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/process.hpp"

namespace crm::ops {

namespace stdfs = std::filesystem;

std::string commit_message(std::string_view subject, std::string_view command) {
  return fmt::format("{}\n\n{}: {}\n", subject, command_trailer, command);
}

namespace {

// What git said went wrong: its last "fatal:" or "error:" line, else its last line.
std::string git_reason(const process::Finished& f) {
  std::string last, flagged;
  for (const std::string* text : {&f.out, &f.err}) {
    std::size_t start = 0;
    while (start < text->size()) {
      auto end = text->find('\n', start);
      if (end == std::string::npos) end = text->size();
      std::string line = text->substr(start, end - start);
      start = end + 1;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      for (const char* prefix : {"fatal: ", "error: "})
        if (line.starts_with(prefix)) flagged = line.substr(std::string_view(prefix).size());
      last = line;
    }
  }
  if (!flagged.empty()) return flagged;
  return last.empty() ? fmt::format("git exited with status {}", f.status) : last;
}

Notice not_committed(std::string why, const std::vector<std::string>& more) {
  Notice n{Notice::Kind::warning, "not committed to git: " + why, {"the files are written"}};
  for (const auto& h : more) n.hints.push_back(h);
  return n;
}

struct Git {
  const store::Workspace& workspace;
  std::vector<std::pair<std::string, std::string>> env;

  process::Finished operator()(std::vector<std::string> args, std::string input = {}) const {
    process::Spawn s;
    s.argv = {"git"};
    s.argv.insert(s.argv.end(), args.begin(), args.end());
    s.cwd = workspace.root();
    s.env = env;
    s.input = std::move(input);
    return process::run_captured(s);
  }
};

} // namespace

std::vector<Notice> git_autocommit(const store::Workspace& workspace, std::string_view subject,
                                   std::string_view command, const std::vector<std::string>& paths) {
  std::vector<Notice> out;
  if (paths.empty()) return out;
  Git git{workspace, {}};
  try {
    const auto where = git({"rev-parse", "--is-inside-work-tree", "--absolute-git-dir"});
    if (where.status != 0 || !where.out.starts_with("true\n")) {
      out.push_back(not_committed(fmt::format("'{}' is not in a git work tree", workspace.root().string()),
                                  {"'git init' there starts a repository; or set git.autocommit: false in "
                                   ".crm/config.yaml"}));
      return out;
    }
    std::string git_dir = where.out.substr(5);
    while (!git_dir.empty() && git_dir.back() == '\n') git_dir.pop_back();
    // A merge, rebase or cherry-pick in progress: a commit now would be part of it.
    for (const char* busy : {"MERGE_HEAD", "CHERRY_PICK_HEAD", "REVERT_HEAD", "rebase-merge", "rebase-apply"}) {
      std::error_code ec;
      if (stdfs::exists(stdfs::path(git_dir) / busy, ec)) {
        out.push_back(not_committed("a merge or rebase is in progress in git",
                                    {"finish it, then commit crm's files with git"}));
        return out;
      }
    }
    std::string list;
    for (const auto& p : paths) {
      list += p;
      list += '\0';
    }
    // The commit's own index: HEAD, plus these files as they are now.
    const auto index = stdfs::path(git_dir) / fmt::format("crm-index-{}", ::getpid());
    struct Remove {
      stdfs::path p;
      ~Remove() {
        std::error_code ec;
        stdfs::remove(p, ec);
        stdfs::remove(p.string() + ".lock", ec);
      }
    } remove_index{index};
    Git own{workspace, {{"GIT_INDEX_FILE", index.string()}}};
    auto step = own({"read-tree", "HEAD"});
    if (step.status != 0) step = own({"read-tree", "--empty"}); // a repository without a commit yet
    if (step.status == 0) step = own({"update-index", "--add", "--remove", "-z", "--stdin"}, list);
    if (step.status != 0) {
      out.push_back(not_committed(git_reason(step), {}));
      return out;
    }
    const auto commit = own({"commit", "-q", "--cleanup=whitespace", "-m", std::string(subject), "-m",
                             fmt::format("{}: {}", command_trailer, command)});
    if (commit.status != 0) {
      // Nothing to commit: the files are as HEAD holds them.
      if (own({"diff-index", "--cached", "--quiet", "HEAD", "--"}).status == 0) return out;
      std::vector<std::string> hints;
      const std::string reason = git_reason(commit);
      if (reason.find("identity") != std::string::npos || reason.find("email") != std::string::npos ||
          commit.err.find("user.name") != std::string::npos)
        hints.push_back("tell git who you are: git config --global user.name 'Your Name'; "
                        "git config --global user.email you@example.org");
      out.push_back(not_committed(reason, std::move(hints)));
      return out;
    }
    // git's own index takes the files as committed, so that they are not shown
    // as staged changes the other way.
    const auto sync = git({"update-index", "--add", "--remove", "-z", "--stdin"}, list);
    if (sync.status != 0)
      out.push_back({Notice::Kind::warning,
                     fmt::format("committed, but git's index was not updated: {}", git_reason(sync)),
                     {"'git status' shows what it holds"}});
  } catch (const Error& e) { // git is not installed
    out.push_back(not_committed(e.what(), {"install git, or set git.autocommit: false in .crm/config.yaml"}));
  }
  return out;
}

} // namespace crm::ops
