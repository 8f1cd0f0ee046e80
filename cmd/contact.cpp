#include "commands.hpp"
#include "record_commands.hpp"

namespace crm::cli {

void set_contact_command(CLI::App& app, Context& ctx) {
  add_record_group(app, ctx, model::contact_type(), "add, find and change contacts (people)");
}

} // namespace crm::cli
