#pragma once
// What the files of records.hpp's operations share, and nothing else includes:
// records.cpp (add, find, show, set, rm, edit; writing a record's file),
// records_changes.cpp (KEY=VALUE applied to a record) and records_list.cpp
// (list and its columns).

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "index/index.hpp"
#include "model/record_type.hpp"
#include "ops/records/records.hpp"
#include "ops/records/session.hpp"
#include "util/error.hpp"

namespace crm::ops::records_impl {

using model::Field;
using model::FieldKind;
using model::Record;
using model::RecordType;
using Json = nlohmann::ordered_json;

// --- records_changes.cpp ---

// A key a person may give a custom field: valid UTF-8, not starting with '-',
// without spaces, controls, '.', '=', ':', ',' or '"'.
bool is_custom_key(std::string_view key);

// "a, b,c" -> {"a", "b", "c"}: trimmed, NFC, empty parts left out.
std::vector<std::string> split_list(std::string_view value);

std::string entry_key(const Field& f, const Json& entry);

// Assignments applied to a record in memory, with every check `set` makes.
// RecordChanges (records.hpp) is its face for the bulk writers.
class Applier {
public:
  Applier(Session& s, const RecordType& t) : session_(s), type_(t) {}

  void apply(Record& rec, const Assignment& a);
  void apply_all(Record& rec, const std::vector<Assignment>& changes);
  // Creates the companies the changes named for the first time (resolve_ref),
  // once the record has passed its checks.
  void create_pending(Record& rec);

private:
  void apply(Record& rec, const std::string& given_key, char op, const std::vector<std::string>& values);
  std::vector<std::string> hints_for(const std::string& key) const;
  void apply_map(Record& rec, const Field& f, const std::string& sub, char op, const std::string& value);
  Json make_entry(const Field& f, const std::string& item);
  void apply_list(Record& rec, const Field& f, char op, const std::vector<std::string>& items);
  std::string resolve_ref(const Field& f, const std::string& ref);

  std::vector<std::pair<std::string, std::string>> pending_;

  Session& session_;
  const RecordType& type_;
};

// --- records.cpp ---

Error ambiguous_error(const RecordType& t, const std::string& ref, const std::vector<index::Candidate>& c);

// What a change to a record sets off (a contact's stage change, a warning for a
// shared email or phone).
void after_write(Session& session, const RecordType& type, const Record& before, const Record& after);

// Where record `id` lives: the file the index knows, else where a new one goes.
std::string relpath_of(Session& session, const RecordType& type, const std::string& id);

void write_record(Session& session, const RecordType& type, const Record& unordered, WriteLog* log = nullptr);

// Error(invalid_data) naming the record's first problem, the others as hints.
void validate(const RecordType& type, const Record& rec);

std::string new_id(Session& session, const RecordType& type, const std::string& prefix, const std::string& name);

Record read_record_file(Session& session, const RecordType& type, const std::string& id);

} // namespace crm::ops::records_impl
