#pragma once
// What a writing command changed, said once for git (the commit message) and for
// hooks (their JSON payload, docs/hooks.md): the command ("contact add"), a
// subject line people recognise ("contact add: Ana Popescu"), and each record
// file it created, updated or deleted.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/record_type.hpp"

namespace crm::ops {

enum class ChangeAction { create, update, remove };

// "create", "update", "delete": the words of the hook payload.
std::string_view action_name(ChangeAction action);

struct Change {
  ChangeAction action = ChangeAction::update;
  std::string type;  // a record type ("contact"), or "file" for a file under files/ID/
  std::string id;    // the record's id (for a file: the record it belongs to)
  std::string path;  // relative to the workspace root: "contacts/ana-popescu-k7q2.yaml"
  std::string label; // what people call it: its name, or its contact's name ("" when unknown)
  std::optional<model::Record> record; // as written (create, update), when read already
};

// A command's write, described.
struct WriteDescription {
  std::string command;             // "contact add"
  std::string subject;             // "contact add: Ana Popescu"
  std::vector<Change> changes;     // in the order they were written
  std::vector<std::string> paths;  // every file written: the changes', then others (an import's journal)
  bool empty() const { return paths.empty(); }
};

// A line for the person, from a step after the write: a warning with hints, or
// what a hook printed (shown as it is).
struct Notice {
  enum class Kind { warning, output } kind = Kind::warning;
  std::string text;
  std::vector<std::string> hints;
};

// The subject of a write: "COMMAND: WHAT". WHAT is `detail` when the command gave
// one (an import: "1200 created, 35 updated (batch ...)"); else what the
// records of the command's own type are called ("contact add" and "contact rm":
// the contacts; "log call": activities; "sale record": sales), or, when none is,
// those of every change: one name ("Ana Popescu"), two or three joined by ", ",
// more as "N records". A change without a label is called by its id. No change
// and no detail: COMMAND alone. Always one line.
std::string write_subject(std::string_view command, std::string_view detail, const std::vector<Change>& changes);

// The git trailer that marks a commit as crm's: "Crm-Command: contact add".
inline constexpr std::string_view command_trailer = "Crm-Command";

// The record type a path names by its top folder ("contacts/x.yaml": contact),
// or nullptr.
const model::RecordType* type_of_path(std::string_view relpath);

} // namespace crm::ops
