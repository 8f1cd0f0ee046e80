#include <memory>

#include <fmt/format.h>

#include "commands.hpp"
#include "ops/git/undo.hpp"

namespace crm::cli {

void set_undo_command(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("undo", "take back the last commit crm made, if it was not pushed yet");
  cmd->footer("A commit crm made ends with a 'Crm-Command: COMMAND' line. One not pushed yet is dropped "
              "(git reset --keep HEAD~1: uncommitted changes stay); a pushed one is reverted by a new commit, "
              "with --force only.");
  auto force = std::make_shared<bool>(false);
  cmd->add_flag("--force", *force,
                "take it back even when crm did not make it, or revert it with a new commit when it was pushed");
  cmd->callback([&ctx, force] {
    const auto r = ops::undo(ctx.session(), *force);
    if (ctx.quiet) return;
    if (r.revert.empty()) ctx.out() << fmt::format("undid '{}' ({})\n", r.subject, r.commit);
    else ctx.out() << fmt::format("reverted '{}' ({}) with a new commit ({})\n", r.subject, r.commit, r.revert);
  });
}

} // namespace crm::cli
