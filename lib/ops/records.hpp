#pragma once
// What the record commands do (add, show, list, set, edit, rm), for any record
// type declared in model/record_type.hpp.

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "index/index.hpp"
#include "model/record_type.hpp"
#include "ops/session.hpp"

namespace crm::ops {

// One change to a record: KEY=VALUE sets (empty VALUE unsets), KEY+=VALUE adds to a
// list, KEY-=VALUE removes from it. Singular aliases work (email, phone, tag...);
// SECTION.KEY sets one entry of a map field (social.linkedin=...); a key that no
// field declares becomes a custom field (custom.KEY).
struct Assignment {
  std::string key;
  char op = '='; // '=', '+' or '-'
  std::string value;
};

// Parses "KEY=VALUE", "KEY+=VALUE" or "KEY-=VALUE". Throws Error(usage).
Assignment parse_assignment(std::string_view text);

// Creates a record named `name` with the assignments applied; returns its new id.
std::string add_record(Session& session, const model::RecordType& type, const std::string& name,
                       const std::vector<Assignment>& changes);

// The record a REF names. Throws not_found (exit 1) or ambiguous (exit 4, the
// candidates in the hints).
model::Record find_record(Session& session, const model::RecordType& type, const std::string& ref);

struct ShownRecord {
  model::Record record;
  std::map<std::string, std::string> ref_names; // referenced id -> its name, for cards
};
ShownRecord show_record(Session& session, const model::RecordType& type, const std::string& ref);

// The columns for `list --fields F,...` (the type's default columns when empty).
// Throws usage for a near miss of a field name ("nmae").
std::vector<std::string> list_columns(const model::RecordType& type, std::string_view fields);

std::vector<model::Record> list_records(Session& session, const model::RecordType& type,
                                        const index::ListQuery& query);

// Streaming forms of list_records for long lists: whole records as their stored
// compact JSON text, or records holding only `columns`.
void list_records_json(Session& session, const model::RecordType& type, const index::ListQuery& query,
                       const std::function<void(std::string_view)>& on_json);
// Rows of cell text for `columns`, read from the index's projected JSON without
// building records (format::cell_text's rules).
void list_records_cells(Session& session, const model::RecordType& type, const index::ListQuery& query,
                        const std::vector<std::string>& columns, std::string_view separator,
                        const std::function<void(const std::vector<std::string_view>&)>& on_row);
void list_records_projected(Session& session, const model::RecordType& type, const index::ListQuery& query,
                            const std::vector<std::string>& columns,
                            const std::function<void(model::Record&&)>& on_record);

// Applies the changes; returns the record as written. Writes nothing when the
// changes leave it as it was.
model::Record set_record(Session& session, const model::RecordType& type, const std::string& ref,
                         const std::vector<Assignment>& changes);

// Removes the record's file after `confirm(record)` says yes; returns whether it
// was removed.
bool remove_record(Session& session, const model::RecordType& type, const std::string& ref,
                   const std::function<bool(const model::Record&)>& confirm);

// How `edit` talks to the person: run the editor on a file; on a bad result, ask
// whether to open it again (false = give up, nothing is written).
struct EditorHooks {
  std::function<int(const std::string& path)> run_editor;
  std::function<bool(const std::string& problem)> ask_reopen;
};

enum class EditResult { saved, unchanged };

EditResult edit_record(Session& session, const model::RecordType& type, const std::string& ref,
                       const EditorHooks& hooks);

} // namespace crm::ops
