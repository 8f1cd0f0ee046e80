#include "commands.hpp"
#include "record_commands.hpp"

namespace crm::cli {

// Activities are created by `crm log` (and by stage changes); this group finds,
// corrects and removes them.
void set_activity_command(CLI::App& app, Context& ctx) {
  const auto& type = model::activity_type();
  auto* group = app.add_subcommand("activity", "show, list, correct and remove logged activities");
  require_one_subcommand(*group, "crm activity");
  add_show_subcommand(*group, ctx, type);
  auto kind = std::make_shared<std::string>();
  auto contact = std::make_shared<std::string>();
  auto* list = add_list_subcommand(*group, ctx, type, [kind, contact](index::ListQuery& q) {
    if (!kind->empty()) q.conditions.push_back({"kind", "=", *kind});
    if (!contact->empty()) q.conditions.push_back({"contact", "=", *contact});
  });
  list->add_option("--kind", *kind, "only this kind (call, email, meeting, text, note, chat, stage)");
  list->add_option("--contact", *contact, "only those with this contact (its id)")->type_name("ID");
  add_set_subcommand(*group, ctx, type);
  add_edit_subcommand(*group, ctx, type);
  add_rm_subcommand(*group, ctx, type);
}

} // namespace crm::cli
