// `crm __complete WORDS...` (hidden): the candidates for the last of WORDS,
// one a line, `value<TAB>description` when there is a description; a line
// `<TAB>files` or `<TAB>dirs` (an empty value) asks the shell for file or
// directory names. The completion scripts in completions/ call it; the command
// tree it completes from is the app main built from the command table.

#include <unistd.h>

#include <filesystem>

#include "commands.hpp"
#include "ops/completion/complete.hpp"

namespace crm::cli {
namespace {

namespace completion = ops::completion;

// The app as plain data for lib/ops/completion. A command or option in the
// empty group is hidden: it runs, but is never offered.
completion::CommandSpec spec_of(const CLI::App& app) {
  completion::CommandSpec spec;
  spec.name = app.get_name();
  spec.description = app.get_description();
  spec.hidden = app.get_parent() && app.get_group().empty();
  for (const CLI::Option* o : app.get_options()) {
    if (o->get_group().empty()) continue;
    if (o->get_lnames().empty() && o->get_snames().empty()) {
      if (!o->get_positional()) continue;
      spec.positionals.push_back({o->get_name(), o->get_description(), o->get_type_name(),
                                  o->get_items_expected_max() > 1});
      continue;
    }
    completion::OptionSpec opt;
    for (const auto& l : o->get_lnames()) opt.names.push_back("--" + l);
    for (const auto& s : o->get_snames()) opt.names.push_back("-" + s);
    opt.description = o->get_description();
    opt.type_name = o->get_type_name();
    // A flag, or an option whose value may be left out (report --chart [svg]).
    opt.takes_value = o->get_items_expected_min() > 0;
    spec.options.push_back(std::move(opt));
  }
  for (const CLI::App* sub : app.get_subcommands({})) spec.commands.push_back(spec_of(*sub));
  return spec;
}

// A value the line protocol cannot carry (a tab or a line break in it) is left out.
bool printable(const std::string& value) { return value.find_first_of("\t\n\r") == std::string::npos; }

} // namespace

void set_complete_command(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("__complete", "");
  cmd->group("");
  // Every word after __complete is the line being completed, options included.
  // (Not passed up to crm either, which would run "contact" as a command.)
  cmd->prefix_command();
  cmd->fallthrough(false);
  // "crm --help<Tab>" completes --help: no word is __complete's own.
  cmd->set_help_flag();
  cmd->callback([&app, &ctx, cmd] {
    const auto words = cmd->remaining();
    std::error_code ec;
    completion::CompleteOptions options;
    options.cwd = std::filesystem::current_path(ec);
    // crm -C DIR __complete ...: the words are read from there.
    if (!ctx.chdir.empty()) options.cwd = std::filesystem::absolute(ctx.chdir, ec);
    const auto result = completion::complete(spec_of(app), words, options);
    auto& out = ctx.out();
    for (const auto& c : result.candidates) {
      if (c.value.empty() || !printable(c.value)) continue;
      out << c.value;
      if (!c.description.empty()) out << '\t' << c.description;
      out << '\n';
    }
    if (result.fallback == completion::Fallback::files) out << "\tfiles\n";
    if (result.fallback == completion::Fallback::dirs) out << "\tdirs\n";
  });
}

} // namespace crm::cli
