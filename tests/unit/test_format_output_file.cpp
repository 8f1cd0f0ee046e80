// format output_file (format/output_file.cpp): stdout, or a file written whole or
// not at all (-o FILE).

#include <doctest/doctest.h>

#include <filesystem>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "format/output_file.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

using crm::ErrorKind;
using crm_test::error_from;
using crm_test::read_text;
using crm_test::write_text;

namespace stdfs = std::filesystem;

TEST_SUITE_BEGIN("format");

TEST_CASE("format: write_output replaces the file only when the writer finished") {
  crm_test::TempDir dir;
  const auto target = dir / "export.csv";
  write_text(target, "before\n");
  std::ostringstream unused;

  CHECK_THROWS_AS(crm::format::write_output(target.string(), unused,
                                         [](std::ostream& out) {
                                           // More than the buffer holds, so part of it reaches the temp file.
                                           out << std::string(200 * 1024, 'x');
                                           throw std::runtime_error("failed half way");
                                         }),
                  std::runtime_error);
  CHECK(read_text(target) == "before\n");
  CHECK(crm_test::dir_names(dir.path()) == std::vector<std::string>{"export.csv"}); // no temp file left

  const std::string big(300 * 1024, 'y');
  crm::format::write_output(target.string(), unused, [&](std::ostream& out) { out << big << "end\n"; });
  CHECK(read_text(target) == big + "end\n");
  CHECK(crm_test::dir_names(dir.path()) == std::vector<std::string>{"export.csv"});
  CHECK(unused.str().empty());
}

TEST_CASE("format: write_output refuses a missing folder or a directory with Error(io)") {
  crm_test::TempDir dir;
  std::ostringstream unused;
  auto e = error_from([&] {
    crm::format::write_output((dir / "nosuch" / "x.csv").string(), unused, [](std::ostream& out) { out << "x"; });
  });
  CHECK(e.kind() == ErrorKind::io);
  std::string expected = "cannot write '";
  expected.append((dir / "nosuch" / "x.csv").string()).append("': no folder '");
  expected.append((dir / "nosuch").string()).append("'");
  CHECK(std::string(e.what()) == expected);
  CHECK_FALSE(stdfs::exists(dir / "nosuch"));
  e = error_from([&] { crm::format::write_output(dir.path().string(), unused, [](std::ostream& out) { out << "x"; }); });
  CHECK(e.kind() == ErrorKind::io);
  expected = "cannot write '";
  expected.append(dir.path().string()).append("': it is a directory");
  CHECK(std::string(e.what()) == expected);
}

TEST_CASE("format: write_output without a path writes to the stream") {
  std::ostringstream out;
  crm::format::write_output("", out, [](std::ostream& o) { o << "a\n"; });
  crm::format::write_output("-", out, [](std::ostream& o) { o << "b\n"; });
  CHECK(out.str() == "a\nb\n");
}
TEST_SUITE_END();
