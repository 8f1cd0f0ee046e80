// `crm report conversion`: leads that became customers, per period and per
// source, and purchases per interaction. A contact converts on the earlier of
// its first change to stage customer and its first sale; a new contact is
// counted in the period of its `created` date.

#include <map>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "ops/reports/report.hpp"

namespace crm::ops {

namespace {

// Each contact's created day, source and conversion day (empty: not yet).
constexpr const char* contacts_sql =
    "SELECT c.id, substr(json_extract(c.data, '$.created'), 1, 10), coalesce(c.source, '(none)'),"
    " (SELECT min(d) FROM (SELECT min(a.day) AS d FROM activities a WHERE a.contact = c.id AND a.kind = 'stage'"
    "   AND json_extract(a.data, '$.to') = 'customer'"
    "  UNION ALL SELECT min(s.day) FROM sales s WHERE s.contact = c.id AND s.status = 'completed'"
    "   AND +s.refund_of IS NULL))"
    " FROM contacts c WHERE ";

} // namespace

Report conversion_report(Session& session, const ReportOptions& o) {
  const std::string by = o.by.empty() ? "month" : o.by;
  check_period(by);
  const auto who = customers_clause(o, "c.id");
  struct Counts {
    std::int64_t new_contacts = 0, converted = 0, interactions = 0, sales = 0;
  };
  std::map<std::string, Counts> periods;
  struct Source {
    std::int64_t contacts = 0, converted = 0, days = 0;
  };
  std::map<std::string, Source> sources;
  // Period keys of days, worked out by SQLite like every other report.
  auto key_of = [&](const std::string& day) {
    std::string key;
    session.index().query({"SELECT " + period_sql(by, "d") + " FROM (SELECT ? AS d)", {day}},
                          [&](SQLite::Statement& st) { key = st.getColumn(0).getString(); });
    return key;
  };
  std::map<std::string, std::string> keys;
  auto key = [&](const std::string& day) -> const std::string& {
    auto it = keys.find(day);
    if (it == keys.end()) it = keys.emplace(day, key_of(day)).first;
    return it->second;
  };
  auto in_range = [&](const std::string& day) { return !day.empty() && day >= o.from && day <= o.to; };
  session.index().query({std::string(contacts_sql) + who.sql, who.binds}, [&](SQLite::Statement& st) {
    const std::string created = st.getColumn(1).isNull() ? "" : st.getColumn(1).getString();
    const std::string source = st.getColumn(2).getString();
    const std::string converted = st.getColumn(3).isNull() ? "" : st.getColumn(3).getString();
    if (in_range(created)) {
      ++periods[key(created)].new_contacts;
      auto& s = sources[source];
      ++s.contacts;
      if (!converted.empty()) {
        ++s.converted;
        if (const auto a = time::parse_date(created), b = time::parse_date(converted); a && b)
          s.days += std::max<std::int64_t>(0, time::days_between(*a, *b));
      }
    }
    if (in_range(converted)) ++periods[key(converted)].converted;
  });
  // Interactions and purchases per period.
  const auto a_who = customers_clause(o, "a.contact");
  index::SqlExpr ai{fmt::format("SELECT {} AS p, count(*) FROM activities a WHERE a.kind <> 'stage' AND a.day >= ?"
                                " AND a.day <= ? AND {} GROUP BY p",
                                period_sql(by, "a.day"), a_who.sql),
                    {o.from, o.to}};
  ai.binds.insert(ai.binds.end(), a_who.binds.begin(), a_who.binds.end());
  session.index().query(ai, [&](SQLite::Statement& st) {
    periods[st.getColumn(0).getString()].interactions = st.getColumn(1).getInt64();
  });
  index::SqlExpr si{fmt::format("SELECT {} AS p, count(*) FROM sales s WHERE +s.refund_of IS NULL AND ",
                                period_sql(by, "s.day")),
                    {}};
  si += counted_sales(o, "s");
  si.sql += " GROUP BY p";
  session.index().query(si, [&](SQLite::Statement& st) {
    periods[st.getColumn(0).getString()].sales = st.getColumn(1).getInt64();
  });
  ReportTable by_period;
  by_period.name = "periods";
  by_period.columns = {by, "new_contacts", "converted", "rate", "interactions", "sales", "sales_per_interaction"};
  by_period.chart_label = by;
  by_period.chart_value = "converted";
  by_period.over_time = true;
  // Every period between the first and the last, empty ones as 0.
  if (!periods.empty())
    for (const auto& key : periods_from_to(by, periods.begin()->first, periods.rbegin()->first)) periods[key];
  Counts all;
  for (const auto& [p, c] : periods) {
    all.new_contacts += c.new_contacts;
    all.converted += c.converted;
    all.interactions += c.interactions;
    all.sales += c.sales;
    by_period.rows.push_back(
        {{by, p},
         {"new_contacts", c.new_contacts},
         {"converted", c.converted},
         {"rate", percent(static_cast<double>(c.converted), static_cast<double>(c.new_contacts))},
         {"interactions", c.interactions},
         {"sales", c.sales},
         {"sales_per_interaction",
          c.interactions ? fmt::format("{:.2f}", static_cast<double>(c.sales) / static_cast<double>(c.interactions))
                         : std::string("-")}});
  }
  ReportTable by_source;
  by_source.name = "sources";
  by_source.columns = {"source", "contacts", "converted", "rate", "average_days"};
  by_source.chart_label = "source";
  by_source.chart_value = "converted";
  std::vector<std::pair<std::string, Source>> ordered(sources.begin(), sources.end());
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const auto& a, const auto& b) { return a.second.converted > b.second.converted; });
  for (const auto& [name, s] : ordered)
    by_source.rows.push_back(
        {{"source", name},
         {"contacts", s.contacts},
         {"converted", s.converted},
         {"rate", percent(static_cast<double>(s.converted), static_cast<double>(s.contacts))},
         {"average_days", s.converted ? fmt::format("{:.1f}", static_cast<double>(s.days) / static_cast<double>(s.converted))
                                      : std::string("-")}});
  Report r;
  r.heading = fmt::format("conversion by {}, {}: {} new contacts, {} became customers", by, period_text(o),
                          all.new_contacts, all.converted);
  r.facts = {{"from", o.from}, {"to", o.to}, {"by", by}, {"new_contacts", all.new_contacts},
             {"converted", all.converted}, {"interactions", all.interactions}, {"sales", all.sales}};
  r.tables.push_back(std::move(by_period));
  r.tables.push_back(std::move(by_source));
  return r;
}

} // namespace crm::ops
