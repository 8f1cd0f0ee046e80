#include "ops/workspace/init.hpp"

#include <fmt/format.h>

#include "ops/git/git.hpp"
#include "util/error.hpp"
#include "util/process.hpp"

namespace crm::ops {

namespace stdfs = std::filesystem;

store::Workspace init_workspace(const stdfs::path& dir, const store::InitOptions& options) {
  auto ws = store::Workspace::init(dir, options);
  if (options.git) {
    const auto root = ws.root();
    const bool ok = process::run({"git", "init", "-q"}, root, true) == 0;
    // crm merges the record files of the new repository field by field.
    if (ok) git_setup(GitRepo::open(root));
    if (!ok || process::run({"git", "add", "-A"}, root, true) != 0 ||
        process::run({"git", "commit", "-q", "-m", "crm: new workspace"}, root, true) != 0)
      throw Error(ErrorKind::io, fmt::format("the workspace was created in '{}' but git init or commit failed",
                                             root.string()),
                  {"check that git is installed and user.name and user.email are set (git config --global)"});
  }
  return ws;
}

} // namespace crm::ops
