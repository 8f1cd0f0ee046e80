#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "test_support.hpp"
#include "util/error.hpp"

using crm::Error;
using crm::ErrorKind;
using crm::exit_code_for;

TEST_SUITE_BEGIN("util");

TEST_CASE("util: exit_code_for follows DESIGN section 5 for every kind") {
  CHECK(exit_code_for(ErrorKind::not_found) == 1);
  CHECK(exit_code_for(ErrorKind::usage) == 2);
  CHECK(exit_code_for(ErrorKind::invalid_data) == 3);
  CHECK(exit_code_for(ErrorKind::ambiguous) == 4);
  CHECK(exit_code_for(ErrorKind::conflict) == 4);
  CHECK(exit_code_for(ErrorKind::io) == 5);
}

TEST_CASE("util: Error keeps its kind, message and constructor hints") {
  const Error e(ErrorKind::ambiguous, "'ana' matches 2 contacts", {"the candidates are:", "  a-1  Ana"});
  CHECK(e.kind() == ErrorKind::ambiguous);
  CHECK(std::string(e.what()) == "'ana' matches 2 contacts");
  CHECK(e.hints() == std::vector<std::string>{"the candidates are:", "  a-1  Ana"});
}

TEST_CASE("util: Error has no hints by default and hint() appends in order") {
  Error e(ErrorKind::usage, "bad currency 'eur'");
  CHECK(e.hints().empty());
  // hint() returns the error itself so that a throw site can chain it.
  Error& same = e.hint("use an ISO 4217 code").hint("such as EUR");
  CHECK(&same == &e);
  CHECK(e.hints() == std::vector<std::string>{"use an ISO 4217 code", "such as EUR"});
  CHECK(e.kind() == ErrorKind::usage);
}

TEST_CASE("util: Error is caught as std::runtime_error with its message") {
  try {
    throw Error(ErrorKind::io, "cannot write 'x'");
  } catch (const std::runtime_error& e) {
    CHECK(std::string(e.what()) == "cannot write 'x'");
  }
}

TEST_SUITE_END();
