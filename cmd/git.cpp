#include <memory>

#include <fmt/format.h>

#include "commands.hpp"
#include "ops/git/git.hpp"

namespace crm::cli {

void set_git_command(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("git", "share the workspace through git: set crm up in a clone");
  require_one_subcommand(*group, "crm git");

  auto* setup = group->add_subcommand(
      "setup", "make crm the merge driver of the record files in this clone (.gitattributes and git config)");
  setup->callback([&ctx] {
    const auto repo = ops::GitRepo::open(ctx.session(false).workspace().root());
    const auto done = ops::git_setup(repo);
    if (ctx.quiet) return;
    if (done.attributes) ctx.out() << "wrote .gitattributes: record files merge through crm (commit it to share it)\n";
    if (done.config) ctx.out() << "set merge.crm in this clone's git config\n";
    if (!done.attributes && !done.config) ctx.out() << "already set up\n";
  });

  // Hidden: what git runs for a record file both sides changed (merge.crm.driver,
  // "%O %A %B %P"). The result goes into OURS; exit 1 leaves conflicts there.
  auto* driver = app.add_subcommand("__merge-driver", "");
  driver->group("");
  struct Files {
    std::string base, ours, theirs, path;
  };
  auto files = std::make_shared<Files>();
  driver->add_option("BASE", files->base)->required();
  driver->add_option("OURS", files->ours)->required();
  driver->add_option("THEIRS", files->theirs)->required();
  driver->add_option("PATH", files->path)->required();
  driver->callback([&ctx, files] {
    ctx.exit_code = ops::run_merge_driver(files->base, files->ours, files->theirs, files->path);
  });
}

} // namespace crm::cli
