#include "ops/contacts/segment.hpp"

#include <fmt/format.h>

#include "index/contact_queries.hpp"
#include "ops/records/records.hpp"
#include "util/error.hpp"
#include "util/text.hpp"
#include "util/time.hpp"

namespace crm::ops {

std::string create_segment(Session& session, const std::string& name, const std::string& where,
                           const std::optional<std::string>& description) {
  session.lock_for_writing();
  const auto& type = model::segment_type();
  const std::string clean = text::nfc(text::trim(name));
  if (clean.empty()) throw Error(ErrorKind::invalid_data, "a segment needs a name");
  const std::string filter = text::nfc(text::trim(where));
  if (filter.empty()) throw Error(ErrorKind::usage, "a segment needs --where EXPR");
  session.where(model::contact_type(), where); // refuses a bad filter (columns as typed) before anything is written
  const std::string id = text::slugify(clean, 48, "segment");
  if (session.index().exists(type, id) || !session.index().ids_where(type, "sort_key", text::match_key(clean)).empty())
    throw Error(ErrorKind::conflict, fmt::format("segment '{}' already exists", clean),
                {fmt::format("remove it first (crm segment rm {}) or choose another name", id)});
  model::Record rec = model::Record::object();
  rec["id"] = id;
  rec["name"] = clean;
  rec["where"] = filter;
  if (description && !text::trim(*description).empty()) rec["description"] = multiline_text(*description);
  const std::string stamp = time::format_timestamp(time::now());
  rec["created"] = stamp;
  rec["updated"] = stamp;
  save_record(session, type, rec);
  return id;
}

model::Record find_segment(Session& session, const std::string& name) {
  return find_record(session, model::segment_type(), name);
}

index::ListQuery segment_query(Session& session, const model::Record& segment) {
  index::ListQuery q;
  const std::string id = segment.value("id", "");
  try {
    q.where = session.where(model::contact_type(), segment.value("where", ""));
  } catch (const Error& e) {
    const auto path = session.index().path_of(model::segment_type(), id).value_or("segments/" + id + ".yaml");
    throw Error(ErrorKind::invalid_data, fmt::format("{}: segment '{}': {}", path, id, e.what()), e.hints());
  }
  return q;
}

std::vector<SegmentSummary> list_segments(Session& session) {
  std::vector<SegmentSummary> out;
  index::ListQuery all;
  for (auto& seg : session.index().list(model::segment_type(), all)) {
    index::ListQuery q;
    try {
      q = segment_query(session, seg);
    } catch (const Error& e) {
      // One broken segment does not hide the others.
      out.push_back({std::move(seg), std::nullopt, e.what()});
      continue;
    }
    out.push_back({std::move(seg), index::count_contacts(session.index(), q.where), {}});
  }
  return out;
}

} // namespace crm::ops
