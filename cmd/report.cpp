// `crm report NAME`: business questions answered from the records. Each report
// is worked out by libcrm (ops/); this file only lays the result out: a table
// with a heading per section, or the same rows as csv/tsv (one section, --by),
// or one JSON/YAML document with every section.

#include <algorithm>
#include <memory>

#include <fmt/format.h>

#include "commands.hpp"
#include "format/output.hpp"
#include "ops/pipeline.hpp"
#include "ops/receivables.hpp"
#include "util/error.hpp"
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

void set_receivables(CLI::App& reports, Context& ctx) {
  auto* cmd = reports.add_subcommand("receivables", "what customers owe on credit: per customer and sale, aged");
  auto by = std::make_shared<std::string>("customers");
  cmd->add_option("--by", *by, "for csv/tsv/jsonl: which rows (customers or sales)")->type_name("customers|sales");
  cmd->callback([&ctx, by] {
    const auto today = time::date_of(time::now());
    const auto r = ops::receivables(ctx.session(), today);
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
  cmd->callback([&ctx, by] {
    const auto r = ops::pipeline(ctx.session(), time::date_of(time::now()));
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
  auto* reports = app.add_subcommand("report", "reports: receivables, pipeline");
  require_one_subcommand(*reports, "crm report");
  set_receivables(*reports, ctx);
  set_pipeline(*reports, ctx);
}

} // namespace crm::cli
