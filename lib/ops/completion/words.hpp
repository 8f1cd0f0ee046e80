#pragma once
// The words of a command line being completed, read against the command tree:
// which command they reached, and what the last word (the one being typed) is:
// a subcommand or positional, an option's name, or an option's value. The tree
// is plain data, made by cmd/ from the CLI11 app (one command table), so this
// knows nothing of CLI11.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace crm::ops::completion {

struct OptionSpec {
  std::vector<std::string> names = {}; // as typed: "--format", "-C", "-q"
  std::string description = {};
  std::string type_name = {}; // "FMT", "in|out", "REF"; empty for a flag
  bool takes_value = false;
};

struct PositionalSpec {
  std::string name = {}; // "REF", "FILE"
  std::string description = {};
  std::string type_name = {};
  bool many = false; // takes every word left
};

struct CommandSpec {
  std::string name = {};
  std::string description = {};
  bool hidden = false; // run, but never offered (__commands, __complete)
  std::vector<OptionSpec> options = {};
  std::vector<PositionalSpec> positionals = {};
  std::vector<CommandSpec> commands = {};

  const CommandSpec* command(std::string_view word) const;
  const OptionSpec* option(std::string_view name) const;
};

enum class Slot {
  word,         // a subcommand, or the next positional
  option_name,  // "-", "--fo": an option of the command (or a global one)
  option_value, // the value of `option` (after it, or inline: "--format=js")
};

struct Analysis {
  std::vector<const CommandSpec*> path; // the root first; back(): the command reached
  Slot slot = Slot::word;
  const OptionSpec* option = nullptr;         // option_value: whose value
  const PositionalSpec* positional = nullptr; // word: the positional it would fill, if any
  bool after_dashes = false;                  // "--" was typed: no options, no subcommands
  std::string prefix;                         // what is typed of the word (of the value, when inline)
  std::string inline_prefix;                  // "--format=": the candidates start with it
  std::vector<std::string> positionals;       // the positional words typed for back() so far
  std::vector<std::pair<const OptionSpec*, std::string>> given; // options given with a value, in order

  const CommandSpec& command() const { return *path.back(); }
  // The value last given to the option named `name` ("-C"); empty when none.
  std::string value_of(std::string_view name) const;
};

// `words`: what follows the program name, the last one being completed (maybe
// empty). An option is looked for in the command reached and then in each
// command above it, as the parser does (global options anywhere).
Analysis analyze(const CommandSpec& root, const std::vector<std::string>& words);

} // namespace crm::ops::completion
