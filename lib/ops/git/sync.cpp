#include "ops/git/sync.hpp"

#include "ops/records/hooks.hpp"

#include <algorithm>
#include <set>
#include <system_error>

#include <fmt/format.h>

#include "ops/git/git.hpp"
#include "store/record_file.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"

namespace crm::ops {

namespace stdfs = std::filesystem;

namespace {

// The record folders whose files sync merges (attachments in files/ are not records).
std::vector<std::string> record_pathspecs() {
  std::vector<std::string> specs{"--"};
  for (const auto& folder : store::record_folders())
    if (folder != "files") specs.push_back(folder);
  return specs;
}

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

std::size_t count(const GitRepo& repo, const std::string& range) {
  return std::stoull(repo.out({"rev-list", "--count", range}));
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

struct Upstream {
  std::string remote;  // origin
  std::string branch;  // main (on the remote)
  std::string name;    // origin/main
};

Upstream upstream_of(const GitRepo& repo) {
  const auto head = repo.run({"symbolic-ref", "-q", "--short", "HEAD"});
  if (head.status != 0)
    throw Error(ErrorKind::usage, "not on a branch (HEAD is detached)", {"switch to the shared branch: git switch main"});
  const std::string branch = first_line(head.out);
  const auto remote = repo.run({"config", "--get", fmt::format("branch.{}.remote", branch)});
  const auto merge = repo.run({"config", "--get", fmt::format("branch.{}.merge", branch)});
  if (remote.status != 0 || merge.status != 0) {
    const std::string remotes = repo.out({"remote"});
    if (remotes.empty())
      throw Error(ErrorKind::usage, "no remote to sync with",
                  {"add the shared repository: git remote add origin URL",
                   fmt::format("then push to it once: git push -u origin {}", branch)});
    throw Error(ErrorKind::usage, fmt::format("branch '{}' has no upstream", branch),
                {fmt::format("push to it once: git push -u {} {}", first_line(remotes), branch)});
  }
  Upstream up;
  up.remote = first_line(remote.out);
  up.branch = first_line(merge.out);
  if (up.branch.starts_with("refs/heads/")) up.branch.erase(0, 11);
  up.name = up.remote + "/" + up.branch;
  return up;
}

// Record files changed since the last commit, or new and not committed.
void refuse_uncommitted(const GitRepo& repo) {
  std::vector<std::string> files;
  if (repo.commit_of("HEAD")) files = repo.nul_list(with({"diff", "--name-only", "-z", "--relative", "HEAD"}, record_pathspecs()));
  for (auto& f : repo.nul_list(with({"ls-files", "-z", "--others", "--exclude-standard"}, record_pathspecs())))
    files.push_back(std::move(f));
  if (files.empty()) return;
  std::sort(files.begin(), files.end());
  std::string listed;
  for (std::size_t i = 0; i < files.size() && i < 3; ++i) listed += (i ? ", " : "") + files[i];
  if (files.size() > 3) listed += fmt::format(" and {} more", files.size() - 3);
  throw Error(ErrorKind::conflict, fmt::format("uncommitted changes to record files: {}", listed),
              {"commit them first: git add -A && git commit -m 'what changed'",
               "or let crm commit each change it makes: crm config set git.autocommit true"});
}

// The conflicts of the merge in progress, file by file.
std::vector<SyncConflict> conflicts_of(const GitRepo& repo, const std::string& upstream) {
  std::vector<SyncConflict> out;
  for (const auto& path : repo.nul_list({"diff", "--name-only", "-z", "--diff-filter=U", "--relative"})) {
    std::error_code ec;
    const auto abs = repo.root() / path;
    if (stdfs::is_regular_file(abs, ec)) {
      const auto marks = store::conflict_marks(fs::read_file(abs));
      for (const auto& m : marks) out.push_back({path, m.line, m.field, ""});
      if (!marks.empty()) continue;
    }
    // No markers: deleted on one side and changed on the other (the stages git
    // holds: 2 ours, 3 theirs), or a file git alone merged.
    const std::string stages = repo.out({"ls-files", "-u", "--", path});
    const bool ours = stages.find(" 2\t") != std::string::npos, theirs = stages.find(" 3\t") != std::string::npos;
    std::string detail;
    if (ours && !theirs) detail = fmt::format("changed here, deleted in '{}'", upstream);
    else if (theirs && !ours) detail = fmt::format("deleted here, changed in '{}'", upstream);
    out.push_back({path, 0, "", detail});
  }
  return out;
}

void refresh_index(Session& session) { session.index().refresh(); }

// Pushes what the upstream does not have; returns how many commits went.
std::size_t push(const GitRepo& repo, const Upstream& up) {
  const auto remote_head = repo.commit_of("@{u}");
  const std::size_t ahead = remote_head ? count(repo, "@{u}..HEAD") : count(repo, "HEAD");
  if (ahead == 0) return 0;
  const auto r = repo.run({"push", "-q", up.remote, "HEAD:refs/heads/" + up.branch});
  if (r.status != 0) {
    auto hints = git_message(r);
    const bool moved = r.err.find("[rejected]") != std::string::npos || r.err.find("fetch first") != std::string::npos ||
                       r.err.find("non-fast-forward") != std::string::npos;
    if (moved) hints.push_back(fmt::format("'{}' changed meanwhile: run 'crm sync' again", up.name));
    throw Error(moved ? ErrorKind::conflict : ErrorKind::io, fmt::format("cannot push to '{}'", up.remote), hints);
  }
  return ahead;
}

// Do the record files merge through crm here (.gitattributes names the driver)?
bool merges_by_field(const GitRepo& repo) {
  const auto r = repo.run({"check-attr", "merge", "--", "contacts/x.yaml"});
  return r.status == 0 && r.out.find(": merge: crm") != std::string::npos;
}

SyncResult finish(Session& session, const GitRepo& repo, const Upstream& up, SyncResult result) {
  refresh_index(session);
  result.pushed = push(repo, up);
  // Once the merge is in and pushed: the upstream and the commits each way.
  result.notices = run_after_hook(session.workspace(), post_sync_hook, [&] {
    nlohmann::ordered_json extra;
    extra["upstream"] = result.upstream;
    extra["pulled"] = result.pulled;
    extra["pushed"] = result.pushed;
    const std::string summary = fmt::format("pulled {}, pushed {}", result.pulled, result.pushed);
    return hook_payload(post_sync_hook, session.workspace(), "sync", summary, {}, extra);
  });
  return result;
}

SyncResult continue_merge(Session& session, const GitRepo& repo, const Upstream& up) {
  if (!repo.merging())
    throw Error(ErrorKind::usage, "no sync to continue", {"'crm sync' pulls and pushes"});
  SyncResult result;
  result.upstream = up.name;
  const auto unmerged = repo.nul_list({"diff", "--name-only", "-z", "--diff-filter=U", "--relative"});
  // Every record file the merge changes, resolved by hand or not, must read.
  std::set<std::string> paths(unmerged.begin(), unmerged.end());
  for (auto& p : repo.nul_list(with({"diff", "--name-only", "-z", "--relative", "HEAD"}, record_pathspecs())))
    paths.insert(std::move(p));
  std::vector<std::string> broken;
  for (const auto& path : paths) {
    std::error_code ec;
    const auto abs = repo.root() / path;
    if (!stdfs::is_regular_file(abs, ec)) continue;
    const std::string text = fs::read_file(abs);
    const auto marks = store::conflict_marks(text);
    for (const auto& m : marks) result.conflicts.push_back({path, m.line, m.field, ""});
    if (!marks.empty()) continue;
    const auto* type = model::find_type(stdfs::path(path).begin()->string());
    if (!type || !path.ends_with(".yaml")) continue;
    try {
      store::parse_record(*type, text, path);
    } catch (const store::RecordFileError& e) {
      broken.push_back(e.what());
    }
  }
  if (!result.conflicts.empty()) return result;
  if (!broken.empty()) {
    std::vector<std::string> hints(broken.begin() + 1, broken.end());
    hints.push_back("fix the file, then run 'crm sync --continue'");
    throw Error(ErrorKind::invalid_data, broken.front(), hints);
  }
  const auto merge_head = repo.commit_of("MERGE_HEAD");
  result.pulled = merge_head ? count(repo, "HEAD.." + *merge_head) : 0;
  if (!unmerged.empty()) repo.out(with({"add", "-A", "--"}, unmerged));
  repo.out({"commit", "-q", "--no-edit"});
  return finish(session, repo, up, std::move(result));
}

} // namespace

SyncResult sync(Session& session, SyncMode mode) {
  const auto repo = GitRepo::open(session.workspace().root());
  if (mode == SyncMode::abort_merge) {
    if (!repo.merging()) throw Error(ErrorKind::usage, "no sync to abort", {"'crm sync' pulls and pushes"});
    session.lock_for_writing(false);
    repo.out({"merge", "--abort"});
    refresh_index(session);
    SyncResult result;
    result.aborted = true;
    return result;
  }
  const Upstream up = upstream_of(repo);
  if (mode == SyncMode::continue_merge) {
    session.lock_for_writing();
    return continue_merge(session, repo, up);
  }
  if (repo.merging())
    throw Error(ErrorKind::conflict, "a sync is waiting for its conflicts to be resolved",
                {"resolve them, then run 'crm sync --continue'", "or run 'crm sync --abort' to go back"});
  if (!repo.commit_of("HEAD"))
    throw Error(ErrorKind::usage, "nothing committed yet", {"commit the workspace first: git add -A && git commit"});
  refuse_uncommitted(repo);
  session.lock_for_writing(false);
  // A clone made by `git clone` has the attributes but not the driver: the
  // clone's own git config is set here, as `crm git setup` does.
  git_setup(repo, false);
  SyncResult result;
  result.upstream = up.name;
  result.line_merges = !merges_by_field(repo);
  if (const auto r = repo.run({"fetch", "-q", up.remote}); r.status != 0)
    throw Error(ErrorKind::io, fmt::format("cannot fetch from '{}'", up.remote), git_message(r));
  if (const auto remote_head = repo.commit_of("@{u}")) {
    result.pulled = count(repo, "HEAD.." + *remote_head);
    if (result.pulled > 0) {
      const auto r = repo.run({"merge", "-q", "--no-edit", "-m", fmt::format("crm sync: merge {}", up.name),
                               *remote_head});
      if (r.status != 0) {
        result.conflicts = conflicts_of(repo, up.name);
        if (result.conflicts.empty())
          throw Error(ErrorKind::conflict, fmt::format("cannot merge '{}'", up.name), git_message(r));
        refresh_index(session);
        return result;
      }
    }
  }
  return finish(session, repo, up, std::move(result));
}

std::string conflict_line(const SyncConflict& c) {
  if (!c.field.empty()) return fmt::format("merge conflict in {} field '{}'", c.path, c.field);
  if (!c.detail.empty()) return fmt::format("merge conflict in {}: {}", c.path, c.detail);
  return fmt::format("merge conflict in {}", c.path);
}

std::vector<std::string> conflict_hints(const std::vector<SyncConflict>& conflicts) {
  std::vector<std::string> hints;
  bool markers = false, deleted = false;
  std::set<std::string> seen;
  for (const auto& c : conflicts) {
    if (c.line > 0) markers = true;
    else if (!c.detail.empty()) deleted = true;
  }
  if (markers)
    hints.push_back("in each file keep one side of each conflict and drop the <<<<<<<, ======= and >>>>>>> lines");
  for (const auto& c : conflicts) {
    if (c.line == 0 || !seen.insert(c.path).second) continue;
    const stdfs::path p(c.path);
    const auto* type = model::find_type(p.begin()->string());
    using model::RecordKind;
    static const std::set<RecordKind> editable = {RecordKind::contact,  RecordKind::company,  RecordKind::product,
                                                   RecordKind::campaign, RecordKind::activity, RecordKind::deal,
                                                   RecordKind::feedback, RecordKind::followup};
    if (type && editable.contains(type->kind))
      hints.push_back(fmt::format("'crm {} edit {}' opens {}", type->name, p.stem().string(), c.path));
  }
  if (deleted)
    hints.push_back("a file deleted on one side is kept as changed; 'git rm FILE' deletes it instead");
  hints.push_back("then run 'crm sync --continue', or 'crm sync --abort' to go back to before the sync");
  return hints;
}

} // namespace crm::ops
