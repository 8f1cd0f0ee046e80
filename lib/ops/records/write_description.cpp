#include "ops/records/write_description.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace crm::ops {

std::string_view action_name(ChangeAction action) {
  switch (action) {
  case ChangeAction::create: return "create";
  case ChangeAction::update: return "update";
  case ChangeAction::remove: return "delete";
  }
  return "update";
}

const model::RecordType* type_of_path(std::string_view relpath) {
  const auto top = relpath.substr(0, relpath.find('/'));
  if (top.size() == relpath.size()) return nullptr;
  for (const auto* t : model::all_types())
    if (t->plural == top) return t;
  return nullptr;
}

namespace {

// The record type a command's first word is about: "log" writes activities.
std::string_view command_type(std::string_view command) {
  const auto word = command.substr(0, command.find(' '));
  if (word == "log") return "activity";
  if (const auto* t = model::find_type(word)) return t->name;
  return {};
}

// One line: a name may hold a newline (a note's summary), a subject may not.
std::string one_line(std::string_view text) {
  std::string out;
  for (const char c : text) out += c == '\n' || c == '\r' || c == '\t' ? ' ' : c;
  const auto end = out.find_last_not_of(' ');
  out.resize(end == std::string::npos ? 0 : end + 1);
  return out;
}

} // namespace

std::string write_subject(std::string_view command, std::string_view detail, const std::vector<Change>& changes) {
  std::string what;
  if (!detail.empty()) {
    what = detail;
  } else if (!changes.empty()) {
    const auto own = command_type(command);
    std::vector<const Change*> named;
    for (const auto& c : changes)
      if (c.type == own) named.push_back(&c);
    if (named.empty())
      for (const auto& c : changes) named.push_back(&c);
    std::vector<std::string> labels;
    for (const auto* c : named) {
      std::string label = one_line(c->label.empty() ? c->id : c->label);
      if (label.empty()) label = c->path;
      if (std::find(labels.begin(), labels.end(), label) == labels.end()) labels.push_back(std::move(label));
    }
    what = labels.size() <= 3 ? fmt::format("{}", fmt::join(labels, ", "))
                              : fmt::format("{} records", changes.size());
  }
  return what.empty() ? one_line(command) : one_line(fmt::format("{}: {}", command, what));
}

} // namespace crm::ops
