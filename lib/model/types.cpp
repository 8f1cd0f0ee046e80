// Every record type crm knows, with its fields in file order: the one place to
// look up what a contact, an activity or a follow-up holds.

#include <array>

#include "model/amounts.hpp"
#include "model/record_type.hpp"

namespace crm::model {
namespace {

// A contact's lifecycle stages: the defaults until a workspace's config names
// its own (use_contact_stages). The views in `views` point into `names`.
struct StageList {
  std::vector<std::string> names;
  std::vector<std::string_view> views;
};

StageList& stage_list() {
  static StageList list = [] {
    StageList l{default_contact_stages(), {}};
    for (const auto& n : l.names) l.views.emplace_back(n);
    return l;
  }();
  return list;
}

const std::vector<std::string_view> channels = {"email", "phone", "text", "chat", "post", "in-person"};

RecordType new_type(std::string_view name, std::string_view plural, std::vector<std::string_view> columns) {
  RecordType t;
  t.name = name;
  t.plural = plural;
  t.list_columns = std::move(columns);
  return t;
}

std::vector<std::string_view> sale_payment_choices() {
  auto choices = payment_methods();
  choices.push_back("credit");
  return choices;
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
  f.push_back({"middle_name", FieldKind::text, "middle (additional) names"});
  f.push_back({"name_prefix", FieldKind::text, "honorific before the name (Mr., Dr.)"});
  f.push_back({"name_suffix", FieldKind::text, "after the name (III, Jr., PhD)"});
  f.push_back({"emails", FieldKind::emails, "email addresses, each with an optional label"});
  f.push_back({"phones", FieldKind::phones, "phone numbers, each with an optional label"});
  f.push_back({"company", FieldKind::ref, "the company they work for", false, {}, "company", true});
  f.push_back({"title", FieldKind::text, "job title"});
  add_address(f);
  f.push_back({"website", FieldKind::text, "web site"});
  f.push_back({"social", FieldKind::map, "social profiles (network: handle or URL)"});
  f.push_back({"prefers", FieldKind::choice, "preferred channel", false, channels});
  f.push_back({"source", FieldKind::text, "lead source: how they heard of us", false, {}, {}, true});
  f.push_back({"stage", FieldKind::choice, "lifecycle stage", false, stage_list().views, {}, true});
  f.push_back({"lost_to", FieldKind::text, "the competitor a lost contact went to"});
  f.push_back({"lost_reason", FieldKind::text, "why the contact was lost"});
  f.push_back({"cadence", FieldKind::period, "get in touch at least this often (30d, 2w, 3m)"});
  f.push_back({"birthday", FieldKind::date, "birthday (YYYY-MM-DD or --MM-DD)"});
  f.push_back({"anniversary", FieldKind::date, "anniversary (YYYY-MM-DD or --MM-DD)"});
  f.push_back({"family", FieldKind::multiline, "family notes"});
  f.push_back({"interests", FieldKind::list, "hobbies and interests"});
  f.push_back({"groups", FieldKind::list, "group memberships"});
  // Written by import and merge, not by hand: what a vCard said that no field holds
  // (exported again as it came), and the ids of contacts merged into this one.
  f.push_back({"vcard_extra", FieldKind::multiline, "vCard properties with no field here, exported as they came"});
  f.push_back({"merged_ids", FieldKind::list, "ids of contacts merged into this one; they still name it",
               false, {}, {}, false, false});
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
  f.push_back({"from", FieldKind::choice, "stage before (stage changes)", false, stage_list().views});
  f.push_back({"to", FieldKind::choice, "stage after (stage changes)", false, stage_list().views});
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

RecordType make_product() {
  RecordType t = new_type("product", "products", {"id", "name", "sku", "category", "price", "currency"});
  t.search_keys = {"name", "category", "notes"};
  t.check = check_product;
  auto& f = t.fields;
  f.push_back(id_field());
  f.push_back({"name", FieldKind::text, "product or service name", true});
  f.push_back({"sku", FieldKind::text, "stock-keeping unit or code", false, {}, {}, true});
  f.push_back({"category", FieldKind::text, "category, for revenue by category", false, {}, {}, true});
  f.push_back({"unit", FieldKind::text, "what a quantity of 1 is (hour, kg, piece)"});
  f.push_back({"currency", FieldKind::currency, "the currency of price and cost", true});
  f.push_back({"price", FieldKind::money, "list price per unit"});
  f.push_back({"cost", FieldKind::money, "what one unit costs you, for margins"});
  add_common_tail(f);
  return t;
}

// A sale with its line items; a refund or return is a sale with negative
// quantities linked to the original (refund_of).
RecordType make_sale() {
  RecordType t = new_type("sale", "sales", {"id", "at", "contact_name", "total", "currency", "paid_by", "status"});
  t.dated = true;
  t.title_key = "id";
  t.default_sort = "-at";
  t.search_keys = {"notes", "void_reason"};
  t.check = check_sale;
  auto& f = t.fields;
  f.push_back(id_field());
  f.push_back(contact_ref("the customer"));
  f.push_back({"at", FieldKind::timestamp, "when it was sold", true, {}, {}, true});
  // What makes up the amounts is fixed once recorded: a wrong sale is voided or
  // refunded, so that payments and reports stay true to what happened.
  f.push_back({"status", FieldKind::choice, "completed, or void (kept but not counted)", true, {"completed", "void"},
               {}, true, false});
  f.push_back({"currency", FieldKind::currency, "the currency of every amount in the sale", true, {}, {}, true, false});
  Field items{"items", FieldKind::entries, "line items: product, quantity, price, cost, total", true, {}, {}, false, false};
  items.entry_line = item_line;
  f.push_back(items);
  f.push_back({"subtotal", FieldKind::money, "the items' totals", false, {}, {}, false, false});
  f.push_back({"discount", FieldKind::text, "as given: a percentage (10%) or an amount", false, {}, {}, false, false});
  f.push_back({"discount_amount", FieldKind::money, "what the discount took off", false, {}, {}, false, false});
  f.push_back({"total", FieldKind::money, "what the customer pays: subtotal - discount", true, {}, {}, true, false});
  f.push_back({"cost", FieldKind::money, "the items' costs, when every item has one", false, {}, {}, false, false});
  f.push_back({"margin", FieldKind::money, "total - cost", false, {}, {}, true, false});
  f.push_back({"paid_by", FieldKind::choice, "how it was paid", false, sale_payment_choices(), {}, true, false});
  f.push_back({"terms", FieldKind::text, "credit terms as given (net30, due:2026-12-31)"});
  f.push_back({"due", FieldKind::date, "when a sale on credit must be paid", false, {}, {}, true});
  f.push_back({"campaign", FieldKind::text, "the campaign it came from", false, {}, {}, true});
  f.push_back({"refund_of", FieldKind::ref, "the sale this refunds", false, {}, "sale", true, false});
  f.push_back({"feedback", FieldKind::ref, "the return or complaint behind a refund", false, {}, "feedback"});
  f.push_back({"points", FieldKind::integer, "loyalty points it earned", false, {}, {}, true, false, -1000000000,
               1000000000});
  f.push_back({"voided_at", FieldKind::timestamp, "when it was voided", false, {}, {}, false, false});
  f.push_back({"void_reason", FieldKind::text, "why it was voided"});
  add_common_tail(f);
  return t;
}

RecordType make_payment() {
  RecordType t = new_type("payment", "payments", {"id", "at", "contact_name", "sale", "amount", "currency", "method"});
  t.dated = true;
  t.title_key = "id";
  t.default_sort = "-at";
  t.search_keys = {"notes"};
  t.check = check_payment;
  auto& f = t.fields;
  f.push_back(id_field());
  f.push_back({"sale", FieldKind::ref, "the sale it pays", true, {}, "sale", true, false});
  f.push_back(contact_ref("who paid"));
  f.push_back({"at", FieldKind::timestamp, "when it was paid", true, {}, {}, true});
  // Checked against the sale's balance when recorded: rm and record it again to change it.
  f.push_back({"amount", FieldKind::money, "how much", true, {}, {}, true, false});
  f.push_back({"currency", FieldKind::currency, "the sale's currency", true, {}, {}, true, false});
  f.push_back({"method", FieldKind::choice, "how it was paid", false, payment_methods(), {}, true});
  add_common_tail(f);
  return t;
}

RecordType make_deal() {
  RecordType t = new_type("deal", "deals", {"id", "title", "contact_name", "stage", "value", "currency", "probability",
                                            "close"});
  t.title_key = "title";
  t.default_sort = "close";
  t.search_keys = {"title", "lost_reason", "notes"};
  t.check = check_deal;
  auto& f = t.fields;
  f.push_back(id_field());
  f.push_back({"title", FieldKind::text, "what the deal is", true});
  f.push_back(contact_ref("the customer"));
  f.push_back({"stage", FieldKind::text, "pipeline stage (config.yaml deals.stages), won or lost (crm deal move)", true,
               {}, {}, true, false});
  f.push_back({"product", FieldKind::ref, "what it sells (a sale from the deal names it)", false, {}, "product"});
  f.push_back({"value", FieldKind::money, "expected value", false, {}, {}, true});
  f.push_back({"currency", FieldKind::currency, "the currency of the value", false, {}, {}, true});
  f.push_back({"probability", FieldKind::integer, "chance to win, in percent", false, {}, {}, true, true, 0, 100});
  f.push_back({"close", FieldKind::date, "expected (or actual) close date", false, {}, {}, true});
  f.push_back({"lost_reason", FieldKind::text, "why it was lost"});
  f.push_back({"sale", FieldKind::ref, "the sale it became", false, {}, "sale"});
  Field moves{"moves", FieldKind::entries, "every change of stage: at, from, to", false, {}, {}, false, false};
  moves.entry_line = move_line;
  f.push_back(moves);
  add_common_tail(f);
  return t;
}

RecordType make_campaign() {
  RecordType t = new_type("campaign", "campaigns", {"id", "name", "channel", "start", "end", "cost", "currency"});
  t.default_sort = "-start";
  t.search_keys = {"name", "notes"};
  t.check = check_campaign;
  auto& f = t.fields;
  f.push_back(id_field());
  f.push_back({"name", FieldKind::text, "campaign name", true});
  f.push_back({"channel", FieldKind::choice, "how it reaches people", false, {"email", "sms", "social", "event", "ad"},
               {}, true});
  f.push_back({"start", FieldKind::date, "first day", false, {}, {}, true});
  f.push_back({"end", FieldKind::date, "last day"}); // not indexed: END is an SQL keyword
  f.push_back({"currency", FieldKind::currency, "the currency of the cost"});
  f.push_back({"cost", FieldKind::money, "what it cost"});
  f.push_back({"audience", FieldKind::list, "the contacts (ids) it is aimed at", false, {}, "contact"});
  add_common_tail(f);
  return t;
}

// Loyalty points given or taken by hand: a redemption is negative. Points a
// sale earns are on the sale.
RecordType make_loyalty() {
  RecordType t = new_type("loyalty", "loyalty", {"id", "at", "contact_name", "points", "reason"});
  t.dated = true;
  t.title_key = "reason";
  t.default_sort = "-at";
  t.search_keys = {"reason", "notes"};
  auto& f = t.fields;
  f.push_back(id_field());
  f.push_back(contact_ref("whose points"));
  f.push_back({"at", FieldKind::timestamp, "when", true, {}, {}, true});
  f.push_back({"points", FieldKind::integer, "points added (negative: redeemed)", true, {}, {}, true, false,
               -1000000000, 1000000000});
  f.push_back({"reason", FieldKind::text, "what for", true});
  add_common_tail(f);
  return t;
}

// A saved filter over contacts: segments/<id>.yaml, its members worked out
// whenever it is used, so it never goes stale.
RecordType make_segment() {
  RecordType t = new_type("segment", "segments", {"id", "name", "where", "description"});
  t.search_keys = {"name", "description", "notes"};
  auto& f = t.fields;
  f.push_back(id_field());
  f.push_back({"name", FieldKind::text, "segment name", true});
  f.push_back({"where", FieldKind::text, "the filter its contacts match (crm help filter)", true});
  f.push_back({"description", FieldKind::multiline, "what it is for"});
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

const std::vector<std::string_view>& payment_methods() {
  static const std::vector<std::string_view> methods = {"card", "cash", "check", "paypal", "bank-transfer", "other"};
  return methods;
}

namespace {

// The two types whose choices follow the configured stages; the rest never change.
RecordType& contact_type_mutable() {
  static RecordType type = make_contact();
  return type;
}

RecordType& activity_type_mutable() {
  static RecordType type = make_activity();
  return type;
}

} // namespace

const std::vector<std::string>& default_contact_stages() {
  static const std::vector<std::string> stages = {"lead", "prospect", "customer", "inactive", "lost"};
  return stages;
}

const std::vector<std::string_view>& contact_stages() { return stage_list().views; }

void use_contact_stages(const std::vector<std::string>& stages) {
  auto& list = stage_list();
  if (stages == list.names) return;
  list.names = stages;
  list.views.assign(list.names.begin(), list.names.end());
  auto set_choices = [&](RecordType& type, std::string_view key) {
    for (auto& f : type.fields)
      if (f.key == key) f.choices = list.views;
  };
  set_choices(contact_type_mutable(), "stage");
  set_choices(activity_type_mutable(), "from");
  set_choices(activity_type_mutable(), "to");
}

const RecordType& contact_type() { return contact_type_mutable(); }

const RecordType& company_type() {
  static const RecordType type = make_company();
  return type;
}

const RecordType& activity_type() { return activity_type_mutable(); }

const RecordType& followup_type() {
  static const RecordType type = make_followup();
  return type;
}

const RecordType& feedback_type() {
  static const RecordType type = make_feedback();
  return type;
}

const RecordType& product_type() {
  static const RecordType type = make_product();
  return type;
}

const RecordType& sale_type() {
  static const RecordType type = make_sale();
  return type;
}

const RecordType& payment_type() {
  static const RecordType type = make_payment();
  return type;
}

const RecordType& deal_type() {
  static const RecordType type = make_deal();
  return type;
}

const RecordType& campaign_type() {
  static const RecordType type = make_campaign();
  return type;
}

const RecordType& loyalty_type() {
  static const RecordType type = make_loyalty();
  return type;
}

const RecordType& segment_type() {
  static const RecordType type = make_segment();
  return type;
}

std::span<const RecordType* const> all_types() {
  static const std::array<const RecordType*, 12> types = {
      &company_type(),  &contact_type(),  &product_type(), &campaign_type(), &deal_type(),    &activity_type(),
      &followup_type(), &feedback_type(), &sale_type(),    &payment_type(),  &loyalty_type(), &segment_type()};
  return types;
}

} // namespace crm::model
