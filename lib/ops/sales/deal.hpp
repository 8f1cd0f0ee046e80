#pragma once
// The deals pipeline (deals/<id>.yaml): open deals move through the stages
// configured in config.yaml (deals.stages) until they are won or lost. Every
// change of stage is kept in the deal's `moves` (at, from, to), for win rates and
// the days deals spend in each stage.

#include <optional>
#include <string>

#include "model/record_type.hpp"
#include "ops/records/session.hpp"

namespace crm::ops {

struct DealRequest {
  std::string ref; // the contact
  std::string title;
  std::optional<std::string> value, currency, stage, close, probability;
  std::optional<std::string> product; // what it sells: a product REF
};

// Returns the new deal's id. The stage defaults to the first configured one, the
// probability to the stage's.
std::string add_deal(Session& session, const DealRequest& request);

// Moves an open deal to another open stage (probability: the new stage's unless
// given). Error(invalid_data) for an unknown stage; won and lost go through
// win_deal and lose_deal.
model::Record move_deal(Session& session, const std::string& ref, const std::string& stage,
                        const std::optional<std::string>& probability);

struct WonDeal {
  model::Record deal;
  std::optional<std::string> sale_id; // with --record-sale
};

// Marks the deal won (probability 100, close today); with `record_sale`, also a
// sale of one item at VALUE in the deal's currency, linked both ways: the deal's
// product when it names one (with the product's cost), else "TITLE".
WonDeal win_deal(Session& session, const std::string& ref, bool record_sale, const std::optional<std::string>& paid_by);

model::Record lose_deal(Session& session, const std::string& ref, const std::string& reason);

} // namespace crm::ops
