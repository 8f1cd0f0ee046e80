// `crm report campaigns`: per campaign, its audience, the people who responded
// (inbound interactions logged with --campaign), the sales made with
// --campaign, their revenue, the campaign's cost and the return
// ((revenue - cost) / cost). Sales and responses count within --from/--to.

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "ops/reports/report.hpp"

namespace crm::ops {

Report campaigns_report(Session& session, const ReportOptions& o) {
  const auto base = base_of(session);
  const auto s_who = customers_clause(o, "s.contact");
  const auto a_who = customers_clause(o, "a.contact");
  // A sale or activity names its campaign by id (or by name when no campaign
  // record had that name when it was logged).
  index::SqlExpr q{"SELECT c.id, c.name, coalesce(c.channel, ''), coalesce(c.start, ''),"
                   " coalesce(json_array_length(c.data, '$.audience'), 0),"
                   " (SELECT count(DISTINCT a.contact) FROM activities a WHERE a.campaign IN (c.id, c.name)"
                   "   AND a.direction = 'in' AND a.day >= ? AND a.day <= ? AND " + a_who.sql + "),"
                   " (SELECT count(*) FROM sales s WHERE s.campaign IN (c.id, c.name) AND s.status = 'completed'"
                   "   AND +s.refund_of IS NULL AND s.day >= ? AND s.day <= ? AND " + s_who.sql + "),"
                   " (SELECT coalesce(sum(crm_base(s.total, s.currency, s.day)), 0) FROM sales s"
                   "   WHERE s.campaign IN (c.id, c.name) AND s.status = 'completed' AND s.day >= ? AND s.day <= ? AND " +
                       s_who.sql + "),"
                   " crm_base(crm_minor(json_extract(c.data, '$.cost'), coalesce(json_extract(c.data, '$.currency'), ?)),"
                   "   coalesce(json_extract(c.data, '$.currency'), ?), coalesce(c.start, ?))"
                   " FROM campaigns c ORDER BY c.start DESC, c.sort_key",
                   {}};
  auto add = [&](const std::vector<index::SqlValue>& v) { q.binds.insert(q.binds.end(), v.begin(), v.end()); };
  add({o.from, o.to});
  add(a_who.binds);
  add({o.from, o.to});
  add(s_who.binds);
  add({o.from, o.to});
  add(s_who.binds);
  add({base.currency, base.currency, time::format_date(o.today)});
  ReportTable table;
  table.name = "campaigns";
  table.columns = {"name", "channel", "start", "audience", "responses", "response_rate", "sales", "revenue", "cost",
                   "return"};
  table.chart_label = "name";
  table.chart_value = "revenue";
  table.id_column = "campaign";
  std::int64_t revenue = 0, cost = 0;
  session.index().query(q, [&](SQLite::Statement& st) {
    const auto audience = st.getColumn(4).getInt64(), responses = st.getColumn(5).getInt64();
    const auto rev = st.getColumn(7).getInt64();
    const bool has_cost = !st.getColumn(8).isNull();
    const auto c = has_cost ? st.getColumn(8).getInt64() : 0;
    revenue += rev;
    cost += c;
    table.rows.push_back(
        {{"campaign", st.getColumn(0).getString()},
         {"name", st.getColumn(1).getString()},
         {"channel", st.getColumn(2).getString()},
         {"start", st.getColumn(3).getString()},
         {"audience", audience},
         {"responses", responses},
         {"response_rate", percent(static_cast<double>(responses), static_cast<double>(audience))},
         {"sales", st.getColumn(6).getInt64()},
         {"revenue", base.amount(rev)},
         {"cost", has_cost ? base.amount(c) : std::string("")},
         {"return", has_cost && c > 0 ? fmt::format("{:+.1f}%", 100.0 * static_cast<double>(rev - c) / static_cast<double>(c))
                                      : std::string("-")}});
  });
  if (o.limit && table.rows.size() > *o.limit) table.rows.resize(*o.limit);
  Report r;
  r.heading = fmt::format("campaigns, in {}, {}: revenue {}, cost {}", base.currency, period_text(o),
                          base.amount(revenue), base.amount(cost));
  r.facts = {{"currency", base.currency}, {"from", o.from}, {"to", o.to}, {"revenue", base.amount(revenue)},
             {"cost", base.amount(cost)}};
  r.tables.push_back(std::move(table));
  add_rate_warnings(session, r);
  return r;
}

} // namespace crm::ops
