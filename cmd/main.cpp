// crm: parse the command line, run one command, map errors to exit codes.

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string_view>

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "commands.hpp"
#include "index/index.hpp"
#include "util/error.hpp"
#include "util/process.hpp"

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

// The global options before the command word (crm -C DIR --format json -q WORD ...).
struct Globals {
  std::size_t command_at = 1; // the command word's index; args.size() when there is none
  std::optional<std::string> chdir;
  bool quiet = false;
};

Globals scan_globals(const std::vector<std::string>& args) {
  Globals g;
  std::size_t i = 1;
  while (i < args.size()) {
    const std::string& a = args[i];
    if (a == "-C" || a == "--format") {
      if (a == "-C" && i + 1 < args.size()) g.chdir = args[i + 1];
      i += 2;
    } else if (a.starts_with("-C")) {
      g.chdir = a.substr(2);
      ++i;
    } else if (a.starts_with("--format=") || a == "--no-color" || a == "--verbose") {
      ++i;
    } else if (a == "--quiet") {
      g.quiet = true;
      ++i;
    } else if (a.size() > 1 && a[0] == '-' && a.find_first_not_of("qv", 1) == std::string::npos) {
      g.quiet = g.quiet || a.find('q') != std::string::npos;
      ++i;
    } else {
      break;
    }
  }
  g.command_at = std::min(i, args.size());
  return g;
}

bool is_builtin(const CLI::App& app, const std::string& word) {
  for (const auto* sub : app.get_subcommands({}))
    if (sub->get_name() == word) return true;
  return false;
}

// `crm foo ARGS` for an external command crm-foo: runs it in place of crm, in
// -C's folder, with CRM_WORKSPACE naming the workspace crm would use there.
[[noreturn]] void run_external(const std::vector<std::string>& args, const Globals& globals,
                               const std::filesystem::path& program) {
  std::filesystem::path start = std::filesystem::current_path();
  if (globals.chdir) {
    if (std::error_code ec; !std::filesystem::is_directory(*globals.chdir, ec) || ::chdir(globals.chdir->c_str()) != 0)
      throw crm::Error(crm::ErrorKind::usage, fmt::format("cannot change to '{}': no such directory", *globals.chdir));
    start = std::filesystem::current_path();
  }
  try {
    const auto root = crm::store::Workspace::find_root(start, globals.chdir.has_value());
    ::setenv("CRM_WORKSPACE", root.c_str(), 1);
  } catch (const crm::Error&) {
    if (globals.chdir) ::unsetenv("CRM_WORKSPACE"); // crm itself would not use it with -C either
  }
  std::vector<std::string> argv = {program.string()};
  argv.insert(argv.end(), args.begin() + static_cast<std::ptrdiff_t>(globals.command_at) + 1, args.end());
  std::cout.flush();
  crm::process::exec(argv);
}

// The command word, made what crm runs: an alias is replaced by its words (again
// while the first of them is an alias); a word that is neither a crm command nor
// an alias runs crm-WORD from PATH when there is one, and this never returns.
// Anything else is left to the parser, which names an unknown word.
void expand_command(std::vector<std::string>& args, const CLI::App& app,
                    const std::map<std::string, std::string>& aliases) {
  std::vector<std::string> chain;
  for (;;) {
    const Globals globals = scan_globals(args);
    if (globals.command_at >= args.size()) return;
    const std::string word = args[globals.command_at];
    if (word.starts_with("-")) return;
    if (is_builtin(app, word)) {
      if (aliases.count(word) && !globals.quiet)
        std::cerr << fmt::format("warning: alias '{}' is ignored: '{}' is a crm command\n", word, word);
      return;
    }
    if (const auto alias = aliases.find(word); alias != aliases.end()) {
      const bool loop = std::find(chain.begin(), chain.end(), word) != chain.end();
      chain.push_back(word);
      if (loop) {
        std::string path;
        for (const auto& c : chain) path += (path.empty() ? "" : " -> ") + c;
        throw crm::Error(crm::ErrorKind::usage, fmt::format("alias loop: {}", path),
                         {"change one of them in the alias: map of .crm/config.yaml"});
      }
      std::vector<std::string> words;
      try {
        words = crm::process::split_words(alias->second);
      } catch (const crm::Error& e) {
        throw crm::Error(crm::ErrorKind::invalid_data, fmt::format("bad alias '{}': {}", word, e.what()),
                         {fmt::format("crm config set alias.{} \"...\" changes it", word)});
      }
      if (words.empty())
        throw crm::Error(crm::ErrorKind::invalid_data, fmt::format("alias '{}' stands for nothing", word));
      const auto at = args.begin() + static_cast<std::ptrdiff_t>(globals.command_at);
      args.insert(args.erase(at), words.begin(), words.end());
      continue;
    }
    if (const auto program = crm::process::find_program("crm-" + word)) run_external(args, globals, *program);
    // No such command: when the workspace's config.yaml is broken, its aliases
    // could not be read, and that is the error to show.
    try {
      std::error_code ec;
      const auto start = globals.chdir ? std::filesystem::absolute(*globals.chdir, ec) : std::filesystem::current_path();
      (void)crm::store::Workspace::discover(start, globals.chdir.has_value());
    } catch (crm::Error& e) {
      if (e.kind() != crm::ErrorKind::invalid_data) return;
      e.hint(fmt::format("'{}' is no crm command; the aliases in config.yaml could not be read", word));
      throw;
    }
    return;
  }
}

// "Aliases (from .crm/config.yaml):" and one line per alias, for `crm -h`.
std::string aliases_help(const CLI::App& app, const crm::cli::Context& ctx) {
  if (ctx.aliases.empty()) return "";
  std::string text = "Aliases (from .crm/config.yaml):\n" + crm::cli::alias_lines(app, ctx);
  text.pop_back(); // CLI11 ends the footer with its own newline
  return text;
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
  if (const auto ws = crm::cli::read_workspace_settings(argc, argv)) ctx.aliases = ws->config().aliases;
  for (const auto& command : crm::cli::command_table()) command.set(app, ctx);
  if (!ctx.aliases.empty()) app.footer(aliases_help(app, ctx));

  std::vector<std::string> args(argv, argv + argc);
  try {
    expand_command(args, app, ctx.aliases);
    std::vector<char*> expanded;
    for (auto& a : args) expanded.push_back(a.data());
    app.parse(static_cast<int>(expanded.size()), expanded.data());
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
