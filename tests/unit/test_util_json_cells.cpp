#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "format/output.hpp"
#include "util/error.hpp"
#include "util/json_cells.hpp"

TEST_SUITE_BEGIN("util");

namespace {

std::vector<std::string> cells(std::string_view json, std::string_view sep = ", ") {
  std::vector<std::string> out;
  crm::json_cells::split_row(json, sep, out);
  return out;
}

} // namespace

TEST_CASE("util: split_row gives one cell per array element") {
  CHECK(cells(R"(["ana-k7q2","Ana Popescu",null,"RO"])") ==
        std::vector<std::string>{"ana-k7q2", "Ana Popescu", "", "RO"});
  CHECK(cells("[]").empty());
}

TEST_CASE("util: split_row joins lists and takes an email's address") {
  CHECK(cells(R"([[{"address":"a@b.ro","label":"work"},{"address":"c@d.ro"}],["vip","b2b"]])") ==
        std::vector<std::string>{"a@b.ro, c@d.ro", "vip, b2b"});
  CHECK(cells(R"([["vip","b2b"]])", "; ") == std::vector<std::string>{"vip; b2b"});
}

TEST_CASE("util: split_row writes maps as key=value pairs, numbers and booleans as written") {
  CHECK(cells(R"([{"linkedin":"x","vat":"RO1"},12.50,true,-3])") ==
        std::vector<std::string>{"linkedin=x, vat=RO1", "12.50", "true", "-3"});
}

TEST_CASE("util: split_row decodes escapes and keeps UTF-8") {
  CHECK(cells(R"(["Siân \"Evans\"\nline","\u00e2\ud83d\ude00","محمد"])") ==
        std::vector<std::string>{"Siân \"Evans\"\nline", "â😀", "محمد"});
}

TEST_CASE("util: split_row agrees with format::cell_text") {
  // The fast path must print exactly what the record path prints.
  const auto row = nlohmann::ordered_json::parse(
      R"([[{"number":"0722 123 456","e164":"+40722123456","label":"mobile"}],{"a":"1"},["x",null,""],null])");
  const auto got = cells(row.dump());
  REQUIRE(got.size() == row.size());
  for (std::size_t i = 0; i < row.size(); ++i) CHECK(got[i] == crm::format::cell_text(row[i]));
}

TEST_CASE("util: split_row rejects malformed JSON") {
  for (const char* bad : {"", "[", R"(["a")", R"(["a" "b"])", R"([{"a"}])", R"(["\q"])"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(cells(bad), crm::Error);
  }
}

TEST_SUITE_END();
