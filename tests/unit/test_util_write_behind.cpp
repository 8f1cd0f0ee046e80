#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "test_support.hpp"
#include "util/error.hpp"
#include "util/write_behind.hpp"

using crm::ErrorKind;
using crm::fs::WriteBehind;
using crm_test::dir_names;
using crm_test::error_from;
using crm_test::read_text;
using crm_test::stat_of;
using crm_test::TempDir;
using crm_test::write_text;

TEST_SUITE_BEGIN("util");

TEST_CASE("util: WriteBehind writes each job's log line before its file, in order") {
  TempDir dir;
  std::vector<std::string> log;
  std::vector<bool> file_there_when_logged;
  {
    WriteBehind writer(
        [&](const std::string& line) {
          log.push_back(line);
          // The file a line names is not written yet when the line is.
          file_there_when_logged.push_back(std::filesystem::exists(dir / line));
        },
        2); // a short queue: submit() has to wait for the writer
    for (int i = 0; i < 50; ++i) {
      const std::string name = "f" + std::to_string(i);
      writer.submit({name, dir / "sub" / name, "text " + std::to_string(i) + "\n", name});
    }
    const auto done = writer.wait();
    REQUIRE(done.size() == 50);
    for (int i = 0; i < 50; ++i) {
      CAPTURE(i);
      const std::string name = "f" + std::to_string(i);
      CHECK(done[static_cast<std::size_t>(i)].key == name);
      CHECK(done[static_cast<std::size_t>(i)].st.st_ino == stat_of(dir / "sub" / name).st_ino);
      CHECK(done[static_cast<std::size_t>(i)].st.st_size == static_cast<off_t>(("text " + std::to_string(i) + "\n").size()));
    }
    CHECK(writer.wait().empty()); // each file is reported once
  }
  REQUIRE(log.size() == 50);
  for (int i = 0; i < 50; ++i) CHECK(log[static_cast<std::size_t>(i)] == "f" + std::to_string(i));
  for (bool there : file_there_when_logged) CHECK_FALSE(there);
  CHECK(read_text(dir / "sub" / "f7") == "text 7\n");
  CHECK(dir_names(dir / "sub").size() == 50); // no temp files left
}

TEST_CASE("util: WriteBehind reports a failed write and writes nothing after it") {
  TempDir dir;
  write_text(dir / "plain-file", "x");
  std::vector<std::string> log;
  WriteBehind writer([&](const std::string& line) { log.push_back(line); });
  writer.submit({"a", dir / "a.yaml", "a\n", "a"});
  writer.submit({"b", dir / "plain-file" / "b.yaml", "b\n", "b"}); // a file is no directory
  writer.submit({"c", dir / "c.yaml", "c\n", "c"});
  const auto e = error_from([&] { writer.wait(); });
  CHECK(e.kind() == ErrorKind::io);
  CHECK(std::string(e.what()).find("plain-file") != std::string::npos);
  CHECK(read_text(dir / "a.yaml") == "a\n");
  CHECK_FALSE(std::filesystem::exists(dir / "c.yaml"));
  CHECK(log == std::vector<std::string>{"a", "b"});
  // Later submits fail the same way.
  CHECK(error_from([&] { writer.submit({"d", dir / "d.yaml", "d\n", "d"}); }).kind() == ErrorKind::io);
}

TEST_CASE("util: WriteBehind finishes the queued jobs when it is destroyed") {
  TempDir dir;
  {
    WriteBehind writer([](const std::string&) {});
    for (int i = 0; i < 20; ++i) writer.submit({"", dir / ("f" + std::to_string(i)), "x", ""});
  }
  CHECK(dir_names(dir.path()).size() == 20);
}

TEST_SUITE_END();
