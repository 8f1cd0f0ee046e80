#include "commands.hpp"
#include "record_commands.hpp"

namespace crm::cli {

void set_company_command(CLI::App& app, Context& ctx) {
  const auto& type = model::company_type();
  auto* group = app.add_subcommand("company", "add, find and change companies");
  group->require_subcommand(1);
  add_add_subcommand(*group, ctx, type);
  add_show_subcommand(*group, ctx, type);
  add_list_subcommand(*group, ctx, type);
  add_set_subcommand(*group, ctx, type);
  add_edit_subcommand(*group, ctx, type);
  add_rm_subcommand(*group, ctx, type);
}

} // namespace crm::cli
