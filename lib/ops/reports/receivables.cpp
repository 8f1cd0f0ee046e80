// `crm report receivables`: what customers owe on credit, per customer (with
// the aging buckets and a row of totals) and per sale, as a report like the
// others, so it takes --table, --chart and every format.
#include "ops/reports/receivables.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "model/amounts.hpp"
#include "ops/reports/report.hpp"
#include "ops/sales/sale.hpp"
#include "store/rates.hpp"
#include "util/money.hpp"

namespace crm::ops {

const std::array<std::string, 5>& aging_buckets() {
  static const std::array<std::string, 5> names = {"current", "1-30", "31-60", "61-90", "90+"};
  return names;
}

namespace {

std::size_t bucket_of(long long days) {
  if (days <= 0) return 0;
  if (days <= 30) return 1;
  if (days <= 60) return 2;
  if (days <= 90) return 3;
  return 4;
}

} // namespace

ReceivablesReport receivables(Session& session, const time::Date& today, const index::Scope& sold) {
  ReceivablesReport report;
  report.as_of = time::format_date(today);
  const auto rates = store::Rates::load(session.workspace());
  report.currency = rates.base();
  report.exponent = money::exponent(report.currency).value_or(2);
  std::map<std::string, CustomerReceivable> by_contact;
  std::set<std::string> warned;
  for (const auto& [sale, b] : credit_sales(session, "", sold)) {
    const std::string contact = sale.value("contact", "");
    auto& customer = by_contact[contact];
    customer.contact = contact;
    const std::string due = sale.value("due", "");
    const auto due_date = time::parse_date(due);
    const long long days = due_date ? time::days_between(*due_date, today) : 0;
    if (b.balance == 0) {
      // Settled: on time when the last payment came by the due date.
      if (b.last_payment.empty() || b.last_payment <= due) ++customer.on_time;
      else ++customer.late;
      continue;
    }
    if (days > 0) ++customer.late;
    else ++customer.open;
    ReceivableSale row;
    row.sale = sale.value("id", "");
    row.contact = contact;
    row.date = sale.value("at", "").substr(0, 10);
    row.due = due;
    row.currency = b.currency;
    row.exponent = b.exponent;
    row.total = b.total + b.refunded;
    row.paid = b.paid;
    row.balance = b.balance;
    row.days_overdue = std::max(0LL, days);
    row.bucket = bucket_of(days);
    // A balance is converted at the rate of the sale's date, like its revenue.
    row.balance_base = rates.to_base(b.balance, b.currency, row.date);
    if (row.balance_base) {
      customer.balance += *row.balance_base;
      customer.buckets[row.bucket] += *row.balance_base;
      report.totals[row.bucket] += *row.balance_base;
      report.total += *row.balance_base;
    } else {
      customer.unconverted[b.currency] += b.balance;
      const std::string message = store::missing_rate_message(b.currency, row.date);
      if (warned.insert(message).second) report.warnings.push_back(message);
    }
    report.sales.push_back(std::move(row));
  }
  for (auto& [id, customer] : by_contact) {
    if (auto c = session.index().get(model::contact_type(), id)) customer.name = c->value("name", id);
    else customer.name = id;
    report.customers.push_back(customer);
  }
  for (auto& row : report.sales) row.name = by_contact[row.contact].name;
  std::stable_sort(report.sales.begin(), report.sales.end(), [](const auto& a, const auto& b) {
    return a.days_overdue != b.days_overdue ? a.days_overdue > b.days_overdue : a.due < b.due;
  });
  std::stable_sort(report.customers.begin(), report.customers.end(), [](const auto& a, const auto& b) {
    return a.balance != b.balance ? a.balance > b.balance : a.name < b.name;
  });
  return report;
}

Report receivables_report(Session& session, const ReportOptions& o) {
  const auto r = receivables(session, o.today, scope_of(o));
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
