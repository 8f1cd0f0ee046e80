#pragma once
// `crm report receivables`: what customers owe on sales made on credit, per
// sale and per customer, aged by days past the due date, with each customer's
// record of paying on time. Balances are converted to the base currency with
// rates.yaml; a balance without a rate is listed, not guessed.

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "index/scope.hpp"
#include "ops/records/session.hpp"
#include "util/time.hpp"

namespace crm::ops {

// current (not yet due), 1-30, 31-60, 61-90 and 90+ days overdue.
const std::array<std::string, 5>& aging_buckets();

struct ReceivableSale {
  std::string sale, contact, name, date, due, currency;
  int exponent = 2;
  std::int64_t total = 0, paid = 0, balance = 0; // the sale's currency (total after refunds)
  std::optional<std::int64_t> balance_base;     // nullopt: no rate
  long long days_overdue = 0;                    // 0 when not yet due
  std::size_t bucket = 0;                        // index into aging_buckets()
};

struct CustomerReceivable {
  std::string contact, name;
  std::int64_t balance = 0; // base currency, the sales that could be converted
  std::array<std::int64_t, 5> buckets{};
  int on_time = 0; // credit sales paid in full by their due date
  int late = 0;    // paid after it, or still unpaid past it
  int open = 0;    // unpaid, not yet due
  std::map<std::string, std::int64_t> unconverted; // currency -> balance without a rate
};

struct ReceivablesReport {
  std::string as_of;    // YYYY-MM-DD
  std::string currency; // base
  int exponent = 2;
  std::vector<ReceivableSale> sales;         // with a balance, most overdue first
  std::vector<CustomerReceivable> customers; // with a balance or a history, largest balance first
  std::array<std::int64_t, 5> totals{};
  std::int64_t total = 0;
  std::vector<std::string> warnings; // missing rates
};

// The credit sales dated in `sold`'s period, of its customers (the default:
// every one).
ReceivablesReport receivables(Session& session, const time::Date& today, const index::Scope& sold = {});

} // namespace crm::ops
