#include "ops/sales/campaign.hpp"

#include <algorithm>

#include "ops/records/records.hpp"
#include "util/text.hpp"
#include "util/time.hpp"

namespace crm::ops {

AudienceChange change_audience(Session& session, const std::string& campaign_ref, const std::vector<std::string>& refs,
                               bool remove) {
  session.lock_for_writing();
  const auto& type = model::campaign_type();
  AudienceChange change;
  change.campaign_id = model::id_of(find_record(session, type, campaign_ref));
  std::vector<std::string> ids;
  for (const auto& ref : refs) ids.push_back(model::id_of(find_contact(session, ref)));
  model::Record campaign = load_record(session, type, change.campaign_id);
  auto audience = campaign.contains("audience") ? campaign["audience"] : model::Record::array();
  for (const auto& id : ids) {
    auto it = std::find(audience.begin(), audience.end(), id);
    if (remove && it != audience.end()) {
      audience.erase(it);
      ++change.changed;
    } else if (!remove && it == audience.end()) {
      audience.push_back(id);
      ++change.changed;
    }
  }
  change.size = audience.size();
  if (change.changed == 0) return change;
  campaign["audience"] = audience;
  campaign["updated"] = time::format_timestamp(time::now());
  save_record(session, type, campaign);
  return change;
}

} // namespace crm::ops
