#pragma once
// What the reports of `crm report NAME` share: their options (period, the
// customers a --where selects, grouping) and their result, a few titled tables
// whose rows the command prints as a table, csv, json... or draws (--chart).
// Amounts are in the base currency, converted by the index with rates.yaml
// (crm_base, index/computed.hpp); a sale without a rate is left out of the
// sums and named in the warnings. The rows come from the index's query
// functions (index/sales_queries.hpp, contact_queries.hpp, activity_queries.hpp).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "index/index.hpp"
#include "index/scope.hpp"
#include "model/record_type.hpp"
#include "ops/records/session.hpp"
#include "util/time.hpp"

namespace crm::ops {

struct ReportOptions {
  std::string from = "0000-01-01"; // first day counted (YYYY-MM-DD)
  std::string to = "9999-12-31";   // last day counted
  bool has_from = false, has_to = false;
  index::SqlExpr customers;        // a compiled --where on contacts; empty: everyone
  std::string by;                  // grouping, when the report has one (empty: its default)
  std::string compare;             // revenue: previous | year-ago
  std::optional<std::size_t> limit;
  std::string contact;             // cross-sell: one contact's id
  bool learn = false;              // leads --learn
  time::Date today;
};

struct ReportTable {
  std::string name;                 // what --by (csv/tsv/jsonl) and JSON call it
  std::vector<std::string> columns; // shown in this order
  std::vector<model::Record> rows;
  // What --chart draws: label and value columns; over_time for periods in order.
  std::string chart_label, chart_value;
  bool over_time = false;
  // The column holding the id each row is about (a contact, a sale...), which
  // --format ids prints; empty: the rows are groups, not records.
  std::string id_column;
  // A row of totals after the rows in a table, csv or tsv, not in JSON.
  model::Record total_row;
  // JSON and YAML give the table's one row as an object, not a list.
  bool single_row = false;
};

struct Report {
  std::string heading; // "revenue by month, in EUR, 2026-01-01 to 2026-06-30"
  model::Record facts = model::Record::object(); // as_of, currency, from, to, totals... (JSON/YAML)
  std::vector<ReportTable> tables;
  std::vector<std::string> warnings;  // missing rates...
  std::string warning_note = "left out of the sums"; // what became of what a warning names
  std::string text;                   // a report that is text (leads --learn: a YAML block)
};

// --- helpers for the report files ---

// The base currency and its minor-unit digits.
struct Base {
  std::string currency;
  int exponent = 2;
  std::string amount(std::int64_t minor) const; // "1234.50"
};
Base base_of(Session& session);

// What the index counts for a report: its period and the customers its --where
// selects (the queries of index/sales_queries.hpp, contact_queries.hpp...).
index::Scope scope_of(const ReportOptions& o);

// "from X to Y", "since X", "until Y" or "all time".
std::string period_text(const ReportOptions& o);

// "1 customer", "3 customers".
std::string count_of(std::size_t n, const std::string& noun);

// Percent with one decimal ("12.5%"), "-" when the whole is 0.
std::string percent(double part, double whole);

// The warnings the index gathered (missing rates), added to the report.
void add_rate_warnings(Session& session, Report& report);

// Periods: day, week (keyed by its Monday), month (2026-03), quarter
// (2026-Q1), year.
bool is_period(const std::string& by);
// The period `by` names, for the index's queries. Throws Error(usage) for any
// `by` but the periods above.
index::Period period_kind(const std::string& by);
// The key of the period before `key`, or of the same period a year before.
std::string earlier_period(const std::string& by, const std::string& key, bool year_ago);
// Throws usage unless `by` is a period.
void check_period(const std::string& by);
// The key of the period after `key`.
std::string next_period(const std::string& by, const std::string& key);
// The key of the period holding `day`, as the index keys it (index::period_sql).
std::string period_of(const std::string& by, const time::Date& day);
// Every key from `first` to `last` (keys of `by`), in order, so a series has
// its empty periods too and a chart's x axis is true time.
std::vector<std::string> periods_from_to(const std::string& by, const std::string& first, const std::string& last);

// Customers with two or more orders: their rhythm of buying.
struct Rhythm {
  std::string contact, name, first, last; // YYYY-MM-DD
  std::int64_t orders = 0;
  double interval = 0; // average days between orders
  std::int64_t days_since = 0; // from the last order to the report's day
};
// Over the sales up to o.to, as of `as_of`.
std::vector<Rhythm> rhythms(Session& session, const ReportOptions& o, const time::Date& as_of);
// churn.factor of config.yaml as a number.
double churn_factor(Session& session);
// Customers due to buy again by `horizon`, by their own rhythm (their last
// purchase plus their usual days between orders), with the day it falls on and
// the days from o.today to it, in that order; those past churn.factor times
// their rhythm are left to churn. `report reorder` and `crm due` list them.
struct ReorderDue {
  Rhythm rhythm;
  std::string next; // YYYY-MM-DD
  std::int64_t days = 0;
};
std::vector<ReorderDue> reorder_due(Session& session, const ReportOptions& o, const time::Date& horizon);

// Report functions, one file each (ops/report_<name>.cpp).
Report revenue_report(Session& session, const ReportOptions& o);
Report top_report(Session& session, const ReportOptions& o);
Report rfm_report(Session& session, const ReportOptions& o);
Report churn_report(Session& session, const ReportOptions& o);
Report reorder_report(Session& session, const ReportOptions& o);
Report lifecycle_report(Session& session, const ReportOptions& o);
Report conversion_report(Session& session, const ReportOptions& o);
Report leads_report(Session& session, const ReportOptions& o);
Report campaigns_report(Session& session, const ReportOptions& o);
Report feedback_report(Session& session, const ReportOptions& o);
Report cross_sell_report(Session& session, const ReportOptions& o);
Report receivables_report(Session& session, const ReportOptions& o);
Report pipeline_report(Session& session, const ReportOptions& o);

} // namespace crm::ops
