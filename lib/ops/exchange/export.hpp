#pragma once
// `crm export`: the records of one type (all, or those a filter picks) as CSV,
// JSON, JSON lines or a stream of YAML documents, for spreadsheets, scripts and
// other tools. Records are streamed from the index one at a time, so exporting a
// million needs no more memory than exporting ten; the output goes to a stream
// or, atomically, to a file.

#include <cstddef>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/record_type.hpp"
#include "ops/records/session.hpp"

namespace crm::ops {

enum class ExportFormat {
  csv,   // RFC 4180, CRLF line ends, a header row of field names
  json,  // one array of objects
  jsonl, // one object per line
  yaml,  // one YAML document per record, "---" between them
};

struct ExportOptions {
  ExportFormat format = ExportFormat::csv;
  std::string type = "contacts";    // a type's name or plural (model::find_type)
  std::optional<std::string> where; // a filter (crm help filter); none: every record
  std::string fields;               // F,... (list_columns rules); empty: the defaults
  bool formula_guard = true;        // csv: format::csv_quote's guard against formulas
  std::string output;               // a file; empty or "-": the stream given
};

// The record type named by --type ("contacts", "contact", "sales"...). Throws
// Error(usage) listing the types.
const model::RecordType& export_type(std::string_view name);

// The declared columns of a CSV export without --fields: every declared field whose
// value fits one cell, in file order. Maps (custom, social) and entries (a sale's
// items, a deal's moves) are not among them: the export adds a column for each map
// key the exported records hold after these (entries fit no cell).
std::vector<std::string> default_export_columns(const model::RecordType& type);

// Writes the records `options` select, sorted as `list` sorts them, and returns
// how many. Everything that can be refused is checked before anything is written:
// an unknown type or a bad --fields is Error(usage), a bad filter
// Error(invalid_data); a file that cannot be written is Error(io), and then the
// file (or what it held before) is as it was. json and jsonl give whole records as
// stored, csv the columns; with --fields every format gives just those keys.
std::size_t export_records(Session& session, const ExportOptions& options, std::ostream& out);

// Runs `write` on `out` when `path` is empty or "-". Otherwise `write` writes into
// a temp file beside `path` that replaces it only once `write` returned (fs::
// AtomicFile): a failure half way (an exception from `write`, a full disk) leaves
// `path` as it was, or absent. Throws Error(io) when the file cannot be written;
// `path`'s folder must exist.
void write_output(const std::string& path, std::ostream& out, const std::function<void(std::ostream&)>& write);

} // namespace crm::ops
