#pragma once
// Sales (sales/YYYY/MM/<id>.yaml): line items in exact money, discounts,
// credit terms, voids, and refunds (negative sales linked to the original and
// to a return feedback record).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "index/scope.hpp"
#include "model/record_type.hpp"
#include "ops/records/records.hpp"
#include "ops/records/session.hpp"

namespace crm::ops {

// One --item as written: "PRODUCT [x QTY] [@ PRICE] [cost COST]".
struct ItemSpec {
  std::string product;
  std::string quantity = "1";
  std::optional<std::string> price, cost;
};

// Throws Error(invalid_data) naming the item for a missing product name or a bad
// or non-positive quantity ("-2", "0", "two").
ItemSpec parse_item(std::string_view text);

struct SaleRequest {
  std::string ref; // the customer
  std::vector<std::string> items;
  std::optional<std::string> currency, at, paid_by, terms, discount, campaign, note;
  std::map<std::string, std::string> custom; // custom fields (import keeps its row key here)
  bool check_only = false;                   // check everything, write nothing (import --dry-run)
  WriteLog* log = nullptr;                   // told of each file before it is written (an import's journal)
};

struct SaleResult {
  std::string id;
  std::string warning; // e.g. why it earned no loyalty points
  // The stage activity of a contact's first completed sale (config
  // sales.first_sale_stage), when it moved the contact.
  std::optional<std::string> stage_activity;
};

// Checks everything (currency, items against products, discount, terms), then
// writes the sale; the contact's first completed sale also moves it to the
// stage of config sales.first_sale_stage (customer).
SaleResult record_sale(Session& session, const SaleRequest& request);

// Marks a sale void (kept, not counted). Error(conflict) when it is void
// already, or has payments or refunds (refund it instead).
model::Record void_sale(Session& session, const std::string& ref, const std::string& reason);

struct RefundRequest {
  std::string sale;
  std::vector<std::string> items; // "PRODUCT x QTY" of the original; none = all of it
  std::optional<std::string> feedback, at, reason;
};

struct RefundResult {
  std::string refund_id;
  std::string feedback_id;
  bool feedback_added = false;
};

// A negative sale for the items given (at the original's prices), linked to the
// original and to a feedback record (the one given, else a new "return").
// Error(invalid_data) when it would refund more than is left.
RefundResult refund_sale(Session& session, const RefundRequest& request);

// What is owed on a sale, in minor units of its currency.
struct SaleBalance {
  std::string currency;
  int exponent = 2;
  std::int64_t total = 0;
  std::int64_t refunded = 0; // refunds' totals (0 or negative)
  std::int64_t paid = 0;     // payments (sales on credit)
  std::int64_t balance = 0;  // still to pay: 0 unless on credit
  std::string last_payment;  // YYYY-MM-DD of the last payment, if any
};
SaleBalance sale_balance(Session& session, const model::Record& sale);

// Every sale on credit still counted (not void, not a refund) due before
// `due_before` (YYYY-MM-DD; empty: any), with its balance, in due-date order:
// one query, however many sales there are.
struct CreditSale {
  model::Record sale;
  SaleBalance balance;
};
// `sold` narrows them to the sales dated in its period, of its customers (the
// default: every one).
std::vector<CreditSale> credit_sales(Session& session, const std::string& due_before = "",
                                     const index::Scope& sold = {});

// Adds paid, refunded and balance (as amounts) to a shown sale's computed values.
void add_sale_balance(Session& session, ShownRecord& shown);

// The loyalty points a sale earns (config loyalty.points_per_unit, in the base
// currency at the sale date's rate); nullopt when the programme is off or the
// rate is missing (then `warning` says why).
std::optional<std::int64_t> sale_points(Session& session, const model::Record& sale, std::string* warning);

} // namespace crm::ops
