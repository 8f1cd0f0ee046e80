#include "record_commands.hpp"

#include <unistd.h>

#include <cstdlib>
#include <map>
#include <memory>

#include <fmt/format.h>

#include "commands.hpp"
#include "format/card.hpp"
#include "ops/records/records.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/process.hpp"

namespace crm::cli {
namespace {

using model::FieldKind;

std::string flag_name(const model::Field& f) {
  std::string name(f.key);
  const bool plural_list = f.kind == FieldKind::list || f.kind == FieldKind::emails || f.kind == FieldKind::phones;
  if (plural_list && name.size() > 1 && name.back() == 's') name.pop_back();
  for (auto& c : name)
    if (c == '_') c = '-';
  return "--" + name;
}

bool has_flag(const model::Field& f) {
  return f.settable && f.kind != FieldKind::map && f.kind != FieldKind::id && f.key != "name";
}

} // namespace

CLI::App* add_record_group(CLI::App& app, Context& ctx, const model::RecordType& type, const std::string& description) {
  auto* group = app.add_subcommand(std::string(type.name), description);
  require_one_subcommand(*group, "crm " + std::string(type.name));
  add_add_subcommand(*group, ctx, type);
  add_show_subcommand(*group, ctx, type);
  add_list_subcommand(*group, ctx, type);
  add_set_subcommand(*group, ctx, type);
  add_edit_subcommand(*group, ctx, type);
  add_rm_subcommand(*group, ctx, type);
  return group;
}

void add_add_subcommand(CLI::App& group, Context& ctx, const model::RecordType& type) {
  auto* cmd = group.add_subcommand("add", fmt::format("add a {} and print its new id", type.name));
  struct Options {
    std::string name;
    std::map<std::string, std::vector<std::string>> values; // field key -> values
    std::vector<std::string> sets;
  };
  auto opts = std::make_shared<Options>();
  cmd->add_option("NAME", opts->name, fmt::format("the {}'s full name", type.name))->required();
  for (const auto& f : type.fields) {
    if (!has_flag(f)) continue;
    auto& slot = opts->values[std::string(f.key)];
    const bool many = f.kind == FieldKind::list || f.kind == FieldKind::emails || f.kind == FieldKind::phones;
    auto* opt = cmd->add_option(flag_name(f), slot, std::string(f.help) + (many ? " (repeatable)" : ""));
    if (!many) opt->expected(1);
    if (f.kind == FieldKind::choice) {
      std::string choices;
      for (auto c : f.choices) choices += (choices.empty() ? "" : "|") + std::string(c);
      opt->type_name(choices);
    }
  }
  cmd->add_option("--set", opts->sets, "KEY=VALUE: any field, or a custom field (repeatable)")->type_name("KEY=VALUE");
  cmd->callback([&ctx, &type, opts] {
    std::vector<ops::Assignment> changes;
    for (const auto& [key, values] : opts->values)
      for (const auto& v : values) changes.push_back({key, '+', v});
    // Scalar fields are set, list fields are added to, in one pass.
    for (auto& c : changes)
      if (const auto* f = type.field(c.key);
          f && f->kind != FieldKind::list && f->kind != FieldKind::emails && f->kind != FieldKind::phones)
        c.op = '=';
    for (const auto& s : opts->sets) changes.push_back(ops::parse_assignment(s));
    // Writers refresh once, under the lock (ops), not also before taking it.
    ctx.out() << ops::add_record(ctx.session(false), type, opts->name, changes) << '\n';
    ctx.warn_broken();
  });
}

void add_show_subcommand(CLI::App& group, Context& ctx, const model::RecordType& type,
                         std::function<void(ops::Session&, ops::ShownRecord&)> extend) {
  auto* cmd = group.add_subcommand("show", fmt::format("show one {}", type.name));
  auto ref = std::make_shared<std::string>();
  cmd->add_option("REF", *ref, "id, id prefix, email, phone or exact name")->required();
  cmd->callback([&ctx, &type, ref, extend] {
    auto shown = ops::show_record(ctx.session(), type, *ref);
    if (extend) extend(ctx.session(), shown);
    model::Record rec = shown.record;
    const bool card = !ctx.format_given() || *ctx.format == "table";
    // Computed fields follow the stored ones: on a card as more rows (zeros left
    // out), in json/yaml under "computed" so that the other keys stay the file's.
    if (card) {
      for (const auto& [key, value] : shown.computed.items())
        if (!(value.is_number() && value == 0)) rec[key] = value;
    } else if (!shown.computed.empty()) {
      rec["computed"] = shown.computed;
    }
    // A company's contacts: by name on the card, by id for scripts.
    format::CardRows more;
    if (!shown.contacts.empty()) {
      std::vector<std::string> lines;
      model::Record ids = model::Record::array();
      for (const auto& c : shown.contacts) {
        lines.push_back(c.name.empty() ? c.id : fmt::format("{} ({})", c.name, c.id));
        ids.push_back(c.id);
      }
      if (card) more.emplace_back("contacts", std::move(lines));
      else rec["computed"]["contacts"] = std::move(ids);
    }
    if (card)
      format::write_card(ctx.out(), type, rec, shown.ref_names, ctx.color_on_stdout(), more);
    else
      format::write_record(ctx.out(), rec, ctx.output());
  });
}

std::size_t print_records(Context& ctx, const model::RecordType& type, const index::ListQuery& q,
                          const std::string& fields) {
  const auto columns = ops::list_columns(type, fields);
  const auto out_opts = ctx.output();
  format::RecordStream stream(ctx.out(), columns, out_opts);
  const bool whole = out_opts.format == format::Format::json || out_opts.format == format::Format::jsonl ||
                     out_opts.format == format::Format::yaml;
  // Whole records unless the user chose the fields; json passes through as stored.
  if (whole && fields.empty())
    ops::list_records_json(ctx.session(), type, q, [&](std::string_view json) { stream.add_json(json); });
  else if (stream.takes_cells())
    ops::list_records_cells(ctx.session(), type, q, columns, stream.cell_separator(), ops::RefCells::names,
                            [&](const std::vector<std::string_view>& cells) { stream.add_cells(cells); });
  else
    ops::list_records_projected(ctx.session(), type, q, columns, [&](model::Record&& r) { stream.add(r); });
  stream.finish();
  // Computed amounts (revenue...) leave out sales without a rate: say so.
  for (const auto& w : ctx.session().index().missing_rates())
    ctx.err() << "warning: " << w << " (left out of computed amounts)\n";
  return stream.count();
}

CLI::App* add_list_subcommand(CLI::App& group, Context& ctx, const model::RecordType& type,
                              std::function<void(index::ListQuery&)> adjust) {
  auto* cmd = group.add_subcommand("list", fmt::format("list {}", type.plural));
  struct Options {
    index::ListQuery query;
    std::optional<std::size_t> limit;
    std::string fields;
    std::string stage;
    std::string contact;
    std::string where;
  };
  auto opts = std::make_shared<Options>();
  auto* where = cmd->add_option("--where", opts->where, "only those matching the filter (crm help filter)")
                    ->type_name("EXPR");
  auto* sort = cmd->add_option("--sort", opts->query.sort, "sort by FIELD (-FIELD: descending)")->type_name("FIELD");
  cmd->add_option("--limit", opts->limit, "show at most N")->type_name("N")->check(count_validator());
  cmd->add_option("--fields", opts->fields, "columns to show, comma-separated")->type_name("F,...");
  cmd->add_option("--tag", opts->query.tags, "only those with this tag (repeatable: all of them)");
  if (type.field("stage")) cmd->add_option("--stage", opts->stage, "only those in this stage");
  // Records about a contact (activities, sales, deals...) list by contact.
  if (const auto* f = type.field("contact"); f && f->ref_type == "contact" && f->indexed)
    cmd->add_option("--contact", opts->contact, "only those with this contact (id, email, phone or name)")
        ->type_name("REF");
  cmd->callback([&ctx, &type, opts, sort, where, adjust] {
    auto q = opts->query;
    q.sort = std::string(type.default_sort);
    if (adjust) adjust(q);
    if (sort->count() > 0) q.sort = opts->query.sort;
    q.limit = opts->limit;
    if (!opts->stage.empty()) q.stage = opts->stage;
    if (where->count() > 0) q.where = ctx.session().where(type, opts->where); // an empty filter is an error
    if (!opts->contact.empty())
      q.conditions.push_back({"contact", "=", model::id_of(ops::find_contact(ctx.session(), opts->contact))});
    if (print_records(ctx, type, q, opts->fields) == 0) ctx.exit_code = 1;
  });
  return cmd;
}

void add_set_subcommand(CLI::App& group, Context& ctx, const model::RecordType& type) {
  auto* cmd = group.add_subcommand("set", fmt::format("change fields of a {}", type.name));
  struct Options {
    std::string ref;
    std::vector<std::string> changes;
  };
  auto opts = std::make_shared<Options>();
  cmd->add_option("REF", opts->ref, "id, id prefix, email, phone or exact name")->required();
  cmd->add_option("CHANGE", opts->changes, "KEY=VALUE (KEY= unsets), KEY+=VALUE, KEY-=VALUE")->required();
  cmd->callback([&ctx, &type, opts] {
    std::vector<ops::Assignment> changes;
    for (const auto& c : opts->changes) changes.push_back(ops::parse_assignment(c));
    ops::set_record(ctx.session(false), type, opts->ref, changes);
    ctx.warn_broken();
  });
}

void add_edit_subcommand(CLI::App& group, Context& ctx, const model::RecordType& type) {
  auto* cmd = group.add_subcommand("edit", fmt::format("open a {}'s file in $EDITOR, check it when saved", type.name));
  auto ref = std::make_shared<std::string>();
  cmd->add_option("REF", *ref, "id, id prefix, email, phone or exact name")->required();
  cmd->callback([&ctx, &type, ref] {
    ops::EditorHooks hooks;
    hooks.run_editor = run_editor;
    hooks.ask_reopen = [&ctx](const std::string& problem) {
      if (!fs::is_terminal(STDIN_FILENO)) return false; // the error is reported once, by main
      ctx.err() << "crm: " << problem << '\n';
      return ask_yes_no("re-open the editor?", true);
    };
    if (ops::edit_record(ctx.session(false), type, *ref, hooks) == ops::EditResult::unchanged && !ctx.quiet)
      ctx.err() << "no changes\n";
  });
}

void add_rm_subcommand(CLI::App& group, Context& ctx, const model::RecordType& type) {
  auto* cmd = group.add_subcommand("rm", fmt::format("remove a {} (asks first on a terminal)", type.name));
  struct Options {
    std::string ref;
    bool force = false;
  };
  auto opts = std::make_shared<Options>();
  cmd->add_option("REF", opts->ref, "id, id prefix, email, phone or exact name")->required();
  cmd->add_flag("-f,--force", opts->force, "do not ask");
  cmd->callback([&ctx, &type, opts] {
    auto confirm = [&](const model::Record& rec) {
      if (opts->force) return true;
      if (!fs::is_terminal(STDIN_FILENO))
        throw Error(ErrorKind::usage,
                    fmt::format("refusing to remove {} '{}' without --force", type.name, rec.value("id", "")),
                    {"stdin is not a terminal, so crm cannot ask; add --force in scripts"});
      return ask_yes_no(fmt::format("remove {} '{}' ({})?", type.name, rec.value("name", ""), rec.value("id", "")),
                        false);
    };
    if (!ops::remove_record(ctx.session(false), type, opts->ref, confirm)) {
      ctx.err() << "nothing removed\n";
      ctx.exit_code = 1;
    }
  });
}

} // namespace crm::cli
