#include "ops/reports/report.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "index/sales_queries.hpp"
#include "util/error.hpp"
#include "util/money.hpp"

namespace crm::ops {

std::string Base::amount(std::int64_t minor) const { return money::format_amount(minor, exponent); }

Base base_of(Session& session) {
  Base b;
  b.currency = session.workspace().config().currency;
  b.exponent = money::exponent(b.currency).value_or(2);
  return b;
}

index::Scope scope_of(const ReportOptions& o) {
  return {o.from, o.to, o.has_from, o.has_to, o.customers};
}

std::string period_text(const ReportOptions& o) {
  if (o.has_from && o.has_to) return fmt::format("{} to {}", o.from, o.to);
  if (o.has_from) return "since " + o.from;
  if (o.has_to) return "until " + o.to;
  return "all time";
}

std::string count_of(std::size_t n, const std::string& noun) {
  return fmt::format("{} {}{}", n, noun, n == 1 ? "" : "s");
}

std::string percent(double part, double whole) {
  if (whole == 0) return "-";
  return fmt::format("{:.1f}%", 100.0 * part / whole);
}

void add_rate_warnings(Session& session, Report& report) {
  for (auto& w : session.index().missing_rates()) report.warnings.push_back(std::move(w));
}

bool is_period(const std::string& by) {
  return by == "day" || by == "week" || by == "month" || by == "quarter" || by == "year";
}

void check_period(const std::string& by) {
  if (!is_period(by))
    throw Error(ErrorKind::usage, fmt::format("bad --by '{}'", by), {"use one of: day, week, month, quarter, year"});
}

index::Period period_kind(const std::string& by) {
  check_period(by);
  if (by == "day") return index::Period::day;
  if (by == "week") return index::Period::week;
  if (by == "month") return index::Period::month;
  if (by == "quarter") return index::Period::quarter;
  return index::Period::year;
}

std::string earlier_period(const std::string& by, const std::string& key, bool year_ago) {
  if (by == "year") return std::to_string(std::stoi(key) - 1);
  if (by == "quarter") {
    int year = std::stoi(key.substr(0, 4)), q = key.back() - '0';
    if (year_ago) --year;
    else if (--q == 0) {
      q = 4;
      --year;
    }
    return fmt::format("{}-Q{}", year, q);
  }
  if (by == "month") {
    const auto d = time::parse_date(key + "-01");
    return time::format_date(time::add_months(*d, year_ago ? -12 : -1)).substr(0, 7);
  }
  const auto d = time::parse_date(key);
  if (by == "week") return time::format_date(time::add_days(*d, year_ago ? -364 : -7));
  return time::format_date(year_ago ? time::add_months(*d, -12) : time::add_days(*d, -1));
}

std::string next_period(const std::string& by, const std::string& key) {
  if (by == "year") return std::to_string(std::stoi(key) + 1);
  if (by == "quarter") {
    int year = std::stoi(key.substr(0, 4)), q = key.back() - '0';
    if (++q == 5) {
      q = 1;
      ++year;
    }
    return fmt::format("{}-Q{}", year, q);
  }
  if (by == "month") return time::format_date(time::add_months(*time::parse_date(key + "-01"), 1)).substr(0, 7);
  return time::format_date(time::add_days(*time::parse_date(key), by == "week" ? 7 : 1));
}

std::string period_of(const std::string& by, const time::Date& day) {
  check_period(by);
  const auto text = time::format_date(day);
  if (by == "day") return text;
  if (by == "week") return time::format_date(time::add_days(day, -time::weekday(day)));
  if (by == "month") return text.substr(0, 7);
  if (by == "quarter") return fmt::format("{}-Q{}", text.substr(0, 4), (std::stoi(text.substr(5, 2)) + 2) / 3);
  return text.substr(0, 4);
}

namespace {

bool is_period_key(const std::string& by, const std::string& key) {
  auto digits = [&](std::size_t from, std::size_t n) {
    return key.size() >= from + n &&
           std::all_of(key.begin() + static_cast<std::ptrdiff_t>(from), key.begin() + static_cast<std::ptrdiff_t>(from + n),
                       [](char c) { return c >= '0' && c <= '9'; });
  };
  if (by == "year") return key.size() == 4 && digits(0, 4);
  if (by == "quarter") return key.size() == 7 && digits(0, 4) && key.substr(4, 2) == "-Q" && key[6] >= '1' && key[6] <= '4';
  if (by == "month") return key.size() == 7 && time::parse_date(key + "-01").has_value();
  return time::parse_date(key).has_value();
}

} // namespace

std::vector<std::string> periods_from_to(const std::string& by, const std::string& first, const std::string& last) {
  check_period(by);
  // A key that is no period (a sale without a day) cannot be counted from.
  if (!is_period_key(by, first) || !is_period_key(by, last))
    return first == last ? std::vector<std::string>{first} : std::vector<std::string>{first, last};
  std::vector<std::string> keys;
  for (auto key = first; key <= last; key = next_period(by, key)) keys.push_back(key);
  return keys;
}

std::vector<Rhythm> rhythms(Session& session, const ReportOptions& o, const time::Date& as_of) {
  auto so_far = scope_of(o);
  so_far.from = "0000-01-01"; // a rhythm counts every order up to o.to
  so_far.has_from = false;
  std::vector<Rhythm> out;
  for (auto& b : index::repeat_buyers(session.index(), so_far)) {
    Rhythm r{std::move(b.contact), std::move(b.name), std::move(b.first), std::move(b.last), b.orders};
    const auto first = time::parse_date(r.first), last = time::parse_date(r.last);
    if (!first || !last) continue;
    // Two orders on one day would make the rhythm 0 days: count at least one.
    r.interval = std::max(1.0, static_cast<double>(time::days_between(*first, *last)) / static_cast<double>(r.orders - 1));
    r.days_since = time::days_between(*last, as_of);
    out.push_back(std::move(r));
  }
  return out;
}

double churn_factor(Session& session) {
  const auto d = money::parse_decimal(session.workspace().config().churn_factor);
  double x = d ? static_cast<double>(d->units) : 2;
  for (int k = 0; d && k < d->scale; ++k) x /= 10;
  return x;
}

} // namespace crm::ops
