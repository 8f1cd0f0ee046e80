#include <memory>

#include "commands.hpp"
#include "ops/interactions/timeline.hpp"

namespace crm::cli {

void set_timeline_command(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("timeline", "everything about one contact (or a company's contacts), newest first");
  struct Options {
    std::string ref;
    ops::TimelineOptions options;
  };
  auto opts = std::make_shared<Options>();
  cmd->add_option("REF", opts->ref, "the contact (id, id prefix, email, phone or exact name) or a company")->required();
  cmd->add_option("--limit", opts->options.limit, "show at most N")->type_name("N")->check(count_validator());
  cmd->add_option("--kind", opts->options.kind, "only this type or kind (activity, followup, call, complaint...)")
      ->type_name("K");
  cmd->callback([&ctx, opts] {
    const auto t = ops::timeline(ctx.session(), opts->ref, opts->options);
    std::vector<format::Record> rows;
    for (const auto& e : t.entries) {
      format::Record r = {{"when", e.when}, {"type", e.type}, {"kind", e.kind}};
      if (!e.status.empty()) r["status"] = e.status;
      r["summary"] = e.summary;
      r["id"] = e.id;
      // A company's timeline names each row's contact (the id for scripts).
      if (t.company) {
        r["contact"] = e.contact_id;
        r["contact_name"] = e.contact_name;
      }
      rows.push_back(std::move(r));
    }
    std::vector<std::string> columns{"when", "kind", "status", "summary", "id"};
    if (t.company) columns.insert(columns.begin() + 1, "contact_name");
    format::write_records(ctx.out(), rows, columns, ctx.output());
    if (rows.empty()) ctx.exit_code = 1;
  });
}

} // namespace crm::cli
