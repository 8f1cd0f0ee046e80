#pragma once
// Money held by records: an amount field is a decimal string in the record's
// `currency` (DESIGN section 3), read here into integer minor units. Sales add
// their items and totals, which must agree to the last minor unit.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/record_type.hpp"
#include "util/money.hpp"

namespace crm::model {

// The exponent of the record's currency; nullopt when it has none or a bad one.
std::optional<int> currency_exponent(const Record& record);

// A money field in minor units of the record's currency; nullopt when absent or bad.
std::optional<std::int64_t> amount_of(const Record& record, std::string_view key);

// Every money field of `type` has at most the currency's decimals; money fields
// need a currency.
void check_amounts(const RecordType& type, const Record& record, std::vector<Problem>& problems);

// Writes every money field that is a good amount in the currency's own form
// ("40" -> "40.00" in EUR); bad ones are left for the checks to name.
void normalize_amounts(const RecordType& type, Record& record);

// A sale's sums, in minor units of its currency.
struct SaleTotals {
  std::int64_t subtotal = 0; // the items' totals
  std::int64_t discount = 0; // taken off the subtotal (same sign as it)
  std::int64_t total = 0;    // subtotal - discount
  std::optional<std::int64_t> cost; // the items' costs, when every item has one
};

// A discount as written ("10%", "12.5%" or an amount) on `subtotal`; its sign
// follows the subtotal's, so a refund's discount is negative too. nullopt when
// `text` is neither, or is more than the subtotal.
std::optional<std::int64_t> discount_on(std::string_view text, std::int64_t subtotal, int exponent);

// The totals the sale's items and discount come to. Problems name the item
// ("items: 2nd item: ...") and leave the result empty.
std::optional<SaleTotals> work_out_totals(const Record& sale, std::vector<Problem>& problems);

// Writes subtotal, discount_amount, total, cost and margin into `sale` from its
// items (the caller has checked them with work_out_totals).
void fill_totals(Record& sale, const SaleTotals& totals);

// Record checks (RecordType::check) of the money-holding types.
void check_product(const Record& record, std::vector<Problem>& problems);
void check_sale(const Record& record, std::vector<Problem>& problems);
void check_payment(const Record& record, std::vector<Problem>& problems);
void check_deal(const Record& record, std::vector<Problem>& problems);
void check_campaign(const Record& record, std::vector<Problem>& problems);

// Card lines: "Audit x 2.5 @ 40.00 = 100.00 (cost 10.00)"; "2026-11-02 lead -> proposal".
std::string item_line(const nlohmann::ordered_json& item);
std::string move_line(const nlohmann::ordered_json& move);

} // namespace crm::model
