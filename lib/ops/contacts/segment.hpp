#pragma once
// Segments: named filters over contacts, saved as segments/<id>.yaml so that
// they are versioned and shared like records. Members are worked out each time
// a segment is used.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "index/index.hpp"
#include "ops/records/session.hpp"

namespace crm::ops {

// Checks the filter against the contacts, then writes the segment; returns its
// id (the slug of the name). Error(conflict) when a segment of that name (or
// id) exists, Error(invalid_data) for a bad filter.
std::string create_segment(Session& session, const std::string& name, const std::string& where,
                           const std::optional<std::string>& description);

// The segment NAME (its id, id prefix or exact name).
model::Record find_segment(Session& session, const std::string& name);

// The contact query of a segment's members (with its filter compiled); a
// filter that no longer compiles (a hand edit) is Error(invalid_data) naming
// the segment's file.
index::ListQuery segment_query(Session& session, const model::Record& segment);

struct SegmentSummary {
  model::Record segment;
  std::optional<std::size_t> members; // none when its filter is broken
  std::string problem;                // why (file: message)
};
// Every segment, by name, with how many contacts match it now.
std::vector<SegmentSummary> list_segments(Session& session);

} // namespace crm::ops
