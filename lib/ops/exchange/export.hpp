#pragma once
// `crm export`: the records of one type (all, or those a filter picks) as CSV,
// JSON, JSON lines or a stream of YAML documents, for spreadsheets, scripts and
// other tools. Records are streamed from the index one at a time into a
// format::ExportStream, so exporting a million needs no more memory than
// exporting ten.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "format/export_stream.hpp"
#include "model/record_type.hpp"
#include "ops/records/session.hpp"

namespace crm::ops {

// Which records, and which of their fields; the format, the formula guard and
// the file are the ExportStream's.
struct ExportOptions {
  std::string type = "contacts";    // a type's name or plural (model::find_type)
  std::optional<std::string> where; // a filter (crm help filter); none: every record
  std::string fields;               // F,... (list_columns rules); empty: the defaults
};

// The record type named by --type ("contacts", "contact", "sales"...). Throws
// Error(usage) listing the types.
const model::RecordType& export_type(std::string_view name);

// The declared columns of a CSV export without --fields: every declared field whose
// value fits one cell, in file order. Maps (custom, social) and entries (a sale's
// items, a deal's moves) are not among them: the export adds a column for each map
// key the exported records hold after these (entries fit no cell).
std::vector<std::string> default_export_columns(const model::RecordType& type);

// Gives the records `options` select to `out` (started, then finished), sorted
// as `list` sorts them, and returns how many. Everything that can be refused is
// checked before `out` is started: an unknown type or a bad --fields is
// Error(usage), a bad filter Error(invalid_data); a file that cannot be written
// is Error(io), and then the file (or what it held before) is as it was. json
// and jsonl give whole records as stored, yaml each as its file holds it, csv the
// columns (without --fields, the map keys the records hold too), emails, phones
// and a company as `crm import csv` reads them back; with --fields every format
// gives just those keys.
std::size_t export_records(Session& session, const ExportOptions& options, format::ExportStream& out);

} // namespace crm::ops
