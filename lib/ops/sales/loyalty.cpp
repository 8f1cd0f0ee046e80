#include "ops/sales/loyalty.hpp"

#include <fmt/format.h>

#include "index/computed.hpp"
#include "ops/records/records.hpp"
#include "util/error.hpp"
#include "util/text.hpp"
#include "util/time.hpp"

namespace crm::ops {

std::int64_t loyalty_balance(Session& session, const std::string& contact_id) {
  const auto values = session.index().computed_values(model::contact_type(), contact_id, session.lead_score());
  auto it = values.find("points");
  return it != values.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

RedeemResult redeem_points(Session& session, const std::string& ref, const std::string& points_text,
                           const std::string& reason) {
  if (session.workspace().config().loyalty_points_per_unit.empty())
    throw Error(ErrorKind::conflict, "this workspace has no loyalty programme",
                {"turn it on with loyalty: {points_per_unit: 1} in .crm/config.yaml"});
  const bool digits = !points_text.empty() && points_text.size() <= 9 &&
                      std::all_of(points_text.begin(), points_text.end(), [](char c) { return c >= '0' && c <= '9'; });
  const std::int64_t points = digits ? std::stoll(points_text) : 0;
  if (points <= 0)
    throw Error(ErrorKind::invalid_data, fmt::format("bad POINTS '{}'", points_text),
                {"expected a whole number more than 0"});
  session.lock_for_writing();
  const model::Record contact = find_contact(session, ref);
  const std::string contact_id = model::id_of(contact);
  const auto balance = loyalty_balance(session, contact_id);
  if (points > balance)
    throw Error(ErrorKind::invalid_data,
                fmt::format("'{}' has {} points; {} cannot be redeemed", contact.value("name", contact_id), balance, points));
  const auto at = time::now();
  model::Record rec = model::Record::object();
  rec["id"] = new_record_id(session, model::loyalty_type(),
                            fmt::format("{}-redeem-", time::format_timestamp(at).substr(0, 10)), contact.value("name", ""));
  rec["contact"] = contact_id;
  rec["at"] = time::format_timestamp(at);
  rec["points"] = -points;
  const std::string why = text::nfc(text::trim(reason));
  rec["reason"] = why.empty() ? std::string("redeemed") : why;
  rec["created"] = rec["at"];
  rec["updated"] = rec["at"];
  save_record(session, model::loyalty_type(), rec);
  return {model::id_of(rec), balance - points};
}

} // namespace crm::ops
