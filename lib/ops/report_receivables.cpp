// `crm report receivables`: what customers owe on credit, per customer (with
// the aging buckets and a row of totals) and per sale, as a report like the
// others, so it takes --table, --chart and every format.

#include <fmt/format.h>

#include "ops/receivables.hpp"
#include "ops/report.hpp"
#include "util/money.hpp"

namespace crm::ops {

Report receivables_report(Session& session, const ReportOptions& o) {
  const auto r = receivables(session, o.today, period_and_customers(o, "s", "s.day"));
  auto base = [&](std::int64_t v) { return money::format_amount(v, r.exponent); };
  const auto& names = aging_buckets();
  ReportTable customers;
  customers.name = "customers";
  customers.columns = {"name", "balance"};
  for (const auto& n : names) customers.columns.push_back(n);
  for (const auto* c : {"on_time", "late", "open"}) customers.columns.push_back(c);
  if (!r.warnings.empty()) customers.columns.push_back("unconverted");
  customers.chart_label = "name";
  customers.chart_value = "balance";
  customers.id_column = "contact";
  for (const auto& c : r.customers) {
    model::Record row = {{"contact", c.contact}, {"name", c.name}, {"balance", base(c.balance)}};
    for (std::size_t i = 0; i < names.size(); ++i) row[names[i]] = base(c.buckets[i]);
    row["on_time"] = c.on_time;
    row["late"] = c.late;
    row["open"] = c.open;
    // What could not be converted stays in its own currency, beside the total.
    std::string rest;
    for (const auto& [currency, minor] : c.unconverted)
      rest += fmt::format("{}{} {}", rest.empty() ? "" : ", ", money::format_amount(minor, *money::exponent(currency)),
                          currency);
    row["unconverted"] = rest;
    customers.rows.push_back(std::move(row));
  }
  if (!r.customers.empty()) {
    customers.total_row = {{"contact", ""}, {"name", "total"}, {"balance", base(r.total)}};
    for (std::size_t i = 0; i < names.size(); ++i) customers.total_row[names[i]] = base(r.totals[i]);
  }
  ReportTable sales;
  sales.name = "sales";
  sales.columns = {"sale", "name", "date", "due", "total", "paid", "balance", "currency", "days", "bucket"};
  sales.chart_label = "sale";
  sales.chart_value = "balance_base";
  sales.id_column = "sale";
  for (const auto& s : r.sales) {
    model::Record row = {{"sale", s.sale},
                         {"contact", s.contact},
                         {"name", s.name},
                         {"date", s.date},
                         {"due", s.due},
                         {"total", money::format_amount(s.total, s.exponent)},
                         {"paid", money::format_amount(s.paid, s.exponent)},
                         {"balance", money::format_amount(s.balance, s.exponent)},
                         {"currency", s.currency},
                         {"days", s.days_overdue},
                         {"bucket", names[s.bucket]}};
    row["balance_base"] = s.balance_base ? model::Record(base(*s.balance_base)) : model::Record(nullptr);
    sales.rows.push_back(std::move(row));
  }
  Report report;
  report.heading = fmt::format("receivables on {}, in {}", r.as_of, r.currency);
  report.facts = {{"as_of", r.as_of}, {"currency", r.currency}, {"total", base(r.total)}};
  model::Record aging = model::Record::object();
  for (std::size_t i = 0; i < names.size(); ++i) aging[names[i]] = base(r.totals[i]);
  report.facts["aging"] = aging;
  report.tables.push_back(std::move(customers));
  report.tables.push_back(std::move(sales));
  report.warnings = r.warnings;
  report.warning_note = "not in the totals";
  return report;
}

} // namespace crm::ops
