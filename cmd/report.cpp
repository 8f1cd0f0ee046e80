// `crm report NAME`: business questions answered from the records. Each report
// is worked out by libcrm (ops/); this file only lays the result out, alike for
// every report: a table with a heading per section, or one section's rows as
// csv/tsv/jsonl/ids (--table), or one JSON/YAML document with every section,
// or a chart of one section (--chart).

#include <algorithm>
#include <memory>

#include <fmt/format.h>

#include "commands.hpp"
#include "format/chart.hpp"
#include "format/output.hpp"
#include "ops/records/records.hpp"
#include "ops/reports/report.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/money.hpp"
#include "util/time.hpp"

namespace crm::cli {
namespace {

using format::Record;

// --- the reports built on ops/reports/report.hpp ---

struct ReportFlags {
  bool by = false, compare = false, limit = true, contact = false, learn = false;
  std::string by_help;
  bool by_names_table = false; // --by is another name for --table (pipeline, receivables)
};

struct ReportArgs {
  std::string name; // the report's, for messages
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

// The rows a table shows: its rows, then its row of totals.
std::vector<Record> shown_rows(const ops::ReportTable& t) {
  auto rows = t.rows;
  if (!t.total_row.is_null()) rows.push_back(t.total_row);
  return rows;
}

// The table whose ids --format ids prints: the one --table names, else the
// first that lists records. A report of groups (months, products...) has
// none, and saying so beats printing nothing.
const ops::ReportTable& ids_table(const ops::Report& r, const ReportArgs& a) {
  std::string with_ids;
  for (const auto& t : r.tables)
    if (!t.id_column.empty()) with_ids += (with_ids.empty() ? "" : ", ") + t.name;
  if (!a.table.empty()) {
    const auto& t = chosen_table(r, a.table);
    if (!t.id_column.empty()) return t;
    if (with_ids.empty())
      throw Error(ErrorKind::usage, fmt::format("report {} has no ids: its rows are groups, not records", a.name),
                  {"--format tsv prints its rows"});
    throw Error(ErrorKind::usage, fmt::format("table '{}' of report {} has no ids", t.name, a.name),
                {"ids come with --table " + with_ids});
  }
  for (const auto& t : r.tables)
    if (!t.id_column.empty()) return t;
  throw Error(ErrorKind::usage, fmt::format("report {} has no ids: its rows are groups, not records", a.name),
              {"--format tsv prints its rows"});
}

void print_report(Context& ctx, const ops::Report& r, const ReportArgs& a, bool chart) {
  if (!a.table.empty()) chosen_table(r, a.table); // a bad name fails before anything is printed
  // Tables on a terminal, tsv on a pipe, like every list.
  const auto o = ctx.output();
  if (!r.text.empty() && !chart && !ctx.format_given()) {
    ctx.out() << r.text;
  } else if (chart) {
    draw(ctx, r, a);
  } else if (o.format == format::Format::ids) {
    const auto& t = ids_table(r, a);
    for (const auto& row : t.rows)
      if (const auto id = format::cell_text(row.value(t.id_column, Record())); !id.empty()) ctx.out() << id << '\n';
  } else if (o.format == format::Format::table) {
    ctx.out() << r.heading << '\n';
    for (const auto& t : r.tables) {
      if (!a.table.empty() && t.name != a.table) continue;
      ctx.out() << '\n' << t.name << '\n';
      if (t.rows.empty()) ctx.out() << "  (none)\n";
      else format::write_records(ctx.out(), shown_rows(t), t.columns, o);
    }
  } else if (o.format == format::Format::json || o.format == format::Format::yaml) {
    Record doc = r.facts;
    // The open ends of the period are null, not their sentinel dates.
    if (doc.value("from", "") == "0000-01-01") doc["from"] = nullptr;
    if (doc.value("to", "") == "9999-12-31") doc["to"] = nullptr;
    for (const auto& t : r.tables) doc[t.name] = t.single_row && !t.rows.empty() ? Record(t.rows.front()) : Record(t.rows);
    doc["warnings"] = r.warnings;
    format::write_record(ctx.out(), doc, o);
  } else {
    const auto& t = chosen_table(r, a.table);
    format::write_records(ctx.out(), o.format == format::Format::jsonl ? t.rows : shown_rows(t), t.columns, o);
  }
  for (const auto& w : r.warnings) ctx.err() << "warning: " << w << " (" << r.warning_note << ")\n";
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
  if (!a.contact.empty()) o.contact = model::id_of(ops::find_contact(session, a.contact));
  return o;
}

void add_report(CLI::App& reports, Context& ctx, const std::string& name, const std::string& help, ReportFn fn,
                const ReportFlags& flags) {
  auto* cmd = reports.add_subcommand(name, help);
  auto a = std::make_shared<ReportArgs>();
  a->name = name;
  add_report_options(cmd, *a, flags);
  cmd->add_option("--table", a->table, "the table to print as csv/tsv/jsonl/ids or to chart")->type_name("NAME");
  auto* chart = cmd->add_option("--chart", a->chart, "draw it: in the terminal, or svg with -o FILE.svg")
                    ->expected(0, 1)
                    ->type_name("[svg]");
  cmd->add_option("-o,--output", a->output, "the file --chart svg writes")->type_name("FILE");
  cmd->callback([&ctx, fn, a, chart, by_names_table = flags.by_names_table] {
    auto& session = ctx.session();
    auto args = *a;
    if (by_names_table) args.by.clear();
    const auto r = fn(session, report_options(session, args));
    if (by_names_table && !a->by.empty()) {
      // The same check as --table's, in the words of --by.
      const bool known = std::any_of(r.tables.begin(), r.tables.end(), [&](const auto& t) { return t.name == a->by; });
      if (!known) {
        std::string names;
        for (const auto& t : r.tables) names += (names.empty() ? "" : ", ") + t.name;
        throw Error(ErrorKind::usage, fmt::format("bad --by '{}'", a->by), {"use one of: " + names});
      }
      if (args.table.empty()) args.table = a->by;
    }
    print_report(ctx, r, args, chart->count() > 0);
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
  add_report(*reports, ctx, "receivables", "what customers owe on credit: per customer and sale, aged",
             ops::receivables_report, {true, false, false, false, false, "the table: customers or sales", true});
  add_report(*reports, ctx, "pipeline", "open deals by stage and expected close, win rate, days per stage",
             ops::pipeline_report, {true, false, false, false, false, "the table: stages, months, closed or times", true});
}

} // namespace crm::cli
