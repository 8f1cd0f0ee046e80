#include "store/rates.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "store/record_file.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/time.hpp"

namespace crm::store {

Rates Rates::load(const Workspace& ws) {
  const auto path = ws.root() / "rates.yaml";
  std::error_code ec;
  if (!stdfs::exists(path, ec)) return parse("", "rates.yaml", ws.config().currency);
  return parse(read_yaml_text(path), "rates.yaml", ws.config().currency);
}

Rates Rates::parse(std::string_view text, std::string_view path, std::string base) {
  Rates rates;
  rates.base_ = std::move(base);
  check_yaml_text(text, path, "rates.yaml");
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    throw Error(ErrorKind::invalid_data, fmt::format("{}:{}: {}", path, e.mark.line + 1, e.msg));
  }
  if (!root.IsDefined() || root.IsNull()) return rates;
  auto fail = [&](const YAML::Node& at, const std::string& what) {
    throw Error(ErrorKind::invalid_data, fmt::format("{}:{}: {}", path, at.Mark().line + 1, what),
                {"write CURRENCY: {YYYY-MM-DD: RATE}, where RATE is one unit of CURRENCY in the base currency"});
  };
  if (!root.IsMap()) fail(root, "expected currency codes with their dated rates");
  for (const auto& kv : root) {
    const std::string code = kv.first.Scalar();
    if (!money::exponent(code)) fail(kv.first, fmt::format("unknown currency '{}'", code));
    if (!kv.second.IsMap()) fail(kv.second, fmt::format("expected dated rates under '{}'", code));
    auto& dated = rates.rates_[code];
    for (const auto& d : kv.second) {
      const std::string date = d.first.Scalar();
      if (!time::is_valid_date(date)) fail(d.first, fmt::format("bad date '{}' (expected YYYY-MM-DD)", date));
      const auto rate = d.second.IsScalar() ? money::parse_decimal(d.second.Scalar()) : std::nullopt;
      if (!rate || rate->units <= 0)
        fail(d.second, fmt::format("bad rate '{}' for {} on {} (expected a number such as 0.92)",
                                   d.second.IsScalar() ? d.second.Scalar() : "...", code, date));
      dated[date] = *rate;
    }
  }
  return rates;
}

std::optional<std::int64_t> Rates::to_base(std::int64_t minor, std::string_view currency,
                                           std::string_view date) const {
  const auto from = money::exponent(currency);
  const auto to = money::exponent(base_);
  if (!from || !to) return std::nullopt;
  if (currency == base_) return minor;
  auto it = rates_.find(currency);
  if (it == rates_.end()) return std::nullopt;
  // The last rate dated on or before the day.
  auto r = it->second.upper_bound(std::string(date.substr(0, 10)));
  if (r == it->second.begin()) return std::nullopt;
  --r;
  return money::convert(minor, *from, r->second, *to);
}

std::string missing_rate_message(std::string_view currency, std::string_view date) {
  return fmt::format("no {} rate on or before {} in rates.yaml", currency, date.substr(0, 10));
}

} // namespace crm::store
