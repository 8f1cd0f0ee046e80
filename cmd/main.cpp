// crm: parse the command line, run one command, map errors to exit codes.

#include <cstdio>
#include <iostream>
#include <string_view>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "commands.hpp"
#include "index/index.hpp"
#include "util/error.hpp"

namespace {

// CLI11 messages start with a capital and may end with a period; crm's do not.
std::string git_style(std::string message) {
  while (!message.empty() && (message.back() == '.' || message.back() == '\n')) message.pop_back();
  if (!message.empty() && message[0] >= 'A' && message[0] <= 'Z' &&
      (message.size() < 2 || !(message[1] >= 'A' && message[1] <= 'Z')))
    message[0] = static_cast<char>(message[0] - 'A' + 'a');
  return message;
}

void print_error(const std::string& message, const std::vector<std::string>& hints) {
  std::cerr << "crm: " << message << '\n';
  for (const auto& h : hints) std::cerr << "hint: " << h << '\n';
}

// The command path ("crm contact add") that was being parsed, for help hints.
std::string command_path(const CLI::App& app) {
  std::string path = "crm";
  const CLI::App* at = &app;
  for (;;) {
    const CLI::App* next = nullptr;
    for (const auto* sub : at->get_subcommands())
      if (sub->parsed()) next = sub;
    if (!next) break;
    path += " " + next->get_name();
    at = next;
  }
  return path;
}

} // namespace

int main(int argc, char** argv) {
  // Scripts ask for the version often: answer before building the command table.
  if (argc == 2 && std::string_view(argv[1]) == "--version") {
    std::fputs("crm " CRM_VERSION "\n", stdout);
    return 0;
  }
  std::ios::sync_with_stdio(false);
  crm::cli::Context ctx;
  CLI::App app{"crm: a file-based CRM for the terminal (one YAML file per record, a SQLite index beside them)",
               "crm"};
  app.set_help_flag("-h,--help", "print this help and exit");
  app.set_version_flag("--version", "crm " CRM_VERSION, "print the version and exit");
  app.add_option("-C", ctx.chdir, "run as if crm was started in DIR")->type_name("DIR");
  app.add_option("--format", ctx.format, "output format: table, json, jsonl, csv, tsv, yaml, ids")
      ->type_name("FMT");
  app.add_flag("--no-color", ctx.no_color, "no color, even on a terminal (NO_COLOR works too)");
  app.add_flag("-q,--quiet", ctx.quiet, "print only what scripts need");
  app.add_flag("-v,--verbose", ctx.verbose, "say more");
  app.fallthrough();
  app.require_subcommand(0, 1);

  // A contact's stages come from the workspace's config, and the help texts
  // list them: read it before the commands are registered.
  crm::cli::read_workspace_settings(argc, argv);
  for (const auto& command : crm::cli::command_table()) command.set(app, ctx);

  try {
    app.parse(argc, argv);
    if (app.get_subcommands().empty()) {
      std::cout << app.help();
      return 0;
    }
    ctx.commit(command_path(app));
  } catch (const CLI::ExtrasError& e) {
    // "crm nosuch" or "crm contact nosuch": name the word like git does.
    std::string what = e.what();
    const auto colon = what.rfind(": ");
    std::string word = colon == std::string::npos ? what : what.substr(colon + 2);
    // Several unexpected words: name the first one typed.
    if (const auto args = app.remaining(true); !args.empty()) word = args.front();
    const std::string path = command_path(app);
    print_error(word.starts_with("-") ? fmt::format("unknown option '{}'", word)
                                      : fmt::format("'{}' is not a {} command", word, path),
                {fmt::format("see '{} -h'", path)});
    return 2;
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    std::string path = command_path(app);
    print_error(git_style(e.what()), {fmt::format("see '{} -h'", path)});
    return 2;
  } catch (const crm::Error& e) {
    // A failed command takes back what it wrote, before it says why.
    auto hints = e.hints();
    for (auto& h : ctx.revert()) hints.push_back(std::move(h));
    std::cout.flush();
    print_error(e.what(), hints);
    return crm::exit_code_for(e.kind());
  } catch (const std::exception& e) {
    auto hints = ctx.revert();
    std::cout.flush();
    if (auto failure = crm::index::failure_of(e)) {
      hints.push_back(failure->hint);
      print_error(failure->message, hints);
    } else {
      print_error(fmt::format("internal error: {}", e.what()), hints);
    }
    return 5;
  }
  std::cout.flush();
  return ctx.exit_code;
}
