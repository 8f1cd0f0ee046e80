// `crm trust [DIR] | --list | --remove [DIR]`: the workspaces whose hooks
// (.crm/hooks/) crm runs, listed outside every workspace (docs/hooks.md).

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "commands.hpp"
#include "ops/records/trust.hpp"
#include "util/error.hpp"

namespace crm::cli {

void set_trust_command(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "trust", "let the hooks in a workspace's .crm/hooks run (DIR: default the current workspace)");
  cmd->footer("A cloned or unpacked workspace never runs its hooks until it is trusted.\n"
              "The list is $XDG_CONFIG_HOME/crm/trusted (~/.config/crm/trusted).");
  struct Options {
    std::optional<std::string> dir;
    bool list = false, remove = false;
  };
  auto opts = std::make_shared<Options>();
  cmd->add_option("DIR", opts->dir, "the workspace (default: the one crm is in)");
  cmd->add_flag("--list", opts->list, "print the trusted workspaces, one a line");
  cmd->add_flag("--remove", opts->remove, "stop trusting the workspace: its hooks no longer run");
  cmd->callback([&ctx, opts] {
    if (opts->list) {
      if (opts->dir || opts->remove)
        throw Error(ErrorKind::usage, "--list takes no DIR and no --remove", {"see 'crm trust -h'"});
      const auto paths = ops::trusted_workspaces();
      for (const auto& p : paths) ctx.out() << p << '\n';
      if (paths.empty()) ctx.exit_code = 1;
      return;
    }
    // DIR is taken as given (relative to -C when that is given too).
    std::filesystem::path start = ctx.chdir.empty() ? std::filesystem::current_path() : std::filesystem::path(ctx.chdir);
    if (opts->dir) start = std::filesystem::path(*opts->dir).is_absolute() ? std::filesystem::path(*opts->dir)
                                                                           : start / *opts->dir;
    const bool explicit_start = opts->dir || !ctx.chdir.empty();
    if (opts->remove) {
      const auto r = ops::untrust(start, explicit_start);
      if (!r.changed)
        throw Error(ErrorKind::not_found, fmt::format("'{}' is not trusted", r.path),
                    {"'crm trust --list' shows the trusted workspaces"});
      if (!ctx.quiet) ctx.out() << fmt::format("no longer trusted: {}\n", r.path);
      return;
    }
    const auto r = ops::trust(start, explicit_start);
    if (ctx.quiet) return;
    if (r.changed) ctx.out() << fmt::format("trusted: {} (its .crm/hooks run from now on)\n", r.path);
    else ctx.out() << fmt::format("already trusted: {}\n", r.path);
  });
}

} // namespace crm::cli
