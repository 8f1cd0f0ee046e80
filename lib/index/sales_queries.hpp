#pragma once
// What the index answers about sales, for the reports, `crm due` and `crm
// sale`: each query's rows, typed. Amounts are minor units of the base
// currency (converted with rates.yaml by crm_base, computed.hpp) unless said
// otherwise; orders count sales, never refunds.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "index/index.hpp"
#include "index/scope.hpp"
#include "model/record_type.hpp"

namespace crm::index {

// A customer's sales in the scope (report top).
struct CustomerSales {
  std::string contact, name;
  std::int64_t orders = 0, revenue = 0;
  std::optional<std::int64_t> margin; // of the items with a cost; none when no item had one
  std::int64_t without_cost = 0;      // revenue of the items with no cost
};
std::vector<CustomerSales> customer_sales(const Index& index, const Scope& scope);

// What revenue is grouped by: a period of the sale's day, the item's product
// or category, the customer's country or source, the sale's payment method or
// campaign (by name when the sale holds a campaign's id).
enum class RevenueKey { period, product, category, country, source, payment, campaign };
struct RevenueGroup {
  std::optional<std::string> key; // none: the sale (or item) has nothing there
  std::int64_t orders = 0, revenue = 0;
  // By product or category only: the margin of the items with a cost (none
  // when no item had one) and the revenue of those without one.
  std::optional<std::int64_t> margin;
  std::int64_t without_cost = 0;
};
// By product or category an item carries its share of the sale's discount.
std::vector<RevenueGroup> revenue_groups(const Index& index, const Scope& scope, RevenueKey key,
                                         Period period = Period::month);

// The RFM scores and class of the customers with sales in the period (ranked
// among them all), for those the scope's customers select, highest total
// first. `a` and `b`: the lowest totals of classes A and B.
struct RfmScore {
  std::string contact, name, last; // last: the day of the last order
  std::int64_t orders = 0, revenue = 0, r = 0, f = 0, m = 0, total = 0;
  std::string cls; // the class: A, B or C
};
std::vector<RfmScore> rfm_scores(const Index& index, const Scope& scope, std::int64_t a, std::int64_t b);

// Customers with two or more orders in the scope: the days of their first and
// last.
struct RepeatBuyer {
  std::string contact, name, first, last;
  std::int64_t orders = 0;
};
std::vector<RepeatBuyer> repeat_buyers(const Index& index, const Scope& scope);

// Who ordered in each period, periods in order.
struct PeriodBuyer {
  std::string period, contact;
};
std::vector<PeriodBuyer> buyers_per_period(const Index& index, const Scope& scope, Period period);
// Orders per period.
std::vector<PeriodCount> orders_per_period(const Index& index, const Scope& scope, Period period);

// The products (by name) each customer ordered, each pair once.
struct CustomerProduct {
  std::string contact, product;
};
std::vector<CustomerProduct> products_bought(const Index& index, const Scope& scope);
// Orders per product (by name).
struct ProductOrders {
  std::string product;
  std::int64_t orders = 0;
};
std::vector<ProductOrders> orders_per_product(const Index& index, const Scope& scope);

// Per campaign (newest start first): its audience, the contacts who responded
// (inbound activities naming it) and its orders and revenue in the scope, and
// its cost. A campaign's cost is in its own currency (else `currency`, the
// base) and converted at its start (else `today`).
struct CampaignResult {
  std::string id, name, channel, start; // channel, start: empty when not set
  std::int64_t audience = 0, responses = 0, orders = 0, revenue = 0;
  std::optional<std::int64_t> cost; // none: no cost, or no rate for it
};
std::vector<CampaignResult> campaign_results(const Index& index, const Scope& scope, const std::string& currency,
                                             const std::string& today);

// Does `contact` have a completed order other than `sale_id`?
bool has_other_order(const Index& index, const std::string& contact, const std::string& sale_id);

// Sales on credit still counted (completed, not refunds), due before
// `due_before` (YYYY-MM-DD; empty: any), dated in the scope, of its customers,
// in due-date order. Refunds and payments are in the sale's own currency.
struct CreditSaleRow {
  model::Record sale;
  std::int64_t refunded = 0; // the refunds not void (negative)
  std::int64_t paid = 0;
  std::string last_payment;  // YYYY-MM-DD; empty: none
};
std::vector<CreditSaleRow> sales_on_credit(const Index& index, const std::string& due_before, const Scope& scope);

// The deals whose expected (or actual) close date the scope's period holds, of
// its customers, by id.
std::vector<model::Record> deals_closing(const Index& index, const Scope& scope);

} // namespace crm::index
