#pragma once
// RFC 4180 CSV as real exports write it, read one row at a time (memory stays flat).
//
// What the reader accepts beyond the letter of RFC 4180, because exporters write it:
// - Line ends CRLF, LF or a lone CR, mixed in one file; the last row may have none.
// - An empty line between rows is skipped: it is not a row and does not count.
// - A quote inside an unquoted field (ab"c) is kept literally, as Excel does; only a
//   quote at the very start of a field opens a quoted field.
// - Text between a closing quote and the next delimiter ("ab"cd) is appended
//   literally: the cell is abcd.
// - A quoted field may hold the delimiter, doubled quotes ("") and CR, LF or CRLF;
//   these are kept as they are in the cell (no line-end conversion).
// - Trailing empty cells beyond the header's count are dropped (Outlook and
//   Thunderbird end lines with ','); the header's own trailing empty cells are
//   dropped as well, so a header "a,b," has 2 columns.
// - Text that cannot be converted from ReadOptions::encoding becomes the byte 0xFF
//   (never valid UTF-8), so the row is reported rather than silently altered.

#include <cstdint>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace crm::csv {

// Limits (README, "Limits"): past one, Reader::next throws Error(invalid_data)
// "row N column M: ..." (a row cannot be told from the next one any more).
inline constexpr std::size_t max_cell_bytes = 1024 * 1024;
inline constexpr std::size_t max_row_bytes = 16 * 1024 * 1024;
inline constexpr std::size_t max_columns = 4096;

struct ReadOptions {
  std::optional<char> delimiter; // nullopt: sniffed from the first row among ',' ';' '\t' '|'
  std::string encoding;          // "": UTF-8 (a UTF-8 BOM is skipped; a UTF-16 LE/BE BOM is
                                 // decoded to UTF-8); else an iconv name ("WINDOWS-1252",
                                 // "SHIFT_JIS", "UTF-16LE") converted to UTF-8 while reading
  bool pad_short_rows = false;   // true: a row with fewer cells than the header is padded
                                 // with empty cells instead of being reported
};

struct Row {
  std::vector<std::string> cells; // UTF-8; the header row too
  std::size_t number = 0;         // 1-based row number: the header is row 1
  std::size_t line = 0;           // 1-based physical line where the row starts
  std::string raw;                // the row's text as read (after decoding to UTF-8),
                                  // without its final line end: for a --rejects file
  std::string problem;            // empty when fine, else lowercase, e.g. "invalid UTF-8",
                                  // "4 columns, the header has 6"
  std::size_t problem_column = 0; // 1-based column the problem is in (0 = none)
};

class Reader {
public:
  // Reads the first 64 KiB to skip a BOM and sniff the delimiter.
  // Throws Error(usage) "unknown encoding 'X'" when iconv does not know the encoding.
  explicit Reader(std::istream& in, ReadOptions options = {});
  ~Reader();
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  // Reads the next row into `row` (reusing its buffers); false at the end of input.
  // A row-level problem is reported in row.problem and reading goes on with the next
  // row: a wrong column count ("4 columns, the header has 6", problem_column = the first
  // missing or extra column) is checked first, then invalid text ("invalid UTF-8", or
  // "invalid SHIFT_JIS" for bytes the encoding cannot convert; problem_column = its cell).
  // A quote that is never closed makes the rest of the input unreadable: throws
  // Error(invalid_data) "row N column M: unterminated quoted field" (hint: the line the
  // quote opened on). A read error of the stream throws Error(io).
  bool next(Row& row);
  char delimiter() const { return delimiter_; } // the one in use (after sniffing)
  std::uint64_t bytes_read() const { return bytes_read_; } // input bytes consumed so far

private:
  class Converter;

  bool refill();
  bool at_data() { return pos_ < buf_.size() || refill(); }
  void read_chunk();
  void convert_chunk();
  void skip_empty_lines();
  void sniff_delimiter();
  void check_row(Row& row);
  std::string& start_cell(Row& row, std::size_t index);

  std::istream& in_;
  ReadOptions options_;
  std::unique_ptr<Converter> converter_; // null: the input is UTF-8
  std::string text_name_;                // "UTF-8" or the encoding, for problem messages
  std::string chunk_;                    // undecoded input: carried-over bytes + one read
  std::string buf_;                      // decoded UTF-8 being parsed
  std::size_t pos_ = 0;                  // next byte of buf_ to parse
  std::string* raw_sink_ = nullptr;      // row.raw while a row is being read
  std::size_t raw_start_ = 0;            // where the unflushed part of the row's raw starts
  bool input_done_ = false;
  std::uint64_t bytes_read_ = 0;
  std::size_t line_ = 1;
  std::size_t rows_ = 0;
  std::size_t header_columns_ = 0;
  char delimiter_ = ',';
};

// One CSV line for `cells` (RFC 4180: a cell holding the delimiter, a quote, CR or LF is
// quoted and its quotes doubled), ending in "\r\n" when `crlf`, else "\n". A row of one
// empty cell is written as "" so that it does not read back as an empty (skipped) line.
std::string format_row(const std::vector<std::string>& cells, char delimiter = ',', bool crlf = false);

} // namespace crm::csv
