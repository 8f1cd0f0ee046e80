#pragma once
// Campaigns (campaigns/<id>.yaml) and their audience: the contacts a campaign
// is aimed at. Sales and activities name the campaign they came from.

#include <cstddef>
#include <string>
#include <vector>

#include "ops/records/session.hpp"

namespace crm::ops {

struct AudienceChange {
  std::string campaign_id;
  std::size_t changed = 0; // contacts added (or removed)
  std::size_t size = 0;    // the audience afterwards
};

// Adds the contacts REFs name to the campaign's audience (or removes them);
// every REF is resolved before anything is written.
AudienceChange change_audience(Session& session, const std::string& campaign_ref, const std::vector<std::string>& refs,
                               bool remove);

} // namespace crm::ops
