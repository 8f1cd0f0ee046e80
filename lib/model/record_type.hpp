#pragma once
// The record types and their fields. A record is held as a JSON object whose keys
// are the YAML keys (so JSON output, YAML files and the index agree); each type
// declares its fields once here, in file order, with what a value must look like.
// Keys a person added by hand that no field declares are kept as they are.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace crm::model {

using Record = nlohmann::ordered_json;

// The id every record has: a record read or checked by crm holds it as text
// (store::parse_record refuses a file without one).
inline std::string id_of(const Record& record) { return record.at("id").get<std::string>(); }

enum class FieldKind {
  id,        // the record id: file-name safe, equals the file name
  text,      // one line of text
  multiline, // free text, may span lines
  date,      // YYYY-MM-DD, or --MM-DD when the year is unknown
  timestamp, // YYYY-MM-DDTHH:MM:SS+HH:MM
  choice,    // one of `choices`
  country,   // ISO 3166-1 alpha-2, upper case
  list,      // list of words (tags, groups, interests)
  emails,    // list of {address, label}
  phones,    // list of {number, e164, label}
  map,       // key -> text (social profiles, custom fields)
  ref,       // the id of a record of type `ref_type`
  integer,   // a whole number from `min` to `max` (ratings, counts)
  when,      // a date (YYYY-MM-DD) or a timestamp: a due date with or without a time
  period,    // N days, weeks, months or years: "30d", "2w", "3m", "1y" (cadences)
  duration,  // a length of time in minutes, written "15m", "1h30m"
  money,     // an exact decimal amount in the record's `currency`: "49.90"
  currency,  // an ISO 4217 code: EUR, USD, JPY
  entries,   // a list of key: value mappings (a sale's items, a deal's moves)
};

struct Field {
  std::string_view key;
  FieldKind kind;
  std::string_view help;
  bool required = false;
  std::vector<std::string_view> choices = {};
  std::string_view ref_type = {}; // for ref (and a list of ids): the referenced type's name
  bool indexed = false;           // gets its own column in the index table
  bool settable = true;           // false for id/created/updated
  int min = 0, max = 0;           // for integer
  // For entries: one entry as one line of a card ("Audit x 2 @ 40.00 = 80.00").
  std::string (*entry_line)(const nlohmann::ordered_json& entry) = nullptr;
};

struct Problem {
  std::string key;     // the field, empty for the whole record
  std::string message; // lowercase, no final period
};

// Which type a record is: compared as a value, never by its name.
enum class RecordKind {
  contact, company, activity, followup, feedback, product, sale, payment, deal, campaign, loyalty, segment
};

struct RecordType {
  RecordKind kind = RecordKind::contact;
  std::string_view name;   // "contact"
  std::string_view plural; // "contacts": folder, index table, messages
  std::vector<Field> fields;
  std::vector<std::string_view> list_columns; // what `list` shows by default
  // Events (activities, feedback) live in dated folders, plural/YYYY/MM/, taken
  // from the date their id starts with, so no folder grows without bound.
  bool dated = false;
  std::string_view title_key = "name"; // the field that names a record in lists and cards
  std::string_view default_sort = "name";
  std::vector<std::string_view> search_keys; // text fields `crm search` looks in
  // Checks across fields (a sale's totals against its items, amounts against the
  // currency's decimals), after every field passed its own check.
  void (*check)(const nlohmann::ordered_json& record, std::vector<Problem>& problems) = nullptr;

  const Field* field(std::string_view key) const;
  std::vector<std::string_view> indexed_keys() const;
};

// The record types (model/types.cpp).
const RecordType& contact_type();
// A contact's lifecycle stages, in order (the choices of its `stage` and of a
// stage activity's from/to): the defaults (lead, prospect, customer, inactive,
// lost) unless a workspace's config.yaml names its own. They are the one part of
// the types a workspace sets: store::Workspace calls use_contact_stages when it
// reads its config, before anything validates a record.
const std::vector<std::string>& default_contact_stages();
const std::vector<std::string_view>& contact_stages();
void use_contact_stages(const std::vector<std::string>& stages);
const RecordType& company_type();
const RecordType& activity_type();
const RecordType& followup_type();
const RecordType& feedback_type();
// Activity kinds ("call"... and "stage" for stage changes) and feedback kinds.
const std::vector<std::string_view>& activity_kinds();
const std::vector<std::string_view>& feedback_kinds();
const RecordType& product_type();
const RecordType& sale_type();
const RecordType& payment_type();
const RecordType& deal_type();
const RecordType& campaign_type();
const RecordType& loyalty_type();
const RecordType& segment_type();
// How a sale was paid, and how a payment was made.
const std::vector<std::string_view>& payment_methods();
// Every type, in the order the index and doctor visit them.
std::span<const RecordType* const> all_types();
// By name or plural ("contact", "contacts"); nullptr when unknown.
const RecordType* find_type(std::string_view name);

// The record with its declared fields in file order, then the other keys in
// their own order: how files, JSON output and cards list them.
Record in_field_order(const RecordType& type, const Record& record);

// The choices of a choice field, for messages ("a, b, c").
std::string choice_list(const Field& field);

// Checks one field's value; nullopt when fine.
std::optional<std::string> check_field(const Field& field, const nlohmann::ordered_json& value);

// Checks the whole record: required fields and every declared field's value.
std::vector<Problem> check_record(const RecordType& type, const Record& record);

// Is `id` usable as an id and a file name? (no '/', '..', control chars, spaces,
// leading '.', or more than 100 bytes)
bool is_valid_id(std::string_view id);

// Edit distance in bytes (field names are ASCII), where swapping two neighbours
// counts as one edit, like one insertion or deletion (optimal string alignment).
std::size_t edit_distance(std::string_view a, std::string_view b);

// The field (or its singular: "email") that `key` is one typo away from, for keys
// longer than 3 characters; nullopt when it is not a near miss.
std::optional<std::string> likely_typo(const RecordType& type, std::string_view key);

// Nearest field names to a misspelt key, for "did you mean" hints.
std::vector<std::string> nearest_keys(const RecordType& type, std::string_view key);

} // namespace crm::model
