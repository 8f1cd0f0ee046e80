#pragma once
// What an operation that did one thing tells of it (a merge: what it took,
// what it re-pointed): one object for programs, a few lines for people.

#include <iosfwd>
#include <string>
#include <vector>

#include "format/output.hpp"
#include "format/rows.hpp"

namespace crm::format {

struct Summary {
  struct Line {
    std::string text;
    Rows table; // shown under the line when it has columns
  };
  Record object = Record::object(); // json, jsonl and yaml
  std::vector<Line> lines;          // any other format
};

// json, jsonl and yaml: the object, as write_record writes it. Any other format:
// each line, then its table (in the table format, without color, as wide as the
// terminal when the output is a table, else as wide as it needs) indented by
// two spaces.
void write_summary(std::ostream& out, const Summary& summary, const OutputOptions& opts);

// A value's cell text on one line, for a table of a summary: its first line and
// " …" when it has more.
std::string one_line_cell(const Record& value);

} // namespace crm::format
