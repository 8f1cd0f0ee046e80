#include <memory>

#include <fmt/format.h>

#include "commands.hpp"
#include "ops/workspace/init.hpp"

namespace crm::cli {

void set_init_command(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("init", "create a workspace in DIR (default: the current directory)");
  struct Options {
    std::string dir = ".";
    store::InitOptions init;
  };
  auto opts = std::make_shared<Options>();
  cmd->add_option("DIR", opts->dir, "where to create it (created if missing)");
  cmd->add_flag("--git", opts->init.git, "also run git init, commit the empty workspace and turn git.autocommit on");
  cmd->add_option("--currency", opts->init.currency, "base currency, ISO 4217 (default EUR)");
  cmd->add_option("--region", opts->init.region, "default phone region, ISO 3166 (RO, GB, UA...)");
  cmd->callback([&ctx, opts] {
    std::filesystem::path dir = opts->dir;
    if (!ctx.chdir.empty() && dir.is_relative()) dir = std::filesystem::path(ctx.chdir) / dir;
    const auto ws = ops::init_workspace(dir, opts->init);
    if (!ctx.quiet) ctx.out() << fmt::format("created crm workspace in {}\n", ws.root().string());
  });
}

} // namespace crm::cli
