#include <doctest/doctest.h>

#include <string>

#include "query/filter.hpp"
#include "test_support.hpp"

using crm::query::FilterNode;
using crm::query::parse_filter;
using Kind = crm::query::FilterNode::Kind;

namespace {

// The tree as one line: and(...), or(...), not(...), field OP value, field in (...),
// has:field, #tag; quoted values in "", bare ones as they are, then @column.
std::string show(const FilterNode& n) {
  auto values = [&] {
    std::string out;
    for (std::size_t i = 0; i < n.values.size(); ++i) {
      const auto& v = n.values[i];
      out += (i ? ", " : "") + (v.quoted ? "\"" + v.text + "\"" : v.text) + "@" + std::to_string(v.column);
    }
    return out;
  };
  auto children = [&] {
    std::string out;
    for (std::size_t i = 0; i < n.children.size(); ++i) out += (i ? ", " : "") + show(n.children[i]);
    return out;
  };
  switch (n.kind) {
  case Kind::all_of: return "and(" + children() + ")";
  case Kind::any_of: return "or(" + children() + ")";
  case Kind::negation: return "not(" + children() + ")";
  case Kind::comparison: return n.field + " " + n.op + " " + values();
  case Kind::one_of: return n.field + " in (" + values() + ")";
  case Kind::has: return "has:" + n.field;
  case Kind::tag: return "#" + values();
  }
  return "?";
}

std::string parsed(const std::string& text) { return show(parse_filter(text)); }

std::string error_of(const std::string& text) {
  return crm_test::invalid_data_message([&] { parse_filter(text); });
}

} // namespace

TEST_SUITE_BEGIN("query");

// ------------------------------------------------------------------ terms

TEST_CASE("filter: a comparison for every operator") {
  for (const std::string op : {"=", "!=", "<", "<=", ">", ">=", "~"}) {
    CAPTURE(op);
    CHECK(parsed("revenue " + op + " 100") == "revenue " + op + " 100@" + std::to_string(10 + op.size()));
    // Spaces around the operator are optional.
    CHECK(parsed("revenue" + op + "100") == "revenue " + op + " 100@" + std::to_string(8 + op.size()));
  }
}

TEST_CASE("filter: a bare word or a quoted string alone is a tag") {
  CHECK(parsed("vip") == "#vip@1");
  CHECK(parsed("  vip  ") == "#vip@3");
  CHECK(parsed("\"follow up\"") == "#\"follow up\"@1");
  CHECK(parsed("'follow up'") == "#\"follow up\"@1");
  const auto n = parse_filter("vip");
  CHECK(n.kind == Kind::tag);
  CHECK(n.column == 1);
  CHECK_FALSE(n.values.front().quoted);
}

TEST_CASE("filter: has:field and dotted custom names") {
  CHECK(parsed("has:email") == "has:email");
  CHECK(parsed("HAS:email") == "has:email");
  CHECK(parsed("custom.tier = gold") == "custom.tier = gold@15");
  CHECK(parsed("has:custom.tier") == "has:custom.tier");
}

TEST_CASE("filter: field in (a, b, c), quoted values kept as text") {
  CHECK(parsed("stage in (lead, prospect)") == "stage in (lead@11, prospect@17)");
  CHECK(parsed("stage IN (lead)") == "stage in (lead@11)");
  CHECK(parsed("city in (\"Cluj-Napoca\", Iasi)") == "city in (\"Cluj-Napoca\"@10, Iasi@25)");
  const auto n = parse_filter("stage in (lead,prospect)");
  CHECK(n.kind == Kind::one_of);
  REQUIRE(n.values.size() == 2);
  CHECK(n.values[1].text == "prospect");
}

TEST_CASE("filter: quoted strings with escapes") {
  CHECK(parse_filter(R"(name = "say \"hi\"")").values.front().text == "say \"hi\"");
  CHECK(parse_filter(R"(name = 'it\'s')").values.front().text == "it's");
  CHECK(parse_filter(R"(name = "back\\slash")").values.front().text == "back\\slash");
  // Any other backslash stays as written; the other quote needs no escape.
  CHECK(parse_filter(R"(name = "a\nb")").values.front().text == "a\\nb");
  CHECK(parse_filter(R"(name = "O'Brien")").values.front().text == "O'Brien");
  CHECK(parse_filter(R"(name = 'say "hi"')").values.front().text == "say \"hi\"");
  // Operators, parentheses and keywords inside quotes are text.
  CHECK(parse_filter(R"(name = "a and (b) or c != d")").values.front().text == "a and (b) or c != d");
  CHECK(parse_filter(R"(name = "")").values.front().text == "");
  CHECK(parse_filter(R"(name = "x")").values.front().quoted);
  CHECK_FALSE(parse_filter("name = x").values.front().quoted);
}

TEST_CASE("filter: a value may be any word, a keyword included once after an operator") {
  CHECK(parsed("last_purchase < -90d") == "last_purchase < -90d@17");
  CHECK(parsed("email ~ @example.ro") == "email ~ @example.ro@9");
  CHECK(parsed("city = Iași") == "city = Iași@8");
  CHECK(parsed("title = and") == "title = and@9");
}

// ------------------------------------------------------------------ combining

TEST_CASE("filter: and binds tighter than or") {
  CHECK(parsed("a or b and c") == "or(#a@1, and(#b@6, #c@12))");
  CHECK(parsed("a and b or c") == "or(and(#a@1, #b@7), #c@12)");
  CHECK(parsed("a or b or c") == "or(#a@1, #b@6, #c@11)");
  CHECK(parsed("a and b and c") == "and(#a@1, #b@7, #c@13)");
}

TEST_CASE("filter: terms side by side mean and") {
  CHECK(parsed("vip city = Cluj") == "and(#vip@1, city = Cluj@12)");
  CHECK(parsed("a b or c") == "or(and(#a@1, #b@3), #c@8)");
  CHECK(parsed("a (b or c)") == "and(#a@1, or(#b@4, #c@9))");
  CHECK(parsed("a \"b c\"") == "and(#a@1, #\"b c\"@3)");
}

TEST_CASE("filter: parentheses group, keywords are case-insensitive") {
  CHECK(parsed("(a or b) and c") == "and(or(#a@2, #b@7), #c@14)");
  CHECK(parsed("a OR b AND c") == "or(#a@1, and(#b@6, #c@12))");
  CHECK(parsed("((a))") == "#a@3");
  CHECK(parsed("(a)b") == "and(#a@2, #b@4)");
}

TEST_CASE("filter: not applies to the next term only") {
  CHECK(parsed("not vip") == "not(#vip@5)");
  CHECK(parsed("NOT vip") == "not(#vip@5)");
  CHECK(parsed("not a and b") == "and(not(#a@5), #b@11)");
  CHECK(parsed("not (a or b)") == "not(or(#a@6, #b@11))");
  CHECK(parsed("not not a") == "not(not(#a@9))");
  CHECK(parsed("not has:email") == "not(has:email)");
  CHECK(parsed("a not b") == "and(#a@1, not(#b@7))");
  const auto n = parse_filter("x or not y");
  REQUIRE(n.children.size() == 2);
  CHECK(n.children[1].kind == Kind::negation);
  CHECK(n.children[1].column == 6);
}

// ------------------------------------------------------------------ errors

TEST_CASE("filter: a semicolon or a control character is an error, not part of a tag") {
  CHECK(error_of("vip; DROP TABLE contacts; --") == "bad filter at column 4: unexpected ';' (a filter is one expression)");
  CHECK(error_of(std::string("vip\x01x")) == "bad filter at column 4: unexpected control character");
}

TEST_CASE("filter: nesting deeper than 64 levels or more than 256 terms is an error, whatever the input size") {
  std::string deep(64, '(');
  deep += "vip" + std::string(64, ')');
  CHECK(crm::query::parse_filter(deep).kind == crm::query::FilterNode::Kind::tag);
  CHECK(error_of("(" + deep + ")") == "bad filter at column 65: nested more than 64 levels deep");
  std::string nots;
  for (int i = 0; i < 8000; ++i) nots += "not ";
  CHECK(error_of(nots + "vip") == "bad filter at column 257: nested more than 64 levels deep");
  CHECK(error_of(std::string(8000, '(') + "vip" + std::string(8000, ')')) ==
        "bad filter at column 65: nested more than 64 levels deep");
  std::string many = "t0";
  for (int i = 1; i < 256; ++i) many += " or t" + std::to_string(i);
  CHECK(crm::query::parse_filter(many).children.size() == 256);
  CHECK(error_of(many + " or t256").starts_with("bad filter at column "));
  CHECK(error_of(many + " or t256").ends_with(": more than 256 terms"));
}

TEST_CASE("filter: an empty filter is an error at column 1") {
  CHECK(error_of("") == "bad filter at column 1: expected a field, a tag or '(', found the end");
  CHECK(error_of("   ") == "bad filter at column 4: expected a field, a tag or '(', found the end");
  CHECK(error_of("()") == "bad filter at column 2: expected a field, a tag or '(', found ')'");
}

TEST_CASE("filter: a dangling and/or/not is an error at the end") {
  CHECK(error_of("vip and") == "bad filter at column 8: expected a field, a tag or '(', found the end");
  CHECK(error_of("vip or") == "bad filter at column 7: expected a field, a tag or '(', found the end");
  CHECK(error_of("not") == "bad filter at column 4: expected a field, a tag or '(', found the end");
  CHECK(error_of("and vip") == "bad filter at column 1: expected a field, a tag or '(', found 'and'");
  CHECK(error_of("vip or or b") == "bad filter at column 8: expected a field, a tag or '(', found 'or'");
  CHECK(error_of("a and or b") == "bad filter at column 7: expected a field, a tag or '(', found 'or'");
}

TEST_CASE("filter: a comparison without its value") {
  CHECK(error_of("revenue >") == "bad filter at column 10: expected a value, found the end");
  CHECK(error_of("city = )") == "bad filter at column 8: expected a value, found ')'");
  CHECK(error_of("city = = x") == "bad filter at column 8: expected a value, found '='");
  CHECK(error_of("= 5") == "bad filter at column 1: expected a field, a tag or '(', found '='");
}

TEST_CASE("filter: an operator where a term should follow") {
  CHECK(error_of("vip >= ") == "bad filter at column 8: expected a value, found the end");
  CHECK(error_of("a b c =") == "bad filter at column 8: expected a value, found the end");
  CHECK(error_of("vip ~") == "bad filter at column 6: expected a value, found the end");
}

TEST_CASE("filter: unbalanced parentheses") {
  CHECK(error_of("(vip") == "bad filter at column 5: expected ')', found the end");
  CHECK(error_of("(a or (b and c)") == "bad filter at column 16: expected ')', found the end");
  CHECK(error_of("vip)") == "bad filter at column 4: unexpected ')' (no '(' to close)");
  CHECK(error_of("(a) )") == "bad filter at column 5: unexpected ')' (no '(' to close)");
  CHECK(error_of(")") == "bad filter at column 1: expected a field, a tag or '(', found ')'");
  CHECK(error_of("a, b") == "bad filter at column 2: unexpected ','");
}

TEST_CASE("filter: a lone ! asks for != or not") {
  CHECK(error_of("!vip") == "bad filter at column 1: expected '!=' (use 'not' to negate)");
  CHECK(error_of("city ! Cluj") == "bad filter at column 6: expected '!=' (use 'not' to negate)");
  CHECK(error_of("city !") == "bad filter at column 6: expected '!=' (use 'not' to negate)");
}

TEST_CASE("filter: an unterminated string points at its opening quote") {
  CHECK(error_of("name = \"Ana") == "bad filter at column 8: unterminated string (expected a closing \")");
  CHECK(error_of("name = 'Ana") == "bad filter at column 8: unterminated string (expected a closing ')");
  // An escaped quote does not close it.
  CHECK(error_of(R"(name = "Ana\")") == "bad filter at column 8: unterminated string (expected a closing \")");
}

TEST_CASE("filter: in needs a parenthesised list") {
  CHECK(error_of("stage in lead") == "bad filter at column 10: expected '(' after 'in', found 'lead'");
  CHECK(error_of("stage in (lead") == "bad filter at column 15: expected ',' or ')', found the end");
  CHECK(error_of("stage in (lead prospect)") == "bad filter at column 16: expected ',' or ')', found 'prospect'");
  CHECK(error_of("stage in ()") == "bad filter at column 11: expected a value, found ')'");
  CHECK(error_of("stage in (lead,)") == "bad filter at column 16: expected a value, found ')'");
  CHECK(error_of("in (a)") == "bad filter at column 1: expected a field, a tag or '(', found 'in'");
}

TEST_CASE("filter: a bad field name before an operator, in or after has:") {
  CHECK(error_of("1abc = 5") == "bad filter at column 1: expected a field name, found '1abc'");
  CHECK(error_of("a-b = 5") == "bad filter at column 1: expected a field name, found 'a-b'");
  CHECK(error_of("custom. = 5") == "bad filter at column 1: expected a field name, found 'custom.'");
  CHECK(error_of("x:y in (a)") == "bad filter at column 1: expected a field name, found 'x:y'");
  CHECK(error_of("\"name\" = x") == "bad filter at column 8: unexpected '='");
  CHECK(error_of("has:") == "bad filter at column 5: expected a field name after 'has:'");
  CHECK(error_of("vip has:9x") == "bad filter at column 9: expected a field name after 'has:'");
}

TEST_CASE("filter: columns count characters, not bytes") {
  // Cyrillic (2 bytes a letter), Arabic (2), CJK (3) and an emoji (4) before the error.
  CHECK(error_of("name = \"Олена\" and") == "bad filter at column 19: expected a field, a tag or '(', found the end");
  CHECK(error_of("Олена )") == "bad filter at column 7: unexpected ')' (no '(' to close)");
  CHECK(error_of("محمد and (") == "bad filter at column 11: expected a field, a tag or '(', found the end");
  CHECK(error_of("city = 王小明 !") == "bad filter at column 12: expected '!=' (use 'not' to negate)");
  CHECK(error_of("tag = \"😀\" or \"x") == "bad filter at column 14: unterminated string (expected a closing \")");
  CHECK(parsed("name = \"Олена\" vip") == "and(name = \"Олена\"@8, #vip@16)");
  CHECK(parsed("محمد vip") == "and(#محمد@1, #vip@6)");
}

TEST_CASE("filter: errors are invalid_data") {
  const auto e = crm_test::error_from([] { parse_filter("("); });
  CHECK(e.kind() == crm::ErrorKind::invalid_data);
  CHECK(std::string(e.what()) == "bad filter at column 2: expected a field, a tag or '(', found the end");
}

TEST_SUITE_END();
