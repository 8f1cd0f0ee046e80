#include <doctest/doctest.h>

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "test_support.hpp"
#include "util/error.hpp"
#include "util/process.hpp"

using crm_test::read_text;
using crm_test::TempDir;
using crm_test::write_text;

namespace process = crm::process;

namespace {

// Sends this process's stdout and stderr to `file` for the scope, so that what a
// child inherits can be inspected. No doctest assertions inside the scope: their
// output would land in the file.
class CaptureOutput {
public:
  explicit CaptureOutput(const std::filesystem::path& file) {
    std::fflush(stdout);
    std::fflush(stderr);
    saved_out_ = ::dup(1);
    saved_err_ = ::dup(2);
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    ::close(fd);
  }
  ~CaptureOutput() {
    std::fflush(stdout);
    std::fflush(stderr);
    ::dup2(saved_out_, 1);
    ::dup2(saved_err_, 2);
    ::close(saved_out_);
    ::close(saved_err_);
  }
  CaptureOutput(const CaptureOutput&) = delete;
  CaptureOutput& operator=(const CaptureOutput&) = delete;

private:
  int saved_out_ = -1, saved_err_ = -1;
};

} // namespace

TEST_SUITE_BEGIN("util");

TEST_CASE("util: run returns the program's exit status") {
  CHECK(process::run({"sh", "-c", "exit 3"}, {}, true) == 3);
  CHECK(process::run({"sh", "-c", "exit 0"}, {}, true) == 0);
  CHECK(process::run({"true"}, {}, true) == 0);
  CHECK(process::run({"false"}, {}, true) == 1);
}

TEST_CASE("util: run reports death by signal N as 128+N") {
  CHECK(process::run({"sh", "-c", "kill -9 $$"}, {}, true) == 128 + 9);
  CHECK(process::run({"sh", "-c", "kill -TERM $$"}, {}, true) == 128 + 15);
}

TEST_CASE("util: run starts the program in cwd") {
  TempDir dir;
  CHECK(process::run({"touch", "made-here"}, dir.path(), true) == 0);
  CHECK(std::filesystem::exists(dir / "made-here"));
  // Arguments pass through verbatim, without a shell in between.
  CHECK(process::run({"touch", "a b $HOME *"}, dir.path(), true) == 0);
  CHECK(std::filesystem::exists(dir / "a b $HOME *"));
}

TEST_CASE("util: run with quiet sends output to /dev/null, without it the output is inherited") {
  TempDir dir;
  const auto log = dir / "out.txt";
  int quiet_rc = -1, loud_rc = -1;
  {
    CaptureOutput capture(log);
    quiet_rc = process::run({"sh", "-c", "echo to-stdout; echo to-stderr >&2"}, {}, true);
  }
  const std::string quiet_output = read_text(log);
  {
    CaptureOutput capture(log);
    loud_rc = process::run({"sh", "-c", "echo to-stdout; echo to-stderr >&2"}, {}, false);
  }
  const std::string loud_output = read_text(log);
  CHECK(quiet_rc == 0);
  CHECK(quiet_output.empty());
  CHECK(loud_rc == 0);
  CHECK(loud_output == "to-stdout\nto-stderr\n");
}

TEST_CASE("util: run throws io when the program cannot be started") {
  // The header promises Error(io) for a program that cannot be started.
  const auto e = crm_test::error_from(
      [] { process::run({"crm-unit-test-no-such-program"}, {}, true); });
  CHECK(e.kind() == crm::ErrorKind::io);
}

TEST_CASE("util: run_shell passes the argument as one $1, even with spaces") {
  TempDir dir;
  const auto target = dir / "a file with spaces.yaml";
  CHECK(process::run_shell("touch", target.string()) == 0);
  CHECK(std::filesystem::exists(target));
}

TEST_CASE("util: run_shell takes a command line with its own arguments, like EDITOR") {
  TempDir dir;
  // An "editor" that records how many arguments it got and the last one.
  const auto script = dir / "editor.sh";
  const auto log = dir / "log.txt";
  write_text(script, "printf '%s|%s|%s' \"$#\" \"$1\" \"$2\" > '" + log.string() + "'\n");
  const auto draft = dir / "my draft; $(echo x).yaml";
  CHECK(process::run_shell("sh '" + script.string() + "' --wait", draft.string()) == 0);
  CHECK(read_text(log) == "2|--wait|" + draft.string());
}

TEST_CASE("util: run_shell returns the command's exit status") {
  CHECK(process::run_shell("sh -c 'exit 7'", "ignored") == 7);
  CHECK(process::run_shell("true", "x") == 0);
  CHECK(process::run_shell("false", "x") == 1);
}

TEST_CASE("util: run_captured gives the input, keeps stdout and stderr apart, sets the environment") {
  TempDir dir;
  process::Spawn s;
  s.argv = {"sh", "-c", "tr a-z A-Z; echo \"$CRM_X $(pwd)\" >&2; exit 4"};
  s.cwd = dir.path();
  s.env = {{"CRM_X", "set for it"}};
  s.input = "hello\n";
  const auto f = process::run_captured(s);
  CHECK(f.status == 4);
  CHECK(f.out == "HELLO\n");
  CHECK(f.err == "set for it " + std::filesystem::canonical(dir.path()).string() + "\n");
  s.argv = {"sh", "-c", "echo out; echo err >&2"};
  s.merge_stderr = true;
  s.input.clear();
  const auto merged = process::run_captured(s);
  CHECK(merged.out == "out\nerr\n");
  CHECK(merged.err.empty());
}

TEST_CASE("util: run_captured survives a program that reads none of a big input and prints a lot") {
  process::Spawn s;
  s.argv = {"sh", "-c", "head -c 300000 /dev/zero | tr '\\0' x"};
  s.input = std::string(1 << 20, 'y');
  const auto f = process::run_captured(s);
  CHECK(f.status == 0);
  CHECK(f.out == std::string(300000, 'x'));
  // Output and input both bigger than a pipe: neither side waits on the other.
  s.argv = {"cat"};
  const auto echoed = process::run_captured(s);
  CHECK(echoed.out == s.input);
}

TEST_CASE("util: run_captured throws io when the program cannot be started") {
  process::Spawn s;
  s.argv = {"crm-unit-test-no-such-program"};
  const auto e = crm_test::error_from([&] { process::run_captured(s); });
  CHECK(e.kind() == crm::ErrorKind::io);
}

TEST_CASE("util: split_words splits as a shell does, quotes kept together, nothing expanded") {
  using V = std::vector<std::string>;
  CHECK(process::split_words("followup list  --overdue") == V{"followup", "list", "--overdue"});
  CHECK(process::split_words("  \tdue \n") == V{"due"});
  CHECK(process::split_words("") == V{});
  CHECK(process::split_words("contact add 'Ana Pop' --city \"Cluj-Napoca\"") ==
        V{"contact", "add", "Ana Pop", "--city", "Cluj-Napoca"});
  CHECK(process::split_words("search 'a \"b\" c' \"it's\"") == V{"search", "a \"b\" c", "it's"});
  CHECK(process::split_words("a\\ b \"x\\\"y\\\\z\\n\"") == V{"a b", "x\"y\\z\\n"});
  CHECK(process::split_words("x'y'\"z\" '' $HOME *") == V{"xyz", "", "$HOME", "*"});
  CHECK(process::split_words("log note Ștefan -m 'bună ziua'") == V{"log", "note", "Ștefan", "-m", "bună ziua"});
  const auto open_single = crm_test::error_from([] { (void)process::split_words("list 'oops"); });
  CHECK(open_single.kind() == crm::ErrorKind::usage);
  CHECK(std::string(open_single.what()) == "unclosed '");
  CHECK(std::string(crm_test::error_from([] { (void)process::split_words("a \"b"); }).what()) == "unclosed \"");
}

TEST_CASE("util: find_program and programs_with_prefix look on PATH, the first of a name winning") {
  TempDir tmp;
  const auto a = tmp.path() / "a", b = tmp.path() / "b";
  write_text(a / "crm-hello", "#!/bin/sh\n");
  write_text(b / "crm-hello", "#!/bin/sh\n");
  write_text(b / "crm-other", "#!/bin/sh\n");
  write_text(a / "crm-plain", "not executable\n");
  std::filesystem::create_directories(a / "crm-dir");
  for (const auto& p : {a / "crm-hello", b / "crm-hello", b / "crm-other"})
    std::filesystem::permissions(p, std::filesystem::perms::owner_all);
  crm_test::EnvVar path("PATH", a.string() + ":" + b.string() + ":" + (tmp.path() / "missing").string());
  CHECK(process::find_program("crm-hello") == a / "crm-hello");
  CHECK(process::find_program("crm-other") == b / "crm-other");
  CHECK(!process::find_program("crm-plain"));
  CHECK(!process::find_program("crm-dir"));
  CHECK(!process::find_program("crm-nope"));
  CHECK(!process::find_program("a/crm-hello"));
  const auto found = process::programs_with_prefix("crm-");
  REQUIRE(found.size() == 2);
  CHECK(found[0].first == "hello");
  CHECK(found[0].second == a / "crm-hello");
  CHECK(found[1].first == "other");
  CHECK(found[1].second == b / "crm-other");
}

TEST_SUITE_END();
