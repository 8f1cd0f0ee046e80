#pragma once
// `crm history REF`: the changes to one record over time, read from git
// (`git log` on its file, merges included), field by field, newest first.

#include <string>

#include "format/rows.hpp"
#include "ops/records/session.hpp"

namespace crm::ops {

// The rows of `crm history`: commit (short id), date (the author's, ISO 8601),
// author, field ("city", "custom.size"), old and new (null when the field was
// not there). A record's first version lists every field it had; later
// versions only the fields they changed (not `updated`, which every change
// moves). A merge commit lists only what it made anew (what neither parent
// had: notes appended from both sides, a conflict resolved by hand). REF is
// any record: a contact or a company as everywhere (id, id prefix, email,
// phone, name), another record by its id or an id prefix, and a record
// removed since by its id. Throws Error(usage) outside a git repository.
format::Rows record_history(Session& session, const std::string& ref);

} // namespace crm::ops
