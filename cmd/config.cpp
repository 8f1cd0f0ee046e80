#include <memory>

#include <fmt/format.h>

#include "commands.hpp"
#include "format/output.hpp"
#include "ops/workspace/config.hpp"
#include "store/config_file.hpp"
#include "util/error.hpp"

namespace crm::cli {
namespace {

bool json_wanted(const Context& ctx) {
  if (!ctx.format_given()) return false;
  const auto f = ctx.output().format;
  return f == format::Format::json || f == format::Format::jsonl;
}

} // namespace

void set_config_command(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("config", "read and change the workspace settings in .crm/config.yaml");
  cmd->footer("Keys are dotted paths: currency, index.verify, deals.stages.proposal, alias.NAME, git.autocommit.\n"
              "A change keeps the file's comments and the rest of its text as they are.");
  auto unset_key = std::make_shared<std::string>();
  cmd->add_option("--unset", *unset_key, "remove KEY from config.yaml (as 'crm config unset KEY')")->type_name("KEY");
  cmd->require_subcommand(0, 1);
  cmd->callback([cmd, &ctx, unset_key] {
    if (!unset_key->empty()) {
      if (!cmd->get_subcommands().empty())
        throw Error(ErrorKind::usage, "--unset takes no subcommand", {"crm config --unset KEY"});
      ops::config_unset(ctx.workspace_root(), *unset_key);
      return;
    }
    if (cmd->get_subcommands().empty())
      throw Error(ErrorKind::usage, "'crm config' needs a subcommand", {"see 'crm config -h'"});
  });

  auto key = std::make_shared<std::string>();
  auto value = std::make_shared<std::string>();

  auto* get = cmd->add_subcommand("get", "print the value of KEY (exit 1 when it is not set)");
  get->add_option("KEY", *key, "the setting, e.g. deals.stages or alias.overdue")->required();
  get->callback([&ctx, key] {
    const auto v = ops::config_get(ctx.workspace_root(), *key);
    if (!v) {
      ctx.exit_code = 1;
      return;
    }
    if (json_wanted(ctx)) format::write_record(ctx.out(), store::config_json(*v), ctx.output());
    else if (v->IsScalar()) ctx.out() << v->Scalar() << '\n';
    else ctx.out() << store::config_block_text(*v);
  });

  auto* set = cmd->add_subcommand("set", "set KEY to VALUE, keeping the rest of config.yaml as it is");
  set->add_option("KEY", *key, "the setting, e.g. currency or deals.stages.proposal")->required();
  set->add_option("VALUE", *value, "a text, a number, or a list or map in YAML: \"[lead, customer]\" (after --, when it starts with -)")->required();
  set->footer("Examples:\n"
              "  crm config set deals.stages.proposal 60\n"
              "  crm config set stages \"[lead, prospect, customer, churned]\"\n"
              "  crm config set alias.overdue \"followup list --overdue\"\n"
              "  crm config set alias.quiet-due -- \"-q due\"     (-- before a value that starts with -)");
  // A VALUE such as "-q due" must not reach crm's own -q: without `--` it is
  // refused as an unknown option rather than taken apart.
  set->fallthrough(false);
  set->callback([&ctx, key, value] { ops::config_set(ctx.workspace_root(), *key, *value); });

  auto* unset = cmd->add_subcommand("unset", "remove KEY from config.yaml (exit 1 when it is not set)");
  unset->add_option("KEY", *key, "the setting")->required();
  unset->callback([&ctx, key] { ops::config_unset(ctx.workspace_root(), *key); });

  auto* list = cmd->add_subcommand("list", "print every setting in config.yaml as key=value");
  list->callback([&ctx] {
    const auto leaves = ops::config_list(ctx.workspace_root());
    if (json_wanted(ctx)) {
      nlohmann::ordered_json all = nlohmann::ordered_json::object();
      for (const auto& [k, v] : leaves) all[k] = store::config_json(v);
      format::write_record(ctx.out(), all, ctx.output());
      return;
    }
    for (const auto& [k, v] : leaves) ctx.out() << k << '=' << store::config_flow_text(v) << '\n';
  });
}

} // namespace crm::cli
