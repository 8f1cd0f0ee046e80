#pragma once
// The rows an operation returns for a list (the pairs of `contact dupes`): what
// they say is the operation's, how they look in each output format is here.

#include <iosfwd>
#include <string>
#include <vector>

#include "format/output.hpp"

namespace crm::format {

struct Rows {
  std::vector<std::string> columns; // shown in this order (table, csv, tsv)
  std::vector<Record> rows;         // json, jsonl and yaml give whole rows
  // What --format ids prints of a row: these columns' cells, a space between
  // them ("KEEP OTHER", for `while read keep other`); none: OutputOptions::id_field.
  std::vector<std::string> id_columns;
};

// The rows in the chosen format, as RecordStream writes them.
void write_rows(std::ostream& out, const Rows& rows, const OutputOptions& opts);

} // namespace crm::format
