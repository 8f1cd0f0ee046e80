#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "test_support.hpp"
#include "util/text.hpp"
#include "util/yaml_emit.hpp"

using Json = nlohmann::ordered_json;

namespace {

std::string emit(const Json& v) {
  YAML::Emitter e;
  crm::yaml::emit(e, v);
  REQUIRE(e.good());
  return e.c_str();
}

// How one string value is written as a mapping value.
std::string as_value(const std::string& s) { return emit(Json{{"k", s}}); }

} // namespace

TEST_SUITE_BEGIN("util");

TEST_CASE("util: yaml emit quotes strings a YAML reader would take for numbers") {
  CHECK(as_value("0722") == "k: \"0722\"");         // octal in YAML 1.1
  CHECK(as_value("+40722123456") == "k: \"+40722123456\"");
  CHECK(as_value("400001") == "k: \"400001\"");
  CHECK(as_value("2024-01-15") == "k: \"2024-01-15\""); // a date type in YAML 1.1
  CHECK(as_value("1:30") == "k: \"1:30\"");         // sexagesimal
  CHECK(as_value("0x1F") == "k: \"0x1F\"");
  CHECK(as_value("0o17") == "k: \"0o17\"");
  CHECK(as_value("1e5") == "k: \"1e5\"");
  CHECK(as_value("-12.5") == "k: \"-12.5\"");
  CHECK(as_value("1_000") == "k: \"1_000\"");
  CHECK(as_value(".inf") == "k: \".inf\"");
  CHECK(as_value("-.Inf") == "k: \"-.Inf\"");
  CHECK(as_value(".NaN") == "k: \".NaN\"");
}

TEST_CASE("util: yaml emit quotes null and boolean words in any case") {
  for (const char* word : {"no", "No", "NO", "yes", "Yes", "true", "True", "FALSE", "on", "Off", "y",
                           "N", "null", "Null", "NULL", "~", "=", "<<"}) {
    CAPTURE(word);
    CHECK(as_value(word) == "k: \"" + std::string(word) + "\"");
  }
  CHECK(as_value("") == "k: \"\"");
}

TEST_CASE("util: yaml emit leaves ordinary text plain") {
  CHECK(as_value("e164") == "k: e164");
  CHECK(as_value("Ana Popescu") == "k: Ana Popescu");
  CHECK(as_value("0722 123 456") == "k: 0722 123 456"); // a space makes it text to every reader
  CHECK(as_value("v1.2") == "k: v1.2");
  CHECK(as_value("Strada Lungă 12") == "k: Strada Lungă 12");
  CHECK(as_value("norway") == "k: norway");
  CHECK(as_value("2026-11-25T16:02:25+02:00") == "k: 2026-11-25T16:02:25+02:00");
  CHECK(as_value("ana@example.ro") == "k: ana@example.ro");
}

TEST_CASE("util: yaml emit quotes keys that would not read back as text") {
  CHECK(emit(Json{{"no", "x"}}) == "\"no\": x");
  CHECK(emit(Json{{"2024", "x"}}) == "\"2024\": x");
  CHECK(emit(Json{{"shoe_size", "38"}}) == "shoe_size: \"38\"");
}

TEST_CASE("util: yaml emit writes text ending in a newline as a literal block") {
  CHECK(as_value("first line\nsecond line\n") == "k: |\n  first line\n  second line");
  CHECK(as_value("one line\n") == "k: |\n  one line");
  CHECK(as_value("with\n\nblank inside\n") == "k: |\n  with\n\n  blank inside");
}

TEST_CASE("util: yaml emit double-quotes multi-line text without a final newline") {
  CHECK(as_value("first\nsecond") == "k: \"first\\nsecond\"");
  // Nor as a block when a literal block would not read back exactly.
  CHECK(as_value("  indented\nnext\n") == "k: \"  indented\\nnext\\n\"");
  CHECK(as_value("two trailing\n\n") == "k: \"two trailing\\n\\n\"");
}

TEST_CASE("util: yaml emit writes numbers, booleans, null and empty containers like JSON") {
  CHECK(emit(Json{{"count", 42}}) == "count: 42");
  CHECK(emit(Json{{"f", 1.5}}) == "f: 1.5");
  CHECK(emit(Json{{"b", true}}) == "b: true");
  CHECK(emit(Json{{"b", false}}) == "b: false");
  CHECK(emit(Json{{"x", nullptr}}) == "x: ~");
  CHECK(emit(Json{{"m", Json::object()}}) == "m: {}");
  CHECK(emit(Json{{"l", Json::array()}}) == "l: []");
}

TEST_CASE("util: yaml emit keeps key order and nests lists of maps") {
  const Json v = Json::parse(R"({"zeta": "1", "alpha": [{"address": "a@x.ro", "label": "work"}, "vip"]})");
  CHECK(emit(v) == "zeta: \"1\"\nalpha:\n  - address: a@x.ro\n    label: work\n  - vip");
}

TEST_CASE("util: yaml emit normalizes text to NFC") {
  CHECK(as_value("S\xCC\xA6tefan") == "k: Ștefan"); // S + combining comma below
  CHECK(emit(Json{{"S\xCC\xA6", "x"}}) == "Ș: x");
}

TEST_CASE("util: yaml emit output reads back byte for byte") {
  const std::vector<std::string> tricky = {
      "  leading spaces", "trailing space ", "a: b", "key:", "# not a comment", "x #y", "\"quoted\"",
      "it's", "'single'", "- dash", "[list]", "{map}", "*alias", "&anchor", "!tag", "%directive",
      "@at", "`tick", "|", ">", "?", "\\back\\slash", "مرحبا بالعالم", "سلام دنیا", "😀 emoji 🇷🇴",
      "Гвенліан", "中文 名字", "tab\there", "\tlead tab", "line one\nline two\n", "no final\nnewline",
      "  indented block\nsecond\n", "ends with blank lines\n\n\n", "\nstarts with a newline\n",
      "crlf\r\nline\r\n", "ctrl \x01 char", "nel\xC2\x85in text\n", "0722", "yes", "null", "~", "",
      "---", "...", "--- a", "a\n---\nb\n", "1:30", "+40 722 123 456", "e164", "ends with colon:", " ", "   ", "\n", "-", "- ", ":", "? x",
      "x\n  y\n", "a\u2028b", "\xEF\xBB\xBF" "bom",
      // Found by fuzz_record: carriage returns alone were written plain, and one was lost.
      "\r\r\r", "a\rb", "end\r", "tab end\t", "\x7f del", "a\x1b[31mred"};
  for (const auto& s : tricky) {
    CAPTURE(s);
    const std::string out = as_value(s);
    CAPTURE(out);
    // Every writer ends the document with a newline, which ends the last block too.
    const YAML::Node back = YAML::Load(out + "\n");
    REQUIRE(back["k"].IsScalar());
    CHECK(back["k"].as<std::string>() == s);
  }
}

TEST_CASE("util: yaml emit keys read back byte for byte") {
  for (const std::string key : {"a: b", "# x", "  lead", "yes", "0722", "it's", "\"q\"", "- x", "مفتاح",
                                "😀", "?", "with space", ""}) {
    CAPTURE(key);
    const std::string out = emit(Json{{key, "v"}});
    CAPTURE(out);
    const YAML::Node back = YAML::Load(out + "\n");
    REQUIRE(back.IsMap());
    REQUIRE(back.size() == 1);
    CHECK(back.begin()->first.as<std::string>() == key);
    CHECK(back.begin()->second.as<std::string>() == "v");
  }
}

TEST_CASE("util: yaml emit round-trips a record-like document") {
  const Json v = Json::parse(R"({
    "id": "ana-k7q2", "name": "Ana: the \"boss\"", "phones": [{"number": "0722 123 456", "e164": "+40722123456"}],
    "notes": "# heading\n  indented\nlast\n", "custom": {"no": "yes", "n": "0012"}})");
  const YAML::Node back = YAML::Load(emit(v) + "\n");
  CHECK(back["name"].as<std::string>() == "Ana: the \"boss\"");
  CHECK(back["phones"][0]["number"].as<std::string>() == "0722 123 456");
  CHECK(back["phones"][0]["e164"].as<std::string>() == "+40722123456");
  CHECK(back["notes"].as<std::string>() == "# heading\n  indented\nlast\n");
  CHECK(back["custom"]["no"].as<std::string>() == "yes");
  CHECK(back["custom"]["n"].as<std::string>() == "0012");
}

namespace {

// The plain writer's text for `v` as the value of "k", or "" when it leaves the
// value to yaml-cpp.
std::string fast_value(const Json& v) {
  std::string out = "k:";
  return crm::yaml::append_value(out, v, 0) ? out : "";
}

const std::vector<std::string>& tricky_strings() {
  static const std::vector<std::string> all = {
      "Ana Popescu", "ana@example.ro", "+40722123456", "0722 123 456", "2024-01-15", "yes", "no", "~", "null",
      "Null", "NULL", "", "-", "- a", "-a", "--", ":", ":a", ": a", "a:", "a: b", "a:b", "http://x.ro/a?b=c",
      "?", "?a", "? a", "a #b", "a#b", "#a", "a ", " a", "\ta", "a\tb", "a\nb", "a\n", "\x7f", "a\x01", "é",
      "\xC2\x85", "\xC2\xA0x", "x\xEF\xBB\xBFy", "a\xE2\x80\xA8" "b", "!a", "&a", "*a", "%a", "@a", "`a", "|a",
      ">a", "'a", "\"a", "a\"b", "a'b", "a\\b", "[a", "a[b]", "{a", "a{b}", ",a", "a,b", "1.5", "-3", ".5",
      "O'Brien", "Ștefan Țurcanu", "Гаврилюк", "مریم کاظمی", "孙强", "Gwenllian ap Rhys", "😀", "a  b",
      "tab\there", "trailing\ttab\t", "=", "<<", "a=b", "1:30", "0x1F", "True", "on", "Y", "key: value #x",
      std::string(1024, 'a'), std::string(1025, 'a'), "x" + std::string(1023, ' ') + "y"};
  return all;
}

} // namespace

TEST_CASE("util: yaml plain writer gives yaml-cpp's bytes for every scalar it takes") {
  std::size_t taken = 0;
  for (const auto& s : tricky_strings()) {
    CAPTURE(s);
    const std::string fast = fast_value(s);
    if (fast.empty()) continue;
    ++taken;
    CHECK(fast == emit(Json{{"k", s}}));
  }
  CHECK(taken > tricky_strings().size() / 2);
}

TEST_CASE("util: yaml plain writer takes the usual record text") {
  CHECK(fast_value("Ana Popescu") == "k: Ana Popescu");
  CHECK(fast_value("+40722123456") == "k: \"+40722123456\"");
  CHECK(fast_value("مریم کاظمی") == "k: مریم کاظمی");
  CHECK(fast_value(Json::array({"vip", "b2b"})) == "k:\n  - vip\n  - b2b");
  CHECK(fast_value(Json::parse(R"([{"address": "a@b.ro", "label": "work"}])")) ==
        "k:\n  - address: a@b.ro\n    label: work");
  // Text only yaml-cpp writes right: escapes and literal blocks.
  CHECK(fast_value("line one\nline two\n").empty());
  CHECK(fast_value("tab\there").empty());
  CHECK(fast_value("\"quoted\"").empty()); // a leading quote: yaml-cpp quotes and escapes
  CHECK(fast_value("say \"hi\"") == "k: say \"hi\""); // inside, a quote is plain text
  CHECK(fast_value("a\\b") == "k: a\\b");
}

TEST_CASE("util: yaml plain writer gives yaml-cpp's bytes for nested documents") {
  const Json docs = Json::parse(R"([
    {"a": 1, "b": 2.5, "c": true, "d": false, "e": null, "f": [], "g": {}},
    [{"address": "a@b", "label": "work"}, {"address": "c@d", "n": {"q": "r"}, "z": ["1"]}],
    [["a", "b"], {}, [], null, {"e": [], "f": null}, [{"x": "1"}]],
    {"yes": "no", "0722": "x", "": "empty key", "a b": {"deep": [["x", {"y": [1, 2]}]]}},
    {"custom": {"vat": "RO123", "loyalty": "gold", "since": "2019"}, "mixed": [1, "two", null, true]}
  ])");
  for (const auto& doc : docs) {
    CAPTURE(doc.dump());
    const std::string fast = fast_value(doc);
    REQUIRE_FALSE(fast.empty());
    CHECK(fast == emit(Json{{"k", doc}}));
  }
}

TEST_CASE("util: yaml plain writer agrees with yaml-cpp on random text") {
  // Pieces that sit on the edges of yaml-cpp's rules, joined at random.
  const std::vector<std::string> pieces = {"a", "Z", "0", "7", " ", ":", "-", "?", "#", ",", "[", "}", "'", "\"",
                                           "\\", "!", "&", "*", "|", ">", "%", "@", "`", "~", ".", "e", "+", "\t",
                                           "\n", "é", "ș", "ы", "ل", "孙", "😀", "\xC2\xA0", "\xC2\x85", "yes", "null"};
  std::mt19937 rng(20261126);
  std::uniform_int_distribution<std::size_t> piece(0, pieces.size() - 1), length(1, 6);
  std::size_t taken = 0;
  for (int i = 0; i < 5000; ++i) {
    std::string s, key;
    for (std::size_t n = length(rng); n > 0; --n) s += pieces[piece(rng)];
    for (std::size_t n = length(rng); n > 0; --n) key += pieces[piece(rng)];
    CAPTURE(s);
    CAPTURE(key);
    const std::string fast = fast_value(s);
    if (!fast.empty()) {
      ++taken;
      CHECK(fast == emit(Json{{"k", s}}));
    }
    // Keys: nested (quoted as emit() quotes them) and top-level (yaml-cpp's choice).
    const std::string nested = fast_value(Json{{key, "v"}});
    if (!nested.empty()) CHECK(nested == emit(Json{{"k", Json{{key, "v"}}}}));
    std::string top;
    if (crm::yaml::append_key(top, crm::text::nfc(key), 0)) {
      YAML::Emitter e;
      e << YAML::BeginMap << YAML::Key << crm::text::nfc(key) << YAML::Value << "v" << YAML::EndMap;
      CHECK(top + " v" == std::string(e.c_str()));
    }
  }
  CHECK(taken > 1000);
}

TEST_SUITE_END();
