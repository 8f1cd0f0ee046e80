// `crm report campaigns`: per campaign, its audience, the people who responded
// (inbound interactions logged with --campaign), the sales made with
// --campaign, their revenue, the campaign's cost and the return
// ((revenue - cost) / cost). Sales and responses count within --from/--to.

#include <fmt/format.h>

#include "index/sales_queries.hpp"
#include "ops/reports/report.hpp"

namespace crm::ops {

Report campaigns_report(Session& session, const ReportOptions& o) {
  const auto base = base_of(session);
  ReportTable table;
  table.name = "campaigns";
  table.columns = {"name", "channel", "start", "audience", "responses", "response_rate", "sales", "revenue", "cost",
                   "return"};
  table.chart_label = "name";
  table.chart_value = "revenue";
  table.id_column = "campaign";
  std::int64_t revenue = 0, cost = 0;
  for (const auto& row : index::campaign_results(session.index(), scope_of(o), base.currency, time::format_date(o.today))) {
    const auto c = row.cost.value_or(0);
    revenue += row.revenue;
    cost += c;
    table.rows.push_back(
        {{"campaign", row.id},
         {"name", row.name},
         {"channel", row.channel},
         {"start", row.start},
         {"audience", row.audience},
         {"responses", row.responses},
         {"response_rate", percent(static_cast<double>(row.responses), static_cast<double>(row.audience))},
         {"sales", row.orders},
         {"revenue", base.amount(row.revenue)},
         {"cost", row.cost ? base.amount(c) : std::string("")},
         {"return", row.cost && c > 0 ? fmt::format("{:+.1f}%", 100.0 * static_cast<double>(row.revenue - c) / static_cast<double>(c))
                                      : std::string("-")}});
  }
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
