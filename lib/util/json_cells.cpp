#include "util/json_cells.hpp"

#include <cstdint>

#include "util/error.hpp"

namespace crm::json_cells {
namespace {

class Reader {
public:
  Reader(std::string_view s, std::string_view sep) : s_(s), sep_(sep) {}

  void row(std::vector<std::string>& cells) {
    cells.clear();
    skip_ws();
    expect('[');
    skip_ws();
    if (peek() == ']') return;
    for (;;) {
      std::string cell;
      value(cell, 0);
      cells.push_back(std::move(cell));
      skip_ws();
      if (peek() == ',') {
        ++i_;
        continue;
      }
      expect(']');
      return;
    }
  }

private:
  [[noreturn]] void fail() const { throw Error(ErrorKind::io, "malformed JSON in the index"); }
  char peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
  void expect(char c) {
    skip_ws();
    if (peek() != c) fail();
    ++i_;
  }
  void skip_ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\t' || s_[i_] == '\r')) ++i_;
  }

  void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  std::uint32_t hex4() {
    if (i_ + 4 > s_.size()) fail();
    std::uint32_t v = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = s_[i_++];
      v <<= 4;
      if (c >= '0' && c <= '9') v |= static_cast<std::uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f') v |= static_cast<std::uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') v |= static_cast<std::uint32_t>(c - 'A' + 10);
      else fail();
    }
    return v;
  }

  // Reads a string (the opening quote is at i_) into `out`.
  void string(std::string& out) {
    ++i_;
    for (;;) {
      if (i_ >= s_.size()) fail();
      const char c = s_[i_++];
      if (c == '"') return;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (i_ >= s_.size()) fail();
      const char e = s_[i_++];
      switch (e) {
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      case '/': out += '/'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'u': {
        std::uint32_t cp = hex4();
        if (cp >= 0xD800 && cp <= 0xDBFF && i_ + 6 <= s_.size() && s_[i_] == '\\' && s_[i_ + 1] == 'u') {
          i_ += 2;
          const std::uint32_t low = hex4();
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        }
        append_utf8(out, cp);
        break;
      }
      default: fail();
      }
    }
  }

  void skip_value() {
    std::string ignored;
    value(ignored, 2);
  }

  // depth 0: a cell; 1: an item of a list in a cell; 2: discard.
  void value(std::string& out, int depth) {
    skip_ws();
    const char c = peek();
    if (c == '"') {
      string(out);
    } else if (c == '[') {
      ++i_;
      skip_ws();
      bool first = true;
      while (peek() != ']') {
        std::string item;
        value(item, depth == 0 ? 1 : 2);
        if (!item.empty() && depth < 2) {
          if (!first) out += sep_;
          out += item;
          first = false;
        }
        skip_ws();
        if (peek() == ',') ++i_, skip_ws();
        else if (peek() != ']') fail();
      }
      ++i_;
    } else if (c == '{') {
      ++i_;
      skip_ws();
      bool first = true, taken = false;
      while (peek() != '}') {
        if (peek() != '"') fail();
        std::string key;
        string(key);
        expect(':');
        skip_ws();
        if (depth == 1) {
          // An object inside a list: its first string value stands for it.
          if (!taken && peek() == '"') {
            string(out);
            taken = true;
          } else {
            skip_value();
          }
        } else {
          std::string v;
          value(v, depth == 0 ? 1 : 2);
          if (depth == 0) {
            if (!first) out += sep_;
            out += key;
            out += '=';
            out += v;
            first = false;
          }
        }
        skip_ws();
        if (peek() == ',') ++i_, skip_ws();
        else if (peek() != '}') fail();
      }
      ++i_;
    } else if (s_.substr(i_, 4) == "null") {
      i_ += 4;
    } else {
      // true, false or a number: as written.
      const std::size_t start = i_;
      while (i_ < s_.size() && s_[i_] != ',' && s_[i_] != ']' && s_[i_] != '}' && s_[i_] != ' ') ++i_;
      if (i_ == start) fail();
      out.append(s_.substr(start, i_ - start));
    }
  }

  std::string_view s_, sep_;
  std::size_t i_ = 0;
};

} // namespace

void split_row(std::string_view array_json, std::string_view separator, std::vector<std::string>& cells) {
  Reader(array_json, separator).row(cells);
}

} // namespace crm::json_cells
