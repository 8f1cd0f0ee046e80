#pragma once
// What the report tests share: a table as "a|b|c" lines, and a sale made the
// way `crm sale record` makes one.

#include <optional>
#include <string>
#include <vector>

#include "ops/records/session.hpp"
#include "ops/reports/report.hpp"
#include "ops/sales/sale.hpp"

namespace crm_test {

using Strings = std::vector<std::string>;

// Each row of `t` as its `columns` joined by '|' (text as is, numbers as JSON).
inline Strings lines(const crm::ops::ReportTable& t, const Strings& columns) {
  Strings out;
  for (const auto& row : t.rows) {
    std::string line;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      const auto& v = row.at(columns[i]);
      line += (i ? "|" : "") + (v.is_string() ? v.get<std::string>() : v.dump());
    }
    out.push_back(line);
  }
  return out;
}

// Records a sale of `items` ("PRODUCT x QTY @ PRICE") to `who` at `at`; its id.
inline std::string sale(crm::ops::Session& s, const std::string& who, const std::string& at,
                        Strings items = {"Mug @ 10"}, std::optional<std::string> campaign = std::nullopt,
                        std::optional<std::string> discount = std::nullopt) {
  crm::ops::SaleRequest r;
  r.ref = who;
  r.items = std::move(items);
  r.at = at;
  r.campaign = std::move(campaign);
  r.discount = std::move(discount);
  return crm::ops::record_sale(s, r).id;
}

} // namespace crm_test
