#pragma once
// The three-way merge of one record file, field by field: what crm's git merge
// driver does (docs/git.md). Pure: text in, text out.
//
// A field one side changed takes that side's value; one changed the same way on
// both sides is fine. Lists (emails, phones, tags, interests, groups, items...)
// merge as sets: what either side added is kept, what either side removed goes,
// in ours' order then theirs' additions. Maps (social, custom) merge key by key.
// Free text (notes and the other multi-line fields but the address) changed on
// both sides is appended: ours, then the lines theirs added. `updated` takes the
// later time, `created` the earlier. Only a field changed two different ways is
// a conflict.

#include <string>
#include <string_view>
#include <vector>

#include "model/record_type.hpp"

namespace crm::ops {

struct RecordMerge {
  // The merged file as crm writes it (store::render_record) when it merged
  // cleanly; else the same with each conflicting field's lines between
  // "<<<<<<< ours", "=======" and ">>>>>>> theirs" (store::conflict_marks).
  std::string text;
  // The fields changed two different ways ("city", "custom.size"), in file
  // order; empty when the merge is clean.
  std::vector<std::string> conflicts;
};

// Merges `ours` and `theirs`, two versions of a record file of `type`, from
// their common `base` (empty: both sides added the file). Throws
// store::RecordFileError (naming `path`) when a version cannot be read as a
// record: the caller then merges the text line by line.
RecordMerge merge_record_files(const model::RecordType& type, std::string_view base, std::string_view ours,
                               std::string_view theirs, std::string_view path);

// The marker lines a conflict is written between.
inline constexpr std::string_view conflict_start = "<<<<<<< ours\n";
inline constexpr std::string_view conflict_middle = "=======\n";
inline constexpr std::string_view conflict_end = ">>>>>>> theirs\n";

} // namespace crm::ops
