#include "query/filter.hpp"

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/text.hpp"

namespace crm::query {

void filter_error(std::size_t column, const std::string& message) {
  throw Error(ErrorKind::invalid_data, fmt::format("bad filter at column {}: {}", column, message));
}

namespace {

struct Token {
  enum class Kind { word, string, op, open, close, comma, end };
  Kind kind = Kind::end;
  std::string text;
  std::size_t column = 0;
};

bool is_special(char c) {
  return c == '(' || c == ')' || c == ',' || c == '=' || c == '!' || c == '<' || c == '>' || c == '~' || c == '"' ||
         c == '\'' || c == ';' || static_cast<unsigned char>(c) < 0x20 || c == 0x7F;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::vector<Token> tokenize(std::string_view s) {
  std::vector<Token> out;
  std::size_t i = 0, column = 1;
  // Columns count characters, not bytes: continuation bytes do not advance.
  auto advance = [&](std::size_t n) {
    for (std::size_t k = 0; k < n && i < s.size(); ++k, ++i)
      if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++column;
  };
  while (i < s.size()) {
    const char c = s[i];
    if (is_space(c)) {
      advance(1);
      continue;
    }
    if (c == ';') filter_error(column, "unexpected ';' (a filter is one expression)");
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) filter_error(column, "unexpected control character");
    Token t;
    t.column = column;
    if (c == '(' || c == ')' || c == ',') {
      t.kind = c == '(' ? Token::Kind::open : c == ')' ? Token::Kind::close : Token::Kind::comma;
      t.text = std::string(1, c);
      advance(1);
    } else if (c == '=' || c == '~') {
      t.kind = Token::Kind::op;
      t.text = std::string(1, c);
      advance(1);
    } else if (c == '!' || c == '<' || c == '>') {
      t.kind = Token::Kind::op;
      const bool with_equals = i + 1 < s.size() && s[i + 1] == '=';
      if (c == '!' && !with_equals) filter_error(column, "expected '!=' (use 'not' to negate)");
      t.text = std::string(s.substr(i, with_equals ? 2 : 1));
      advance(with_equals ? 2 : 1);
    } else if (c == '"' || c == '\'') {
      t.kind = Token::Kind::string;
      advance(1);
      bool closed = false;
      while (i < s.size()) {
        if (s[i] == c) {
          closed = true;
          advance(1);
          break;
        }
        if (s[i] == '\\' && i + 1 < s.size() && (s[i + 1] == c || s[i + 1] == '\\')) {
          t.text += s[i + 1];
          advance(2);
          continue;
        }
        t.text += s[i];
        advance(1);
      }
      if (!closed) filter_error(t.column, fmt::format("unterminated string (expected a closing {})", c));
    } else {
      t.kind = Token::Kind::word;
      const std::size_t start = i;
      while (i < s.size() && !is_space(s[i]) && !is_special(s[i])) advance(1);
      t.text = std::string(s.substr(start, i - start));
    }
    out.push_back(std::move(t));
  }
  out.push_back({Token::Kind::end, "", column});
  return out;
}

bool is_keyword(const Token& t, std::string_view word) {
  return t.kind == Token::Kind::word && text::ascii_lower(t.text) == word;
}

bool is_field_name(std::string_view s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.')) return false;
  return s.back() != '.';
}

std::string describe(const Token& t) {
  switch (t.kind) {
  case Token::Kind::end: return "the end";
  case Token::Kind::string: return fmt::format("\"{}\"", t.text);
  default: return fmt::format("'{}'", t.text);
  }
}

class Parser {
public:
  explicit Parser(std::string_view text) : tokens_(tokenize(text)) {}

  // Limits (README, "Limits"): a filter comes from a segment file or a config
  // rule that anyone with push access can write; recursion must not overflow the
  // stack, and SQLite refuses expressions over 1000 levels deep.
  static constexpr int max_depth = 64;
  static constexpr std::size_t max_terms = 256;

  FilterNode parse() {
    FilterNode n = parse_or();
    const Token& t = peek();
    if (t.kind != Token::Kind::end)
      filter_error(t.column, t.kind == Token::Kind::close ? "unexpected ')' (no '(' to close)"
                                                         : fmt::format("unexpected {}", describe(t)));
    return n;
  }

private:
  const Token& peek() const { return tokens_[pos_]; }
  const Token& next() { return tokens_[pos_ < tokens_.size() - 1 ? pos_++ : pos_]; }

  // A term can start here (for `a b`, meaning `a and b`).
  bool term_starts() const {
    const Token& t = peek();
    if (t.kind == Token::Kind::open || t.kind == Token::Kind::string) return true;
    return t.kind == Token::Kind::word && !is_keyword(t, "or") && !is_keyword(t, "and");
  }

  FilterNode parse_or() {
    FilterNode first = parse_and();
    if (!is_keyword(peek(), "or")) return first;
    FilterNode any;
    any.kind = FilterNode::Kind::any_of;
    any.column = first.column;
    any.children.push_back(std::move(first));
    while (is_keyword(peek(), "or")) {
      next();
      any.children.push_back(parse_and());
    }
    return any;
  }

  FilterNode parse_and() {
    FilterNode first = parse_unary();
    FilterNode all;
    all.kind = FilterNode::Kind::all_of;
    all.column = first.column;
    all.children.push_back(std::move(first));
    for (;;) {
      if (is_keyword(peek(), "and")) next();
      else if (!term_starts()) break;
      all.children.push_back(parse_unary());
    }
    if (all.children.size() == 1) return std::move(all.children.front());
    return all;
  }

  // Counts one level of nesting ('(' or 'not') for its scope.
  struct Nesting {
    Parser& p;
    Nesting(Parser& parser, std::size_t column) : p(parser) {
      if (++p.depth_ > max_depth) filter_error(column, fmt::format("nested more than {} levels deep", max_depth));
    }
    ~Nesting() { --p.depth_; }
  };

  FilterNode parse_unary() {
    if (is_keyword(peek(), "not")) {
      Nesting nesting(*this, peek().column);
      const Token& t = next();
      FilterNode n;
    n.kind = FilterNode::Kind::negation;
      n.column = t.column;
      n.children.push_back(parse_unary());
      return n;
    }
    return parse_primary();
  }

  Literal value(const char* what) {
    const Token& t = peek();
    if (t.kind != Token::Kind::word && t.kind != Token::Kind::string)
      filter_error(t.column, fmt::format("expected {}, found {}", what, describe(t)));
    next();
    return {t.text, t.kind == Token::Kind::string, t.column};
  }

  FilterNode parse_primary() {
    const Token& t = peek();
    if (++terms_ > max_terms) filter_error(t.column, fmt::format("more than {} terms", max_terms));
    if (t.kind == Token::Kind::open) {
      Nesting nesting(*this, t.column);
      next();
      FilterNode inner = parse_or();
      if (peek().kind != Token::Kind::close)
        filter_error(peek().column, fmt::format("expected ')', found {}", describe(peek())));
      next();
      return inner;
    }
    if (t.kind == Token::Kind::string) { // a quoted tag: "follow up"
      next();
      FilterNode n;
    n.kind = FilterNode::Kind::tag;
      n.column = t.column;
      n.values.push_back({t.text, true, t.column});
      return n;
    }
    if (t.kind != Token::Kind::word || is_keyword(t, "and") || is_keyword(t, "or") || is_keyword(t, "in"))
      filter_error(t.column, fmt::format("expected a field, a tag or '(', found {}", describe(t)));
    next();
    FilterNode n;
    n.column = t.column;
    if (text::ascii_lower(t.text).rfind("has:", 0) == 0) {
      n.kind = FilterNode::Kind::has;
      n.field = t.text.substr(4);
      if (!is_field_name(n.field)) filter_error(t.column + 4, "expected a field name after 'has:'");
      return n;
    }
    if (peek().kind == Token::Kind::op) {
      if (!is_field_name(t.text)) filter_error(t.column, fmt::format("expected a field name, found '{}'", t.text));
      n.kind = FilterNode::Kind::comparison;
      n.field = t.text;
      n.op = next().text;
      n.values.push_back(value("a value"));
      return n;
    }
    if (is_keyword(peek(), "in")) {
      if (!is_field_name(t.text)) filter_error(t.column, fmt::format("expected a field name, found '{}'", t.text));
      next();
      n.kind = FilterNode::Kind::one_of;
      n.field = t.text;
      if (peek().kind != Token::Kind::open)
        filter_error(peek().column, fmt::format("expected '(' after 'in', found {}", describe(peek())));
      next();
      n.values.push_back(value("a value"));
      while (peek().kind == Token::Kind::comma) {
        next();
        n.values.push_back(value("a value"));
      }
      if (peek().kind != Token::Kind::close)
        filter_error(peek().column, fmt::format("expected ',' or ')', found {}", describe(peek())));
      next();
      return n;
    }
    // "tag:vip" reads like a field and a value; a tag with a colon is quoted.
    if (t.text.find(':') != std::string::npos)
      filter_error(t.column, fmt::format("unexpected '{}' (a tag is a bare word: {}; write \"{}\" for a tag with ':')",
                                         t.text, t.text.substr(t.text.find(':') + 1), t.text));
    n.kind = FilterNode::Kind::tag;
    n.values.push_back({t.text, false, t.column});
    return n;
  }

  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  int depth_ = 0;
  std::size_t terms_ = 0;
};

} // namespace

FilterNode parse_filter(std::string_view text) { return Parser(text).parse(); }

} // namespace crm::query
