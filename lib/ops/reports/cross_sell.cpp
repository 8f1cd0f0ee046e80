// `crm report cross-sell`: pairs of products bought by the same customers, with
// support (the share of customers who bought both) and lift (how much more
// often than if the two were bought independently). With --contact: what the
// customers who share a product with that contact bought and they have not.

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "index/sales_queries.hpp"
#include "ops/reports/report.hpp"

namespace crm::ops {

Report cross_sell_report(Session& session, const ReportOptions& o) {
  std::map<std::string, std::set<std::string>> bought; // contact -> products
  for (auto& b : index::products_bought(session.index(), scope_of(o))) bought[b.contact].insert(std::move(b.product));
  const double customers = static_cast<double>(bought.size());
  std::map<std::string, std::int64_t> single;
  std::map<std::pair<std::string, std::string>, std::int64_t> pairs;
  for (const auto& [c, products] : bought) {
    for (auto a = products.begin(); a != products.end(); ++a) {
      ++single[*a];
      for (auto b = std::next(a); b != products.end(); ++b) ++pairs[{*a, *b}];
    }
  }
  Report r;
  ReportTable table;
  if (o.contact.empty()) {
    table.name = "pairs";
    table.columns = {"product_a", "product_b", "customers", "support", "lift"};
    table.chart_label = "pair";
    table.chart_value = "customers";
    std::vector<std::pair<std::pair<std::string, std::string>, std::int64_t>> ordered(pairs.begin(), pairs.end());
    auto lift = [&](const auto& p) {
      return static_cast<double>(p.second) * customers /
             (static_cast<double>(single[p.first.first]) * static_cast<double>(single[p.first.second]));
    };
    std::stable_sort(ordered.begin(), ordered.end(), [&](const auto& a, const auto& b) {
      return a.second != b.second ? a.second > b.second : lift(a) > lift(b);
    });
    const std::size_t limit = o.limit.value_or(20);
    for (const auto& p : ordered) {
      if (table.rows.size() >= limit) break;
      table.rows.push_back({{"pair", p.first.first + " + " + p.first.second},
                            {"product_a", p.first.first},
                            {"product_b", p.first.second},
                            {"customers", p.second},
                            {"support", percent(static_cast<double>(p.second), customers)},
                            {"lift", fmt::format("{:.2f}", lift(p))}});
    }
    r.heading = fmt::format("products bought together, {}: {} customers, {} products, {} pairs", period_text(o),
                            bought.size(), single.size(), pairs.size());
    r.facts = {{"from", o.from}, {"to", o.to}, {"customers", bought.size()}, {"pair_count", pairs.size()}};
  } else {
    // Similar customers share at least one product; each suggestion counts how
    // many of them bought it.
    const auto mine = bought.count(o.contact) ? bought[o.contact] : std::set<std::string>{};
    std::map<std::string, std::int64_t> votes;
    std::int64_t similar = 0;
    for (const auto& [c, products] : bought) {
      if (c == o.contact) continue;
      const bool shares = std::any_of(products.begin(), products.end(), [&](const auto& p) { return mine.count(p) > 0; });
      if (!shares) continue;
      ++similar;
      for (const auto& p : products)
        if (!mine.count(p)) ++votes[p];
    }
    table.name = "suggestions";
    table.columns = {"product", "customers", "share"};
    table.chart_label = "product";
    table.chart_value = "customers";
    std::vector<std::pair<std::string, std::int64_t>> ordered(votes.begin(), votes.end());
    std::stable_sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    const std::size_t limit = o.limit.value_or(10);
    for (const auto& [p, n] : ordered) {
      if (table.rows.size() >= limit) break;
      table.rows.push_back({{"product", p}, {"customers", n}, {"share", percent(static_cast<double>(n), static_cast<double>(similar))}});
    }
    // The heading names the person; the facts keep the id for scripts.
    const auto contact = session.index().get(model::contact_type(), o.contact);
    const std::string name = contact ? contact->value("name", o.contact) : o.contact;
    r.heading = fmt::format("for {}: {} products bought, {} similar customers, {} products to offer", name,
                            mine.size(), similar, votes.size());
    r.facts = {{"contact", o.contact}, {"contact_name", name}, {"from", o.from}, {"to", o.to},
               {"similar_customers", similar}};
  }
  r.tables.push_back(std::move(table));
  return r;
}

} // namespace crm::ops
