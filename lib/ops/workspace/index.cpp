#include "ops/workspace/index.hpp"

namespace crm::ops {

index::Status index_status(Session& session) { return session.index().status(); }

index::RefreshStats rebuild_index(Session& session) {
  session.lock_for_writing(false); // the rebuild reads every file anyway
  return session.index().rebuild();
}

} // namespace crm::ops
