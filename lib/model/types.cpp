// Every record type crm knows, with its fields in file order: the one place to
// look up what a contact, an activity or a follow-up holds.

#include <array>

#include "model/record_type.hpp"

namespace crm::model {
namespace {

const std::vector<std::string_view> stages = {"lead", "prospect", "customer", "inactive", "lost"};
const std::vector<std::string_view> channels = {"email", "phone", "text", "chat", "post", "in-person"};

RecordType new_type(std::string_view name, std::string_view plural, std::vector<std::string_view> columns) {
  RecordType t;
  t.name = name;
  t.plural = plural;
  t.list_columns = std::move(columns);
  return t;
}

Field id_field() {
  return {"id", FieldKind::id, "stable id, also the file name", true, {}, {}, false, false};
}

Field contact_ref(std::string_view help) {
  return {"contact", FieldKind::ref, help, true, {}, "contact", true};
}

// Fields every record type ends with, in file order.
void add_common_tail(std::vector<Field>& f) {
  f.push_back({"tags", FieldKind::list, "labels for grouping and filtering"});
  f.push_back({"notes", FieldKind::multiline, "free notes"});
  f.push_back({"custom", FieldKind::map, "your own fields (set with --set KEY=VALUE)"});
  f.push_back({"created", FieldKind::timestamp, "when crm created the record", false, {}, {}, false, false});
  f.push_back({"updated", FieldKind::timestamp, "when crm last changed the record", false, {}, {}, false, false});
}

void add_address(std::vector<Field>& f) {
  f.push_back({"address", FieldKind::multiline, "street address"});
  f.push_back({"postal_code", FieldKind::text, "postal code"});
  f.push_back({"city", FieldKind::text, "city", false, {}, {}, true});
  f.push_back({"region", FieldKind::text, "region, state or county"});
  f.push_back({"country", FieldKind::country, "ISO 3166 country code (RO, GB, UA...)", false, {}, {}, true});
}

RecordType make_contact() {
  RecordType t = new_type("contact", "contacts", {"id", "name", "emails", "phones", "company", "stage", "tags"});
  t.search_keys = {"name", "title", "notes", "family", "lost_reason"};
  auto& f = t.fields;
  f.push_back(id_field());
  f.push_back({"name", FieldKind::text, "full name", true});
  f.push_back({"given_name", FieldKind::text, "given (first) name"});
  f.push_back({"family_name", FieldKind::text, "family (last) name"});
  f.push_back({"emails", FieldKind::emails, "email addresses, each with an optional label"});
  f.push_back({"phones", FieldKind::phones, "phone numbers, each with an optional label"});
  f.push_back({"company", FieldKind::ref, "the company they work for", false, {}, "company", true});
  f.push_back({"title", FieldKind::text, "job title"});
  add_address(f);
  f.push_back({"website", FieldKind::text, "web site"});
  f.push_back({"social", FieldKind::map, "social profiles (network: handle or URL)"});
  f.push_back({"prefers", FieldKind::choice, "preferred channel", false, channels});
  f.push_back({"source", FieldKind::text, "lead source: how they heard of us", false, {}, {}, true});
  f.push_back({"stage", FieldKind::choice, "lifecycle stage", false, stages, {}, true});
  f.push_back({"lost_to", FieldKind::text, "the competitor a lost contact went to"});
  f.push_back({"lost_reason", FieldKind::text, "why the contact was lost"});
  f.push_back({"cadence", FieldKind::period, "get in touch at least this often (30d, 2w, 3m)"});
  f.push_back({"birthday", FieldKind::date, "birthday (YYYY-MM-DD or --MM-DD)"});
  f.push_back({"anniversary", FieldKind::date, "anniversary (YYYY-MM-DD or --MM-DD)"});
  f.push_back({"family", FieldKind::multiline, "family notes"});
  f.push_back({"interests", FieldKind::list, "hobbies and interests"});
  f.push_back({"groups", FieldKind::list, "group memberships"});
  add_common_tail(f);
  return t;
}

RecordType make_company() {
  RecordType t = new_type("company", "companies", {"id", "name", "emails", "phones", "city", "country", "tags"});
  t.search_keys = {"name", "industry", "notes"};
  auto& f = t.fields;
  f.push_back(id_field());
  f.push_back({"name", FieldKind::text, "company name", true});
  f.push_back({"emails", FieldKind::emails, "email addresses, each with an optional label"});
  f.push_back({"phones", FieldKind::phones, "phone numbers, each with an optional label"});
  f.push_back({"website", FieldKind::text, "web site"});
  f.push_back({"industry", FieldKind::text, "industry or sector", false, {}, {}, true});
  add_address(f);
  add_common_tail(f);
  return t;
}

// A call, email, meeting, text, note or chat with a contact, or a change of the
// contact's stage (kind "stage", from/to), so the history is complete.
RecordType make_activity() {
  RecordType t = new_type("activity", "activities", {"id", "at", "kind", "direction", "contact_name", "summary"});
  t.dated = true;
  t.title_key = "summary";
  t.default_sort = "-at";
  t.search_keys = {"summary", "outcome", "lost_reason", "notes"};
  auto& f = t.fields;
  f.push_back(id_field());
  f.push_back({"kind", FieldKind::choice, "what happened", true, activity_kinds(), {}, true});
  f.push_back(contact_ref("the contact it was with"));
  f.push_back({"at", FieldKind::timestamp, "when it happened", true, {}, {}, true});
  f.push_back({"direction", FieldKind::choice, "in: they reached out; out: you did", false, {"in", "out"}, {}, true});
  f.push_back({"duration", FieldKind::duration, "how long it took (15m, 1h30m)"});
  f.push_back({"outcome", FieldKind::text, "how it went"});
  f.push_back({"campaign", FieldKind::text, "the campaign it belongs to", false, {}, {}, true});
  f.push_back({"from", FieldKind::choice, "stage before (stage changes)", false, stages});
  f.push_back({"to", FieldKind::choice, "stage after (stage changes)", false, stages});
  f.push_back({"lost_to", FieldKind::text, "the competitor (a change to lost)"});
  f.push_back({"lost_reason", FieldKind::text, "why (a change to lost)"});
  f.push_back({"summary", FieldKind::multiline, "what was said or done"});
  f.push_back({"followup", FieldKind::ref, "the follow-up it asked for", false, {}, "followup"});
  add_common_tail(f);
  return t;
}

RecordType make_followup() {
  RecordType t = new_type("followup", "followups", {"id", "due", "status", "contact_name", "summary"});
  t.title_key = "summary";
  t.default_sort = "due";
  t.search_keys = {"summary", "done_note", "notes"};
  auto& f = t.fields;
  f.push_back(id_field());
  f.push_back(contact_ref("who to get back to"));
  f.push_back({"due", FieldKind::when, "when (a date, or a date and time)", true, {}, {}, true});
  f.push_back({"summary", FieldKind::text, "what to do", true});
  f.push_back({"status", FieldKind::choice, "open or done", true, {"open", "done"}, {}, true});
  f.push_back({"snoozed", FieldKind::integer, "how many times it was put off", false, {}, {}, false, true, 0, 1000000});
  f.push_back({"source", FieldKind::text, "the record that asked for it (an activity or feedback id)"});
  f.push_back({"done_at", FieldKind::timestamp, "when it was done"});
  f.push_back({"done_note", FieldKind::multiline, "how it went"});
  add_common_tail(f);
  return t;
}

RecordType make_feedback() {
  RecordType t = new_type("feedback", "feedback", {"id", "at", "kind", "status", "contact_name", "rating", "summary"});
  t.dated = true;
  t.title_key = "summary";
  t.default_sort = "-at";
  t.search_keys = {"summary", "resolution", "product", "notes"};
  auto& f = t.fields;
  f.push_back(id_field());
  f.push_back({"kind", FieldKind::choice, "what kind of feedback", true, feedback_kinds(), {}, true});
  f.push_back(contact_ref("who gave it"));
  f.push_back({"at", FieldKind::timestamp, "when it came in", true, {}, {}, true});
  f.push_back({"product", FieldKind::text, "the product it is about", false, {}, {}, true});
  f.push_back({"sale", FieldKind::text, "the sale it is about (its id)", false, {}, {}, true});
  f.push_back({"rating", FieldKind::integer, "rating from 1 to 5", false, {}, {}, true, true, 1, 5});
  f.push_back({"nps", FieldKind::integer, "would recommend us, 0 to 10", false, {}, {}, true, true, 0, 10});
  f.push_back({"channel", FieldKind::text, "how it reached you (email, phone, web...)"});
  f.push_back({"summary", FieldKind::multiline, "what they said", true});
  f.push_back({"status", FieldKind::choice, "open or resolved", true, {"open", "resolved"}, {}, true});
  f.push_back({"resolved_at", FieldKind::timestamp, "when it was resolved"});
  f.push_back({"resolution_minutes", FieldKind::integer, "minutes from report to resolution", false, {}, {},
               false, true, 0, 2000000000});
  f.push_back({"resolution", FieldKind::multiline, "what was done"});
  f.push_back({"followup", FieldKind::ref, "the satisfaction check it asked for", false, {}, "followup"});
  add_common_tail(f);
  return t;
}

} // namespace

const std::vector<std::string_view>& activity_kinds() {
  static const std::vector<std::string_view> kinds = {"call", "email", "meeting", "text", "note", "chat", "stage"};
  return kinds;
}

const std::vector<std::string_view>& feedback_kinds() {
  static const std::vector<std::string_view> kinds = {"complaint", "return", "support", "review", "survey",
                                                      "suggestion"};
  return kinds;
}

const RecordType& contact_type() {
  static const RecordType type = make_contact();
  return type;
}

const RecordType& company_type() {
  static const RecordType type = make_company();
  return type;
}

const RecordType& activity_type() {
  static const RecordType type = make_activity();
  return type;
}

const RecordType& followup_type() {
  static const RecordType type = make_followup();
  return type;
}

const RecordType& feedback_type() {
  static const RecordType type = make_feedback();
  return type;
}

std::span<const RecordType* const> all_types() {
  static const std::array<const RecordType*, 5> types = {&company_type(), &contact_type(), &activity_type(),
                                                         &followup_type(), &feedback_type()};
  return types;
}

} // namespace crm::model
