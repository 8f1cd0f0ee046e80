#include "model/amounts.hpp"

#include <fmt/format.h>

namespace crm::model {
namespace {

std::string text_of(const nlohmann::ordered_json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string ordinal(std::size_t n) {
  const char* suffix = (n % 100 >= 11 && n % 100 <= 13) ? "th"
                       : n % 10 == 1                     ? "st"
                       : n % 10 == 2                     ? "nd"
                       : n % 10 == 3                     ? "rd"
                                                         : "th";
  return fmt::format("{}{}", n, suffix);
}

std::string decimals_hint(int exponent) {
  return exponent == 0 ? "no decimals" : fmt::format("at most {} decimals", exponent);
}

// The amount stored under `key`, checked against the exponent.
std::optional<std::int64_t> checked_amount(const Record& record, const char* key, int exp, const std::string& where,
                                           const std::string& currency, std::vector<Problem>& problems,
                                           const std::string& problem_key) {
  const std::string text = text_of(record, key);
  auto v = money::parse_amount(text, exp);
  if (!v) {
    const auto comma = money::decimal_comma_hint(text);
    problems.push_back({problem_key, fmt::format("{}bad {} '{}' ({})", where, key, text,
                                                 comma ? *comma : fmt::format("{} for {}", decimals_hint(exp), currency))});
  }
  return v;
}

void check_total_matches(const Record& sale, const char* key, std::optional<std::int64_t> expected, int exp,
                         std::vector<Problem>& problems) {
  const auto stored = amount_of(sale, key);
  if (stored == expected) return;
  if (!stored && sale.contains(key)) {
    const auto currency = text_of(sale, "currency");
    problems.push_back({key, fmt::format("bad {} '{}' ({} for {})", key, text_of(sale, key), decimals_hint(exp), currency)});
    return;
  }
  if (!expected) {
    problems.push_back({key, fmt::format("{} is {} but not every item has a cost", key, text_of(sale, key))});
    return;
  }
  problems.push_back({key, fmt::format("{} is {} but the items come to {}", key,
                                       stored ? text_of(sale, key) : std::string("missing"),
                                       money::format_amount(*expected, exp))});
}

} // namespace

std::optional<int> currency_exponent(const Record& record) {
  const std::string code = text_of(record, "currency");
  return code.empty() ? std::nullopt : money::exponent(code);
}

std::optional<std::int64_t> amount_of(const Record& record, std::string_view key) {
  const auto exp = currency_exponent(record);
  auto it = record.find(std::string(key));
  if (!exp || it == record.end() || !it->is_string()) return std::nullopt;
  return money::parse_amount(it->get_ref<const std::string&>(), *exp);
}

void check_amounts(const RecordType& type, const Record& record, std::vector<Problem>& problems) {
  const auto exp = currency_exponent(record);
  for (const auto& f : type.fields) {
    if (f.kind != FieldKind::money || !record.contains(std::string(f.key))) continue;
    if (!exp) {
      problems.push_back({std::string(f.key), fmt::format("'{}' needs a currency", f.key)});
      return;
    }
    checked_amount(record, f.key.data(), *exp, "", text_of(record, "currency"), problems, std::string(f.key));
  }
}

void normalize_amounts(const RecordType& type, Record& record) {
  const auto exp = currency_exponent(record);
  if (!exp) return;
  for (const auto& f : type.fields)
    if (f.kind == FieldKind::money)
      if (auto v = amount_of(record, f.key)) record[std::string(f.key)] = money::format_amount(*v, *exp);
}

std::optional<std::int64_t> discount_on(std::string_view text, std::int64_t subtotal, int exp) {
  std::optional<std::int64_t> off;
  if (!text.empty() && text.back() == '%') {
    const auto pct = money::parse_decimal(text.substr(0, text.size() - 1));
    // More than 6 decimals of a percent say nothing a minor unit can hold.
    if (!pct || pct->units < 0 || pct->scale > 6) return std::nullopt;
    std::int64_t den = 100;
    for (int i = 0; i < pct->scale; ++i) den *= 10;
    off = money::scale_half_even(subtotal, pct->units, den);
  } else {
    const auto amount = money::parse_amount(text, exp);
    if (!amount || *amount < 0) return std::nullopt;
    off = subtotal < 0 ? -*amount : *amount;
  }
  if (!off || (subtotal >= 0 ? *off > subtotal : *off < subtotal)) return std::nullopt;
  return off;
}

std::optional<SaleTotals> work_out_totals(const Record& sale, std::vector<Problem>& problems) {
  const auto exp = currency_exponent(sale);
  if (!exp) {
    problems.push_back({"currency", "a sale needs a currency"});
    return std::nullopt;
  }
  const std::string currency = text_of(sale, "currency");
  auto items = sale.find("items");
  if (items == sale.end() || !items->is_array() || items->empty()) {
    problems.push_back({"items", "a sale needs at least one item"});
    return std::nullopt;
  }
  SaleTotals totals;
  bool every_cost = true;
  const std::size_t before = problems.size();
  for (std::size_t i = 0; i < items->size(); ++i) {
    const auto& item = (*items)[i];
    const std::string where = fmt::format("{} item: ", ordinal(i + 1));
    if (text_of(item, "product").empty()) problems.push_back({"items", where + "missing 'product'"});
    const auto qty = money::parse_decimal(text_of(item, "quantity"));
    if (!qty || qty->units == 0) {
      const auto comma = money::decimal_comma_hint(text_of(item, "quantity"));
      problems.push_back({"items", fmt::format("{}bad quantity '{}' ({})", where, text_of(item, "quantity"),
                                               comma ? *comma : "expected a number such as 2 or 2.5")});
      continue;
    }
    const auto price = checked_amount(item, "price", *exp, where, currency, problems, "items");
    const auto total = checked_amount(item, "total", *exp, where, currency, problems, "items");
    if (!price || !total) continue;
    const auto line = money::multiply(*price, *qty);
    if (!line) {
      problems.push_back({"items", where + "the amount is too large"});
      continue;
    }
    if (*line != *total) {
      problems.push_back({"items", fmt::format("{}total is {} but {} x {} is {}", where, text_of(item, "total"),
                                               text_of(item, "quantity"), text_of(item, "price"),
                                               money::format_amount(*line, *exp))});
      continue;
    }
    totals.subtotal += *line;
    if (item.contains("cost")) {
      const auto cost = checked_amount(item, "cost", *exp, where, currency, problems, "items");
      const auto line_cost = cost ? money::multiply(*cost, *qty) : std::nullopt;
      if (line_cost) totals.cost = totals.cost.value_or(0) + *line_cost;
    } else {
      every_cost = false;
    }
  }
  if (problems.size() != before) return std::nullopt;
  if (!every_cost) totals.cost.reset();
  else if (!totals.cost) totals.cost = 0;
  if (const std::string discount = text_of(sale, "discount"); !discount.empty()) {
    const auto off = discount_on(discount, totals.subtotal, *exp);
    if (!off) {
      problems.push_back({"discount", fmt::format("bad discount '{}' (expected a percentage such as 10% or an "
                                                  "amount up to the subtotal {})",
                                                  discount, money::format_amount(totals.subtotal, *exp))});
      return std::nullopt;
    }
    totals.discount = *off;
  }
  totals.total = totals.subtotal - totals.discount;
  return totals;
}

void fill_totals(Record& sale, const SaleTotals& t) {
  const int exp = currency_exponent(sale).value_or(2);
  sale["subtotal"] = money::format_amount(t.subtotal, exp);
  if (t.discount != 0 || sale.contains("discount")) sale["discount_amount"] = money::format_amount(t.discount, exp);
  sale["total"] = money::format_amount(t.total, exp);
  if (t.cost) {
    sale["cost"] = money::format_amount(*t.cost, exp);
    sale["margin"] = money::format_amount(t.total - *t.cost, exp);
  } else {
    sale.erase("cost");
    sale.erase("margin");
  }
}

void check_product(const Record& record, std::vector<Problem>& problems) {
  check_amounts(product_type(), record, problems);
  if (!problems.empty()) return;
  for (const char* key : {"price", "cost"})
    if (auto v = amount_of(record, key); v && *v < 0)
      problems.push_back({key, fmt::format("bad {} '{}' (a {} is not negative)", key, text_of(record, key), key)});
}

void check_sale(const Record& sale, std::vector<Problem>& problems) {
  const auto totals = work_out_totals(sale, problems);
  if (!totals) return;
  const int exp = *currency_exponent(sale);
  check_total_matches(sale, "subtotal", totals->subtotal, exp, problems);
  if (sale.contains("discount") || sale.contains("discount_amount"))
    check_total_matches(sale, "discount_amount", totals->discount, exp, problems);
  check_total_matches(sale, "total", totals->total, exp, problems);
  if (totals->cost || sale.contains("cost")) check_total_matches(sale, "cost", totals->cost, exp, problems);
  if (totals->cost || sale.contains("margin"))
    check_total_matches(sale, "margin",
                        totals->cost ? std::optional<std::int64_t>(totals->total - *totals->cost) : std::nullopt, exp,
                        problems);
  if (text_of(sale, "paid_by") == "credit" && text_of(sale, "due").empty())
    problems.push_back({"paid_by", "a sale on credit needs a 'due' date"});
}

void check_payment(const Record& record, std::vector<Problem>& problems) {
  check_amounts(payment_type(), record, problems);
  if (problems.empty())
    if (auto a = amount_of(record, "amount"); a && *a <= 0)
      problems.push_back({"amount", fmt::format("bad amount '{}' (a payment is more than 0)", text_of(record, "amount"))});
}

void check_deal(const Record& record, std::vector<Problem>& problems) {
  check_amounts(deal_type(), record, problems);
}

void check_campaign(const Record& record, std::vector<Problem>& problems) {
  check_amounts(campaign_type(), record, problems);
}

std::string item_line(const nlohmann::ordered_json& item) {
  std::string line = fmt::format("{} x {} @ {} = {}", text_of(item, "product"), text_of(item, "quantity"),
                                 text_of(item, "price"), text_of(item, "total"));
  if (item.contains("cost")) line += fmt::format(" (cost {})", text_of(item, "cost"));
  return line;
}

std::string move_line(const nlohmann::ordered_json& move) {
  const std::string from = text_of(move, "from");
  return fmt::format("{} {}{}", text_of(move, "at"), from.empty() ? "" : from + " -> ", text_of(move, "to"));
}

} // namespace crm::model
