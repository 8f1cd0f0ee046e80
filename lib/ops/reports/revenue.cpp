// `crm report revenue`: net revenue (refunds are negative sales) and orders by
// period or by product, category, country, source, payment method or
// campaign, optionally against the previous period or the year before. By
// product or category, also the margin of the items with a cost and the
// revenue of those without one.

#include <map>

#include <fmt/format.h>

#include "index/sales_queries.hpp"
#include "ops/reports/report.hpp"
#include "util/error.hpp"

namespace crm::ops {
namespace {

// What the index groups revenue by for `by` (a period, product, category...).
index::RevenueKey revenue_key(const std::string& by) {
  if (is_period(by)) return index::RevenueKey::period;
  if (by == "product") return index::RevenueKey::product;
  if (by == "category") return index::RevenueKey::category;
  if (by == "country") return index::RevenueKey::country;
  if (by == "source") return index::RevenueKey::source;
  if (by == "payment") return index::RevenueKey::payment;
  return index::RevenueKey::campaign;
}

struct Totals {
  std::int64_t orders = 0, revenue = 0;
  std::optional<std::int64_t> margin; // items with a cost; none when no item had one
  std::int64_t without_cost = 0;      // revenue of the items with no cost
};

std::map<std::string, Totals> group(Session& session, const ReportOptions& o, const std::string& by,
                                    const std::string& from, const std::string& to) {
  auto range = scope_of(o);
  range.from = from;
  range.to = to;
  range.has_from = from != "0000-01-01";
  range.has_to = to != "9999-12-31";
  const auto key = revenue_key(by);
  std::map<std::string, Totals> out;
  for (auto& g : index::revenue_groups(session.index(), range, key,
                                       key == index::RevenueKey::period ? period_kind(by) : index::Period::month))
    out[g.key.value_or("(none)")] = Totals{g.orders, g.revenue, g.margin, g.without_cost};
  return out;
}

} // namespace

Report revenue_report(Session& session, const ReportOptions& o) {
  const std::string by = o.by.empty() ? "month" : o.by;
  static const std::vector<std::string> bys = {"day",     "week",     "month",   "quarter", "year",    "product",
                                               "category", "country", "source",  "payment", "campaign"};
  if (std::find(bys.begin(), bys.end(), by) == bys.end())
    throw Error(ErrorKind::usage, fmt::format("bad --by '{}'", by),
                {"use one of: day, week, month, quarter, year, product, category, country, source, payment, campaign"});
  if (!o.compare.empty() && o.compare != "previous" && o.compare != "year-ago")
    throw Error(ErrorKind::usage, fmt::format("bad --compare '{}'", o.compare), {"use previous or year-ago"});
  const auto base = base_of(session);
  const bool period = is_period(by);
  const auto rows = group(session, o, by, o.from, o.to);
  // What each row is compared with: the period before (or a year before) for
  // periods; for the rest, the same stretch of days just before --from (or a
  // year earlier).
  std::map<std::string, Totals> before;
  std::string compare_range;
  if (!o.compare.empty()) {
    if (period) {
      before = group(session, o, by, "0000-01-01", "9999-12-31");
    } else {
      if (!o.has_from || !o.has_to)
        throw Error(ErrorKind::usage, fmt::format("--compare with --by {} needs --from and --to", by),
                    {"the comparison is the same number of days before --from, or a year earlier"});
      const auto f = *time::parse_date(o.from), t = *time::parse_date(o.to);
      std::string cf, ct;
      if (o.compare == "previous") {
        const auto days = time::days_between(f, t) + 1;
        cf = time::format_date(time::add_days(f, -days));
        ct = time::format_date(time::add_days(f, -1));
      } else {
        cf = time::format_date(time::add_months(f, -12));
        ct = time::format_date(time::add_months(t, -12));
      }
      compare_range = cf + " to " + ct;
      before = group(session, o, by, cf, ct);
    }
  }
  ReportTable table;
  table.name = by;
  const bool items = by == "product" || by == "category";
  table.columns = {by, "orders", "revenue"};
  if (items) table.columns.insert(table.columns.end(), {"margin", "without_cost"});
  if (!o.compare.empty()) table.columns.insert(table.columns.end(), {"before", "change", "change_pct"});
  table.chart_label = by;
  table.chart_value = "revenue";
  table.over_time = period;
  // A series by period has every period between its first and last, empty ones as 0.
  auto filled = rows;
  if (period && !rows.empty())
    for (const auto& key : periods_from_to(by, rows.begin()->first, rows.rbegin()->first)) filled[key];
  std::vector<std::pair<std::string, Totals>> ordered(filled.begin(), filled.end());
  // Against another stretch of days, a group that sold only then shows too.
  if (!o.compare.empty() && !period)
    for (const auto& [key, t] : before)
      if (!rows.count(key)) ordered.push_back({key, Totals{}});
  if (!period)
    std::stable_sort(ordered.begin(), ordered.end(),
                     [](const auto& a, const auto& b) { return a.second.revenue > b.second.revenue; });
  // The heading's totals count each sale once (a sale of two products is one order).
  Totals all;
  for (const auto& [year, t] : group(session, o, "year", o.from, o.to)) {
    all.orders += t.orders;
    all.revenue += t.revenue;
  }
  for (const auto& [key, t] : ordered) {
    model::Record row = {{by, key}, {"orders", t.orders}, {"revenue", base.amount(t.revenue)}};
    if (items) {
      row["margin"] = t.margin ? base.amount(*t.margin) : std::string();
      row["without_cost"] = base.amount(t.without_cost);
    }
    if (!o.compare.empty()) {
      const auto it = before.find(period ? earlier_period(by, key, o.compare == "year-ago") : key);
      const std::int64_t prev = it == before.end() ? 0 : it->second.revenue;
      row["before"] = base.amount(prev);
      row["change"] = base.amount(t.revenue - prev);
      row["change_pct"] = prev == 0 ? std::string("-") : fmt::format("{:+.1f}%", 100.0 * (t.revenue - prev) / std::abs(static_cast<double>(prev)));
    }
    table.rows.push_back(std::move(row));
  }
  if (o.limit && table.rows.size() > *o.limit) table.rows.resize(*o.limit);
  Report r;
  r.facts = {{"currency", base.currency}, {"from", o.from}, {"to", o.to}, {"by", by},
             {"revenue", base.amount(all.revenue)}, {"orders", all.orders}};
  r.heading = fmt::format("revenue by {}, in {}, {}: {} from {} orders", by, base.currency, period_text(o),
                          base.amount(all.revenue), all.orders);
  if (items) {
    // Margins add up item by item; an item without a cost counts in neither.
    Totals costed;
    for (const auto& [key, t] : rows) {
      if (t.margin) costed.margin = costed.margin.value_or(0) + *t.margin;
      costed.without_cost += t.without_cost;
    }
    if (costed.margin) r.heading += fmt::format("; margin {}", base.amount(*costed.margin));
    if (costed.without_cost != 0)
      r.heading += fmt::format("{} {} of the revenue has no cost", costed.margin ? "," : ";",
                               base.amount(costed.without_cost));
    r.facts["margin"] = costed.margin ? base.amount(*costed.margin) : std::string();
    r.facts["without_cost"] = base.amount(costed.without_cost);
  }
  if (!compare_range.empty()) r.heading += fmt::format(" (compared with {})", compare_range);
  if (!o.compare.empty()) r.facts["compare"] = o.compare;
  r.tables.push_back(std::move(table));
  add_rate_warnings(session, r);
  return r;
}

} // namespace crm::ops
