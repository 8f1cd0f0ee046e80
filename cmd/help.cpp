#include <functional>

#include <fmt/format.h>

#include "commands.hpp"
#include "index/computed.hpp"
#include "index/filter_sql.hpp"
#include "util/error.hpp"
#include "util/process.hpp"

namespace crm::cli {
namespace {

// `crm help filter [TYPE]`: the filter language and the fields of a type.
void write_filter_help(std::ostream& out, const model::RecordType& type) {
  out << "The filter language of --where, segments and lead_scoring rules:\n\n"
         "  vip and city = \"Cluj-Napoca\"                a bare word is a tag\n"
         "  revenue > 1000 and last_purchase < -90d     computed fields\n"
         "  name ~ \"popesc\" or email ~ \"@example.ro\"    ~ contains, ignoring case and accents\n"
         "  stage in (lead, prospect) and not has:email\n"
         "  orders >= 3 and country != UA\n\n"
         "Operators: = != < <= > >= ~, in (A, B), has:FIELD, and, or, not, ( ). Two terms side\n"
         "by side mean and; and binds tighter than or. Values: words, \"quoted text\", numbers,\n"
         "amounts, dates (2026-11-01) and relative dates (today, -90d, -2w, -6m, -1y). Text\n"
         "compares ignoring case and accents with = and ~; != and not also match records\n"
         "that have no value. Amounts of a record are in its own currency; revenue, balance\n"
         "and avg_order are in the base currency. Custom fields: custom.NAME (or NAME).\n\n";
  out << fmt::format("Fields of {} (crm help filter TYPE for another type):\n", type.plural);
  for (const auto& name : index::filter_fields(type)) {
    std::string help;
    if (const auto* f = type.field(name)) {
      help = std::string(f->help);
      // Choices as the workspace has them (a contact's stages come from config.yaml).
      if (f->kind == model::FieldKind::choice) help += ": " + model::choice_list(*f);
    }
    else if (const auto* c = index::find_computed(type, name)) help = c->help + " (computed)";
    out << fmt::format("  {:<18} {}\n", name, help);
  }
}

// "  NAME   TEXT" as CLI11 lists a subcommand: the name padded to the help's
// column width, or the text on a line of its own below a longer name.
std::string help_line(const CLI::App& app, const std::string& name, const std::string& text) {
  const std::size_t width = app.get_formatter()->get_column_width();
  std::string line = "  " + name;
  if (line.size() >= width) line += "\n" + std::string(width, ' ');
  else line += std::string(width - line.size(), ' ');
  return line + text + "\n";
}

bool is_command(const CLI::App& app, const std::string& word) {
  for (const auto* sub : app.get_subcommands({}))
    if (sub->get_name() == word) return true;
  return false;
}

// `crm help -a`: the commands, the aliases, and the external commands on PATH.
void write_all(std::ostream& out, const CLI::App& app, const Context& ctx) {
  out << "Commands:\n";
  for (const auto* sub : app.get_subcommands({}))
    if (!sub->get_group().empty()) out << help_line(app, sub->get_name(), sub->get_description());
  if (!ctx.aliases.empty()) out << "\nAliases (from .crm/config.yaml):\n" << alias_lines(app, ctx);
  std::string externals;
  for (const auto& [name, path] : process::programs_with_prefix("crm-"))
    if (!is_command(app, name) && !ctx.aliases.count(name)) externals += help_line(app, name, path.string());
  if (!externals.empty()) out << "\nExternal commands (crm-NAME on PATH):\n" << externals;
}

} // namespace

std::string alias_lines(const CLI::App& app, const Context& ctx) {
  std::string out;
  for (const auto& [name, words] : ctx.aliases)
    out += help_line(app, name,
                     is_command(app, name) ? fmt::format("{} (ignored: '{}' is a crm command)", words, name) : words);
  return out;
}

void set_help_command(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("help", "show help for a command: crm help contact add");
  auto words = std::make_shared<std::vector<std::string>>();
  auto all = std::make_shared<bool>(false);
  cmd->add_option("COMMAND", *words, "the command (and subcommand), an alias or an external command");
  cmd->add_flag("-a,--all", *all, "list every command: crm's own, the aliases, and crm-NAME programs on PATH");
  cmd->callback([&app, &ctx, words, all] {
    if (*all) {
      write_all(ctx.out(), app, ctx);
      return;
    }
    if (words->size() == 1 && !is_command(app, words->front())) {
      const std::string& w = words->front();
      if (const auto alias = ctx.aliases.find(w); alias != ctx.aliases.end()) {
        ctx.out() << fmt::format("'{}' is an alias for '{}'\n", w, alias->second);
        return;
      }
      if (const auto program = process::find_program("crm-" + w)) {
        ctx.out() << fmt::format("'{}' is an external command: {}\n", w, program->string());
        return;
      }
    }
    if (!words->empty() && words->front() == "filter") {
      const model::RecordType* type = &model::contact_type();
      if (words->size() > 1 && !(type = model::find_type((*words)[1])))
        throw Error(ErrorKind::usage, fmt::format("no record type '{}'", (*words)[1]),
                    {"crm help filter contacts, sales, activities, followups..."});
      write_filter_help(ctx.out(), *type);
      return;
    }
    CLI::App* target = &app;
    std::string path = "crm";
    for (const auto& w : *words) {
      CLI::App* sub = nullptr;
      try {
        sub = target->get_subcommand(w);
      } catch (const CLI::OptionNotFound&) {
      }
      if (!sub || sub->get_group().empty())
        throw Error(ErrorKind::usage, fmt::format("no such command '{} {}'", path, w),
                    {"run 'crm --help' for the list of commands"});
      target = sub;
      path += " " + w;
    }
    if (words->empty()) {
      // App::help() would describe the subcommand being run (this one).
      ctx.out() << app.get_formatter()->make_help(&app, "crm", CLI::AppFormatMode::Normal);
      return;
    }
    // The same text as `crm PATH -h`: CLI11 names a subcommand by its parents.
    ctx.out() << target->help(path.substr(0, path.rfind(' ')));
  });

  // Hidden: every command path and its description, one per line, for the
  // completion scripts and for the test that each command has help.
  auto* list = app.add_subcommand("__commands", "");
  list->group("");
  list->callback([&app, &ctx] {
    std::function<void(const CLI::App&, const std::string&)> walk = [&](const CLI::App& at, const std::string& path) {
      for (const auto* sub : at.get_subcommands({})) {
        if (sub->get_group().empty()) continue;
        const std::string p = path.empty() ? sub->get_name() : path + " " + sub->get_name();
        ctx.out() << p << '\t' << sub->get_description() << '\n';
        walk(*sub, p);
      }
    };
    walk(app, "");
  });
}

} // namespace crm::cli
