#include <memory>

#include "commands.hpp"
#include "format/rows.hpp"
#include "ops/git/history.hpp"

namespace crm::cli {

void set_history_command(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("history", "the changes to one record over time, field by field, from git");
  auto ref = std::make_shared<std::string>();
  cmd->add_option("REF", *ref, "the record: a contact or company (id, id prefix, email, phone or name), or any id")
      ->required();
  cmd->callback([&ctx, ref] {
    const auto rows = ops::record_history(ctx.session(), *ref);
    format::write_rows(ctx.out(), rows, ctx.output());
    if (rows.rows.empty()) ctx.exit_code = 1;
  });
}

} // namespace crm::cli
