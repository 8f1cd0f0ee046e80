#include "index/computed.hpp"

#include <fmt/format.h>

namespace crm::index {

const char* const sale_balance_sql =
    "max(0, s.total"
    " + coalesce((SELECT sum(r.total) FROM sales r WHERE r.refund_of = s.id AND r.status <> 'void'), 0)"
    " - coalesce((SELECT sum(p.amount) FROM payments p WHERE p.sale = s.id), 0))";

const char* const item_amount_sql =
    "CAST(round(1.0 * crm_minor(json_extract(i.value, '$.total'), s.currency) * s.total"
    " / coalesce(nullif(crm_minor(json_extract(s.data, '$.subtotal'), s.currency), 0), s.total)) AS INTEGER)";

const char* const item_cost_sql =
    "CAST(round(crm_minor(json_extract(i.value, '$.cost'), s.currency) * json_extract(i.value, '$.quantity'))"
    " AS INTEGER)";

// Scores run 1-5 by rank among customers (ties share a score): 1 + 5 x (rank -
// 1) / customers, rank 1 being the oldest last purchase, fewest orders or
// least revenue; with five or more customers the top fifth scores 5.
const char* const rfm_select_sql =
    "WITH c AS (SELECT contact, max(day) FILTER (WHERE +refund_of IS NULL) AS last,"
    " count(*) FILTER (WHERE +refund_of IS NULL) AS orders,"
    " coalesce(sum(crm_base(total, currency, day)), 0) AS revenue"
    " FROM sales WHERE status = 'completed' AND day >= ? AND day <= ? GROUP BY contact),"
    " s AS (SELECT contact, last, orders, revenue,"
    " 1 + (5 * (rank() OVER (ORDER BY last) - 1)) / count(*) OVER () AS r,"
    " 1 + (5 * (rank() OVER (ORDER BY orders) - 1)) / count(*) OVER () AS f,"
    " 1 + (5 * (rank() OVER (ORDER BY revenue) - 1)) / count(*) OVER () AS m"
    " FROM c WHERE orders > 0)"
    " SELECT contact, last, orders, revenue, r, f, m, r + f + m AS total,"
    " CASE WHEN r + f + m >= ? THEN 'A' WHEN r + f + m >= ? THEN 'B' ELSE 'C' END AS class FROM s";

namespace {

// Stage changes are bookkeeping, not contact with the person.
constexpr std::string_view interaction = "contact = {t}.id AND kind <> 'stage'";

std::vector<ComputedField> make_contact_fields() {
  std::vector<ComputedField> f;
  const std::string where(interaction);
  // The column `at` is in UTC (time order); the date shown is the writer's own.
  f.push_back({"last_contact", "date of the last interaction of any kind",
               fmt::format("(SELECT day FROM activities WHERE {} ORDER BY at DESC LIMIT 1)", where),
               ComputedKind::date});
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
  // Sales count when completed (not void); refunds are negative sales, so
  // revenue is net of them, while orders count the original sales only.
  const std::string counted = "contact = {t}.id AND status = 'completed'";
  f.push_back({"revenue", "what they spent, net of refunds, in the base currency",
               fmt::format("(SELECT sum(crm_base(total, currency, day)) FROM sales WHERE {})", counted),
               ComputedKind::money});
  f.push_back({"orders", "number of sales (refunds and void sales not counted)",
               fmt::format("(SELECT count(*) FROM sales WHERE {} AND +refund_of IS NULL)", counted)});
  f.push_back({"avg_order", "revenue per order, in the base currency",
               fmt::format("(SELECT CAST(round(1.0 * sum(crm_base(total, currency, day))"
                           " / nullif(count(*) FILTER (WHERE +refund_of IS NULL), 0)) AS INTEGER) FROM sales WHERE {})",
                           counted),
               ComputedKind::money});
  f.push_back({"first_purchase", "date of their first sale",
               fmt::format("(SELECT min(day) FROM sales WHERE {} AND +refund_of IS NULL)", counted),
               ComputedKind::date});
  f.push_back({"last_purchase", "date of their last sale",
               fmt::format("(SELECT max(day) FROM sales WHERE {} AND +refund_of IS NULL)", counted),
               ComputedKind::date});
  // Item by item, so an item without a cost leaves out only its own margin.
  f.push_back({"margin", "revenue less what the items cost, in the base currency (items with a cost)",
               fmt::format("(SELECT sum(crm_base({} - {}, s.currency, s.day)) FROM sales s,"
                           " json_each(s.data, '$.items') i WHERE s.contact = {{t}}.id AND s.status = 'completed'"
                           " AND json_extract(i.value, '$.cost') IS NOT NULL)",
                           item_amount_sql, item_cost_sql),
               ComputedKind::money});
  f.push_back({"balance", "unpaid credit, in the base currency",
               fmt::format("(SELECT sum(crm_base({}, s.currency, s.day)) FROM sales s WHERE s.contact = {{t}}.id"
                           " AND s.paid_by = 'credit' AND s.status = 'completed' AND +s.refund_of IS NULL)",
                           sale_balance_sql),
               ComputedKind::money});
  f.push_back({"priority", "A, B or C from their RFM scores (report rfm)",
               "(SELECT class FROM temp.rfm WHERE rfm.contact = {t}.id)", ComputedKind::text});
  // The lead scoring rules of config.yaml, compiled by the query layer.
  f.push_back({"score", "lead score: points of the lead_scoring rules they match", "", ComputedKind::number, true});
  f.push_back({"open_followups", "number of open follow-ups",
               "(SELECT count(*) FROM followups WHERE contact = {t}.id AND status = 'open')"});
  f.push_back({"next_followup", "due date of the next open follow-up",
               "(SELECT min(due) FROM followups WHERE contact = {t}.id AND status = 'open')", ComputedKind::date});
  f.push_back({"complaints", "number of complaints",
               "(SELECT count(*) FROM feedback WHERE contact = {t}.id AND kind = 'complaint')"});
  f.push_back({"rating", "average rating they gave (1-5)",
               "(SELECT round(avg(rating), 1) FROM feedback WHERE contact = {t}.id AND rating IS NOT NULL)",
               ComputedKind::number});
  // Sales store the points they earned; loyalty records add or redeem them.
  f.push_back({"points", "loyalty points: earned by sales that are not void, plus redeemed (negative)",
               "(SELECT sum(p) FROM (SELECT points AS p FROM sales WHERE contact = {t}.id AND status <> 'void'"
               " AND points IS NOT NULL UNION ALL SELECT points FROM loyalty WHERE contact = {t}.id))",
               ComputedKind::number});
  return f;
}

} // namespace

const std::vector<ComputedField>& computed_fields(const model::RecordType& type) {
  static const std::vector<ComputedField> contact = make_contact_fields();
  // Records about a contact show who it is.
  static const std::vector<ComputedField> about_contact = {
      {"contact_name", "the contact's name", "(SELECT name FROM contacts WHERE contacts.id = {t}.contact)",
       ComputedKind::text}};
  static const std::vector<ComputedField> none;
  if (type.kind == model::RecordKind::contact) return contact;
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
