#include "index/computed.hpp"

#include <fmt/format.h>

namespace crm::index {
namespace {

// Stage changes are bookkeeping, not contact with the person.
constexpr std::string_view interaction = "contact = {t}.id AND kind <> 'stage'";

std::vector<ComputedField> make_contact_fields() {
  std::vector<ComputedField> f;
  const std::string where(interaction);
  // The column `at` is in UTC (time order); the date shown is the writer's own.
  f.push_back({"last_contact", "date of the last interaction of any kind",
               fmt::format("(SELECT substr(json_extract(data, '$.at'), 1, 10) FROM activities WHERE {}"
                           " ORDER BY at DESC LIMIT 1)",
                           where)});
  f.push_back({"interactions", "number of interactions (calls, emails, meetings...)",
               fmt::format("(SELECT count(*) FROM activities WHERE {})", where)});
  for (auto kind : model::activity_kinds()) {
    if (kind == "stage") continue;
    f.push_back({fmt::format("interactions_{}", kind), fmt::format("number of logged {}s", kind),
                 fmt::format("(SELECT count(*) FROM activities WHERE contact = {{t}}.id AND kind = '{}')", kind)});
  }
  f.push_back({"inbound", "interactions they started",
               fmt::format("(SELECT count(*) FROM activities WHERE {} AND direction = 'in')", where)});
  f.push_back({"outbound", "interactions you started",
               fmt::format("(SELECT count(*) FROM activities WHERE {} AND direction = 'out')", where)});
  // How often they answer: inbound per outbound, in percent (no outbound: unknown).
  f.push_back({"response_rate", "inbound per outbound interaction, in percent",
               fmt::format("(SELECT CASE WHEN sum(direction = 'out') > 0 THEN"
                           " CAST(round(100.0 * sum(direction = 'in') / sum(direction = 'out')) AS INTEGER) END"
                           " FROM activities WHERE {})",
                           where)});
  f.push_back({"open_followups", "number of open follow-ups",
               "(SELECT count(*) FROM followups WHERE contact = {t}.id AND status = 'open')"});
  f.push_back({"next_followup", "due date of the next open follow-up",
               "(SELECT min(due) FROM followups WHERE contact = {t}.id AND status = 'open')"});
  f.push_back({"complaints", "number of complaints",
               "(SELECT count(*) FROM feedback WHERE contact = {t}.id AND kind = 'complaint')"});
  f.push_back({"rating", "average rating they gave (1-5)",
               "(SELECT round(avg(rating), 1) FROM feedback WHERE contact = {t}.id AND rating IS NOT NULL)"});
  // Sales store the points they earned; loyalty records add or redeem them.
  f.push_back({"points", "loyalty points: earned by sales that are not void, plus redeemed (negative)",
               "(SELECT sum(p) FROM (SELECT points AS p FROM sales WHERE contact = {t}.id AND status <> 'void'"
               " AND points IS NOT NULL UNION ALL SELECT points FROM loyalty WHERE contact = {t}.id))"});
  return f;
}

} // namespace

const std::vector<ComputedField>& computed_fields(const model::RecordType& type) {
  static const std::vector<ComputedField> contact = make_contact_fields();
  // Records about a contact show who it is.
  static const std::vector<ComputedField> about_contact = {
      {"contact_name", "the contact's name", "(SELECT name FROM contacts WHERE contacts.id = {t}.contact)"}};
  static const std::vector<ComputedField> none;
  if (type.name == "contact") return contact;
  if (const auto* f = type.field("contact"); f && f->ref_type == "contact" && f->indexed) return about_contact;
  return none;
}

const ComputedField* find_computed(const model::RecordType& type, std::string_view key) {
  for (const auto& f : computed_fields(type))
    if (f.key == key) return &f;
  return nullptr;
}

std::string computed_sql(const model::RecordType& type, const ComputedField& field) {
  return fmt::format(fmt::runtime(field.sql), fmt::arg("t", type.plural));
}

} // namespace crm::index
