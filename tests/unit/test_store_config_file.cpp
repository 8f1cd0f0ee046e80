#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "store/config_file.hpp"
#include "store/workspace.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

using crm::ErrorKind;
using crm_test::error_from;
namespace store = crm::store;

namespace {

// The start of the text crm init writes (Workspace::init), copied here.
const std::string default_text =
    "# crm workspace settings: see crm-workspace(5)\n"
    "currency: EUR\n"
    "region: \"\"\n"
    "index:\n"
    "  # stat: check every record file (sees in-place edits); dirs: directory mtimes only\n"
    "  verify: stat\n"
    "# a contact's lifecycle stages, in order (a business may add awareness or onboarding)\n"
    "stages: [lead, prospect, customer, inactive, lost]\n"
    "# how often to get in touch with contacts that have no cadence of their own\n"
    "# cadence:\n"
    "#   stage: {customer: 30d, prospect: 14d}\n"
    "#   tag: {vip: 14d}\n"
    "feedback:\n"
    "  # a follow-up this long after a complaint or return is resolved (off: none)\n"
    "  check_after: 7d\n"
    "deals:\n"
    "  # open pipeline stages in order, each with the chance (percent) to win a deal in it\n"
    "  stages: {lead: 10, qualified: 25, proposal: 50, negotiation: 75}\n"
    "# lead scoring: points for each filter a lead matches (crm report leads)\n"
    "# lead_scoring:\n"
    "#   - {where: \"has:email\", points: 10}\n";

std::string set(std::string_view text, std::string_view key, std::string_view value) {
  return store::config_text_set(text, store::config_key_path(key), store::config_value(value));
}

std::string unset(std::string_view text, std::string_view key) {
  return store::config_text_unset(text, store::config_key_path(key));
}

// `text` with the one line `from` replaced by `to`.
std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

std::string get(std::string_view text, std::string_view key) {
  const auto v = store::config_lookup(store::config_document(text, "config.yaml"), store::config_key_path(key));
  return v ? store::config_flow_text(*v) : std::string("(not set)");
}

} // namespace

TEST_SUITE_BEGIN("store");

TEST_CASE("store: config set changes one value and keeps every comment byte for byte") {
  CHECK(set(default_text, "currency", "GBP") == replaced(default_text, "currency: EUR\n", "currency: GBP\n"));
  CHECK(set(default_text, "index.verify", "dirs") == replaced(default_text, "  verify: stat\n", "  verify: dirs\n"));
  CHECK(set(default_text, "region", "RO") == replaced(default_text, "region: \"\"\n", "region: RO\n"));
  // A comment after the value stays where it is.
  const std::string noted = "currency: EUR   # the base\nregion: RO\n";
  CHECK(set(noted, "currency", "RON") == "currency: RON   # the base\nregion: RO\n");
  // A quote inside a plain value opens nothing: the comment after it is still one.
  CHECK(set("alias:\n  x: a, 'b # c'\n", "alias.x", "due") == "alias:\n  x: due # c'\n");
  CHECK(set("alias: {x: 'a # b', y: \"c\"}  # two\n", "alias.y", "d") == "alias: {x: \"a # b\", y: d}  # two\n");
}

TEST_CASE("store: config set inside a one-line flow map writes that map again on its line") {
  CHECK(set(default_text, "deals.stages.proposal", "60") ==
        replaced(default_text, "{lead: 10, qualified: 25, proposal: 50,", "{lead: 10, qualified: 25, proposal: 60,"));
  CHECK(set(default_text, "deals.stages.demo", "40") ==
        replaced(default_text, "negotiation: 75}", "negotiation: 75, demo: 40}"));
  CHECK(unset(default_text, "deals.stages.qualified") ==
        replaced(default_text, "{lead: 10, qualified: 25, ", "{lead: 10, "));
  CHECK(get(default_text, "deals.stages.proposal") == "50");
}

TEST_CASE("store: config set of a list or map value writes flow YAML on the key's line") {
  CHECK(set(default_text, "stages", "[lead,  customer, \"no\"]") ==
        replaced(default_text, "stages: [lead, prospect, customer, inactive, lost]\n",
                 "stages: [lead, customer, \"no\"]\n"));
  // A block value is replaced whole, its lines (and comments inside it) with it.
  CHECK(set(default_text, "index", "{verify: dirs}") ==
        replaced(default_text,
                 "index:\n  # stat: check every record file (sees in-place edits); dirs: directory mtimes only\n"
                 "  verify: stat\n",
                 "index: {verify: dirs}\n"));
}

TEST_CASE("store: config set of a new key goes under its parent block, making the blocks it needs") {
  CHECK(set(default_text, "feedback.extra", "x") ==
        replaced(default_text, "  check_after: 7d\n", "  check_after: 7d\n  extra: x\n"));
  CHECK(set(default_text, "alias.overdue", "followup list --overdue") ==
        default_text + "alias:\n  overdue: followup list --overdue\n");
  // Below a commented-out example of the block, which stays as it is.
  CHECK(set(default_text, "cadence.stage.customer", "30d") ==
        replaced(default_text, "#   tag: {vip: 14d}\n", "#   tag: {vip: 14d}\ncadence:\n  stage:\n    customer: 30d\n"));
  const std::string two = set(set(default_text, "alias.a", "contact list"), "alias.b", "due");
  CHECK(two == default_text + "alias:\n  a: contact list\n  b: due\n");
  // A file without a final newline gets one before the new line.
  CHECK(set("currency: EUR", "region", "RO") == "currency: EUR\nregion: RO\n");
  CHECK(set("", "currency", "EUR") == "currency: EUR\n");
  // A key holding null becomes a block.
  CHECK(set("alias: ~\nregion: RO\n", "alias.x", "due") == "alias:\n  x: due\nregion: RO\n");
}

TEST_CASE("store: config set keeps the file's own indentation and line ends") {
  CHECK(set("index:\n    verify: stat\nrfm:\n    a: 12\n", "rfm.b", "8") ==
        "index:\n    verify: stat\nrfm:\n    a: 12\n    b: 8\n");
  CHECK(set("currency: EUR\r\n# note\r\nindex:\r\n  verify: stat\r\n", "index.verify", "dirs") ==
        "currency: EUR\r\n# note\r\nindex:\r\n  verify: dirs\r\n");
  CHECK(set("currency: EUR\r\n", "alias.x", "due") == "currency: EUR\r\nalias:\r\n  x: due\r\n");
}

TEST_CASE("store: config values are quoted when YAML needs it, and unicode stays as it is") {
  CHECK(set("", "alias.x", "log note \"Ana Pîrvu\" -m 'bună ziua'") ==
        "alias:\n  x: log note \"Ana Pîrvu\" -m 'bună ziua'\n");
  CHECK(set("", "alias.x", "search a: b") == "alias:\n  x: \"search a: b\"\n");
  CHECK(set("", "alias.x", "-q due") == "alias:\n  x: -q due\n");
  CHECK(set("", "alias.x", "#due") == "alias:\n  x: \"#due\"\n");
  CHECK(set("", "region", "") == "region: \"\"\n");
  CHECK(set("", "region", "\"NO\"") == "region: \"NO\"\n"); // quoted by the user: a string
  CHECK(set("", "alias.x", "a\tb") == "alias:\n  x: \"a\\tb\"\n");
  CHECK(set("", "alias.Ωμέγα", "due") == "alias:\n  Ωμέγα: due\n");
  CHECK(set("", "alias.x", "contact list --where \"city = Kraków\"") ==
        "alias:\n  x: contact list --where \"city = Kraków\"\n");
  // Inside a flow map a comma or a colon needs quotes.
  CHECK(set("deals:\n  stages: {lead: 10}\n", "deals.stages.x", "a, b") ==
        "deals:\n  stages: {lead: 10, x: \"a, b\"}\n");
  // Each value reads back as the text that was set.
  for (const std::string v : {"search a: b", "-q due", "#due", "a\tb", "Kraków", "it's", "[not a list", "~", "yes"}) {
    if (v.front() == '[') continue;
    CHECK(get(set("", "alias.x", v), "alias.x") == v);
  }
}

TEST_CASE("store: a bad flow value is refused") {
  const auto e = error_from([] { (void)store::config_value("[lead, prospect"); });
  CHECK(e.kind() == ErrorKind::invalid_data);
  CHECK(std::string(e.what()).starts_with("bad value '[lead, prospect': "));
  CHECK(error_from([] { (void)store::config_value("[&a x, *a]"); }).kind() == ErrorKind::invalid_data);
  CHECK(error_from([] { (void)store::config_value("bad \xff"); }).kind() == ErrorKind::usage);
}

TEST_CASE("store: config unset removes the key and its lines, and a block it leaves empty") {
  CHECK(unset(default_text, "region") == replaced(default_text, "region: \"\"\n", ""));
  const std::string aliased = default_text + "alias:\n  a: contact list\n  b: due\n";
  CHECK(unset(aliased, "alias.a") == default_text + "alias:\n  b: due\n");
  CHECK(unset(unset(aliased, "alias.a"), "alias.b") == default_text);
  // A block that keeps a comment stays.
  CHECK(unset(default_text, "index.verify") ==
        replaced(default_text, "  verify: stat\n", ""));
  CHECK(unset(default_text, "deals") ==
        replaced(default_text,
                 "deals:\n  # open pipeline stages in order, each with the chance (percent) to win a deal in it\n"
                 "  stages: {lead: 10, qualified: 25, proposal: 50, negotiation: 75}\n",
                 ""));
  CHECK(error_from([] { (void)unset(default_text, "alias.nope"); }).kind() == ErrorKind::not_found);
  CHECK(error_from([] { (void)unset(default_text, "deals.stages.nope"); }).kind() == ErrorKind::not_found);
  CHECK(error_from([] { (void)unset(default_text, "currency.x"); }).kind() == ErrorKind::not_found);
}

TEST_CASE("store: config keys are dotted paths of known top-level names") {
  CHECK(store::config_key_path("deals.stages.proposal") == std::vector<std::string>{"deals", "stages", "proposal"});
  const auto unknown = error_from([] { (void)store::config_key_path("curency"); });
  CHECK(unknown.kind() == ErrorKind::usage);
  CHECK(std::string(unknown.what()) == "unknown key 'curency'");
  REQUIRE(unknown.hints().size() == 1);
  CHECK(unknown.hints()[0].starts_with("config.yaml knows: currency, region, index, stages"));
  CHECK(error_from([] { (void)store::config_key_path("alias..x"); }).kind() == ErrorKind::usage);
  CHECK(error_from([] { (void)store::config_key_path(""); }).kind() == ErrorKind::usage);
  const auto scalar = error_from([] { (void)set(default_text, "currency.x", "1"); });
  CHECK(scalar.kind() == ErrorKind::usage);
  CHECK(std::string(scalar.what()) == "cannot set 'currency.x': 'currency' holds a value, not keys");
  CHECK(error_from([] { (void)set(default_text, "stages.x", "1"); }).kind() == ErrorKind::usage);
}

TEST_CASE("store: config set in a file written by hand: quoted keys, block lists, comments, continued values") {
  const std::string hand = "# by hand\n"
                           "\"currency\":\n"
                           "  GBP\n"
                           "deals:\n"
                           "  stages:   # pipeline\n"
                           "    lead: 10      # first\n"
                           "    proposal: 50\n"
                           "lead_scoring:\n"
                           "- where: has:email\n"
                           "  points: 10\n"
                           "- {where: vip, points: 5}\n"
                           "rfm: {a: 12, b: 8}   # rfm\n";
  CHECK(set(hand, "currency", "EUR") == replaced(hand, "\"currency\":\n  GBP\n", "\"currency\": EUR\n"));
  CHECK(set(hand, "deals.stages.lead", "5") == replaced(hand, "lead: 10      # first", "lead: 5      # first"));
  CHECK(set(hand, "deals.stages.won_back", "20") ==
        replaced(hand, "    proposal: 50\n", "    proposal: 50\n    won_back: 20\n"));
  CHECK(set(hand, "rfm.b", "7") == replaced(hand, "{a: 12, b: 8}", "{a: 12, b: 7}"));
  CHECK(set(hand, "lead_scoring", "[{where: vip, points: 1}]") ==
        replaced(hand, "lead_scoring:\n- where: has:email\n  points: 10\n- {where: vip, points: 5}\n",
                 "lead_scoring: [{where: vip, points: 1}]\n"));
  CHECK(unset(hand, "lead_scoring") ==
        replaced(hand, "lead_scoring:\n- where: has:email\n  points: 10\n- {where: vip, points: 5}\n", ""));
  CHECK(set(hand, "alias.x", "due") == hand + "alias:\n  x: due\n");
  // A list is no map: a key below it is refused.
  const auto list = error_from([&] { (void)set(hand, "lead_scoring.x", "1"); });
  CHECK(list.kind() == ErrorKind::usage);
  CHECK(error_from([] { (void)set("stages:\n  - lead\n", "stages.x", "1"); }).kind() == ErrorKind::usage);
}

TEST_CASE("store: a layout crm cannot edit line by line is refused, not mangled") {
  // A flow map over two lines.
  const std::string split = "deals:\n  stages: {lead: 10,\n    won2: 20}\n";
  CHECK(error_from([&] { (void)set(split, "deals.stages.x", "1"); }).kind() == ErrorKind::invalid_data);
  // The whole document as one flow map.
  CHECK(error_from([] { (void)set("{currency: EUR}\n", "region", "RO"); }).kind() == ErrorKind::invalid_data);
}

TEST_CASE("store: config get, list and the value texts") {
  const std::string text = default_text + "alias:\n  overdue: followup list --overdue\n";
  const auto doc = store::config_document(text, "config.yaml");
  std::vector<std::string> lines;
  for (const auto& [k, v] : store::config_leaves(doc)) lines.push_back(k + "=" + store::config_flow_text(v));
  CHECK(lines == std::vector<std::string>{"currency=EUR", "region=", "index.verify=stat",
                                          "stages=[lead, prospect, customer, inactive, lost]",
                                          "feedback.check_after=7d", "deals.stages.lead=10",
                                          "deals.stages.qualified=25", "deals.stages.proposal=50",
                                          "deals.stages.negotiation=75", "alias.overdue=followup list --overdue"});
  const auto stages = *store::config_lookup(doc, {"deals", "stages"});
  CHECK(store::config_block_text(stages) == "lead: 10\nqualified: 25\nproposal: 50\nnegotiation: 75\n");
  CHECK(store::config_json(stages).dump() == R"({"lead":10,"qualified":25,"proposal":50,"negotiation":75})");
  CHECK(store::config_block_text(*store::config_lookup(doc, {"stages"})) ==
        "- lead\n- prospect\n- customer\n- inactive\n- lost\n");
  CHECK(store::config_json(*store::config_lookup(doc, {"region"})).dump() == R"("")");
  CHECK(!store::config_lookup(doc, {"cadence"}));
  CHECK(!store::config_lookup(doc, {"currency", "x"}));
  const auto bad = error_from([] { (void)store::config_document("a: [\n", "x/config.yaml"); });
  CHECK(bad.kind() == ErrorKind::invalid_data);
  CHECK(std::string(bad.what()).starts_with("x/config.yaml:"));
}

TEST_CASE("store: parse_config reads aliases and refuses bad ones with their line") {
  const auto c = store::parse_config("alias:\n  overdue: followup list --overdue\n  st: status\n", "c.yaml");
  CHECK(c.aliases.size() == 2);
  CHECK(c.aliases.at("overdue") == "followup list --overdue");
  const auto bad_name = error_from([] { (void)store::parse_config("alias:\n  \"-x\": due\n", "c.yaml"); });
  CHECK(bad_name.kind() == ErrorKind::invalid_data);
  CHECK(std::string(bad_name.what()) == "c.yaml:2: bad alias name '-x'");
  const auto empty = error_from([] { (void)store::parse_config("alias: {x: \"\"}\n", "c.yaml"); });
  CHECK(std::string(empty.what()) == "c.yaml:1: alias 'x' needs the command it stands for");
  const auto list = error_from([] { (void)store::parse_config("alias: [a]\n", "c.yaml"); });
  CHECK(std::string(list.what()) == "c.yaml:1: alias must be NAME: COMMAND pairs");
}

TEST_SUITE_END();
