#include <doctest/doctest.h>

#include <map>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "format/card.hpp"
#include "model/record_type.hpp"
#include "test_support.hpp"

using crm::model::company_type;
using crm::model::contact_type;
using crm::model::Record;

namespace {

std::string card(const Record& r, const std::map<std::string, std::string>& ref_names = {}, bool color = false,
                 const crm::model::RecordType& type = contact_type()) {
  std::ostringstream out;
  crm::format::write_card(out, type, r, ref_names, color);
  return out.str();
}

// A contact as the index hands it to `show`: fields in file order.
Record ana() {
  return Record::parse(R"({
    "id": "ana-popescu-k7q2",
    "name": "Ana Popescu",
    "emails": [{"address": "ana@example.ro", "label": "work"}, {"address": "ana.p@gmail.com"}],
    "phones": [{"number": "0722 123 456", "e164": "+40722123456", "label": "mobile"}],
    "company": "acme-srl-x4b9",
    "city": "Cluj-Napoca",
    "notes": "Met at DevFest.\nLikes espresso.\n",
    "custom": {"shoe_size": "38", "vat": "RO123"}
  })");
}

constexpr const char* ana_body = "  id                ana-popescu-k7q2\n"
                                 "  emails            ana@example.ro (work)\n"
                                 "                    ana.p@gmail.com\n"
                                 "  phones            0722 123 456 (mobile)\n"
                                 "  company           Acme SRL (acme-srl-x4b9)\n"
                                 "  city              Cluj-Napoca\n"
                                 "  notes             Met at DevFest.\n"
                                 "                    Likes espresso.\n"
                                 "  custom.shoe_size  38\n"
                                 "  custom.vat        RO123\n";

} // namespace

TEST_SUITE_BEGIN("format");

TEST_CASE("format: write_card prints the name, then aligned label/value lines") {
  CHECK(card(ana(), {{"acme-srl-x4b9", "Acme SRL"}}) == std::string("Ana Popescu\n") + ana_body);
}

TEST_CASE("format: write_card with color makes only the name bold") {
  CHECK(card(ana(), {{"acme-srl-x4b9", "Acme SRL"}}, true) == std::string("\x1b[1mAna Popescu\x1b[0m\n") + ana_body);
}

TEST_CASE("format: write_card shows a reference without a known name as its id") {
  const auto out = card(ana());
  CHECK(out.find("  company           acme-srl-x4b9\n") != std::string::npos);
  CHECK(out.find("Acme") == std::string::npos);
}

TEST_CASE("format: write_card aligns by display width and keeps blank note lines") {
  const auto r = Record::parse(R"({"id": "li-k7q2", "name": "王小明", "title": "经理",
                                   "notes": "第一行\n\nthird line\n"})");
  CHECK(card(r) == "王小明\n"
                   "  id     li-k7q2\n"
                   "  title  经理\n"
                   "  notes  第一行\n"
                   "\n"
                   "         third line\n");
}

TEST_CASE("format: write_card joins a list of words on one line") {
  // The header: "lists of words joined with ', '".
  const auto r = Record::parse(R"({"id": "a-k7q2", "name": "Ana", "tags": ["vip", "b2b"]})");
  CHECK(card(r) == "Ana\n"
                   "  id    a-k7q2\n"
                   "  tags  vip, b2b\n");
}

TEST_CASE("format: write_card falls back to the id when there is no name") {
  const auto r = Record::parse(R"({"id": "x-k7q2", "city": "Cluj"})");
  CHECK(card(r) == "x-k7q2\n"
                   "  id    x-k7q2\n"
                   "  city  Cluj\n");
}

TEST_CASE("format: write_card shows keys added by hand and skips nulls") {
  const auto r = Record::parse(R"({"id": "acme-x4b9", "name": "Acme", "website": null, "by_hand": "kept",
                                   "count": 3, "flag": true})");
  CHECK(card(r, {}, false, company_type()) == "Acme\n"
                                               "  id       acme-x4b9\n"
                                               "  by_hand  kept\n"
                                               "  count    3\n"
                                               "  flag     true\n");
}

TEST_SUITE_END();
