#include <functional>

#include <fmt/format.h>

#include "commands.hpp"
#include "util/error.hpp"

namespace crm::cli {

void set_help_command(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("help", "show help for a command: crm help contact add");
  auto words = std::make_shared<std::vector<std::string>>();
  cmd->add_option("COMMAND", *words, "the command (and subcommand)");
  cmd->callback([&app, &ctx, words] {
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
