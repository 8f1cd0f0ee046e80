#include <memory>

#include "commands.hpp"
#include "ops/records/search.hpp"

namespace crm::cli {

void set_search_command(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("search", "full-text search over names, notes, activities and feedback");
  struct Options {
    std::vector<std::string> words;
    std::size_t limit = 20;
  };
  auto opts = std::make_shared<Options>();
  cmd->add_option("TEXT", opts->words, "words to find (each must start a word; case and accents do not matter)")
      ->required();
  cmd->add_option("--limit", opts->limit, "show at most N (default 20)")->type_name("N")->check(count_validator());
  cmd->callback([&ctx, opts] {
    std::string query;
    for (const auto& w : opts->words) query += (query.empty() ? "" : " ") + w;
    std::vector<format::Record> rows;
    for (const auto& r : ops::search(ctx.session(), query, opts->limit))
      rows.push_back({{"type", r.type}, {"id", r.id}, {"name", r.name}, {"field", r.field}, {"snippet", r.snippet}});
    format::write_records(ctx.out(), rows, {"type", "name", "snippet", "id"}, ctx.output());
    if (rows.empty()) ctx.exit_code = 1;
  });
}

} // namespace crm::cli
