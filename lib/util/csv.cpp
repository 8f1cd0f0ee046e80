#include "util/csv.hpp"

#include "util/error.hpp"
#include "util/text.hpp"

#include <fmt/format.h>

#include <iconv.h>

#include <algorithm>
#include <array>
#include <cerrno>

namespace crm::csv {

namespace {

constexpr std::size_t chunk_size = 64 * 1024;
// Never valid in UTF-8: stands for input the encoding cannot convert.
constexpr char undecodable = '\xFF';
constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

std::string columns(std::size_t n) { return fmt::format("{} column{}", n, n == 1 ? "" : "s"); }

} // namespace

// An iconv descriptor converting to UTF-8, closed with the reader.
class Reader::Converter {
public:
  explicit Converter(const std::string& from) : cd_(iconv_open("UTF-8", from.c_str())) {
    if (cd_ == reinterpret_cast<iconv_t>(-1))
      throw Error(ErrorKind::usage, fmt::format("unknown encoding '{}'", from),
                  {"'iconv -l' lists the encodings this system knows"});
    // Skipping a whole code unit on bad input keeps UTF-16/32 aligned.
    const auto name = text::ascii_lower(from);
    const auto has = [&](std::string_view part) { return name.find(part) != std::string::npos; };
    if (has("utf-16") || has("utf16") || has("ucs-2"))
      unit_ = 2;
    else if (has("utf-32") || has("utf32") || has("ucs-4"))
      unit_ = 4;
  }
  ~Converter() { iconv_close(cd_); }
  Converter(const Converter&) = delete;
  Converter& operator=(const Converter&) = delete;

  iconv_t descriptor() const { return cd_; }
  std::size_t unit() const { return unit_; }

private:
  iconv_t cd_;
  std::size_t unit_ = 1;
};

Reader::Reader(std::istream& in, ReadOptions options) : in_(in), options_(std::move(options)) {
  if (options_.delimiter) {
    const char d = *options_.delimiter;
    if (d == '"' || d == '\r' || d == '\n')
      throw Error(ErrorKind::usage, "the CSV delimiter cannot be a quote or a line end");
  }
  const auto name = text::ascii_lower(options_.encoding);
  if (!name.empty() && name != "utf-8" && name != "utf8") {
    converter_ = std::make_unique<Converter>(options_.encoding);
    text_name_ = options_.encoding;
  } else {
    text_name_ = "UTF-8";
  }

  read_chunk();
  if (!converter_ && chunk_.size() >= 2) {
    // Google's CSV export is UTF-16 with a BOM: the BOM names the byte order.
    const bool le = chunk_[0] == '\xFF' && chunk_[1] == '\xFE';
    const bool be = chunk_[0] == '\xFE' && chunk_[1] == '\xFF';
    if (le || be) {
      text_name_ = le ? "UTF-16LE" : "UTF-16BE";
      converter_ = std::make_unique<Converter>(text_name_);
      chunk_.erase(0, 2);
    }
  }
  if (converter_)
    convert_chunk();
  else
    buf_.swap(chunk_);
  // A UTF-8 BOM, or the one an explicit "UTF-16LE" decodes to U+FEFF.
  if (std::string_view(buf_).starts_with(utf8_bom)) pos_ = utf8_bom.size();

  skip_empty_lines();
  if (options_.delimiter)
    delimiter_ = *options_.delimiter;
  else
    sniff_delimiter();
}

Reader::~Reader() = default;

void Reader::read_chunk() {
  const std::size_t carried = chunk_.size();
  chunk_.resize(carried + chunk_size);
  in_.read(chunk_.data() + carried, static_cast<std::streamsize>(chunk_size));
  const auto got = static_cast<std::size_t>(in_.gcount());
  if (in_.bad()) throw Error(ErrorKind::io, "cannot read the CSV input");
  chunk_.resize(carried + got);
  bytes_read_ += got;
  if (got < chunk_size) input_done_ = true;
}

void Reader::convert_chunk() {
  const iconv_t cd = converter_->descriptor();
  // 3 UTF-8 bytes per input byte covers every single-byte charset and UTF-16; grown on E2BIG.
  buf_.resize(chunk_.size() * 3 + 16);
  char* in = chunk_.data();
  std::size_t in_left = chunk_.size();
  char* out = buf_.data();
  std::size_t out_left = buf_.size();
  const auto grow = [&] {
    const auto used = static_cast<std::size_t>(out - buf_.data());
    buf_.resize(buf_.size() * 2);
    out = buf_.data() + used;
    out_left = buf_.size() - used;
  };
  while (in_left > 0) {
    if (iconv(cd, &in, &in_left, &out, &out_left) != static_cast<std::size_t>(-1)) break;
    if (errno == E2BIG) {
      grow();
      continue;
    }
    // A sequence cut by the end of this read: carried over to the next one.
    if (errno == EINVAL && !input_done_) break;
    // Bad input, or a sequence cut by the end of the input.
    if (out_left == 0) grow();
    *out++ = undecodable;
    --out_left;
    const auto skip = std::min(converter_->unit(), in_left);
    in += skip;
    in_left -= skip;
  }
  if (input_done_) {
    // Stateful encodings (ISO-2022-JP) may owe a final shift sequence.
    if (out_left < 16) grow();
    iconv(cd, nullptr, nullptr, &out, &out_left);
  }
  buf_.resize(static_cast<std::size_t>(out - buf_.data()));
  chunk_.erase(0, static_cast<std::size_t>(in - chunk_.data()));
}

bool Reader::refill() {
  if (raw_sink_) raw_sink_->append(buf_, raw_start_, buf_.size() - raw_start_);
  raw_start_ = 0;
  pos_ = 0;
  buf_.clear();
  while (buf_.empty()) {
    if (input_done_) return false; // convert_chunk consumed the last bytes already
    if (!converter_) chunk_.clear();
    read_chunk();
    if (converter_)
      convert_chunk();
    else
      buf_.swap(chunk_);
  }
  return true;
}

void Reader::skip_empty_lines() {
  while (at_data()) {
    const char c = buf_[pos_];
    if (c == '\n') {
      ++pos_;
    } else if (c == '\r') {
      ++pos_;
      if (at_data() && buf_[pos_] == '\n') ++pos_;
    } else {
      return;
    }
    ++line_;
  }
}

void Reader::sniff_delimiter() {
  static constexpr std::array<char, 4> candidates = {',', ';', '\t', '|'};
  std::array<std::size_t, 4> counts{};
  // The same quoting rules as next(): a quote opens a field only at its start.
  bool quoted = false;
  bool field_start = true;
  for (std::size_t i = pos_; i < buf_.size(); ++i) {
    const char c = buf_[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < buf_.size() && buf_[i + 1] == '"')
          ++i;
        else
          quoted = false;
      }
      continue;
    }
    if (c == '\n' || c == '\r') break;
    if (c == '"' && field_start) {
      quoted = true;
      field_start = false;
      continue;
    }
    const auto* found = std::find(candidates.begin(), candidates.end(), c);
    field_start = found != candidates.end();
    if (field_start) ++counts[static_cast<std::size_t>(found - candidates.begin())];
  }
  std::size_t best = 0; // ','
  bool tie = false;
  for (std::size_t i = 1; i < counts.size(); ++i) {
    if (counts[i] > counts[best]) {
      best = i;
      tie = false;
    } else if (counts[i] == counts[best]) {
      tie = true;
    }
  }
  delimiter_ = tie ? ',' : candidates[best];
}

std::string& Reader::start_cell(Row& row, std::size_t index) {
  if (index < row.cells.size()) {
    row.cells[index].clear();
    return row.cells[index];
  }
  return row.cells.emplace_back();
}

bool Reader::next(Row& row) {
  row.raw.clear();
  row.problem.clear();
  row.problem_column = 0;
  skip_empty_lines();
  if (!at_data()) {
    row.cells.clear();
    return false;
  }
  row.number = ++rows_;
  row.line = line_;
  raw_sink_ = &row.raw;
  raw_start_ = pos_;

  const char delimiter = delimiter_;
  std::size_t count = 0, row_bytes = 0;
  bool more_cells = true;
  bool line_end = false;
  // Input is untrusted: a cell, a row and the number of columns have limits, so
  // endless input (/dev/zero) ends in an error, not in memory running out.
  const auto over_limit = [&](const std::string& what) {
    raw_sink_ = nullptr;
    return Error(ErrorKind::invalid_data, fmt::format("row {} column {}: {}", row.number, count, what),
                 {"see README, \"Limits\""});
  };
  const auto check_size = [&](const std::string& cell) {
    if (cell.size() > max_cell_bytes) throw over_limit(fmt::format("a cell longer than {} MiB", max_cell_bytes >> 20));
    if (row_bytes + cell.size() > max_row_bytes)
      throw over_limit(fmt::format("a row longer than {} MiB", max_row_bytes >> 20));
  };
  while (more_cells) {
    if (count == max_columns) {
      ++count;
      throw over_limit(fmt::format("more than {} columns", max_columns));
    }
    if (count > 0) row_bytes += row.cells[count - 1].size();
    std::string& cell = start_cell(row, count++);
    if (at_data() && buf_[pos_] == '"') {
      const std::size_t open_line = line_;
      ++pos_;
      for (;;) {
        if (!at_data()) {
          raw_sink_ = nullptr;
          throw Error(ErrorKind::invalid_data,
                      fmt::format("row {} column {}: unterminated quoted field", row.number, count),
                      {fmt::format("the quote opened on line {}", open_line)});
        }
        const char* data = buf_.data();
        std::size_t i = pos_;
        const std::size_t end = buf_.size();
        while (i < end && data[i] != '"' && data[i] != '\n' && data[i] != '\r') ++i;
        cell.append(data + pos_, i - pos_);
        check_size(cell);
        pos_ = i;
        if (i == end) continue;
        const char c = data[i];
        ++pos_;
        if (c == '"') {
          if (at_data() && buf_[pos_] == '"') {
            cell += '"';
            ++pos_;
            continue;
          }
          break; // closed; anything up to the delimiter is appended below
        }
        cell += c;
        if (c == '\r' && at_data() && buf_[pos_] == '\n') {
          cell += '\n';
          ++pos_;
        }
        ++line_;
      }
    }
    // An unquoted field, or the rest of a quoted one: quotes here are literal.
    for (;;) {
      if (!at_data()) {
        more_cells = false; // the last row has no line end
        break;
      }
      const char* data = buf_.data();
      std::size_t i = pos_;
      const std::size_t end = buf_.size();
      while (i < end && data[i] != delimiter && data[i] != '\n' && data[i] != '\r') ++i;
      cell.append(data + pos_, i - pos_);
      check_size(cell);
      pos_ = i;
      if (i == end) continue;
      if (data[i] != delimiter) {
        more_cells = false;
        line_end = true;
      } else {
        ++pos_;
      }
      break;
    }
  }
  row.raw.append(buf_, raw_start_, pos_ - raw_start_);
  raw_sink_ = nullptr;
  if (line_end) {
    const char c = buf_[pos_++];
    if (c == '\r' && at_data() && buf_[pos_] == '\n') ++pos_;
    ++line_;
  }
  row.cells.resize(count);
  check_row(row);
  return true;
}

void Reader::check_row(Row& row) {
  auto& cells = row.cells;
  if (row.number == 1) {
    while (cells.size() > 1 && cells.back().empty()) cells.pop_back();
    header_columns_ = cells.size();
  } else {
    std::size_t used = cells.size();
    while (used > header_columns_ && cells[used - 1].empty()) --used;
    cells.resize(used);
    if (used < header_columns_ && options_.pad_short_rows) cells.resize(header_columns_);
    if (cells.size() != header_columns_) {
      row.problem = fmt::format("{}, the header has {}", columns(cells.size()), header_columns_);
      row.problem_column = std::min(cells.size(), header_columns_) + 1;
      return;
    }
  }
  // No text holds a NUL byte (a binary file, or UTF-16 read as UTF-8): kept, it
  // would cut a name short wherever C strings meet it.
  if (row.raw.find('\0') != std::string::npos)
    for (std::size_t i = 0; i < cells.size(); ++i)
      if (cells[i].find('\0') != std::string::npos) {
        row.problem = "a NUL byte in the text";
        row.problem_column = i + 1;
        return;
      }
  // A valid row text means valid cells: cells are its pieces cut at ASCII characters.
  if (text::is_valid_utf8(row.raw)) return;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (!text::is_valid_utf8(cells[i])) {
      row.problem = "invalid " + text_name_;
      row.problem_column = i + 1;
      return;
    }
  }
}

std::string format_row(const std::vector<std::string>& cells, char delimiter, bool crlf) {
  const std::array<char, 4> special = {delimiter, '"', '\r', '\n'};
  const std::string_view special_view(special.data(), special.size());
  std::string out;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out += delimiter;
    const std::string& cell = cells[i];
    const bool lone_empty = cells.size() == 1 && cell.empty();
    if (!lone_empty && cell.find_first_of(special_view) == std::string::npos) {
      out += cell;
      continue;
    }
    out += '"';
    for (const char c : cell) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  }
  out += crlf ? "\r\n" : "\n";
  return out;
}

} // namespace crm::csv
