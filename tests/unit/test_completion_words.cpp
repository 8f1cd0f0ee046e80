// ops completion words: where the last word of a command line stands against
// the command tree (subcommand, positional, option name, option value), -C and
// other values given before it, bundled short options, "--".

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "ops/completion/words.hpp"

using namespace crm::ops::completion;
using Words = std::vector<std::string>;

namespace {

OptionSpec flag(std::vector<std::string> names) { return {std::move(names), "a flag", "", false}; }
OptionSpec valued(std::vector<std::string> names, std::string type_name) {
  return {std::move(names), "an option", std::move(type_name), true};
}

// crm [-C DIR] [--format FMT] [-q] contact {show REF | set REF CHANGE... | list [--tag T] [--limit N]}
// and help [COMMAND...].
CommandSpec tree() {
  CommandSpec root{.name = "crm"};
  root.options = {valued({"-C"}, "DIR"), valued({"--format"}, "FMT"), flag({"--quiet", "-q"}),
                  flag({"--verbose", "-v"})};
  CommandSpec contact{.name = "contact", .description = "contacts"};
  CommandSpec show{.name = "show"};
  show.positionals = {{"REF", "the contact", "", false}};
  CommandSpec set{.name = "set"};
  set.positionals = {{"REF", "the contact", "", false}, {"CHANGE", "KEY=VALUE", "", true}};
  CommandSpec list{.name = "list"};
  list.options = {valued({"--tag"}, "TEXT"), valued({"--limit"}, "N"), flag({"--open"})};
  contact.commands = {show, set, list};
  CommandSpec help{.name = "help"};
  help.positionals = {{"COMMAND", "the command", "", true}};
  CommandSpec hidden{.name = "__complete", .hidden = true};
  root.commands = {contact, help, hidden};
  return root;
}

std::string path_of(const Analysis& a) {
  std::string p;
  for (const auto* c : a.path) p += (p.empty() ? "" : " ") + c->name;
  return p;
}

} // namespace

TEST_CASE("completion words: subcommands, then the positional each word fills") {
  const auto root = tree();
  auto a = analyze(root, Words{""});
  CHECK(path_of(a) == "crm");
  CHECK(a.slot == Slot::word);
  CHECK(a.positional == nullptr);

  a = analyze(root, Words{"contact", "sh"});
  CHECK(path_of(a) == "crm contact");
  CHECK(a.slot == Slot::word);
  CHECK(a.prefix == "sh");

  a = analyze(root, Words{"contact", "show", "an"});
  CHECK(path_of(a) == "crm contact show");
  REQUIRE(a.positional != nullptr);
  CHECK(a.positional->name == "REF");
  CHECK(a.prefix == "an");

  // A positional that takes every word left stays the one filled.
  a = analyze(root, Words{"contact", "set", "ana", "stage=lead", "ci"});
  REQUIRE(a.positional != nullptr);
  CHECK(a.positional->name == "CHANGE");
  CHECK(a.positionals == Words{"ana", "stage=lead"});

  // Past the last positional there is nothing to fill.
  a = analyze(root, Words{"contact", "show", "ana", ""});
  CHECK(a.positional == nullptr);

  // help's words are its positionals, not commands it runs.
  a = analyze(root, Words{"help", "contact", ""});
  CHECK(path_of(a) == "crm help");
  CHECK(a.positionals == Words{"contact"});
}

TEST_CASE("completion words: option names, option values, and values given before") {
  const auto root = tree();
  auto a = analyze(root, Words{"contact", "list", "--"});
  CHECK(a.slot == Slot::option_name);
  CHECK(a.prefix == "--");

  a = analyze(root, Words{"-"});
  CHECK(a.slot == Slot::option_name);

  a = analyze(root, Words{"contact", "list", "--tag", ""});
  CHECK(a.slot == Slot::option_value);
  REQUIRE(a.option != nullptr);
  CHECK(a.option->names.front() == "--tag");

  // A global option after a subcommand, as the parser takes it.
  a = analyze(root, Words{"contact", "list", "--format", "j"});
  CHECK(a.slot == Slot::option_value);
  CHECK(a.option->names.front() == "--format");
  CHECK(a.prefix == "j");

  // --name=value typed in one word: the candidates carry "--name=".
  a = analyze(root, Words{"contact", "list", "--format=js"});
  CHECK(a.slot == Slot::option_value);
  CHECK(a.inline_prefix == "--format=");
  CHECK(a.prefix == "js");

  // Values given earlier do not count as positionals; -C is remembered.
  a = analyze(root, Words{"-C", "work/ws", "--format", "json", "contact", "show", "a"});
  CHECK(path_of(a) == "crm contact show");
  CHECK(a.value_of("-C") == "work/ws");
  CHECK(a.value_of("--format") == "json");
  REQUIRE(a.positional != nullptr);
  CHECK(a.positional->name == "REF");

  a = analyze(root, Words{"-Cother", "contact", ""});
  CHECK(a.value_of("-C") == "other");
  CHECK(path_of(a) == "crm contact");

  // Bundled flags, then a value-taking short option last in the bundle.
  a = analyze(root, Words{"-qvC", ""});
  CHECK(a.slot == Slot::option_value);
  CHECK(a.option->names.front() == "-C");
}

TEST_CASE("completion words: after -- every word is a positional, and negative numbers are words") {
  const auto root = tree();
  auto a = analyze(root, Words{"contact", "show", "--", "-an"});
  CHECK(a.slot == Slot::word);
  CHECK(a.after_dashes);
  REQUIRE(a.positional != nullptr);
  CHECK(a.positional->name == "REF");

  a = analyze(root, Words{"contact", "list", "--limit", "-5", "--o"});
  CHECK(a.slot == Slot::option_name);
  CHECK(a.prefix == "--o");

  a = analyze(root, Words{"contact", "set", "ana", "-5"});
  CHECK(a.slot == Slot::word);
  CHECK(a.positional->name == "CHANGE");
}
