#pragma once
// Payments against sales on credit (payments/YYYY/MM/<id>.yaml): partial or
// full, never more than what is left to pay.

#include <optional>
#include <string>

#include "ops/records/session.hpp"
#include "ops/sales/sale.hpp"

namespace crm::ops {

struct PaymentRequest {
  std::string sale;   // the sale: id or id prefix
  std::string amount; // in the sale's currency
  std::optional<std::string> at, method, note;
};

struct PaymentResult {
  std::string id;
  SaleBalance after; // the sale once this payment is counted
};

// Error(conflict) for a void sale or one not on credit (paid when it was
// recorded); Error(invalid_data) for a bad amount or one over the balance.
PaymentResult record_payment(Session& session, const PaymentRequest& request);

} // namespace crm::ops
