#include "commands.hpp"
#include "record_commands.hpp"

namespace crm::cli {

void set_contact_command(CLI::App& app, Context& ctx) {
  const auto& type = model::contact_type();
  auto* group = app.add_subcommand("contact", "add, find and change contacts (people)");
  group->require_subcommand(1);
  add_add_subcommand(*group, ctx, type);
  add_show_subcommand(*group, ctx, type);
  add_list_subcommand(*group, ctx, type);
  add_set_subcommand(*group, ctx, type);
  add_edit_subcommand(*group, ctx, type);
  add_rm_subcommand(*group, ctx, type);
}

} // namespace crm::cli
