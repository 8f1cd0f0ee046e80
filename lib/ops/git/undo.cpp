#include "ops/git/undo.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "ops/git/git.hpp"
#include "util/error.hpp"

namespace crm::ops {

bool is_crm_commit_message(std::string_view message) {
  std::size_t start = 0;
  while (start < message.size()) {
    auto end = message.find('\n', start);
    if (end == std::string_view::npos) end = message.size();
    if (message.substr(start, end - start).starts_with(crm_trailer)) return true;
    start = end + 1;
  }
  return false;
}

CommitUndone undo(Session& session, bool force) {
  const auto repo = GitRepo::open(session.workspace().root());
  if (repo.merging())
    throw Error(ErrorKind::conflict, "a sync is waiting for its conflicts to be resolved",
                {"finish it with 'crm sync --continue' or take it back with 'crm sync --abort'"});
  const auto head = repo.commit_of("HEAD");
  if (!head) throw Error(ErrorKind::not_found, "nothing to undo: no commit yet");
  const std::string message = repo.out({"log", "-1", "--format=%B", "HEAD"});
  CommitUndone result;
  result.subject = message.substr(0, message.find('\n'));
  result.commit = head->substr(0, 7);
  const std::string parents = repo.out({"log", "-1", "--format=%P", "HEAD"});
  const auto parent_count = std::count(parents.begin(), parents.end(), ' ') + (parents.size() > 1 ? 1 : 0);
  const bool root_commit = parent_count == 0, merge = parent_count > 1;
  const bool pushed = !repo.out({"for-each-ref", "--contains", "HEAD", "--format=%(refname)", "refs/remotes"}).empty();
  const std::string what = fmt::format("'{}' ({})", result.subject, result.commit);
  if (!force && !is_crm_commit_message(message))
    throw Error(ErrorKind::conflict, fmt::format("the last commit {} was not made by crm", what),
                {"'crm undo --force' takes it back all the same"});
  if (!force && pushed)
    throw Error(ErrorKind::conflict, fmt::format("the last commit {} was pushed already", what),
                {"'crm undo --force' reverts it with a new commit, which the next sync shares"});
  if (!pushed && root_commit)
    throw Error(ErrorKind::conflict, fmt::format("the last commit {} is the first one: there is nothing before it", what));
  session.lock_for_writing(false);
  if (!pushed) {
    // --keep: uncommitted changes stay; a change to a file the commit touched
    // stops it (git says which) rather than being lost.
    if (const auto r = repo.run({"reset", "-q", "--keep", "HEAD~1"}); r.status != 0) {
      auto hints = git_message(r);
      hints.push_back("commit or stash those changes first");
      throw Error(ErrorKind::conflict, fmt::format("cannot undo {}", what), hints);
    }
  } else {
    // Only the revert goes in the new commit: staged changes would go with it.
    if (!repo.ok({"diff", "--cached", "--quiet"}))
      throw Error(ErrorKind::conflict, fmt::format("cannot revert {}: changes are staged for the next commit", what),
                  {"commit them or unstage them (git restore --staged .) first"});
    std::vector<std::string> revert{"revert", "--no-commit"};
    if (merge) revert.insert(revert.end(), {"-m", "1"});
    revert.push_back("HEAD");
    if (const auto r = repo.run(revert); r.status != 0) {
      repo.run({"revert", "--abort"});
      auto hints = git_message(r);
      hints.push_back("commit or stash your changes first");
      throw Error(ErrorKind::conflict, fmt::format("cannot revert {}", what), hints);
    }
    const std::string text = fmt::format("Revert \"{}\"\n\nThis reverts commit {}.\n\n{} undo\n", result.subject,
                                         *head, crm_trailer);
    if (const auto r = repo.run({"commit", "-q", "-F", "-"}, text); r.status != 0)
      throw Error(ErrorKind::io, "git commit failed", git_message(r));
  }
  session.index().refresh();
  if (pushed) result.revert = repo.commit_of("HEAD")->substr(0, 7);
  return result;
}

} // namespace crm::ops
