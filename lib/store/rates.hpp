#pragma once
// rates.yaml: exchange rates into the workspace's base currency, by date. A
// report converts a sale with the rate dated on or before the sale's day, and
// says so when there is none rather than guessing.
//
//   USD:                 # 1 USD in the base currency
//     2026-01-01: "0.92"
//     2026-07-01: "0.87"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "store/workspace.hpp"
#include "util/money.hpp"

namespace crm::store {

class Rates {
public:
  // Reads rates.yaml at the workspace root (none: no rates). Throws
  // Error(invalid_data) "rates.yaml:LINE: ..." for a bad code, date or rate.
  static Rates load(const Workspace& workspace);
  static Rates parse(std::string_view yaml_text, std::string_view path, std::string base);

  const std::string& base() const { return base_; }
  // `minor` units of `currency` in minor units of the base currency, with the
  // rate dated on or before `date` (YYYY-MM-DD); nullopt when there is none.
  std::optional<std::int64_t> to_base(std::int64_t minor, std::string_view currency, std::string_view date) const;

private:
  std::string base_;
  std::map<std::string, std::map<std::string, money::Decimal>, std::less<>> rates_; // code -> date -> rate
};

// "no USD rate on or before 2026-01-05 in rates.yaml": what reports say when a
// sale cannot be converted.
std::string missing_rate_message(std::string_view currency, std::string_view date);

} // namespace crm::store
