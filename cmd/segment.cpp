// `crm segment create|list|show|rm`: saved filters over contacts.

#include <memory>

#include <fmt/format.h>

#include "commands.hpp"
#include "ops/contacts/segment.hpp"
#include "record_commands.hpp"

namespace crm::cli {
namespace {

void set_create(CLI::App& group, Context& ctx) {
  auto* cmd = group.add_subcommand("create", "save a filter over contacts as a segment; prints its id");
  struct Options {
    std::string name, where;
    std::optional<std::string> description;
  };
  auto opts = std::make_shared<Options>();
  cmd->add_option("NAME", opts->name, "the segment's name")->required();
  cmd->add_option("--where", opts->where, "the filter its members match (crm help filter)")
      ->type_name("EXPR")
      ->required();
  cmd->add_option("-d,--description", opts->description, "what it is for")->type_name("TEXT");
  cmd->callback([&ctx, opts] {
    ctx.out() << ops::create_segment(ctx.session(false), opts->name, opts->where, opts->description) << '\n';
    ctx.warn_broken();
  });
}

void set_list(CLI::App& group, Context& ctx) {
  auto* cmd = group.add_subcommand("list", "list segments with how many contacts each has now");
  cmd->callback([&ctx] {
    const auto segments = ops::list_segments(ctx.session());
    const std::vector<std::string> columns = {"id", "name", "members", "where", "description"};
    format::RecordStream stream(ctx.out(), columns, ctx.output());
    for (const auto& s : segments) {
      model::Record row = {{"id", s.segment.value("id", "")},
                           {"name", s.segment.value("name", "")},
                           {"members", s.members ? model::Record(*s.members) : model::Record(nullptr)},
                           {"where", s.segment.value("where", "")}};
      if (s.segment.contains("description")) row["description"] = s.segment["description"];
      stream.add(row);
    }
    stream.finish();
    for (const auto& s : segments)
      if (!s.problem.empty()) ctx.err() << "warning: " << s.problem << '\n';
    if (segments.empty()) ctx.exit_code = 1;
    ctx.warn_broken();
  });
}

void set_show(CLI::App& group, Context& ctx) {
  auto* cmd = group.add_subcommand("show", "list a segment's contacts (any --format; ids for xargs)");
  struct Options {
    std::string name, fields, sort = "name";
    std::optional<std::size_t> limit;
  };
  auto opts = std::make_shared<Options>();
  cmd->add_option("NAME", opts->name, "the segment: id, id prefix or exact name")->required();
  cmd->add_option("--fields", opts->fields, "columns to show, comma-separated")->type_name("F,...");
  cmd->add_option("--sort", opts->sort, "sort by FIELD (-FIELD: descending)")->type_name("FIELD");
  cmd->add_option("--limit", opts->limit, "show at most N")->type_name("N")->check(count_validator());
  cmd->callback([&ctx, opts] {
    auto& session = ctx.session();
    auto q = ops::segment_query(session, ops::find_segment(session, opts->name));
    q.sort = opts->sort;
    q.limit = opts->limit;
    if (print_records(ctx, model::contact_type(), q, opts->fields) == 0) ctx.exit_code = 1;
    ctx.warn_broken();
  });
}

} // namespace

void set_segment_command(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("segment", "segments: saved filters over contacts, members always current");
  require_one_subcommand(*group, "crm segment");
  set_create(*group, ctx);
  set_list(*group, ctx);
  set_show(*group, ctx);
  add_rm_subcommand(*group, ctx, model::segment_type());
}

} // namespace crm::cli
