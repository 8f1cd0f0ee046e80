#include "ops/completion/words.hpp"

#include <algorithm>

namespace crm::ops::completion {

const CommandSpec* CommandSpec::command(std::string_view word) const {
  for (const auto& c : commands)
    if (c.name == word) return &c;
  return nullptr;
}

const OptionSpec* CommandSpec::option(std::string_view name) const {
  for (const auto& o : options)
    if (std::find(o.names.begin(), o.names.end(), name) != o.names.end()) return &o;
  return nullptr;
}

std::string Analysis::value_of(std::string_view name) const {
  for (auto it = given.rbegin(); it != given.rend(); ++it)
    if (std::find(it->first->names.begin(), it->first->names.end(), name) != it->first->names.end()) return it->second;
  return {};
}

namespace {

// The option named `name` in the command reached or one above it.
const OptionSpec* find_option(const std::vector<const CommandSpec*>& path, std::string_view name) {
  for (auto it = path.rbegin(); it != path.rend(); ++it)
    if (const auto* o = (*it)->option(name)) return o;
  return nullptr;
}

// An option's word: "-", "-x", "--name", not a negative number ("-5").
bool is_option_word(std::string_view w) {
  return w.size() > 1 && w[0] == '-' && !(w[1] >= '0' && w[1] <= '9') && w != "--";
}

const PositionalSpec* positional_at(const CommandSpec& c, std::size_t index) {
  if (c.positionals.empty()) return nullptr;
  if (index < c.positionals.size()) return &c.positionals[index];
  return c.positionals.back().many ? &c.positionals.back() : nullptr;
}

} // namespace

Analysis analyze(const CommandSpec& root, const std::vector<std::string>& words) {
  Analysis a;
  a.path.push_back(&root);
  const OptionSpec* pending = nullptr; // an option waiting for its value
  const std::size_t done = words.empty() ? 0 : words.size() - 1;
  for (std::size_t i = 0; i < done; ++i) {
    const std::string& w = words[i];
    if (pending) {
      a.given.emplace_back(pending, w);
      pending = nullptr;
      continue;
    }
    if (!a.after_dashes && w == "--") {
      a.after_dashes = true;
      continue;
    }
    if (!a.after_dashes && is_option_word(w)) {
      if (w.starts_with("--")) {
        const auto eq = w.find('=');
        const auto* o = find_option(a.path, std::string_view(w).substr(0, eq));
        if (!o || !o->takes_value) continue;
        if (eq != std::string::npos) a.given.emplace_back(o, w.substr(eq + 1));
        else pending = o;
        continue;
      }
      // Short options, bundled ("-qv") or with their value attached ("-Cdir").
      for (std::size_t k = 1; k < w.size(); ++k) {
        const auto* o = find_option(a.path, std::string("-") + w[k]);
        if (!o) break;
        if (!o->takes_value) continue;
        if (k + 1 < w.size()) a.given.emplace_back(o, w.substr(k + 1));
        else pending = o;
        break;
      }
      continue;
    }
    if (!a.after_dashes && a.positionals.empty())
      if (const auto* sub = a.command().command(w)) {
        a.path.push_back(sub);
        continue;
      }
    a.positionals.push_back(w);
  }

  const std::string current = words.empty() ? std::string() : words.back();
  a.prefix = current;
  if (pending) {
    a.slot = Slot::option_value;
    a.option = pending;
    return a;
  }
  const bool negative_number = current.size() > 1 && current[1] >= '0' && current[1] <= '9';
  if (!a.after_dashes && current.starts_with("-") && !negative_number) {
    if (const auto eq = current.find('='); current.starts_with("--") && eq != std::string::npos) {
      if (const auto* o = find_option(a.path, std::string_view(current).substr(0, eq)); o && o->takes_value) {
        a.slot = Slot::option_value;
        a.option = o;
        a.inline_prefix = current.substr(0, eq + 1);
        a.prefix = current.substr(eq + 1);
        return a;
      }
    }
    a.slot = Slot::option_name;
    return a;
  }
  a.slot = Slot::word;
  a.positional = positional_at(a.command(), a.positionals.size());
  return a;
}

} // namespace crm::ops::completion
