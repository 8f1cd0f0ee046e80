#pragma once
// `crm index status|rebuild`: the index of the record files.

#include "index/index.hpp"
#include "ops/records/session.hpp"

namespace crm::ops {

index::Status index_status(Session& session);
index::RefreshStats rebuild_index(Session& session);

} // namespace crm::ops
