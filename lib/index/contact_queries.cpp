#include "index/contact_queries.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include "index/index_impl.hpp"
#include "model/record_type.hpp"

namespace crm::index {

std::size_t count_contacts(const Index& index, const SqlExpr& where) {
  SqlExpr count{"SELECT count(*) FROM contacts WHERE ", {}};
  count.sql += where.sql;
  count.binds = where.binds;
  std::size_t n = 0;
  run_query(index, count, [&](SQLite::Statement& st) { n = static_cast<std::size_t>(st.getColumn(0).getInt64()); });
  return n;
}

std::vector<StageCount> contacts_per_stage(const Index& index, const Scope& scope) {
  const auto who = customers_sql(scope, "contacts.id");
  SqlExpr q{"SELECT coalesce(stage, ?), count(*) FROM contacts WHERE ", {std::string("(none)")}};
  q += who;
  q.sql += " GROUP BY 1";
  std::vector<StageCount> out;
  run_query(index, q,
              [&](SQLite::Statement& st) { out.push_back({st.getColumn(0).getString(), st.getColumn(1).getInt64()}); });
  return out;
}

std::vector<LostReason> lost_reasons(const Index& index, const Scope& scope) {
  const auto who = customers_sql(scope, "contacts.id");
  SqlExpr q{"SELECT coalesce(json_extract(data, '$.lost_to'), ''), coalesce(json_extract(data, '$.lost_reason'), ''),"
            " count(*) FROM contacts WHERE stage = ? AND ",
            {std::string("lost")}};
  q += who;
  q.sql += " GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2";
  std::vector<LostReason> out;
  run_query(index, q, [&](SQLite::Statement& st) {
    out.push_back({st.getColumn(0).getString(), st.getColumn(1).getString(), st.getColumn(2).getInt64()});
  });
  return out;
}

std::vector<ContactConversion> contact_conversions(const Index& index, const Scope& scope) {
  const auto who = customers_sql(scope, "c.id");
  SqlExpr q{"SELECT c.id, substr(json_extract(c.data, '$.created'), 1, 10), coalesce(c.source, '(none)'),"
            " (SELECT min(d) FROM (SELECT min(a.day) AS d FROM activities a WHERE a.contact = c.id AND a.kind = 'stage'"
            "   AND json_extract(a.data, '$.to') = 'customer'"
            "  UNION ALL SELECT min(s.day) FROM sales s WHERE s.contact = c.id AND s.status = 'completed'"
            "   AND +s.refund_of IS NULL))"
            " FROM contacts c WHERE ",
            {}};
  q += who;
  std::vector<ContactConversion> out;
  run_query(index, q, [&](SQLite::Statement& st) {
    out.push_back({st.getColumn(0).getString(), st.getColumn(1).isNull() ? "" : st.getColumn(1).getString(),
                   st.getColumn(2).getString(), st.getColumn(3).isNull() ? "" : st.getColumn(3).getString()});
  });
  return out;
}

std::vector<PastLead> past_leads(const Index& index, const Scope& scope) {
  const auto who = customers_sql(scope, "c.id");
  SqlExpr q{
      "SELECT c.id, coalesce(c.source, ''), coalesce(c.country, ''), coalesce(json_extract(c.data, '$.prefers'), ''),"
      " coalesce((SELECT json_group_array(tag_key) FROM tags WHERE tags.type = 'contact' AND tags.record_id = c.id), '[]'),"
      " (SELECT count(*) FROM activities a WHERE a.contact = c.id AND a.kind <> 'stage'"
      "   AND a.day <= date(substr(json_extract(c.data, '$.created'), 1, 10), '+30 days')),"
      " (c.stage = 'customer' OR EXISTS (SELECT 1 FROM activities a WHERE a.contact = c.id AND a.kind = 'stage'"
      "   AND json_extract(a.data, '$.to') = 'customer')"
      "   OR EXISTS (SELECT 1 FROM sales s WHERE s.contact = c.id AND s.status = 'completed'))"
      " FROM contacts c WHERE (c.stage IN ('lead', 'prospect') OR EXISTS (SELECT 1 FROM activities a"
      "   WHERE a.contact = c.id AND a.kind = 'stage' AND (json_extract(a.data, '$.from') IN ('lead', 'prospect')"
      "   OR json_extract(a.data, '$.to') IN ('lead', 'prospect'))))"
      " AND substr(json_extract(c.data, '$.created'), 1, 10) BETWEEN ? AND ? AND " + who.sql,
      {scope.from, scope.to}};
  q.binds.insert(q.binds.end(), who.binds.begin(), who.binds.end());
  std::vector<PastLead> out;
  run_query(index, q, [&](SQLite::Statement& st) {
    PastLead l;
    l.id = st.getColumn(0).getString();
    l.source = st.getColumn(1).getString();
    l.country = st.getColumn(2).getString();
    l.prefers = st.getColumn(3).getString();
    for (const auto& tag : model::Record::parse(st.getColumn(4).getString())) l.tags.push_back(tag.get<std::string>());
    l.early_interactions = st.getColumn(5).getInt64();
    l.converted = st.getColumn(6).getInt() != 0;
    out.push_back(std::move(l));
  });
  return out;
}

std::vector<OpenLead> open_leads(const Index& index, const Scope& scope, const SqlExpr& score,
                                 const std::vector<SqlExpr>& rules) {
  const auto who = customers_sql(scope, "contacts.id");
  SqlExpr q{"SELECT id, name, stage, coalesce(source, ''), ", {}};
  q.sql += score.sql;
  q.binds = score.binds;
  for (const auto& cond : rules) {
    q.sql += ", CASE WHEN " + cond.sql + " THEN 1 ELSE 0 END";
    q.binds.insert(q.binds.end(), cond.binds.begin(), cond.binds.end());
  }
  // Whoever has bought is a customer, whatever the stage says (a workspace may
  // keep stages apart from sales: config sales.first_sale_stage: off).
  q.sql += " FROM contacts WHERE stage IN ('lead', 'prospect') AND substr(json_extract(data, '$.created'), 1, 10)"
           " BETWEEN ? AND ? AND NOT EXISTS (SELECT 1 FROM sales s WHERE s.contact = contacts.id"
           " AND s.status = 'completed' AND +s.refund_of IS NULL) AND " + who.sql;
  q.binds.emplace_back(scope.from);
  q.binds.emplace_back(scope.to);
  q.binds.insert(q.binds.end(), who.binds.begin(), who.binds.end());
  std::vector<OpenLead> out;
  run_query(index, q, [&](SQLite::Statement& st) {
    OpenLead l;
    l.id = st.getColumn(0).getString();
    l.name = st.getColumn(1).getString();
    l.stage = st.getColumn(2).getString();
    l.source = st.getColumn(3).getString();
    l.score = st.getColumn(4).getInt64();
    for (std::size_t k = 0; k < rules.size(); ++k) l.matches.push_back(st.getColumn(static_cast<int>(5 + k)).getInt() != 0);
    out.push_back(std::move(l));
  });
  return out;
}

} // namespace crm::index
