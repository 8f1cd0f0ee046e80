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

RecordType new_type(RecordKind kind, std::string_view name, std::string_view plural,
                    std::vector<std::string_view> columns) {
  RecordType t;
  t.kind = kind;
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
  return {.key = "id", .kind = FieldKind::id, .help = "stable id, also the file name", .required = true,
          .settable = false};
}

Field contact_ref(std::string_view help) {
  return {.key = "contact", .kind = FieldKind::ref, .help = help, .required = true, .ref_type = "contact",
          .indexed = true};
}

// Fields every record type ends with, in file order.
void add_common_tail(std::vector<Field>& f) {
  f.push_back({"tags", FieldKind::list, "labels for grouping and filtering"});
  f.push_back({"notes", FieldKind::multiline, "free notes"});
  f.push_back({"custom", FieldKind::map, "your own fields (set with --set KEY=VALUE)"});
  f.push_back({.key = "created", .kind = FieldKind::timestamp, .help = "when crm created the record",
               .settable = false});
  f.push_back({.key = "updated", .kind = FieldKind::timestamp, .help = "when crm last changed the record",
               .settable = false});
}

void add_address(std::vector<Field>& f) {
  f.push_back({"address", FieldKind::multiline, "street address"});
  f.push_back({"postal_code", FieldKind::text, "postal code"});
  f.push_back({.key = "city", .kind = FieldKind::text, .help = "city", .indexed = true});
  f.push_back({"region", FieldKind::text, "region, state or county"});
  f.push_back({.key = "country", .kind = FieldKind::country, .help = "ISO 3166 country code (RO, GB, UA...)",
               .indexed = true});
}

RecordType make_contact() {
  RecordType t = new_type(RecordKind::contact, "contact", "contacts",
                          {"id", "name", "emails", "phones", "company", "stage", "tags"});
  t.search_keys = {"name", "title", "notes", "family", "lost_reason"};
  auto& f = t.fields;
  f.push_back(id_field());
  f.push_back({.key = "name", .kind = FieldKind::text, .help = "full name", .required = true});
  f.push_back({"given_name", FieldKind::text, "given (first) name"});
  f.push_back({"family_name", FieldKind::text, "family (last) name"});
  f.push_back({"middle_name", FieldKind::text, "middle (additional) names"});
  f.push_back({"name_prefix", FieldKind::text, "honorific before the name (Mr., Dr.)"});
  f.push_back({"name_suffix", FieldKind::text, "after the name (III, Jr., PhD)"});
  f.push_back({"emails", FieldKind::emails, "email addresses, each with an optional label"});
  f.push_back({"phones", FieldKind::phones, "phone numbers, each with an optional label"});
  f.push_back({.key = "company", .kind = FieldKind::ref, .help = "the company they work for", .ref_type = "company",
               .indexed = true});
  f.push_back({"title", FieldKind::text, "job title"});
  add_address(f);
  f.push_back({"website", FieldKind::text, "web site"});
  f.push_back({"social", FieldKind::map, "social profiles (network: handle or URL)"});
  f.push_back({.key = "prefers", .kind = FieldKind::choice, .help = "preferred channel", .choices = channels});
  f.push_back({.key = "source", .kind = FieldKind::text, .help = "lead source: how they heard of us",
               .indexed = true});
  f.push_back({.key = "stage", .kind = FieldKind::choice, .help = "lifecycle stage", .choices = stage_list().views,
               .indexed = true});
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
  f.push_back({.key = "merged_ids", .kind = FieldKind::list,
               .help = "ids of contacts merged into this one; they still name it", .settable = false});
  add_common_tail(f);
  return t;
}

RecordType make_company() {
  RecordType t = new_type(RecordKind::company, "company", "companies",
                          {"id", "name", "emails", "phones", "city", "country", "tags"});
  t.search_keys = {"name", "industry", "notes"};
  auto& f = t.fields;
  f.push_back(id_field());
  f.push_back({.key = "name", .kind = FieldKind::text, .help = "company name", .required = true});
  f.push_back({"emails", FieldKind::emails, "email addresses, each with an optional label"});
  f.push_back({"phones", FieldKind::phones, "phone numbers, each with an optional label"});
  f.push_back({"website", FieldKind::text, "web site"});
  f.push_back({.key = "industry", .kind = FieldKind::text, .help = "industry or sector", .indexed = true});
  add_address(f);
  add_common_tail(f);
  return t;
}

// A call, email, meeting, text, note or chat with a contact, or a change of the
// contact's stage (kind "stage", from/to), so the history is complete.
RecordType make_activity() {
  RecordType t = new_type(RecordKind::activity, "activity", "activities",
                          {"id", "at", "kind", "direction", "contact_name", "summary"});
  t.dated = true;
  t.title_key = "summary";
  t.default_sort = "-at";
  t.search_keys = {"summary", "outcome", "lost_reason", "notes"};
  auto& f = t.fields;
  f.push_back(id_field());
  f.push_back({.key = "kind", .kind = FieldKind::choice, .help = "what happened", .required = true,
               .choices = activity_kinds(), .indexed = true});
  f.push_back(contact_ref("the contact it was with"));
  f.push_back({.key = "at", .kind = FieldKind::timestamp, .help = "when it happened", .required = true,
               .indexed = true});
  f.push_back({.key = "direction", .kind = FieldKind::choice, .help = "in: they reached out; out: you did",
               .choices = {"in", "out"}, .indexed = true});
  f.push_back({"duration", FieldKind::duration, "how long it took (15m, 1h30m)"});
  f.push_back({"outcome", FieldKind::text, "how it went"});
  f.push_back({.key = "campaign", .kind = FieldKind::text, .help = "the campaign it belongs to", .indexed = true});
  f.push_back({.key = "from", .kind = FieldKind::choice, .help = "stage before (stage changes)",
               .choices = stage_list().views});
  f.push_back({.key = "to", .kind = FieldKind::choice, .help = "stage after (stage changes)",
               .choices = stage_list().views});
  f.push_back({"lost_to", FieldKind::text, "the competitor (a change to lost)"});
  f.push_back({"lost_reason", FieldKind::text, "why (a change to lost)"});
  f.push_back({"summary", FieldKind::multiline, "what was said or done"});
  f.push_back({.key = "followup", .kind = FieldKind::ref, .help = "the follow-up it asked for",
               .ref_type = "followup"});
  add_common_tail(f);
  return t;
}

RecordType make_followup() {
  RecordType t = new_type(RecordKind::followup, "followup", "followups",
                          {"id", "due", "status", "contact_name", "summary"});
  t.title_key = "summary";
  t.default_sort = "due";
  t.search_keys = {"summary", "done_note", "notes"};
  auto& f = t.fields;
  f.push_back(id_field());
  f.push_back(contact_ref("who to get back to"));
  f.push_back({.key = "due", .kind = FieldKind::when, .help = "when (a date, or a date and time)", .required = true,
               .indexed = true});
  f.push_back({.key = "summary", .kind = FieldKind::text, .help = "what to do", .required = true});
  f.push_back({.key = "status", .kind = FieldKind::choice, .help = "open or done", .required = true,
               .choices = {"open", "done"}, .indexed = true});
  f.push_back({.key = "snoozed", .kind = FieldKind::integer, .help = "how many times it was put off",
               .max = 1000000});
  f.push_back({"source", FieldKind::text, "the record that asked for it (an activity or feedback id)"});
  f.push_back({"done_at", FieldKind::timestamp, "when it was done"});
  f.push_back({"done_note", FieldKind::multiline, "how it went"});
  add_common_tail(f);
  return t;
}

RecordType make_feedback() {
  RecordType t = new_type(RecordKind::feedback, "feedback", "feedback",
                          {"id", "at", "kind", "status", "contact_name", "rating", "summary"});
  t.dated = true;
  t.title_key = "summary";
  t.default_sort = "-at";
  t.search_keys = {"summary", "resolution", "product", "notes"};
  auto& f = t.fields;
  f.push_back(id_field());
  f.push_back({.key = "kind", .kind = FieldKind::choice, .help = "what kind of feedback", .required = true,
               .choices = feedback_kinds(), .indexed = true});
  f.push_back(contact_ref("who gave it"));
  f.push_back({.key = "at", .kind = FieldKind::timestamp, .help = "when it came in", .required = true,
               .indexed = true});
  f.push_back({.key = "product", .kind = FieldKind::text, .help = "the product it is about", .indexed = true});
  f.push_back({.key = "sale", .kind = FieldKind::text, .help = "the sale it is about (its id)", .indexed = true});
  f.push_back({.key = "rating", .kind = FieldKind::integer, .help = "rating from 1 to 5", .indexed = true, .min = 1,
               .max = 5});
  f.push_back({.key = "nps", .kind = FieldKind::integer, .help = "would recommend us, 0 to 10", .indexed = true,
               .max = 10});
  f.push_back({"channel", FieldKind::text, "how it reached you (email, phone, web...)"});
  f.push_back({.key = "summary", .kind = FieldKind::multiline, .help = "what they said", .required = true});
  f.push_back({.key = "status", .kind = FieldKind::choice, .help = "open or resolved", .required = true,
               .choices = {"open", "resolved"}, .indexed = true});
  f.push_back({"resolved_at", FieldKind::timestamp, "when it was resolved"});
  f.push_back({.key = "resolution_minutes", .kind = FieldKind::integer, .help = "minutes from report to resolution",
               .max = 2000000000});
  f.push_back({"resolution", FieldKind::multiline, "what was done"});
  f.push_back({.key = "followup", .kind = FieldKind::ref, .help = "the satisfaction check it asked for",
               .ref_type = "followup"});
  add_common_tail(f);
  return t;
}

RecordType make_product() {
  RecordType t = new_type(RecordKind::product, "product", "products",
                          {"id", "name", "sku", "category", "price", "currency"});
  t.search_keys = {"name", "category", "notes"};
  t.check = check_product;
  auto& f = t.fields;
  f.push_back(id_field());
  f.push_back({.key = "name", .kind = FieldKind::text, .help = "product or service name", .required = true});
  f.push_back({.key = "sku", .kind = FieldKind::text, .help = "stock-keeping unit or code", .indexed = true});
  f.push_back({.key = "category", .kind = FieldKind::text, .help = "category, for revenue by category",
               .indexed = true});
  f.push_back({"unit", FieldKind::text, "what a quantity of 1 is (hour, kg, piece)"});
  f.push_back({.key = "currency", .kind = FieldKind::currency, .help = "the currency of price and cost",
               .required = true});
  f.push_back({"price", FieldKind::money, "list price per unit"});
  f.push_back({"cost", FieldKind::money, "what one unit costs you, for margins"});
  add_common_tail(f);
  return t;
}

// A sale with its line items; a refund or return is a sale with negative
// quantities linked to the original (refund_of).
RecordType make_sale() {
  RecordType t = new_type(RecordKind::sale, "sale", "sales",
                          {"id", "at", "contact_name", "total", "currency", "paid_by", "status"});
  t.dated = true;
  t.title_key = "id";
  t.default_sort = "-at";
  t.search_keys = {"notes", "void_reason"};
  t.check = check_sale;
  auto& f = t.fields;
  f.push_back(id_field());
  f.push_back(contact_ref("the customer"));
  f.push_back({.key = "at", .kind = FieldKind::timestamp, .help = "when it was sold", .required = true,
               .indexed = true});
  // What makes up the amounts is fixed once recorded: a wrong sale is voided or
  // refunded, so that payments and reports stay true to what happened.
  f.push_back({.key = "status", .kind = FieldKind::choice, .help = "completed, or void (kept but not counted)",
               .required = true, .choices = {"completed", "void"}, .indexed = true, .settable = false});
  f.push_back({.key = "currency", .kind = FieldKind::currency, .help = "the currency of every amount in the sale",
               .required = true, .indexed = true, .settable = false});
  Field items{.key = "items",
              .kind = FieldKind::entries,
              .help = "line items: product, quantity, price, cost, total",
              .required = true,
              .settable = false};
  items.entry_line = item_line;
  f.push_back(items);
  f.push_back({.key = "subtotal", .kind = FieldKind::money, .help = "the items' totals", .settable = false});
  f.push_back({.key = "discount", .kind = FieldKind::text, .help = "as given: a percentage (10%) or an amount",
               .settable = false});
  f.push_back({.key = "discount_amount", .kind = FieldKind::money, .help = "what the discount took off",
               .settable = false});
  f.push_back({.key = "total", .kind = FieldKind::money, .help = "what the customer pays: subtotal - discount",
               .required = true, .indexed = true, .settable = false});
  f.push_back({.key = "cost", .kind = FieldKind::money, .help = "the items' costs, when every item has one",
               .settable = false});
  f.push_back({.key = "margin", .kind = FieldKind::money, .help = "total - cost", .indexed = true,
               .settable = false});
  f.push_back({.key = "paid_by", .kind = FieldKind::choice, .help = "how it was paid",
               .choices = sale_payment_choices(), .indexed = true, .settable = false});
  f.push_back({"terms", FieldKind::text, "credit terms as given (net30, due:2026-12-31)"});
  f.push_back({.key = "due", .kind = FieldKind::date, .help = "when a sale on credit must be paid", .indexed = true});
  f.push_back({.key = "campaign", .kind = FieldKind::text, .help = "the campaign it came from", .indexed = true});
  f.push_back({.key = "refund_of", .kind = FieldKind::ref, .help = "the sale this refunds", .ref_type = "sale",
               .indexed = true, .settable = false});
  f.push_back({.key = "feedback", .kind = FieldKind::ref, .help = "the return or complaint behind a refund",
               .ref_type = "feedback"});
  f.push_back({.key = "points", .kind = FieldKind::integer, .help = "loyalty points it earned", .indexed = true,
               .settable = false, .min = -1000000000, .max = 1000000000});
  f.push_back({.key = "voided_at", .kind = FieldKind::timestamp, .help = "when it was voided", .settable = false});
  f.push_back({"void_reason", FieldKind::text, "why it was voided"});
  add_common_tail(f);
  return t;
}

RecordType make_payment() {
  RecordType t = new_type(RecordKind::payment, "payment", "payments",
                          {"id", "at", "contact_name", "sale", "amount", "currency", "method"});
  t.dated = true;
  t.title_key = "id";
  t.default_sort = "-at";
  t.search_keys = {"notes"};
  t.check = check_payment;
  auto& f = t.fields;
  f.push_back(id_field());
  f.push_back({.key = "sale", .kind = FieldKind::ref, .help = "the sale it pays", .required = true,
               .ref_type = "sale", .indexed = true, .settable = false});
  f.push_back(contact_ref("who paid"));
  f.push_back({.key = "at", .kind = FieldKind::timestamp, .help = "when it was paid", .required = true,
               .indexed = true});
  // Checked against the sale's balance when recorded: rm and record it again to change it.
  f.push_back({.key = "amount", .kind = FieldKind::money, .help = "how much", .required = true, .indexed = true,
               .settable = false});
  f.push_back({.key = "currency", .kind = FieldKind::currency, .help = "the sale's currency", .required = true,
               .indexed = true, .settable = false});
  f.push_back({.key = "method", .kind = FieldKind::choice, .help = "how it was paid", .choices = payment_methods(),
               .indexed = true});
  add_common_tail(f);
  return t;
}

RecordType make_deal() {
  RecordType t = new_type(RecordKind::deal, "deal", "deals",
                          {"id", "title", "contact_name", "stage", "value", "currency", "probability",
                                            "close"});
  t.title_key = "title";
  t.default_sort = "close";
  t.search_keys = {"title", "lost_reason", "notes"};
  t.check = check_deal;
  auto& f = t.fields;
  f.push_back(id_field());
  f.push_back({.key = "title", .kind = FieldKind::text, .help = "what the deal is", .required = true});
  f.push_back(contact_ref("the customer"));
  f.push_back({.key = "stage", .kind = FieldKind::text,
               .help = "pipeline stage (config.yaml deals.stages), won or lost (crm deal move)", .required = true,
               .indexed = true, .settable = false});
  f.push_back({.key = "product", .kind = FieldKind::ref, .help = "what it sells (a sale from the deal names it)",
               .ref_type = "product"});
  f.push_back({.key = "value", .kind = FieldKind::money, .help = "expected value", .indexed = true});
  f.push_back({.key = "currency", .kind = FieldKind::currency, .help = "the currency of the value", .indexed = true});
  f.push_back({.key = "probability", .kind = FieldKind::integer, .help = "chance to win, in percent",
               .indexed = true, .max = 100});
  f.push_back({.key = "close", .kind = FieldKind::date, .help = "expected (or actual) close date", .indexed = true});
  f.push_back({"lost_reason", FieldKind::text, "why it was lost"});
  f.push_back({.key = "sale", .kind = FieldKind::ref, .help = "the sale it became", .ref_type = "sale"});
  Field moves{.key = "moves", .kind = FieldKind::entries, .help = "every change of stage: at, from, to", .settable = false};
  moves.entry_line = move_line;
  f.push_back(moves);
  add_common_tail(f);
  return t;
}

RecordType make_campaign() {
  RecordType t = new_type(RecordKind::campaign, "campaign", "campaigns",
                          {"id", "name", "channel", "start", "end", "cost", "currency"});
  t.default_sort = "-start";
  t.search_keys = {"name", "notes"};
  t.check = check_campaign;
  auto& f = t.fields;
  f.push_back(id_field());
  f.push_back({.key = "name", .kind = FieldKind::text, .help = "campaign name", .required = true});
  f.push_back({.key = "channel", .kind = FieldKind::choice, .help = "how it reaches people",
               .choices = {"email", "sms", "social", "event", "ad"}, .indexed = true});
  f.push_back({.key = "start", .kind = FieldKind::date, .help = "first day", .indexed = true});
  f.push_back({"end", FieldKind::date, "last day"}); // not indexed: END is an SQL keyword
  f.push_back({"currency", FieldKind::currency, "the currency of the cost"});
  f.push_back({"cost", FieldKind::money, "what it cost"});
  f.push_back({.key = "audience", .kind = FieldKind::list, .help = "the contacts (ids) it is aimed at",
               .ref_type = "contact"});
  add_common_tail(f);
  return t;
}

// Loyalty points given or taken by hand: a redemption is negative. Points a
// sale earns are on the sale.
RecordType make_loyalty() {
  RecordType t = new_type(RecordKind::loyalty, "loyalty", "loyalty",
                          {"id", "at", "contact_name", "points", "reason"});
  t.dated = true;
  t.title_key = "reason";
  t.default_sort = "-at";
  t.search_keys = {"reason", "notes"};
  auto& f = t.fields;
  f.push_back(id_field());
  f.push_back(contact_ref("whose points"));
  f.push_back({.key = "at", .kind = FieldKind::timestamp, .help = "when", .required = true, .indexed = true});
  f.push_back({.key = "points", .kind = FieldKind::integer, .help = "points added (negative: redeemed)",
               .required = true, .indexed = true, .settable = false, .min = -1000000000, .max = 1000000000});
  f.push_back({.key = "reason", .kind = FieldKind::text, .help = "what for", .required = true});
  add_common_tail(f);
  return t;
}

// A saved filter over contacts: segments/<id>.yaml, its members worked out
// whenever it is used, so it never goes stale.
RecordType make_segment() {
  RecordType t = new_type(RecordKind::segment, "segment", "segments", {"id", "name", "where", "description"});
  t.search_keys = {"name", "description", "notes"};
  auto& f = t.fields;
  f.push_back(id_field());
  f.push_back({.key = "name", .kind = FieldKind::text, .help = "segment name", .required = true});
  f.push_back({.key = "where", .kind = FieldKind::text, .help = "the filter its contacts match (crm help filter)",
               .required = true});
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
