#include "format/summary.hpp"

#include <ostream>
#include <sstream>
#include <string>

namespace crm::format {

void write_summary(std::ostream& out, const Summary& summary, const OutputOptions& opts) {
  if (opts.format == Format::json || opts.format == Format::jsonl || opts.format == Format::yaml) {
    write_record(out, summary.object, opts);
    return;
  }
  for (const auto& line : summary.lines) {
    out << line.text << '\n';
    if (line.table.columns.empty()) continue;
    OutputOptions table;
    table.format = Format::table;
    table.width = opts.format == Format::table ? opts.width : 0;
    std::ostringstream text;
    write_records(text, line.table.rows, line.table.columns, table);
    std::istringstream lines(text.str());
    for (std::string l; std::getline(lines, l);) out << "  " << l << '\n';
  }
}

std::string one_line_cell(const Record& value) {
  std::string s = cell_text(value);
  while (!s.empty() && s.back() == '\n') s.pop_back();
  if (auto nl = s.find('\n'); nl != std::string::npos) s = s.substr(0, nl) + " …";
  return s;
}

} // namespace crm::format
