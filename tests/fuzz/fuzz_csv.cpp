// libFuzzer target: the CSV reader (util/csv.hpp) on any bytes, in each of the
// ways import reads a file. Reading ends with rows or with crm::Error; anything
// else (another exception, a crash, a hang, memory past the limits) is a bug.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "util/csv.hpp"
#include "util/error.hpp"

namespace {

void read_all(const std::string& bytes, crm::csv::ReadOptions options) {
  std::istringstream in(bytes);
  try {
    crm::csv::Reader reader(in, std::move(options));
    crm::csv::Row row;
    std::size_t rows = 0;
    while (reader.next(row)) {
      ++rows;
      if (row.number != rows) __builtin_trap(); // rows are numbered one by one
      if (row.cells.size() > crm::csv::max_columns) __builtin_trap();
    }
  } catch (const crm::Error&) {
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  read_all(bytes, {});                                                      // sniffed, UTF-8
  read_all(bytes, {.delimiter = ';', .encoding = "", .pad_short_rows = true});
  read_all(bytes, {.delimiter = ',', .encoding = "WINDOWS-1252", .pad_short_rows = false});
  read_all(bytes, {.delimiter = std::nullopt, .encoding = "UTF-16LE", .pad_short_rows = false});
  read_all(bytes, {.delimiter = '\t', .encoding = "SHIFT_JIS", .pad_short_rows = true});
  return 0;
}
