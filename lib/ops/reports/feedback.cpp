// `crm report feedback`: complaints and returns per product against its sales
// (a product is flagged when its complaint rate is more than twice that of
// all the other products together, with at least two complaints), average
// rating, NPS, open vs resolved, and the median time to resolve.

#include <algorithm>
#include <map>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "ops/reports/report.hpp"

namespace crm::ops {

Report feedback_report(Session& session, const ReportOptions& o) {
  const auto f_who = customers_clause(o, "f.contact");
  // Feedback names a product by id or name: report it by name.
  struct Product {
    std::int64_t sales = 0, complaints = 0, returns = 0, ratings = 0, rating_sum = 0;
  };
  std::map<std::string, Product> products;
  index::SqlExpr sq{"SELECT coalesce((SELECT name FROM products p WHERE p.id = json_extract(i.value, '$.product_id')),"
                    " json_extract(i.value, '$.product')) AS product, count(DISTINCT s.id) FROM sales s,"
                    " json_each(s.data, '$.items') i WHERE +s.refund_of IS NULL AND ", {}};
  sq += counted_sales(o, "s");
  sq.sql += " GROUP BY product";
  session.index().query(sq, [&](SQLite::Statement& st) { products[st.getColumn(0).getString()].sales = st.getColumn(1).getInt64(); });
  index::SqlExpr fq{"SELECT coalesce((SELECT name FROM products p WHERE p.id = f.product), f.product), f.kind,"
                    " f.rating, f.nps, f.status, json_extract(f.data, '$.resolution_minutes') FROM feedback f"
                    " WHERE f.day >= ? AND f.day <= ? AND " + f_who.sql,
                    {o.from, o.to}};
  fq.binds.insert(fq.binds.end(), f_who.binds.begin(), f_who.binds.end());
  std::int64_t total = 0, open = 0, resolved = 0, ratings = 0, rating_sum = 0, promoters = 0, detractors = 0, nps_n = 0;
  std::vector<std::int64_t> minutes;
  session.index().query(fq, [&](SQLite::Statement& st) {
    ++total;
    const std::string kind = st.getColumn(1).getString();
    if (st.getColumn(4).getString() == "open") ++open;
    else ++resolved;
    if (!st.getColumn(5).isNull()) minutes.push_back(st.getColumn(5).getInt64());
    if (!st.getColumn(2).isNull()) {
      ++ratings;
      rating_sum += st.getColumn(2).getInt64();
    }
    if (!st.getColumn(3).isNull()) {
      ++nps_n;
      const auto n = st.getColumn(3).getInt64();
      if (n >= 9) ++promoters;
      else if (n <= 6) ++detractors;
    }
    if (st.getColumn(0).isNull()) return;
    auto& p = products[st.getColumn(0).getString()];
    if (kind == "complaint") ++p.complaints;
    if (kind == "return") ++p.returns;
    if (!st.getColumn(2).isNull()) {
      ++p.ratings;
      p.rating_sum += st.getColumn(2).getInt64();
    }
  });
  std::int64_t all_sales = 0, all_complaints = 0;
  for (const auto& [name, p] : products) {
    all_sales += p.sales;
    all_complaints += p.complaints;
  }
  ReportTable table;
  table.name = "products";
  table.columns = {"product", "sales", "complaints", "returns", "complaint_rate", "rating", "flag"};
  table.chart_label = "product";
  table.chart_value = "complaints";
  std::vector<std::pair<std::string, Product>> ordered(products.begin(), products.end());
  std::stable_sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) {
    return a.second.complaints + a.second.returns > b.second.complaints + b.second.returns;
  });
  std::int64_t flagged = 0;
  for (const auto& [name, p] : ordered) {
    const auto other_sales = all_sales - p.sales, other_complaints = all_complaints - p.complaints;
    // Rate above twice the rest: p.c / p.s > 2 * oc / os, without dividing by 0.
    const bool high = p.complaints >= 2 && p.sales > 0 &&
                      (other_sales == 0 || p.complaints * other_sales > 2 * other_complaints * p.sales);
    flagged += high;
    table.rows.push_back({{"product", name},
                          {"sales", p.sales},
                          {"complaints", p.complaints},
                          {"returns", p.returns},
                          {"complaint_rate", percent(static_cast<double>(p.complaints), static_cast<double>(p.sales))},
                          {"rating", p.ratings ? fmt::format("{:.1f}", static_cast<double>(p.rating_sum) / static_cast<double>(p.ratings)) : std::string("")},
                          {"flag", high ? "high complaint rate" : ""}});
  }
  if (o.limit && table.rows.size() > *o.limit) table.rows.resize(*o.limit);
  std::sort(minutes.begin(), minutes.end());
  std::string median = "-";
  if (!minutes.empty()) {
    const auto n = minutes.size();
    const auto m = n % 2 ? minutes[n / 2] : (minutes[n / 2 - 1] + minutes[n / 2]) / 2;
    median = time::format_duration(static_cast<int>(m));
  }
  ReportTable summary;
  summary.name = "summary";
  summary.columns = {"feedback", "open", "resolved", "average_rating", "nps", "median_resolution"};
  summary.rows.push_back({{"feedback", total},
                          {"open", open},
                          {"resolved", resolved},
                          {"average_rating", ratings ? fmt::format("{:.1f}", static_cast<double>(rating_sum) / static_cast<double>(ratings)) : std::string("-")},
                          {"nps", nps_n ? fmt::format("{:+.0f}", 100.0 * static_cast<double>(promoters - detractors) / static_cast<double>(nps_n)) : std::string("-")},
                          {"median_resolution", median}});
  Report r;
  r.heading = fmt::format("feedback, {}: {} records, {} open; {} products flagged", period_text(o), total, open, flagged);
  r.facts = {{"from", o.from}, {"to", o.to}, {"feedback", total}, {"open", open}, {"resolved", resolved},
             {"flagged", flagged}};
  r.tables.push_back(std::move(table));
  r.tables.push_back(std::move(summary));
  return r;
}

} // namespace crm::ops
