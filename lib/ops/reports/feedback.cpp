// `crm report feedback`: complaints and returns per product against its sales
// (a product is flagged when its complaint rate is more than twice that of
// all the other products together, with at least two complaints), average
// rating, NPS, open vs resolved, and the median time to resolve.

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "index/activity_queries.hpp"
#include "index/sales_queries.hpp"
#include "ops/reports/report.hpp"

namespace crm::ops {

Report feedback_report(Session& session, const ReportOptions& o) {
  // Feedback names a product by id or name: report it by name.
  struct Product {
    std::int64_t sales = 0, complaints = 0, returns = 0, ratings = 0, rating_sum = 0;
  };
  std::map<std::string, Product> products;
  const auto scope = scope_of(o);
  for (const auto& p : index::orders_per_product(session.index(), scope)) products[p.product].sales = p.orders;
  std::int64_t total = 0, open = 0, resolved = 0, ratings = 0, rating_sum = 0, promoters = 0, detractors = 0, nps_n = 0;
  std::vector<std::int64_t> minutes;
  for (const auto& f : index::feedback_in(session.index(), scope)) {
    ++total;
    if (f.status == "open") ++open;
    else ++resolved;
    if (f.resolution_minutes) minutes.push_back(*f.resolution_minutes);
    if (f.rating) {
      ++ratings;
      rating_sum += *f.rating;
    }
    if (f.nps) {
      ++nps_n;
      const auto n = *f.nps;
      if (n >= 9) ++promoters;
      else if (n <= 6) ++detractors;
    }
    if (!f.product) continue;
    auto& p = products[*f.product];
    if (f.kind == "complaint") ++p.complaints;
    if (f.kind == "return") ++p.returns;
    if (f.rating) {
      ++p.ratings;
      p.rating_sum += *f.rating;
    }
  }
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
