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
#include "ops/records/session.hpp"
#include "util/time.hpp"

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
  model::Record computed;                        // computed fields (index/computed.hpp)
  std::vector<index::Candidate> contacts;        // a company's contacts, by name
};
ShownRecord show_record(Session& session, const model::RecordType& type, const std::string& ref);

// The columns for `list --fields F,...` (the type's default columns when empty).
// Throws usage for a near miss of a field name ("nmae") and for an unknown field
// of a linked record ("company.nmae").
std::vector<std::string> list_columns(const model::RecordType& type, std::string_view fields);

std::vector<model::Record> list_records(Session& session, const model::RecordType& type,
                                        const index::ListQuery& query);

// Streaming forms of list_records for long lists: whole records as their stored
// compact JSON text, or records holding only `columns`.
void list_records_json(Session& session, const model::RecordType& type, const index::ListQuery& query,
                       const std::function<void(std::string_view)>& on_json);
// How a reference (a contact's company) shows in a cell: by its record's name,
// for a person reading a table, or by its id.
enum class RefCells { names, ids };
// Rows of cell text for `columns`, read from the index's projected JSON without
// building records (format::cell_text's rules). A column "REF.KEY" of a
// reference field (company.name, company.city) shows that field of the linked
// record. A column that no field declares and no record holds is an error
// (usage) naming the nearest names.
void list_records_cells(Session& session, const model::RecordType& type, const index::ListQuery& query,
                        const std::vector<std::string>& columns, std::string_view separator, RefCells refs,
                        const std::function<void(const std::vector<std::string_view>&)>& on_row);
// Records holding `columns` (references as ids; "REF.KEY" columns as the
// linked record's value).
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

// Opens the record's file in the editor and writes what was saved once it is a
// good record. A file a merge left conflicts in (which the index skips) opens
// too when REF is its id, for a person to resolve them (docs/git.md).
EditResult edit_record(Session& session, const model::RecordType& type, const std::string& ref,
                       const EditorHooks& hooks);

// --- Shared by the event commands (log, followup, feedback) ---

// Free text as a multi-line field holds it: NFC, blank lines and spaces trimmed at
// both ends, and one final newline when it spans lines (a YAML literal block).
std::string multiline_text(std::string_view text);

// WHEN from the command line (DESIGN section 5); `option` names it in the
// error ("bad --due 'x'"). Throws Error(invalid_data) with the accepted forms.
time::When parse_when_arg(std::string_view text, std::string_view option);

// A new id `prefix` + slug of `name` + a short random suffix, free in the index
// and on disk: "2026-11-25-call-ana-popescu-k7q2".
std::string new_record_id(Session& session, const model::RecordType& type, const std::string& prefix,
                          const std::string& name);

// Checks a record (every field, required ones): Error(invalid_data) naming the
// first problem, the others as hints. For records written together, each is
// checked before any is written.
void validate_record(const model::RecordType& type, const model::Record& record);

// Told of each record file a write is about to make, before it is made: an
// import's journal, so that undo and a re-run after a kill know every file a row
// wrote (a sale, the contact its first sale moved, the stage activity).
class WriteLog {
public:
  virtual void before_write(const model::RecordType& type, const std::string& id, const std::string& relpath,
                            const std::string& content) = 0;

protected:
  ~WriteLog() = default;
};

// Checks a record (every field, required ones) and writes it where it lives:
// its current file, or record_relpath for a new one. Error(invalid_data) names
// the first problem. The caller holds the writer lock. `log`, when given, is
// told of the file first.
void save_record(Session& session, const model::RecordType& type, const model::Record& record,
                 WriteLog* log = nullptr);

// Changes applied to a record in memory, with the checks `set` makes, for bulk
// writers (import) that diff and write records themselves. A ref must name an
// existing record (its id, or a name/email matching exactly one).
class RecordChanges {
public:
  RecordChanges(Session& session, const model::RecordType& type);
  ~RecordChanges();
  RecordChanges(const RecordChanges&) = delete;
  RecordChanges& operator=(const RecordChanges&) = delete;
  // Throws Error(usage) for an unknown field, Error(invalid_data) for a bad value.
  void apply(model::Record& record, const Assignment& change);
  // All of them in order; a run of '+' (or '-') on one list is applied at once.
  void apply_all(model::Record& record, const std::vector<Assignment>& changes);

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The record with this exact id, as its file holds it now (not the index copy).
model::Record load_record(Session& session, const model::RecordType& type, const std::string& id);

// The exponent of a currency given on the command line (ISO 4217). Throws
// Error(invalid_data) "unknown currency 'X'".
int currency_arg(const std::string& currency);

// An amount given on the command line in `currency`, 0 or more (`positive`:
// more than 0). Throws Error(invalid_data) "bad WHAT 'TEXT'WHERE" with a hint
// saying what the currency allows ("an amount of EUR with at most 2 decimals").
std::int64_t amount_arg(const std::string& text, const std::string& currency, const std::string& what,
                        bool positive = false, const std::string& where = "");

// The contact a REF names, by id, email, phone or name.
inline model::Record find_contact(Session& session, const std::string& ref) {
  return find_record(session, model::contact_type(), ref);
}

// The id of the campaign `text` names (id, id prefix or name) when one does,
// else `text` itself: activities and sales may name campaigns without records.
std::string campaign_value(Session& session, const std::string& text);

} // namespace crm::ops
