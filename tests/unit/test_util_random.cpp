#include <doctest/doctest.h>

#include <set>
#include <string>
#include <string_view>

#include "test_support.hpp"
#include "util/random.hpp"

using crm::random_token;

namespace {
// The header's alphabet: lowercase letters and digits without look-alikes 0/o, 1/l.
constexpr std::string_view alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
} // namespace

TEST_SUITE_BEGIN("util");

TEST_CASE("util: random_token has the requested length") {
  CHECK(random_token(0).empty());
  CHECK(random_token(1).size() == 1);
  CHECK(random_token(4).size() == 4);
  CHECK(random_token(200).size() == 200);
}

TEST_CASE("util: random_token uses only the look-alike-free alphabet") {
  std::set<char> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string t = random_token(64);
    CAPTURE(t);
    CHECK(t.find_first_not_of(alphabet) == std::string::npos);
    CHECK(t.find_first_of("0o1l") == std::string::npos);
    seen.insert(t.begin(), t.end());
  }
  // 6400 draws from 32 symbols: every symbol shows up (missing one: p < 1e-80).
  CHECK(seen.size() == alphabet.size());
}

TEST_CASE("util: two random tokens differ") {
  CHECK(random_token(32) != random_token(32));
  std::set<std::string> ids;
  for (int i = 0; i < 200; ++i) ids.insert(random_token(16));
  CHECK(ids.size() == 200);
}

TEST_SUITE_END();
