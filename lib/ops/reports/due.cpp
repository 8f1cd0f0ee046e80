#include "ops/reports/due.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "index/due_queries.hpp"
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
                                       const std::vector<std::string>& tags) {
  if (!own.empty()) return time::parse_period(own);
  if (auto it = config.cadence_by_stage.find(stage); !stage.empty() && it != config.cadence_by_stage.end())
    return time::parse_period(it->second);
  std::optional<time::Period> best;
  std::optional<Date> best_end;
  const Date ref{2000, 1, 1};
  for (const auto& t : tags) {
    auto it = config.cadence_by_tag.find(t);
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
  const auto& idx = session.index();
  const Date today = time::today_date();
  const std::string today_s = time::format_date(today);
  const Date horizon = time::add_days(today, std::max(0, options.upcoming_days));
  const std::string horizon_end = time::format_date(horizon) + "\xff";
  std::vector<DueItem> items;

  // Follow-ups: open ones due by the end of the horizon.
  for (auto& f : index::open_followups_before(idx, horizon_end)) {
    DueItem item;
    item.kind = "followup";
    item.id = std::move(f.id);
    item.due = f.due.substr(0, 10);
    if (f.due.size() > 10) item.time = f.due;
    item.contact = std::move(f.contact);
    item.name = std::move(f.name);
    item.summary = std::move(f.summary);
    const auto date = time::parse_date(item.due);
    item.days = date ? time::days_between(*date, today) : 0;
    item.group = item.due < today_s ? "overdue" : item.due == today_s ? "today" : "upcoming";
    items.push_back(std::move(item));
  }

  // Birthdays and anniversaries on a day from today to the horizon.
  for (const auto& c : index::contacts_with_yearly_dates(idx)) {
    for (const auto* date : {&c.birthday, &c.anniversary}) {
      if (!*date) continue;
      const std::string& value = **date;
      const auto next = next_yearly(value, today);
      if (!next || *next > horizon) continue;
      DueItem item;
      item.kind = date == &c.birthday ? "birthday" : "anniversary";
      item.id = c.id;
      item.contact = item.id;
      item.name = c.name;
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

  // Cadence: at least every N days since the last interaction or purchase (or
  // since the contact was added, when there was neither yet).
  {
    const auto& config = session.workspace().config();
    const bool defaults = !config.cadence_by_stage.empty() || !config.cadence_by_tag.empty();
    for (const auto& c : index::cadence_contacts(idx, !defaults)) {
      const std::string& own = c.cadence;
      if (own.empty() && !defaults) continue;
      const auto period = cadence_of(config, own, c.stage, c.tags);
      if (!period) continue;
      const std::string& contacted = c.last_contact;
      const std::string& purchased = c.last_purchase;
      const bool by_purchase = purchased > contacted;
      const std::string since = std::max(contacted, purchased).empty() ? c.created : std::max(contacted, purchased);
      const auto start = time::parse_date(since);
      if (!start) continue;
      const Date due = time::add_period(*start, *period);
      if (due > horizon) continue;
      DueItem item;
      item.kind = "cadence";
      item.id = c.id;
      item.contact = item.id;
      item.name = c.name;
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
