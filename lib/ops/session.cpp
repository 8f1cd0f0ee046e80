#include "ops/session.hpp"

#include <cstdlib>

#include "query/filter_sql.hpp"

namespace crm::ops {

int lock_timeout_ms() {
  if (const char* v = std::getenv("CRM_LOCK_TIMEOUT_MS"); v && *v) return std::atoi(v);
  return 10000;
}

Session::Session(const std::filesystem::path& start, bool explicit_start, bool refresh)
    : workspace_(store::Workspace::discover(start, explicit_start)),
      index_(std::make_unique<index::Index>(workspace_)) {
  index_->set_lead_score([this] { return query::lead_score_sql(filter_context()); });
  if (!refresh) return;
  index_->refresh();
}

void read_workspace_settings(const std::filesystem::path& start, bool explicit_start) {
  try {
    (void)store::Workspace::discover(start, explicit_start);
  } catch (const std::exception&) {
  }
}

query::FilterContext Session::filter_context() const {
  return {*index_, workspace_.config(), time::now()};
}

index::SqlExpr Session::where(const model::RecordType& type, const std::string& filter) const {
  return query::where_sql(type, filter, filter_context());
}

void Session::lock_for_writing(bool refresh) {
  if (lock_) return;
  lock_.emplace(workspace_.lock_path(), lock_timeout_ms());
  if (!refresh) return;
  index_->refresh();
  // Under the lock no other writer is running: any temp file is a killed one's.
  for (const auto& temp : index_->temp_files()) fs::remove_file(workspace_.absolute(temp));
}

} // namespace crm::ops
