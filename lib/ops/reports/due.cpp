#include "ops/reports/due.hpp"

#include <algorithm>
#include <map>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "index/computed.hpp"
#include "model/record_type.hpp"
#include "ops/reports/report.hpp"
#include "ops/sales/sale.hpp"
#include "util/money.hpp"
#include "util/text.hpp"
#include "util/time.hpp"

namespace crm::ops {
namespace {

using time::Date;

// The next occurrence of a yearly date (birthday "YYYY-MM-DD" or "--MM-DD") on or
// after `from`; Feb 29 falls on Feb 28 in other years.
std::optional<Date> next_yearly(const std::string& value, const Date& from) {
  if (value.size() < 5) return std::nullopt;
  const std::string md = value.substr(value.size() - 5);
  const int month = std::atoi(md.substr(0, 2).c_str()), day = std::atoi(md.substr(3, 2).c_str());
  if (month < 1 || month > 12 || day < 1) return std::nullopt;
  for (int year = from.year; year <= from.year + 1; ++year) {
    Date d{year, month, day};
    if (!time::parse_date(time::format_date(d))) d.day = 28; // Feb 29 in a common year
    if (d >= from) return d;
  }
  return std::nullopt;
}

std::optional<int> birth_year(const std::string& value) {
  if (value.size() == 10 && value[4] == '-') return std::atoi(value.substr(0, 4).c_str());
  return std::nullopt;
}

// The cadence that applies to a contact: its own, else its stage's, else the
// shortest of its tags' (config.yaml cadence:).
std::optional<time::Period> cadence_of(const store::Config& config, const std::string& own, const std::string& stage,
                                       const nlohmann::json& tags) {
  if (!own.empty()) return time::parse_period(own);
  if (auto it = config.cadence_by_stage.find(stage); !stage.empty() && it != config.cadence_by_stage.end())
    return time::parse_period(it->second);
  std::optional<time::Period> best;
  std::optional<Date> best_end;
  const Date ref{2000, 1, 1};
  if (tags.is_array())
    for (const auto& t : tags) {
      if (!t.is_string()) continue;
      auto it = config.cadence_by_tag.find(t.get<std::string>());
      if (it == config.cadence_by_tag.end()) continue;
      auto p = time::parse_period(it->second);
      if (!p) continue;
      const Date end = time::add_period(ref, *p);
      if (!best_end || end < *best_end) {
        best = p;
        best_end = end;
      }
    }
  return best;
}

} // namespace

const std::vector<std::string>& due_groups() {
  static const std::vector<std::string> groups = {"overdue",   "today",   "credit",  "reorder",
                                                  "birthdays", "cadence", "upcoming"};
  return groups;
}

std::vector<DueItem> due_items(Session& session, const DueOptions& options) {
  auto& db = session.index().db();
  const Date today = time::today_date();
  const std::string today_s = time::format_date(today);
  const Date horizon = time::add_days(today, std::max(0, options.upcoming_days));
  const std::string horizon_end = time::format_date(horizon) + "\xff";
  std::vector<DueItem> items;

  // Follow-ups: open ones due by the end of the horizon.
  {
    SQLite::Statement st(db, "SELECT f.id, f.due, f.contact, c.name, json_extract(f.data, '$.summary')"
                             " FROM followups f LEFT JOIN contacts c ON c.id = f.contact"
                             " WHERE f.status = 'open' AND f.due < ? ORDER BY f.due, c.sort_key, f.id");
    st.bind(1, horizon_end);
    while (st.executeStep()) {
      DueItem item;
      item.kind = "followup";
      item.id = st.getColumn(0).getString();
      const std::string due = st.getColumn(1).getString();
      item.due = due.substr(0, 10);
      if (due.size() > 10) item.time = due;
      item.contact = st.getColumn(2).getString();
      item.name = st.getColumn(3).getString();
      item.summary = st.getColumn(4).getString();
      const auto date = time::parse_date(item.due);
      item.days = date ? time::days_between(*date, today) : 0;
      item.group = item.due < today_s ? "overdue" : item.due == today_s ? "today" : "upcoming";
      items.push_back(std::move(item));
    }
  }

  // Birthdays and anniversaries on a day from today to the horizon.
  {
    SQLite::Statement st(db, "SELECT id, name, json_extract(data, '$.birthday'), json_extract(data, '$.anniversary')"
                             " FROM contacts WHERE json_extract(data, '$.birthday') IS NOT NULL"
                             " OR json_extract(data, '$.anniversary') IS NOT NULL ORDER BY sort_key, id");
    while (st.executeStep()) {
      for (int col = 2; col <= 3; ++col) {
        if (st.getColumn(col).isNull()) continue;
        const std::string value = st.getColumn(col).getString();
        const auto next = next_yearly(value, today);
        if (!next || *next > horizon) continue;
        DueItem item;
        item.kind = col == 2 ? "birthday" : "anniversary";
        item.id = st.getColumn(0).getString();
        item.contact = item.id;
        item.name = st.getColumn(1).getString();
        item.due = time::format_date(*next);
        item.days = -time::days_between(today, *next);
        item.group = *next == today ? "birthdays" : "upcoming";
        if (auto year = birth_year(value))
          item.summary = fmt::format("{} ({} years)", item.kind, next->year - *year);
        else
          item.summary = item.kind;
        items.push_back(std::move(item));
      }
    }
  }

  // Cadence: at least every N days since the last interaction or purchase (or
  // since the contact was added, when there was neither yet).
  {
    const auto& config = session.workspace().config();
    const auto& type = model::contact_type();
    const bool defaults = !config.cadence_by_stage.empty() || !config.cadence_by_tag.empty();
    const std::string last = index::computed_sql(type, *index::find_computed(type, "last_contact"));
    const std::string bought = index::computed_sql(type, *index::find_computed(type, "last_purchase"));
    SQLite::Statement st(db, fmt::format("SELECT id, name, json_extract(data, '$.cadence'), stage,"
                                         " json_extract(data, '$.tags'), substr(json_extract(data, '$.created'), 1, 10),"
                                         " {}, {} FROM contacts {} ORDER BY sort_key, id",
                                         last, bought,
                                         defaults ? "" : "WHERE json_extract(data, '$.cadence') IS NOT NULL"));
    while (st.executeStep()) {
      const std::string own = st.getColumn(2).isNull() ? "" : st.getColumn(2).getString();
      if (own.empty() && !defaults) continue;
      const std::string stage = st.getColumn(3).isNull() ? "" : st.getColumn(3).getString();
      const auto tags = st.getColumn(4).isNull() ? nlohmann::json() : nlohmann::json::parse(st.getColumn(4).getString());
      const auto period = cadence_of(config, own, stage, tags);
      if (!period) continue;
      const std::string contacted = st.getColumn(6).isNull() ? "" : st.getColumn(6).getString();
      const std::string purchased = st.getColumn(7).isNull() ? "" : st.getColumn(7).getString();
      const bool by_purchase = purchased > contacted;
      const std::string since = std::max(contacted, purchased).empty() ? st.getColumn(5).getString()
                                                                       : std::max(contacted, purchased);
      const auto start = time::parse_date(since);
      if (!start) continue;
      const Date due = time::add_period(*start, *period);
      if (due > horizon) continue;
      DueItem item;
      item.kind = "cadence";
      item.id = st.getColumn(0).getString();
      item.contact = item.id;
      item.name = st.getColumn(1).getString();
      item.due = time::format_date(due);
      item.days = time::days_between(due, today);
      item.group = due <= today ? "cadence" : "upcoming";
      item.summary = contacted.empty() && purchased.empty()
                         ? fmt::format("every {}, no contact yet", time::format_period(*period))
                         : fmt::format("every {}, last {} {}", time::format_period(*period),
                                       by_purchase ? "purchase" : "contact", since);
      items.push_back(std::move(item));
    }
  }

  // Customers due to buy again by their own rhythm (report reorder): due by
  // today (reorder) or in the horizon (upcoming).
  {
    ReportOptions o;
    o.today = today;
    for (const auto& due : reorder_due(session, o, horizon)) {
      DueItem item;
      item.kind = "reorder";
      item.id = due.rhythm.contact;
      item.contact = due.rhythm.contact;
      item.name = due.rhythm.name;
      item.due = due.next;
      item.days = -due.days;
      item.group = due.next <= today_s ? "reorder" : "upcoming";
      item.summary = fmt::format("buys every {:.0f} days, last {}", due.rhythm.interval, due.rhythm.last);
      items.push_back(std::move(item));
    }
  }

  // Sales on credit with something left to pay: due by today (credit) or in
  // the horizon (upcoming).
  {
    for (const auto& [sale, b] : credit_sales(session, horizon_end)) {
      if (b.balance <= 0) continue;
      DueItem item;
      item.kind = "payment";
      item.id = sale.value("id", "");
      item.due = sale.value("due", "");
      item.contact = sale.value("contact", "");
      if (auto c = session.index().get(model::contact_type(), item.contact)) item.name = c->value("name", "");
      const auto date = time::parse_date(item.due);
      item.days = date ? time::days_between(*date, today) : 0;
      item.group = item.due <= today_s ? "credit" : "upcoming";
      const std::string owed = money::format_amount(b.balance, b.exponent) + " " + b.currency;
      item.summary = item.days > 0   ? fmt::format("owes {}, {} day{} late", owed, item.days, item.days == 1 ? "" : "s")
                     : item.days == 0 ? fmt::format("owes {}, due today", owed)
                                      : fmt::format("owes {}", owed);
      items.push_back(std::move(item));
    }
  }

  const auto& groups = due_groups();
  auto rank = [&](const std::string& g) { return std::find(groups.begin(), groups.end(), g) - groups.begin(); };
  std::stable_sort(items.begin(), items.end(), [&](const DueItem& a, const DueItem& b) {
    if (rank(a.group) != rank(b.group)) return rank(a.group) < rank(b.group);
    if (a.due != b.due) return a.due < b.due;
    return text::match_key(a.name) < text::match_key(b.name);
  });
  return items;
}

} // namespace crm::ops
