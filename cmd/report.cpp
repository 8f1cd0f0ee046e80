// `crm report NAME`: business questions answered from the records. Each report
// is worked out by libcrm (ops/); this file only lays the result out: a table
// with a heading per section, or the same rows as csv/tsv (one section, --by),
// or one JSON/YAML document with every section.

#include <algorithm>
#include <memory>

#include <fmt/format.h>

#include "commands.hpp"
#include "format/chart.hpp"
#include "format/output.hpp"
#include "ops/pipeline.hpp"
#include "ops/receivables.hpp"
#include "ops/records.hpp"
#include "ops/report.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/money.hpp"
#include "util/time.hpp"

namespace crm::cli {
namespace {

using format::Record;

struct Section {
  std::string title;
  std::vector<std::string> columns;
  std::vector<Record> rows;
};

// Tables by default, also on a pipe: a report is read by people first.
format::OutputOptions report_output(const Context& ctx) {
  if (ctx.format_given()) return ctx.output();
  auto o = ctx.output();
  o.format = format::Format::table;
  return o;
}

// Writes the sections: all of them as tables or one document, else the one
// `by` names as csv/tsv/jsonl rows.
void write_sections(Context& ctx, const std::string& heading, const std::vector<Section>& sections,
                    const Record& document, const std::string& by) {
  const auto o = report_output(ctx);
  const bool known = std::any_of(sections.begin(), sections.end(), [&](const Section& s) { return s.title == by; });
  if (!known) {
    std::string names;
    for (const auto& s : sections) names += (names.empty() ? "" : ", ") + s.title;
    throw Error(ErrorKind::usage, fmt::format("bad --by '{}'", by), {"use one of: " + names});
  }
  if (o.format == format::Format::table) {
    ctx.out() << heading << '\n';
    for (const auto& s : sections) {
      ctx.out() << '\n' << s.title << '\n';
      if (s.rows.empty()) ctx.out() << "  (none)\n";
      else format::write_records(ctx.out(), s.rows, s.columns, o);
    }
    return;
  }
  if (o.format == format::Format::json || o.format == format::Format::yaml) {
    format::write_record(ctx.out(), document, o);
    return;
  }
  for (const auto& s : sections)
    if (s.title == by) format::write_records(ctx.out(), s.rows, s.columns, o);
}

// --- the reports built on ops/report.hpp ---

struct ReportFlags {
  bool by = false, compare = false, limit = true, contact = false, learn = false;
  std::string by_help;
};

struct ReportArgs {
  std::string from, to, where, by, compare, chart, output, table, contact;
  std::optional<std::size_t> limit;
  bool learn = false;
};

// A date option: a WHEN (2026-01-01, -90d, today) as a day.
std::string day_arg(const std::string& text, const char* option) {
  return time::format_date(ops::parse_when_arg(text, option).date);
}

double chart_number(const Record& v) {
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    if (auto d = money::parse_decimal(s)) {
      double x = static_cast<double>(d->units);
      for (int k = 0; k < d->scale; ++k) x /= 10;
      return x;
    }
  }
  return 0;
}

const ops::ReportTable& chosen_table(const ops::Report& r, const std::string& name) {
  if (name.empty()) return r.tables.front();
  for (const auto& t : r.tables)
    if (t.name == name) return t;
  std::string names;
  for (const auto& t : r.tables) names += (names.empty() ? "" : ", ") + t.name;
  throw Error(ErrorKind::usage, fmt::format("bad --table '{}'", name), {"use one of: " + names});
}

void draw(Context& ctx, const ops::Report& r, const ReportArgs& a) {
  const ops::ReportTable* table = nullptr;
  if (!a.table.empty()) table = &chosen_table(r, a.table);
  else
    for (const auto& t : r.tables)
      if (!t.chart_value.empty()) {
        table = &t;
        break;
      }
  if (!table || table->chart_value.empty())
    throw Error(ErrorKind::usage, "nothing to chart in this report", {"--format shows its tables"});
  format::ChartSeries series;
  series.title = r.heading;
  series.value_label = table->chart_value;
  series.over_time = table->over_time;
  std::vector<std::string> texts;
  for (const auto& row : table->rows) {
    const auto label = row.value(table->chart_label, Record());
    series.labels.push_back(label.is_string() ? label.get<std::string>() : label.dump());
    const auto value = row.value(table->chart_value, Record());
    series.values.push_back(chart_number(value));
    texts.push_back(value.is_string() ? value.get<std::string>() : value.dump());
  }
  if (a.chart == "svg") {
    if (a.output.empty()) throw Error(ErrorKind::usage, "--chart svg needs -o FILE.svg");
    fs::write_file_atomic(a.output, format::svg_chart(series));
    if (!ctx.quiet) ctx.err() << "wrote " << a.output << '\n';
    return;
  }
  if (!a.chart.empty() && a.chart != "terminal")
    throw Error(ErrorKind::usage, fmt::format("bad --chart '{}'", a.chart), {"use --chart (terminal) or --chart svg"});
  const auto o = ctx.output();
  const std::size_t width = o.width ? o.width : 80;
  if (series.over_time) format::write_time_chart(ctx.out(), series, width, ctx.color_on_stdout(), texts);
  else format::write_bar_chart(ctx.out(), series, width, ctx.color_on_stdout(), texts);
}

void print_report(Context& ctx, const ops::Report& r, const ReportArgs& a, bool chart) {
  if (!a.table.empty()) chosen_table(r, a.table); // a bad name fails before anything is printed
  if (!r.text.empty() && !chart && report_output(ctx).format == format::Format::table) {
    ctx.out() << r.text;
  } else if (chart) {
    draw(ctx, r, a);
  } else {
    const auto o = report_output(ctx);
    if (o.format == format::Format::table) {
      ctx.out() << r.heading << '\n';
      for (const auto& t : r.tables) {
        if (!a.table.empty() && t.name != a.table) continue;
        ctx.out() << '\n' << t.name << '\n';
        if (t.rows.empty()) ctx.out() << "  (none)\n";
        else format::write_records(ctx.out(), t.rows, t.columns, o);
      }
    } else if (o.format == format::Format::json || o.format == format::Format::yaml) {
      Record doc = r.facts;
      // The open ends of the period are null, not their sentinel dates.
      if (doc.value("from", "") == "0000-01-01") doc["from"] = nullptr;
      if (doc.value("to", "") == "9999-12-31") doc["to"] = nullptr;
      for (const auto& t : r.tables) doc[t.name] = t.rows;
      doc["warnings"] = r.warnings;
      format::write_record(ctx.out(), doc, o);
    } else {
      const auto& t = chosen_table(r, a.table);
      format::write_records(ctx.out(), t.rows, t.columns, o);
    }
  }
  for (const auto& w : r.warnings) ctx.err() << "warning: " << w << " (left out of the sums)\n";
  ctx.warn_broken();
}

using ReportFn = ops::Report (*)(ops::Session&, const ops::ReportOptions&);

// The options every report takes (and those `flags` turns on).
void add_report_options(CLI::App* cmd, ReportArgs& a, const ReportFlags& flags) {
  cmd->add_option("--from", a.from, "first day counted (2026-01-01, -90d, ...)")->type_name("WHEN");
  cmd->add_option("--to", a.to, "last day counted")->type_name("WHEN");
  cmd->add_option("--where", a.where, "only the customers matching the filter (crm help filter)")->type_name("EXPR");
  if (flags.by) cmd->add_option("--by", a.by, flags.by_help)->type_name("GROUP");
  if (flags.compare)
    cmd->add_option("--compare", a.compare, "add the change against the previous period or a year before")
        ->type_name("previous|year-ago");
  if (flags.limit) cmd->add_option("--limit", a.limit, "at most N rows")->type_name("N")->check(count_validator());
  if (flags.contact)
    cmd->add_option("--contact", a.contact, "what customers like this one bought that they have not")->type_name("REF");
  if (flags.learn) cmd->add_flag("--learn", a.learn, "suggest lead_scoring rules from past leads");
}

ops::ReportOptions report_options(ops::Session& session, const ReportArgs& a) {
  ops::ReportOptions o;
  o.today = time::today_date();
  if (!a.from.empty()) {
    o.from = day_arg(a.from, "--from");
    o.has_from = true;
  }
  if (!a.to.empty()) {
    o.to = day_arg(a.to, "--to");
    o.has_to = true;
  }
  if (o.has_from && o.has_to && o.from > o.to)
    throw Error(ErrorKind::usage, fmt::format("--from {} is after --to {}", o.from, o.to));
  if (!a.where.empty()) o.customers = session.where(model::contact_type(), a.where);
  o.by = a.by;
  o.compare = a.compare;
  o.limit = a.limit;
  o.learn = a.learn;
  if (!a.contact.empty()) o.contact = ops::find_contact(session, a.contact)["id"].get<std::string>();
  return o;
}

// The records of `table` (alias) the period and the customers select.
index::SqlExpr period_and_customers(const ops::ReportOptions& o, const std::string& table, const std::string& day) {
  auto e = ops::customers_clause(o, table + ".contact");
  if (!o.has_from && !o.has_to) return e;
  e.sql = fmt::format("{} >= ? AND {} <= ? AND ", day, day) + e.sql;
  e.binds.insert(e.binds.begin(), {o.from, o.to});
  return e;
}

void add_report(CLI::App& reports, Context& ctx, const std::string& name, const std::string& help, ReportFn fn,
                const ReportFlags& flags) {
  auto* cmd = reports.add_subcommand(name, help);
  auto a = std::make_shared<ReportArgs>();
  add_report_options(cmd, *a, flags);
  cmd->add_option("--table", a->table, "the table to print as csv/tsv/jsonl or to chart")->type_name("NAME");
  auto* chart = cmd->add_option("--chart", a->chart, "draw it: in the terminal, or svg with -o FILE.svg")
                    ->expected(0, 1)
                    ->type_name("[svg]");
  cmd->add_option("-o,--output", a->output, "the file --chart svg writes")->type_name("FILE");
  cmd->callback([&ctx, fn, a, chart] {
    auto& session = ctx.session();
    print_report(ctx, fn(session, report_options(session, *a)), *a, chart->count() > 0);
  });
}

void set_receivables(CLI::App& reports, Context& ctx) {
  auto* cmd = reports.add_subcommand("receivables", "what customers owe on credit: per customer and sale, aged");
  auto by = std::make_shared<std::string>("customers");
  cmd->add_option("--by", *by, "for csv/tsv/jsonl: which rows (customers or sales)")->type_name("customers|sales");
  auto a = std::make_shared<ReportArgs>();
  add_report_options(cmd, *a, {false, false, false, false, false, ""});
  cmd->callback([&ctx, by, a] {
    const auto today = time::date_of(time::now());
    auto& session = ctx.session();
    const auto o = report_options(session, *a);
    const auto r = ops::receivables(session, today, period_and_customers(o, "s", "s.day"));
    auto base = [&](std::int64_t v) { return money::format_amount(v, r.exponent); };
    const auto& names = ops::aging_buckets();
    Section customers{"customers", {"name", "balance"}, {}};
    for (const auto& n : names) customers.columns.push_back(n);
    for (const auto* c : {"on_time", "late", "open"}) customers.columns.push_back(c);
    if (!r.warnings.empty()) customers.columns.push_back("unconverted");
    for (const auto& c : r.customers) {
      Record row = {{"contact", c.contact}, {"name", c.name}, {"balance", base(c.balance)}};
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
    Record doc_customers = customers.rows;
    if (!r.customers.empty()) {
      Record total = {{"contact", ""}, {"name", "total"}, {"balance", base(r.total)}};
      for (std::size_t i = 0; i < names.size(); ++i) total[names[i]] = base(r.totals[i]);
      customers.rows.push_back(total);
    }
    Section sales{"sales",
                  {"sale", "name", "date", "due", "total", "paid", "balance", "currency", "days", "bucket"},
                  {}};
    for (const auto& s : r.sales) {
      Record row = {{"sale", s.sale},
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
      row["balance_base"] = s.balance_base ? Record(base(*s.balance_base)) : Record(nullptr);
      sales.rows.push_back(std::move(row));
    }
    Record doc = {{"as_of", r.as_of}, {"currency", r.currency}, {"total", base(r.total)}};
    Record aging = Record::object();
    for (std::size_t i = 0; i < names.size(); ++i) aging[names[i]] = base(r.totals[i]);
    doc["aging"] = aging;
    doc["customers"] = doc_customers;
    doc["sales"] = sales.rows;
    doc["warnings"] = r.warnings;
    write_sections(ctx, fmt::format("receivables on {}, in {}", r.as_of, r.currency), {customers, sales}, doc, *by);
    for (const auto& w : r.warnings) ctx.err() << "warning: " << w << " (not in the totals)\n";
    ctx.warn_broken();
  });
}

void set_pipeline(CLI::App& reports, Context& ctx) {
  auto* cmd = reports.add_subcommand("pipeline", "open deals by stage and expected close, win rate, days per stage");
  auto by = std::make_shared<std::string>("stages");
  cmd->add_option("--by", *by, "for csv/tsv/jsonl: which rows (stages, months or times)")
      ->type_name("stages|months|times");
  auto a = std::make_shared<ReportArgs>();
  add_report_options(cmd, *a, {false, false, false, false, false, ""});
  cmd->callback([&ctx, by, a] {
    auto& session = ctx.session();
    const auto o = report_options(session, *a);
    // --from/--to select deals by their expected (or actual) close date.
    const auto r = ops::pipeline(session, time::date_of(time::now()),
                                 period_and_customers(o, "deals", "coalesce(deals.close, '')"));
    auto base = [&](std::int64_t v) { return money::format_amount(v, r.exponent); };
    Section stages{"stages", {"stage", "probability", "deals", "value", "weighted"}, {}};
    for (const auto& s : r.stages)
      stages.rows.push_back({{"stage", s.stage}, {"probability", s.probability}, {"deals", s.deals},
                             {"value", base(s.value)}, {"weighted", base(s.weighted)}});
    stages.rows.push_back({{"stage", "open"}, {"probability", ""}, {"deals", r.open.deals},
                           {"value", base(r.open.value)}, {"weighted", base(r.open.weighted)}});
    Section months{"months", {"month", "deals", "value", "weighted"}, {}};
    for (const auto& m : r.months)
      months.rows.push_back({{"month", m.month}, {"deals", m.deals}, {"value", base(m.value)}, {"weighted", base(m.weighted)}});
    Section times{"times", {"stage", "stays", "average_days"}, {}};
    for (const auto& t : r.stage_times)
      times.rows.push_back({{"stage", t.stage}, {"stays", t.stays},
                            {"average_days", fmt::format("{}.{}", t.tenths / 10, t.tenths % 10)}});
    const std::string win_rate = r.win_rate < 0 ? "-" : fmt::format("{}%", r.win_rate);
    Section closed{"closed", {"won", "lost", "win_rate", "won_value"}, {}};
    closed.rows.push_back({{"won", r.won}, {"lost", r.lost}, {"win_rate", win_rate}, {"won_value", base(r.won_value)}});
    Record doc = {{"as_of", r.as_of}, {"currency", r.currency}};
    doc["stages"] = stages.rows;
    doc["months"] = months.rows;
    doc["closed"] = closed.rows.front();
    doc["times"] = times.rows;
    doc["warnings"] = r.warnings;
    write_sections(ctx, fmt::format("pipeline on {}, in {}", r.as_of, r.currency), {stages, months, closed, times}, doc,
                   *by);
    for (const auto& w : r.warnings) ctx.err() << "warning: " << w << " (counted as 0)\n";
    ctx.warn_broken();
  });
}

} // namespace

void set_report_command(CLI::App& app, Context& ctx) {
  auto* reports = app.add_subcommand("report", "reports: revenue, top customers, rfm, churn, receivables and more");
  require_one_subcommand(*reports, "crm report");
  const std::string periods = "day, week, month, quarter or year";
  add_report(*reports, ctx, "revenue", "net revenue and orders by period, product, category, country, source or campaign",
             ops::revenue_report,
             {true, true, true, false, false,
              periods + ", or product, category, country, source, payment, campaign (default month)"});
  add_report(*reports, ctx, "top", "the most valuable customers, with their share of the total", ops::top_report,
             {true, false, true, false, false, "revenue, orders or margin (default revenue)"});
  add_report(*reports, ctx, "rfm", "recency, frequency and monetary scores (1-5) and priority class per customer",
             ops::rfm_report, {});
  add_report(*reports, ctx, "churn", "customers slipping away, churn rate per period, why customers were lost",
             ops::churn_report, {true, false, true, false, false, periods + " for the churn rate (default month)"});
  add_report(*reports, ctx, "reorder", "customers due to buy again, by their own purchase rhythm",
             ops::reorder_report, {});
  add_report(*reports, ctx, "lifecycle", "contacts per stage now, and how they moved between stages",
             ops::lifecycle_report, {});
  add_report(*reports, ctx, "conversion", "leads that became customers per period and source; sales per interaction",
             ops::conversion_report, {true, false, true, false, false, periods + " (default month)"});
  add_report(*reports, ctx, "leads", "open leads and prospects by lead score, with the rules that fired",
             ops::leads_report, {false, false, true, false, true, ""});
  add_report(*reports, ctx, "campaigns", "audience, responses, sales, revenue, cost and return per campaign",
             ops::campaigns_report, {});
  add_report(*reports, ctx, "feedback", "complaints and returns per product, ratings, NPS, resolution times",
             ops::feedback_report, {});
  add_report(*reports, ctx, "cross-sell", "products bought together; for one contact, what to offer next",
             ops::cross_sell_report, {false, false, true, true, false, ""});
  set_receivables(*reports, ctx);
  set_pipeline(*reports, ctx);
}

} // namespace crm::cli
