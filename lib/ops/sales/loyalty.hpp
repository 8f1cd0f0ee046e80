#pragma once
// Loyalty points: sales earn them (config loyalty.points_per_unit, stored on
// the sale), redemptions spend them (loyalty/YYYY/MM/<id>.yaml, negative).

#include <cstdint>
#include <string>

#include "ops/records/session.hpp"

namespace crm::ops {

// A contact's points now: earned by sales that are not void, plus loyalty records.
std::int64_t loyalty_balance(Session& session, const std::string& contact_id);

struct RedeemResult {
  std::string id;
  std::int64_t balance = 0; // after redeeming
};

// Error(conflict) when the workspace has no loyalty programme;
// Error(invalid_data) for points that are not a whole number more than 0, or
// more than the contact has.
RedeemResult redeem_points(Session& session, const std::string& ref, const std::string& points,
                           const std::string& reason);

} // namespace crm::ops
