#include "ops/records/stage.hpp"

#include <fmt/format.h>

#include "ops/records/records.hpp"

namespace crm::ops {
namespace {

using model::Record;

std::string stage_of(const Record& r) { return r.is_object() ? r.value("stage", "") : ""; }

} // namespace

Record new_activity(Session& session, const std::string& kind, const Record& contact, const time::Timestamp& at) {
  const std::string date = time::format_timestamp(at).substr(0, 10);
  Record rec = Record::object();
  rec["id"] = new_record_id(session, model::activity_type(), date + "-" + kind + "-", contact.value("name", ""));
  rec["kind"] = kind;
  rec["contact"] = contact["id"];
  rec["at"] = time::format_timestamp(at);
  const std::string stamp = time::format_timestamp(time::now());
  rec["created"] = stamp;
  rec["updated"] = stamp;
  return rec;
}

std::optional<std::string> record_stage_change(Session& session, const Record& before, const Record& after,
                                               const std::optional<time::Timestamp>& at, WriteLog* log) {
  const std::string from = stage_of(before), to = stage_of(after);
  if (from == to || to.empty()) return std::nullopt;
  Record rec = new_activity(session, "stage", after, at.value_or(time::now()));
  if (!from.empty()) rec["from"] = from;
  rec["to"] = to;
  if (to == "lost") {
    for (const char* key : {"lost_to", "lost_reason"})
      if (after.contains(key)) rec[key] = after[key];
  }
  rec["summary"] = from.empty() ? fmt::format("stage: {}", to) : fmt::format("stage: {} -> {}", from, to);
  save_record(session, model::activity_type(), rec, log);
  return model::id_of(rec);
}

} // namespace crm::ops
