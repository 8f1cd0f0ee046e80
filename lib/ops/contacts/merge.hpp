#pragma once
// `crm contact dupes` and `crm contact merge KEEP OTHER`: finding contacts that are
// probably the same person, and folding one into the other with everything that
// points to it. A merged contact's id keeps naming the one it went into
// (merged_ids, resolved by index::Index::resolve).

#include <cstddef>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "format/output.hpp"
#include "model/record_type.hpp"
#include "ops/records/session.hpp"

namespace crm::ops {

// --- dupes ---

// Why two contacts look like one person, with its score:
//   email       95  an email address in common (compared case-folded)
//   phone       90  a phone number in common (compared as E.164)
//   same name   80  the names are equal after folding case, accents and spaces
//   close name  60  folded names of 6+ characters each, one edit apart
//   swapped name 60 the same words in another order ("Popescu Ana"), or given
//                   and family names swapped
struct DupeReason {
  std::string kind;  // "email", "phone", "same name", "close name", "swapped name"
  std::string value; // the address or number in common; empty for names
  int score = 0;
};

// Scores of the reasons above.
inline constexpr int email_score = 95, phone_score = 90, same_name_score = 80, close_name_score = 60;

// The score of a pair: its best reason, plus 5 for each further one (a second
// email in common counts), at most 100. 0 for no reasons.
int dupe_score(const std::vector<DupeReason>& reasons);

// Edit distance in code points (insert, delete or replace one character) of two
// UTF-8 strings; stops counting at `limit` + 1.
std::size_t text_edit_distance(std::string_view a, std::string_view b, std::size_t limit);

struct DuplicatePair {
  std::string keep, keep_name;   // the older record by `created` (else the smaller id)
  std::string other, other_name; // the one to merge into it
  int score = 0;
  std::vector<DupeReason> reasons; // emails, phones, then the name reason
};

// Every pair of contacts that looks like one person, best score first, then by
// keep and other id. Grouped by email key, E.164, folded name, word order and
// one-deletion variants of the folded name (hash maps, never every pair), so it
// stays fast on 100k contacts.
std::vector<DuplicatePair> find_duplicates(Session& session);

// Writes the pairs in a list format: columns score, keep, keep_name, other,
// other_name, reasons ("email ana@x.ro", "same name"...); `ids` writes
// "KEEP OTHER" a line, for `while read keep other; do crm contact merge ...`.
void write_duplicates(std::ostream& out, const std::vector<DuplicatePair>& pairs, const format::OutputOptions& opts);

// --- merge ---

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

// The report: json/jsonl/yaml as one object (keep, other, dry_run, added,
// filled, conflicts, repointed, contact); any other format as short text lines
// ("merged 'x' (Name) into 'y' (Name)", added, filled, a conflicts table,
// re-pointed records).
void write_merge_report(std::ostream& out, const MergeReport& report, const format::OutputOptions& opts);

} // namespace crm::ops
