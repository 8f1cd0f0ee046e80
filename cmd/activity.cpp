#include "commands.hpp"
#include "ops/records/records.hpp"
#include "record_commands.hpp"
#include "util/error.hpp"

namespace crm::cli {

// Activities are created by `crm log` (and by stage changes); this group finds,
// corrects and removes them.
void set_activity_command(CLI::App& app, Context& ctx) {
  const auto& type = model::activity_type();
  auto* group = app.add_subcommand("activity", "show, list, correct and remove logged activities");
  require_one_subcommand(*group, "crm activity");
  add_show_subcommand(*group, ctx, type);
  auto kind = std::make_shared<std::string>();
  auto* list = add_list_subcommand(*group, ctx, type, [&type, kind](index::ListQuery& q) {
    if (!kind->empty()) {
      if (auto problem = model::check_field(*type.field("kind"), *kind)) throw Error(ErrorKind::usage, *problem);
      q.conditions.push_back({"kind", "=", *kind});
    }
  });
  list->add_option("--kind", *kind, "only this kind (call, email, meeting, text, note, chat, stage)");
  add_set_subcommand(*group, ctx, type);
  add_edit_subcommand(*group, ctx, type);
  add_rm_subcommand(*group, ctx, type);
}

} // namespace crm::cli
