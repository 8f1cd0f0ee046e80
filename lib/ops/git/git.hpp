#pragma once
// crm and git (docs/git.md): the clone a workspace is in, git run in it without
// a shell, and crm set up as the merge driver of its record files.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/process.hpp"

namespace crm::ops {

// The git work tree a workspace is in. Every git command runs in the workspace
// root, so paths given to git are the workspace's own (contacts/x.yaml).
class GitRepo {
public:
  // nullopt when `workspace_root` is in no git work tree (or git is missing).
  static std::optional<GitRepo> find(const std::filesystem::path& workspace_root);
  // The same, or Error(usage) "not a git repository: DIR" with hints.
  static GitRepo open(const std::filesystem::path& workspace_root);

  const std::filesystem::path& root() const { return root_; }
  // The workspace's folder inside the work tree: "" at its top, else "crm/".
  const std::string& prefix() const { return prefix_; }

  // Runs `git ARGS` in the workspace root.
  process::Finished run(const std::vector<std::string>& args, std::string_view input = {}) const;
  // Its stdout; Error(io) "git ARGS[0] failed" with git's own message as hints
  // when it fails.
  std::string out(const std::vector<std::string>& args) const;
  bool ok(const std::vector<std::string>& args) const { return run(args).status == 0; }
  // Its stdout cut at NUL bytes (the -z forms), empty parts left out.
  std::vector<std::string> nul_list(const std::vector<std::string>& args) const;

  // A revision's full id, or nullopt when it names nothing ("HEAD" before the
  // first commit, "@{u}" without an upstream).
  std::optional<std::string> commit_of(const std::string& rev) const;
  // Is a merge (a `crm sync`) waiting to be finished?
  bool merging() const;

private:
  GitRepo(std::filesystem::path root, std::string prefix) : root_(std::move(root)), prefix_(std::move(prefix)) {}
  std::filesystem::path root_;
  std::string prefix_;
};

// The lines of git's stderr (or, when it is empty, stdout), for an error's hints.
std::vector<std::string> git_message(const process::Finished& result);

// The merge driver line git's config names (merge.crm.driver): this very binary
// by its absolute path (/proc/self/exe), so that the merge does not depend on
// the PATH of whatever runs git (an editor, a GUI).
std::string merge_driver_command();

struct GitSetup {
  bool attributes = false; // .gitattributes was written (lines were missing)
  bool config = false;     // the clone's git config was set (it said something else)
};

// Makes crm the merge driver of the record files of the clone the workspace is
// in: `.gitattributes` in the workspace root names every record folder's YAML
// files (`contacts/**/*.yaml merge=crm`) when `attributes`, and the clone's git
// config says what merge.crm runs. Idempotent: what is already there stays.
GitSetup git_setup(const GitRepo& repo, bool attributes = true);

// The lines .gitattributes needs (one per record folder), in order.
std::vector<std::string> gitattributes_lines();

// `crm __merge-driver BASE OURS THEIRS PATH`, as git runs it: merges the three
// versions of record file PATH field by field (ops/git/merge.hpp) and writes
// the result into OURS. A file crm cannot read as a record (or one not in a
// record folder) is merged line by line by `git merge-file` instead. Returns
// 0 when the merge is clean, 1 when conflicts are left in OURS.
int run_merge_driver(const std::filesystem::path& base, const std::filesystem::path& ours,
                     const std::filesystem::path& theirs, const std::string& path);

} // namespace crm::ops
