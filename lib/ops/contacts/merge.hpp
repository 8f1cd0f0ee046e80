#pragma once
// `crm contact merge KEEP OTHER`: folding a contact into another, with everything
// that points to it (the pairs `crm contact dupes` finds: ops/contacts/dupes.hpp).
// A merged contact's id keeps naming the one it went into (merged_ids, resolved
// by index::Index::resolve).

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "format/summary.hpp"
#include "model/record_type.hpp"
#include "ops/records/session.hpp"

namespace crm::ops {

enum class Prefer { keep, other };

struct MergeOptions {
  bool dry_run = false;
  Prefer prefer = Prefer::keep;   // who wins a conflict by default
  std::vector<std::string> take;  // fields (or map entries: custom.KEY) OTHER wins
};

// One field both contacts hold with different values.
struct FieldConflict {
  std::string field; // "city", "custom.vat_id"
  nlohmann::ordered_json keep_value, other_value;
  bool other_wins = false;
};

struct MergeReport {
  std::string keep, keep_name, other, other_name;
  bool dry_run = false;
  bool already_merged = false; // OTHER's id already names KEEP: nothing to do
  // List entries OTHER brought that KEEP did not have, per field, in field order
  // (emails, phones, interests, groups, tags).
  std::vector<std::pair<std::string, std::size_t>> added;
  std::vector<std::string> filled;       // fields empty in KEEP that took OTHER's value
  std::vector<FieldConflict> conflicts;  // in field order
  // Records that pointed to OTHER and now point to KEEP: type plural -> count,
  // in the index's type order.
  std::vector<std::pair<std::string, std::size_t>> repointed;
  model::Record contact; // KEEP as written (or as it would be, on a dry run)
};

// Merges contact OTHER into KEEP (both REFs): KEEP gets the union of emails,
// phones, tags, interests and groups (no duplicates by email key, E.164 or
// case-folded word), OTHER's notes appended under a blank line when they differ,
// social and custom entries it lacks; a single value KEEP lacks is filled from
// OTHER; one both hold differently is a conflict KEEP wins unless the field is
// in `take` or `prefer` is other. `created` becomes the earlier of the two.
// Every record pointing to OTHER (activities, follow-ups, feedback, sales,
// payments, deals, loyalty, campaign audiences) is rewritten to point to KEEP,
// KEEP.merged_ids gets OTHER's id and OTHER's merged_ids, and OTHER's file is
// removed. Everything is read and checked before anything is written; a dry run
// writes nothing. Throws usage (the same contact twice, a bad --take field),
// not_found / ambiguous (a REF), invalid_data (a record that does not check).
MergeReport merge_contacts(Session& session, const std::string& keep_ref, const std::string& other_ref,
                           const MergeOptions& options);

// The report for format::write_summary: as one object for json/jsonl/yaml (keep,
// other, dry_run, added, filled, conflicts, repointed, contact), and as short
// lines for people ("merged 'x' (Name) into 'y' (Name)", added, filled, a
// conflicts table of one-line cells, re-pointed records).
format::Summary merge_summary(const MergeReport& report);

} // namespace crm::ops
