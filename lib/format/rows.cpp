#include "format/rows.hpp"

#include <cstddef>
#include <ostream>
#include <string>

namespace crm::format {

void write_rows(std::ostream& out, const Rows& rows, const OutputOptions& opts) {
  if (opts.format == Format::ids && !rows.id_columns.empty()) {
    for (const auto& row : rows.rows) {
      std::string line;
      for (std::size_t i = 0; i < rows.id_columns.size(); ++i) {
        if (i > 0) line += ' ';
        line += cell_text(row.value(rows.id_columns[i], Record()));
      }
      out << line << '\n';
    }
    return;
  }
  RecordStream stream(out, rows.columns, opts);
  for (const auto& row : rows.rows) stream.add(row);
  stream.finish();
}

} // namespace crm::format
