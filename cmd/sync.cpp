#include <memory>

#include <fmt/format.h>

#include "commands.hpp"
#include "ops/git/sync.hpp"
#include "util/error.hpp"

namespace crm::cli {
namespace {

std::string commits(std::size_t n) { return fmt::format("{} commit{}", n, n == 1 ? "" : "s"); }

} // namespace

void set_sync_command(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("sync", "pull the shared workspace (merging record files field by field) and push");
  struct Options {
    bool resume = false, abort = false;
  };
  cmd->footer("Fetches the upstream branch, merges it (record files field by field: only a field changed two ways "
              "is a conflict), refreshes the index and pushes. A conflict stops the merge with exit 4, naming each "
              "record and field: resolve them, then --continue, or --abort. See docs/git.md.");
  auto opts = std::make_shared<Options>();
  auto* resume = cmd->add_flag("--continue", opts->resume, "finish a sync that stopped on conflicts, once they are resolved");
  cmd->add_flag("--abort", opts->abort, "take back a sync that stopped on conflicts")->excludes(resume);
  cmd->callback([&ctx, opts] {
    const auto mode = opts->resume  ? ops::SyncMode::continue_merge
                      : opts->abort ? ops::SyncMode::abort_merge
                                    : ops::SyncMode::sync;
    const auto result = ops::sync(ctx.session(), mode);
    if (!result.conflicts.empty()) {
      // Each record and field, then what to run next; exit 4 like any conflict.
      for (const auto& c : result.conflicts) ctx.err() << "crm: " << ops::conflict_line(c) << '\n';
      for (const auto& h : ops::conflict_hints(result.conflicts)) ctx.err() << "hint: " << h << '\n';
      ctx.exit_code = exit_code_for(ErrorKind::conflict);
      return;
    }
    if (result.line_merges && !ctx.quiet)
      ctx.err() << "warning: .gitattributes does not name crm's merge driver: record files merge line by line\n"
                   "hint: 'crm git setup' writes it; commit it to share it\n";
    ctx.print_notices(result.notices);
    if (ctx.quiet) return;
    if (result.aborted) ctx.out() << "sync aborted: the workspace is as it was before it\n";
    else if (result.pulled && result.pushed) ctx.out() << fmt::format("pulled {}, pushed {}\n", commits(result.pulled), result.pushed);
    else if (result.pulled) ctx.out() << fmt::format("pulled {}\n", commits(result.pulled));
    else if (result.pushed) ctx.out() << fmt::format("pushed {}\n", commits(result.pushed));
    else ctx.out() << fmt::format("already up to date with {}\n", result.upstream);
  });
}

} // namespace crm::cli
