#pragma once
// Output writers: every command that prints records hands them here as JSON
// objects whose keys are the YAML keys, plus the columns to show.

#include <iosfwd>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace crm::format {

enum class Format { table, json, jsonl, csv, tsv, yaml, ids };

// "table" | "json" | ... ; throws crm::Error(usage) naming the valid choices.
Format parse_format(std::string_view name);
std::string_view format_name(Format f);
// Every format's name, in the order --format's help lists them.
std::vector<std::string_view> format_names();

struct OutputOptions {
  Format format = Format::table;
  bool color = false;          // only meaningful for table
  std::size_t width = 0;       // terminal width for table; 0 = no limit
  bool header = true;          // header row for table/csv/tsv
  bool csv_formula_guard = true; // prefix cells starting with = + - @ with a quote
  std::string id_field = "id";   // the key whose value ids prints
};

using Record = nlohmann::ordered_json;

// Writes `records` (each an object) in the chosen format.
// - table: one row per record, the given columns, aligned by display width; when
//   `width` is set, the widest column is truncated with "…" to fit.
// - csv (RFC 4180, CRLF line ends) / tsv: header row of column names, then cells.
// - json: one array of whole records (all keys, not just columns), pretty-printed;
//   jsonl: one compact object per line; yaml: a sequence of mappings.
// - ids: the id (opts.id_field) of each record, one per line; a record without
//   that key is refused (Error(usage)), as ids that print nothing would look
//   like an empty result.
// Cell text for table/csv/tsv: strings as-is, numbers as written, booleans
// true/false, null -> "", arrays of scalars joined with ", " (csv/tsv: "; "),
// arrays of objects: each object's first string value, joined; objects: k=v pairs.
void write_records(std::ostream& out, const std::vector<Record>& records,
                   const std::vector<std::string>& columns, const OutputOptions& opts);

// Writes records one at a time as they come, so a long list needs no memory for
// the whole result: tsv, csv, jsonl, ids and json go straight out (json as an
// array with one compact record per line); table and yaml need every row first
// (column widths, one document) and are written by finish().
class RecordStream {
public:
  RecordStream(std::ostream& out, std::vector<std::string> columns, OutputOptions opts);
  void add(const Record& record);
  // A whole record already serialized as compact JSON (the index stores it so):
  // json and jsonl copy it through without parsing it.
  void add_json(std::string_view compact_json);
  // One row of ready cell text, one per column (lists already joined with
  // cell_separator()): table, tsv and csv only.
  void add_cells(const std::vector<std::string_view>& cells);
  bool takes_cells() const {
    return opts_.format == Format::table || opts_.format == Format::tsv || opts_.format == Format::csv;
  }
  std::string_view cell_separator() const { return opts_.format == Format::csv ? "; " : ", "; }
  // Whether add_json() can be used for this format without parsing.
  bool takes_json() const { return opts_.format == Format::json || opts_.format == Format::jsonl; }
  void finish();
  std::size_t count() const { return count_; }

private:
  void start();
  std::ostream& out_;
  std::vector<std::string> columns_;
  OutputOptions opts_;
  std::vector<Record> held_; // table and yaml
  std::vector<std::vector<std::string>> held_rows_; // table from add_cells
  std::size_t count_ = 0;
  bool started_ = false;
};

// One record as a single JSON object / YAML mapping (for `show`).
void write_record(std::ostream& out, const Record& record, const OutputOptions& opts);

// The text of one cell as described above (exposed for cards and tests).
std::string cell_text(const nlohmann::ordered_json& value, std::string_view list_sep = ", ");

// Quote a cell for CSV per RFC 4180, guarding against formula injection when asked.
std::string csv_quote(std::string_view cell, bool formula_guard);

} // namespace crm::format
