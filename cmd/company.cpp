#include "commands.hpp"
#include "record_commands.hpp"

namespace crm::cli {

void set_company_command(CLI::App& app, Context& ctx) {
  add_record_group(app, ctx, model::company_type(), "add, find and change companies");
}

} // namespace crm::cli
