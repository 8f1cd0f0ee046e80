#include <doctest/doctest.h>

#include <sys/stat.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "test_support.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"

using crm::ErrorKind;
using crm_test::dir_names;
using crm_test::error_from;
using crm_test::read_text;
using crm_test::TempDir;
using crm_test::write_text;

namespace fs = crm::fs;

namespace {

bool has_temp_file(const std::filesystem::path& dir) {
  for (const auto& name : dir_names(dir))
    if (name.starts_with(fs::temp_prefix)) return true;
  return false;
}

} // namespace

TEST_SUITE_BEGIN("util");

// ------------------------------------------------------------------ AtomicFile

TEST_CASE("util: AtomicFile writes a new file only on commit") {
  TempDir dir;
  const auto target = dir / "ana.yaml";
  {
    fs::AtomicFile file(target);
    CHECK(file.target() == target);
    file.write("id: ana\n");
    file.write("name: Ana\n");
    // Until commit the content sits in a temp file in the same directory.
    CHECK_FALSE(std::filesystem::exists(target));
    const auto names = dir_names(dir.path());
    REQUIRE(names.size() == 1);
    CHECK(names[0].starts_with(".crm-tmp-ana.yaml-"));
    file.commit();
  }
  CHECK(read_text(target) == "id: ana\nname: Ana\n");
  CHECK(dir_names(dir.path()) == std::vector<std::string>{"ana.yaml"});
}

TEST_CASE("util: AtomicFile replaces existing content and leaves no temp file") {
  TempDir dir;
  const auto target = dir / "x.yaml";
  write_text(target, "old content that is longer than the new one\n");
  {
    fs::AtomicFile file(target);
    file.write("new\n");
    file.commit();
  }
  CHECK(read_text(target) == "new\n");
  CHECK(dir_names(dir.path()) == std::vector<std::string>{"x.yaml"});
}

TEST_CASE("util: AtomicFile keeps the mode of the file it replaces, a new file gets 0666 less the umask") {
  TempDir dir;
  const auto target = dir / "private.yaml";
  write_text(target, "old\n");
  std::filesystem::permissions(target, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  fs::write_file_atomic(target, "new\n");
  CHECK(read_text(target) == "new\n");
  CHECK((std::filesystem::status(target).permissions() & std::filesystem::perms::all) ==
        (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
  const mode_t mask = ::umask(022);
  fs::write_file_atomic(dir / "new.yaml", "x\n");
  ::umask(mask);
  CHECK((std::filesystem::status(dir / "new.yaml").permissions() & std::filesystem::perms::all) ==
        static_cast<std::filesystem::perms>(0644));
}

TEST_CASE("util: AtomicFile without commit leaves the target untouched and removes its temp") {
  TempDir dir;
  const auto target = dir / "x.yaml";
  write_text(target, "old\n");
  {
    fs::AtomicFile file(target);
    file.write("half-written");
    CHECK(has_temp_file(dir.path()));
  }
  CHECK(read_text(target) == "old\n");
  CHECK_FALSE(has_temp_file(dir.path()));
  CHECK(dir_names(dir.path()) == std::vector<std::string>{"x.yaml"});

  // Same for a target that did not exist: nothing appears.
  { fs::AtomicFile file(dir / "new.yaml"); file.write("x"); }
  CHECK(dir_names(dir.path()) == std::vector<std::string>{"x.yaml"});
}

TEST_CASE("util: AtomicFile writes large and binary content exactly") {
  TempDir dir;
  std::string data;
  for (int i = 0; i < 100000; ++i) data += static_cast<char>(i % 256);
  fs::write_file_atomic(dir / "blob", data);
  CHECK(read_text(dir / "blob") == data);
  CHECK(fs::read_file(dir / "blob") == data);
}

TEST_CASE("util: AtomicFile throws io when the temp file cannot be created") {
  TempDir dir;
  write_text(dir / "plain", "a file, not a directory");
  const auto e = error_from([&] { fs::AtomicFile file(dir / "plain" / "x.yaml"); });
  CHECK(e.kind() == ErrorKind::io);
}

TEST_CASE("util: write_file_atomic creates parent directories") {
  TempDir dir;
  const auto target = dir / "activities" / "2026" / "11" / "call.yaml";
  fs::write_file_atomic(target, "kind: call\n");
  CHECK(read_text(target) == "kind: call\n");
  CHECK(dir_names(target.parent_path()) == std::vector<std::string>{"call.yaml"});
  // And an empty file is a file.
  fs::write_file_atomic(dir / "a" / ".keep", "");
  CHECK(std::filesystem::is_regular_file(dir / "a" / ".keep"));
  CHECK(std::filesystem::file_size(dir / "a" / ".keep") == 0);
}

// ------------------------------------------------------------------ read / remove

TEST_CASE("util: read_file returns content or throws not_found") {
  TempDir dir;
  write_text(dir / "f", std::string("a\0b\nÎ", 6));
  CHECK(fs::read_file(dir / "f") == std::string("a\0b\nÎ", 6));
  write_text(dir / "empty", "");
  CHECK(fs::read_file(dir / "empty").empty());

  const auto e = error_from([&] { fs::read_file(dir / "missing.yaml"); });
  CHECK(e.kind() == ErrorKind::not_found);
  CHECK(std::string(e.what()).find("missing.yaml") != std::string::npos);
}

TEST_CASE("util: read_file on a directory is an io error, not not_found") {
  TempDir dir;
  CHECK(error_from([&] { fs::read_file(dir.path()); }).kind() == ErrorKind::io);
}

TEST_CASE("util: remove_file removes a file and accepts a missing one") {
  TempDir dir;
  write_text(dir / "x.yaml", "x");
  fs::remove_file(dir / "x.yaml");
  CHECK_FALSE(std::filesystem::exists(dir / "x.yaml"));
  CHECK_NOTHROW(fs::remove_file(dir / "x.yaml"));
  CHECK_NOTHROW(fs::remove_file(dir / "never-existed.yaml"));
}

// ------------------------------------------------------------------ FileLock

TEST_CASE("util: FileLock conflicts with a second lock on the same file") {
  TempDir dir;
  const auto lock_path = dir / "lock";
  std::optional<fs::FileLock> first;
  first.emplace(lock_path, 50);
  CHECK(std::filesystem::exists(lock_path));

  // flock belongs to the open file description: a second open in this process
  // conflicts just as another process would.
  const auto start = std::chrono::steady_clock::now();
  const auto e = error_from([&] { fs::FileLock second(lock_path, 50); });
  const auto waited = std::chrono::steady_clock::now() - start;
  CHECK(e.kind() == ErrorKind::conflict);
  CHECK(std::string(e.what()).find(lock_path.string()) != std::string::npos);
  CHECK_FALSE(e.hints().empty());
  CHECK(waited >= std::chrono::milliseconds(50));

  first.reset();
  CHECK_NOTHROW([&] { fs::FileLock again(lock_path, 50); }());
  // Released again when that one went away.
  CHECK_NOTHROW([&] { fs::FileLock once_more(lock_path, 0); }());
}

TEST_CASE("util: FileLock throws io when the lock file cannot be opened") {
  TempDir dir;
  const auto e = error_from([&] { fs::FileLock lock(dir / "no-such-dir" / "lock", 10); });
  CHECK(e.kind() == ErrorKind::io);
}

TEST_SUITE_END();
