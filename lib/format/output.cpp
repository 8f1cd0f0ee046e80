#include "format/output.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "util/contact_point.hpp"
#include "util/error.hpp"
#include "util/text.hpp"
#include "util/yaml_emit.hpp"

namespace crm::format {

namespace {

using Json = nlohmann::ordered_json;

constexpr std::array<std::pair<std::string_view, Format>, 7> kFormats{{
    {"table", Format::table},
    {"json", Format::json},
    {"jsonl", Format::jsonl},
    {"csv", Format::csv},
    {"tsv", Format::tsv},
    {"yaml", Format::yaml},
    {"ids", Format::ids},
}};

constexpr std::string_view kTableSep = ", ";
constexpr std::string_view kCsvSep = "; ";
constexpr std::string_view kColumnGap = "  ";
constexpr std::string_view kHeaderOn = "\x1b[1;4m";
constexpr std::string_view kHeaderOff = "\x1b[0m";
constexpr std::size_t kMinShrunkWidth = 8;

// Strict: invalid UTF-8 is a bug upstream and must not be silently replaced.
std::string dump_pretty(const Json& j) {
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::strict);
}

std::string dump_compact(const Json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::strict);
}

std::string column_text(const Record& record, const std::string& column,
                        std::string_view list_sep) {
  if (!record.is_object()) return {};
  auto it = record.find(column);
  if (it == record.end()) return {};
  return cell_text(*it, list_sep);
}

// ---------------------------------------------------------------- table

// Terminal-safe cell text: line breaks and tabs would break the row layout, and
// other control characters (ESC, C1 controls such as U+009B CSI) could drive the
// terminal, so a contact field can never inject escape sequences.
std::string table_cell(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1); // a block's last newline
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '\t' || c == '\n' || c == '\r') {
      out += ' ';
    } else if (c < 0x20 || c == 0x7f) {
      out += "\xEF\xBF\xBD"; // U+FFFD
    } else if (c == 0xC2 && i + 1 < s.size() &&
               static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(s[i + 1]) <= 0x9F) {
      out += "\xEF\xBF\xBD"; // C1 control U+0080..U+009F
      ++i;
    } else {
      out += s[i];
    }
  }
  return out;
}

void rtrim_spaces(std::string& s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
}

// Shrinks the widest shrinkable column one step at a time until the row fits,
// so several equally wide columns lose width evenly. A column never goes below
// max(8, its header width); if even that does not fit, the table stays wider.
void fit_widths(std::vector<std::size_t>& widths, const std::vector<std::size_t>& floors,
                std::size_t limit) {
  if (widths.empty()) return;
  std::size_t total = kColumnGap.size() * (widths.size() - 1);
  for (auto w : widths) total += w;
  while (total > limit) {
    std::size_t best = widths.size();
    for (std::size_t i = 0; i < widths.size(); ++i) {
      if (widths[i] <= floors[i]) continue;
      if (best == widths.size() || widths[i] > widths[best]) best = i;
    }
    if (best == widths.size()) return;
    --widths[best];
    --total;
  }
}

void write_table_rows(std::ostream& out, const std::vector<std::string>& columns,
                      const std::vector<std::vector<std::string>>& rows, const OutputOptions& opts);

void write_table(std::ostream& out, const std::vector<Record>& records,
                 const std::vector<std::string>& columns, const OutputOptions& opts) {
  std::vector<std::vector<std::string>> rows;
  rows.reserve(records.size());
  for (const auto& r : records) {
    std::vector<std::string> row;
    row.reserve(columns.size());
    for (const auto& c : columns) row.push_back(column_text(r, c, kTableSep));
    rows.push_back(std::move(row));
  }
  write_table_rows(out, columns, rows, opts);
}

// Rows of plain cell text (not yet made terminal-safe).
void write_table_rows(std::ostream& out, const std::vector<std::string>& columns,
                      const std::vector<std::vector<std::string>>& raw_rows, const OutputOptions& opts) {
  if (raw_rows.empty() || columns.empty()) return;

  const std::size_t ncols = columns.size();
  std::vector<std::string> header;
  header.reserve(ncols);
  for (const auto& c : columns) header.push_back(table_cell(c));

  std::vector<std::vector<std::string>> rows;
  rows.reserve(raw_rows.size());
  for (const auto& raw : raw_rows) {
    std::vector<std::string> row;
    row.reserve(ncols);
    for (std::size_t i = 0; i < ncols; ++i) row.push_back(table_cell(i < raw.size() ? raw[i] : std::string()));
    rows.push_back(std::move(row));
  }

  std::vector<std::size_t> widths(ncols, 0);
  std::vector<std::size_t> floors(ncols, kMinShrunkWidth);
  for (std::size_t i = 0; i < ncols; ++i) {
    if (opts.header) {
      const auto hw = crm::text::display_width(header[i]);
      widths[i] = hw;
      floors[i] = std::max(floors[i], hw);
    }
    for (const auto& row : rows) widths[i] = std::max(widths[i], crm::text::display_width(row[i]));
  }
  if (opts.width > 0) fit_widths(widths, floors, opts.width);

  auto render = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (std::size_t i = 0; i < ncols; ++i) {
      if (i > 0) line += kColumnGap;
      std::string cell = cells[i];
      if (crm::text::display_width(cell) > widths[i])
        cell = crm::text::truncate_to_width(cell, widths[i]);
      // The last column is not padded: no trailing spaces on any line.
      line += (i + 1 < ncols) ? crm::text::pad_right(cell, widths[i]) : cell;
    }
    // Empty trailing cells still leave the gap and padding of earlier ones.
    rtrim_spaces(line);
    return line;
  };

  if (opts.header) {
    const std::string line = render(header);
    if (opts.color)
      out << kHeaderOn << line << kHeaderOff << '\n';
    else
      out << line << '\n';
  }
  for (const auto& row : rows) out << render(row) << '\n';
}

// ---------------------------------------------------------------- tsv / csv

// TSV has no quoting, so characters that would split a cell or a line become spaces.
std::string tsv_cell(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c == '\t' || c == '\r' || c == '\n') c = ' ';
  return out;
}

void write_tsv(std::ostream& out, const std::vector<Record>& records,
               const std::vector<std::string>& columns, const OutputOptions& opts) {
  auto line = [&](auto&& cell_of) {
    std::string s;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (i > 0) s += '\t';
      s += tsv_cell(cell_of(i));
    }
    out << s << '\n';
  };
  if (opts.header && !columns.empty()) line([&](std::size_t i) { return columns[i]; });
  for (const auto& r : records)
    line([&](std::size_t i) { return column_text(r, columns[i], kTableSep); });
}

void write_csv(std::ostream& out, const std::vector<Record>& records,
               const std::vector<std::string>& columns, const OutputOptions& opts) {
  auto line = [&](auto&& cell_of) {
    std::string s;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (i > 0) s += ',';
      s += csv_quote(cell_of(i), opts.csv_formula_guard);
    }
    out << s << "\r\n";
  };
  if (opts.header && !columns.empty()) line([&](std::size_t i) { return columns[i]; });
  for (const auto& r : records)
    line([&](std::size_t i) { return column_text(r, columns[i], kCsvSep); });
}

// A signed plain number or phone number, or a list of them: '+' or '-' followed
// only by digits, spaces, '.', '-', '(', ')' and the "; " between numbers,
// with at least one digit. Such a cell cannot name a function or reference a
// cell, so a spreadsheet can at worst compute it as arithmetic; guarding it would
// break every "+40 722 123 456", "+44 20 7946 0958; +40 722 123 456" and "-12.50".
bool is_signed_number_or_phone(std::string_view s) {
  if (s.size() < 2 || (s[0] != '+' && s[0] != '-')) return false;
  bool digit = false;
  for (std::size_t i = 1; i < s.size(); ++i) {
    const char c = s[i];
    // A '+' only starts the next number of a list ("; +40").
    const bool next_number = c == '+' && i >= 2 && s.substr(i - 2, 2) == "; ";
    if (c >= '0' && c <= '9') {
      digit = true;
    } else if (c != ' ' && c != '.' && c != '-' && c != '(' && c != ')' && c != ';' && !next_number) {
      return false;
    }
  }
  return digit;
}

bool starts_formula(std::string_view s) {
  if (s.empty()) return false;
  switch (s[0]) {
  case '=':
  case '@':
  case '\t':
  case '\r':
    return true;
  case '+':
  case '-':
    // Digits of any script a phone number is written in count as digits.
    return !is_signed_number_or_phone(contact_point::ascii_phone(s));
  default:
    return false;
  }
}

void write_yaml_value(std::ostream& out, const Json& v) {
  YAML::Emitter e;
  crm::yaml::emit(e, v);
  if (!e.good()) throw Error(ErrorKind::io, fmt::format("cannot write YAML: {}", e.GetLastError()));
  out << e.c_str() << '\n';
}

// ---------------------------------------------------------------- ids

void write_id(std::ostream& out, const Record& record, const std::string& id_field) {
  const auto it = record.is_object() ? record.find(id_field) : record.end();
  if (it == record.end())
    throw Error(ErrorKind::usage, "these rows have no ids to print", {"--format tsv or --format json shows them"});
  const std::string id = cell_text(*it);
  if (!id.empty()) out << id << '\n';
}

} // namespace

Format parse_format(std::string_view name) {
  for (const auto& [n, f] : kFormats)
    if (n == name) return f;
  throw Error(ErrorKind::usage, fmt::format("unknown format '{}'", name),
              {"valid formats: table, json, jsonl, csv, tsv, yaml, ids"});
}

std::vector<std::string_view> format_names() {
  std::vector<std::string_view> names;
  for (const auto& [n, f] : kFormats) names.push_back(n);
  return names;
}

std::string_view format_name(Format f) {
  for (const auto& [n, fmt_] : kFormats)
    if (fmt_ == f) return n;
  return "table";
}

std::string cell_text(const nlohmann::ordered_json& value, std::string_view list_sep) {
  switch (value.type()) {
  case Json::value_t::null:
  case Json::value_t::discarded:
    return {};
  case Json::value_t::string:
    return value.get<std::string>();
  case Json::value_t::boolean:
    return value.get<bool>() ? "true" : "false";
  case Json::value_t::array: {
    std::string out;
    for (const auto& item : value) {
      std::string piece;
      if (item.is_object()) {
        // e.g. an email {"address": ..., "label": ...}: its first string says it all.
        for (const auto& [k, v] : item.items()) {
          if (v.is_string()) {
            piece = v.get<std::string>();
            break;
          }
        }
      } else {
        piece = cell_text(item, list_sep);
      }
      // Nulls and objects without text would only leave dangling separators.
      if (piece.empty()) continue;
      if (!out.empty()) out += list_sep;
      out += piece;
    }
    return out;
  }
  case Json::value_t::object: {
    std::string out;
    bool first = true;
    for (const auto& [k, v] : value.items()) {
      if (!first) out += list_sep;
      first = false;
      out += k;
      out += '=';
      out += cell_text(v, list_sep);
    }
    return out;
  }
  default:
    return value.dump();
  }
}

std::string csv_quote(std::string_view cell, bool formula_guard) {
  std::string s;
  if (formula_guard && starts_formula(cell)) s += '\'';
  s += cell;
  const bool edge_space = !s.empty() && (s.front() == ' ' || s.front() == '\t' ||
                                         s.back() == ' ' || s.back() == '\t');
  if (!edge_space && s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string q;
  q.reserve(s.size() + 2);
  q += '"';
  for (char c : s) {
    if (c == '"') q += '"';
    q += c;
  }
  q += '"';
  return q;
}

namespace {

// Re-indents compact JSON exactly as nlohmann's dump(2) would print it, without
// building a DOM: the index already holds each record as compact JSON.
void write_pretty_json(std::ostream& out, std::string_view json, int indent) {
  std::string buf;
  buf.reserve(json.size() * 2);
  auto newline = [&](int level) {
    buf += '\n';
    buf.append(static_cast<std::size_t>(level), ' ');
  };
  buf.append(static_cast<std::size_t>(indent), ' ');
  bool in_string = false;
  for (std::size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (in_string) {
      buf += c;
      if (c == '\\' && i + 1 < json.size()) buf += json[++i];
      else if (c == '"') in_string = false;
      continue;
    }
    switch (c) {
    case '"': in_string = true; buf += c; break;
    case '{':
    case '[':
      if (i + 1 < json.size() && (json[i + 1] == '}' || json[i + 1] == ']')) {
        buf += c;
        buf += json[++i];
      } else {
        buf += c;
        indent += 2;
        newline(indent);
      }
      break;
    case '}':
    case ']':
      indent -= 2;
      newline(indent);
      buf += c;
      break;
    case ',': buf += ','; newline(indent); break;
    case ':': buf += ": "; break;
    default: buf += c;
    }
  }
  out << buf;
}

} // namespace

RecordStream::RecordStream(std::ostream& out, std::vector<std::string> columns, OutputOptions opts)
    : out_(out), columns_(std::move(columns)), opts_(opts) {}

void RecordStream::start() {
  if (started_) return;
  started_ = true;
  if (opts_.format == Format::tsv || opts_.format == Format::csv)
    write_records(out_, {}, columns_, opts_); // the header line alone
  else if (opts_.format == Format::json)
    out_ << "[\n";
}

void RecordStream::add(const Record& record) {
  switch (opts_.format) {
  case Format::table:
  case Format::yaml:
    held_.push_back(record);
    break;
  case Format::json:
    add_json(dump_compact(record));
    return;
  case Format::tsv: {
    start();
    std::string line;
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      if (i > 0) line += '\t';
      line += tsv_cell(column_text(record, columns_[i], kTableSep));
    }
    line += '\n';
    out_ << line;
    break;
  }
  case Format::csv: {
    start();
    std::string line;
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      if (i > 0) line += ',';
      line += csv_quote(column_text(record, columns_[i], kCsvSep), opts_.csv_formula_guard);
    }
    line += "\r\n";
    out_ << line;
    break;
  }
  default:
    write_records(out_, std::vector<Record>(1, record), columns_, opts_);
  }
  ++count_;
}

void RecordStream::add_cells(const std::vector<std::string_view>& cells) {
  std::string line;
  switch (opts_.format) {
  case Format::table:
    held_rows_.emplace_back(cells.begin(), cells.end());
    break;
  case Format::tsv:
    start();
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) line += '\t';
      line += tsv_cell(cells[i]);
    }
    line += '\n';
    out_ << line;
    break;
  case Format::csv:
    start();
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) line += ',';
      line += csv_quote(cells[i], opts_.csv_formula_guard);
    }
    line += "\r\n";
    out_ << line;
    break;
  default:
    throw Error(ErrorKind::io, "cells given for a format that needs records");
  }
  ++count_;
}

void RecordStream::add_json(std::string_view compact_json) {
  if (!takes_json()) {
    add(Record::parse(compact_json));
    return;
  }
  start();
  if (opts_.format == Format::json) {
    if (count_ > 0) out_ << ",\n";
    write_pretty_json(out_, compact_json, 2);
  } else {
    out_ << compact_json << '\n';
  }
  ++count_;
}

void RecordStream::finish() {
  if (!held_rows_.empty()) {
    write_table_rows(out_, columns_, held_rows_, opts_);
    held_rows_.clear();
    return;
  }
  if (opts_.format == Format::table || opts_.format == Format::yaml) {
    write_records(out_, held_, columns_, opts_);
    held_.clear();
    return;
  }
  if (opts_.format == Format::json) {
    if (count_ == 0) {
      out_ << "[]\n";
      return;
    }
    out_ << "\n]\n";
    return;
  }
  start(); // tsv/csv print their header even with no rows
}

void write_records(std::ostream& out, const std::vector<Record>& records,
                   const std::vector<std::string>& columns, const OutputOptions& opts) {
  switch (opts.format) {
  case Format::table:
    write_table(out, records, columns, opts);
    return;
  case Format::tsv:
    write_tsv(out, records, columns, opts);
    return;
  case Format::csv:
    write_csv(out, records, columns, opts);
    return;
  case Format::json: {
    Json arr = Json::array();
    for (const auto& r : records) arr.push_back(r);
    out << dump_pretty(arr) << '\n';
    return;
  }
  case Format::jsonl:
    for (const auto& r : records) out << dump_compact(r) << '\n';
    return;
  case Format::yaml:
    if (records.empty()) {
      out << "[]\n";
      return;
    }
    {
      Json arr = Json::array();
      for (const auto& r : records) arr.push_back(r);
      write_yaml_value(out, arr);
    }
    return;
  case Format::ids:
    for (const auto& r : records) write_id(out, r, opts.id_field);
    return;
  }
}

void write_record(std::ostream& out, const Record& record, const OutputOptions& opts) {
  switch (opts.format) {
  case Format::json:
    out << dump_pretty(record) << '\n';
    return;
  case Format::jsonl:
    out << dump_compact(record) << '\n';
    return;
  case Format::yaml:
    write_yaml_value(out, record);
    return;
  case Format::ids:
    write_id(out, record, opts.id_field);
    return;
  case Format::table:
  case Format::tsv:
  case Format::csv: {
    // No column list here: a single record shows all of its own keys, in order.
    std::vector<std::string> columns;
    if (record.is_object())
      for (const auto& [k, v] : record.items()) columns.push_back(k);
    write_records(out, std::vector<Record>(1, record), columns, opts);
    return;
  }
  }
}

} // namespace crm::format
