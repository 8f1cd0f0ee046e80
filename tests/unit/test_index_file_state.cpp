#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "index/file_state.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

using crm::index::bucket_count;
using crm::index::bucket_of;
using crm::index::content_hash;
using crm::index::decode_entries;
using crm::index::DirState;
using crm::index::encode_entries;
using crm::index::FileEntry;
using crm::index::is_racy;
using crm::index::ScanResult;
using crm::index::Stamp;
using crm::index::VerifyMode;
using crm_test::TempDir;
using crm_test::write_text;

namespace stdfs = std::filesystem;

namespace {

constexpr std::int64_t second = 1'000'000'000;

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Scans `top` under `root` as the index does.
ScanResult scan(const stdfs::path& root, const std::map<std::string, DirState>& known,
                VerifyMode mode = VerifyMode::stat, std::int64_t now = now_ns()) {
  const int fd = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  auto r = crm::index::scan(fd, {"contacts"}, known, mode, now, root.string());
  ::close(fd);
  return r;
}

std::vector<std::string> pending_paths(const ScanResult& r) {
  std::vector<std::string> out;
  for (const auto& p : r.pending) out.push_back(p.path + (p.added ? " +" : " ~"));
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

std::vector<std::string> keys(const std::map<std::string, DirState>& m) {
  std::vector<std::string> out;
  for (const auto& [k, v] : m) out.push_back(k);
  return out;
}

FileEntry* find(std::map<std::string, DirState>& dirs, const std::string& dir, const std::string& name) {
  auto it = dirs.find(dir);
  if (it == dirs.end()) return nullptr;
  for (auto& e : it->second.buckets[bucket_of(name)])
    if (e.name == name) return &e;
  return nullptr;
}

std::int64_t mtime_of(const stdfs::path& p) {
  const auto st = crm_test::stat_of(p);
  return static_cast<std::int64_t>(st.st_mtim.tv_sec) * second + st.st_mtim.tv_nsec;
}

} // namespace

TEST_SUITE_BEGIN("index");

// ------------------------------------------------------------------ hashing

TEST_CASE("index: content_hash is 64-bit FNV-1a") {
  // The published FNV-1a test vectors.
  CHECK(content_hash("") == static_cast<std::int64_t>(0xcbf29ce484222325ull));
  CHECK(content_hash("a") == static_cast<std::int64_t>(0xaf63dc4c8601ec8cull));
  CHECK(content_hash("foobar") == static_cast<std::int64_t>(0x85944171f73967e8ull));
  CHECK(content_hash("name: Ana Pop\n") != content_hash("name: Ana Pip\n"));
}

TEST_CASE("index: bucket_of is stable, in range and spreads names") {
  std::set<std::size_t> used;
  for (int i = 0; i < 1000; ++i) {
    const std::string name = "contact-" + std::to_string(i) + ".yaml";
    const auto b = bucket_of(name);
    CHECK(b < bucket_count);
    CHECK(bucket_of(name) == b);
    used.insert(b);
  }
  CHECK(used.size() == bucket_count); // 1000 names reach every one of the 64 buckets
}

TEST_CASE("index: is_racy is true within 2 s of the newer of mtime and ctime") {
  const std::int64_t now = 100 * second;
  CHECK(is_racy({10, now - second, now - 10 * second, 1}, now));
  CHECK(is_racy({10, now - 10 * second, now - second, 1}, now)); // ctime counts too
  CHECK(is_racy({10, now - 2 * second + 1, 0, 1}, now));
  CHECK_FALSE(is_racy({10, now - 2 * second, now - 2 * second, 1}, now));
  CHECK_FALSE(is_racy({10, now - 3 * second, now - 5 * second, 1}, now));
}

// ------------------------------------------------------------------ entries

TEST_CASE("index: encode_entries and decode_entries round-trip") {
  const std::vector<FileEntry> entries = {
      {"ana-k7q2.yaml", {123, 1'700'000'000 * second + 5, 1'700'000'001 * second, 42}, -7, true, false},
      {"олена-шевченко-k7q2.yaml", {0, 0, 0, 0}, 0, false, true},
      {"x.yaml", {-1, -2, -3, -4}, std::int64_t(0x7fffffffffffffff), true, true},
  };
  const auto back = decode_entries(encode_entries(entries));
  REQUIRE(back.size() == entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    CAPTURE(i);
    CHECK(back[i].name == entries[i].name);
    CHECK(back[i].stamp == entries[i].stamp);
    CHECK(back[i].hash == entries[i].hash);
    CHECK(back[i].racy == entries[i].racy);
    CHECK(back[i].broken == entries[i].broken);
  }
  CHECK(encode_entries({}).empty());
  CHECK(decode_entries("").empty());
}

TEST_CASE("index: decode_entries throws io on every truncation of an entry") {
  const std::string blob = encode_entries({{"ana-k7q2.yaml", {1, 2, 3, 4}, 5, true, false}});
  for (std::size_t n = 1; n < blob.size(); ++n) {
    CAPTURE(n);
    const auto e = crm_test::error_from([&] { decode_entries(std::string_view(blob).substr(0, n)); });
    CHECK(e.kind() == crm::ErrorKind::io);
  }
}

TEST_CASE("index: DirState::size counts entries over all buckets") {
  DirState d;
  CHECK(d.buckets.size() == bucket_count);
  CHECK(d.size() == 0);
  d.buckets[0].push_back({"a.yaml", {}, 0, false, false});
  d.buckets[63].push_back({"b.yaml", {}, 0, false, false});
  d.buckets[63].push_back({"c.yaml", {}, 0, false, false});
  CHECK(d.size() == 3);
}

// ------------------------------------------------------------------ scan

TEST_CASE("index: scan finds record files recursively, skips others, lists temp files") {
  TempDir root;
  write_text(root / "contacts" / "a.yaml", "a");
  write_text(root / "contacts" / "b.yaml", "bb");
  write_text(root / "contacts" / "sub" / "c.yaml", "ccc");
  write_text(root / "contacts" / ".crm-tmp-a.yaml-1", "partial");
  write_text(root / "contacts" / ".hidden.yaml", "dot files are not records");
  write_text(root / "contacts" / "readme.txt", "not yaml");
  write_text(root / "contacts" / ".yaml", "no name");
  write_text(root / "other" / "x.yaml", "outside the top dirs");
  const auto r = scan(root.path(), {});
  CHECK(r.scanned == 3);
  CHECK(pending_paths(r) == std::vector<std::string>{"contacts/a.yaml +", "contacts/b.yaml +", "contacts/sub/c.yaml +"});
  CHECK(r.removed.empty());
  CHECK(r.gone_dirs.empty());
  CHECK(r.temps == std::vector<std::string>{"contacts/.crm-tmp-a.yaml-1"});
  CHECK(keys(r.dirty) == std::vector<std::string>{"contacts", "contacts/sub"});
  CHECK(r.dirty.at("contacts").size() == 2);
  CHECK(r.dirty.at("contacts/sub").size() == 1);
  // Each pending file points at its entry, with the file's stat data.
  for (const auto& p : r.pending) {
    CAPTURE(p.path);
    const auto& e = r.dirty.at(p.dir).buckets.at(p.bucket).at(p.entry);
    CHECK(p.path == p.dir + "/" + e.name);
    CHECK(p.bucket == bucket_of(e.name));
    CHECK(e.stamp.size == static_cast<std::int64_t>(stdfs::file_size(root / p.path)));
    CHECK(e.stamp.inode == static_cast<std::int64_t>(crm_test::stat_of(root / p.path).st_ino));
  }
}

TEST_CASE("index: scan of an unchanged tree has nothing to do") {
  TempDir root;
  write_text(root / "contacts" / "a.yaml", "a");
  write_text(root / "contacts" / "sub" / "c.yaml", "ccc");
  const auto first = scan(root.path(), {});
  const auto again = scan(root.path(), first.dirty);
  CHECK(again.scanned == 2);
  CHECK(again.pending.empty());
  CHECK(again.removed.empty());
  CHECK(again.dirty.empty());
  CHECK(again.gone_dirs.empty());
}

TEST_CASE("index: scan reports changed, removed files and gone directories") {
  TempDir root;
  write_text(root / "contacts" / "a.yaml", "a");
  write_text(root / "contacts" / "b.yaml", "bb");
  write_text(root / "contacts" / "sub" / "c.yaml", "ccc");
  const auto known = scan(root.path(), {}).dirty;
  write_text(root / "contacts" / "b.yaml", "changed");
  stdfs::remove(root / "contacts" / "a.yaml");
  stdfs::remove_all(root / "contacts" / "sub");
  write_text(root / "contacts" / "d.yaml", "new");
  const auto r = scan(root.path(), known);
  CHECK(r.scanned == 2);
  CHECK(pending_paths(r) == std::vector<std::string>{"contacts/b.yaml ~", "contacts/d.yaml +"});
  CHECK(sorted(r.removed) == std::vector<std::string>{"contacts/a.yaml", "contacts/sub/c.yaml"});
  CHECK(r.gone_dirs == std::vector<std::string>{"contacts/sub"});
}

TEST_CASE("index: scan re-reads a racy file whose stat data did not change") {
  TempDir root;
  write_text(root / "contacts" / "a.yaml", "name: Ana Pop\n");
  auto known = scan(root.path(), {}).dirty;
  FileEntry* e = find(known, "contacts", "a.yaml");
  REQUIRE(e != nullptr);
  e->racy = true;

  SUBCASE("same content: nothing to do") {
    e->hash = content_hash("name: Ana Pop\n");
    const auto r = scan(root.path(), known);
    CHECK(r.pending.empty());
  }
  SUBCASE("other content: changed") {
    e->hash = content_hash("name: Ana Pip\n"); // what the index saw before a same-tick rewrite
    const auto r = scan(root.path(), known);
    CHECK(pending_paths(r) == std::vector<std::string>{"contacts/a.yaml ~"});
  }
  SUBCASE("same content, and now old: no longer racy") {
    e->hash = content_hash("name: Ana Pop\n");
    auto r = scan(root.path(), known, VerifyMode::stat, now_ns() + 10 * second);
    CHECK(r.pending.empty());
    FileEntry* settled = find(r.dirty, "contacts", "a.yaml");
    REQUIRE(settled != nullptr);
    CHECK_FALSE(settled->racy);
  }
}

TEST_CASE("index: dirs mode trusts an unchanged directory, stat mode does not") {
  TempDir root;
  write_text(root / "contacts" / "a.yaml", "a");
  write_text(root / "contacts" / "sub" / "c.yaml", "c");
  auto known = scan(root.path(), {}).dirty;
  // As if both directories were listed long enough ago to be trusted.
  known["contacts"].mtime_ns = mtime_of(root / "contacts");
  known["contacts/sub"].mtime_ns = mtime_of(root / "contacts" / "sub");

  // An in-place edit moves no directory mtime.
  write_text(root / "contacts" / "a.yaml", "edited in place");
  write_text(root / "contacts" / "sub" / "c.yaml", "edited too");
  REQUIRE(mtime_of(root / "contacts") == known["contacts"].mtime_ns);

  const auto dirs = scan(root.path(), known, VerifyMode::dirs);
  CHECK(dirs.scanned == 2);
  CHECK(dirs.pending.empty()); // the documented trade-off of index.verify: dirs
  const auto stat = scan(root.path(), known, VerifyMode::stat);
  CHECK(pending_paths(stat) == std::vector<std::string>{"contacts/a.yaml ~", "contacts/sub/c.yaml ~"});

  // A new file moves its directory's mtime: dirs mode sees it.
  write_text(root / "contacts" / "sub" / "new.yaml", "n");
  const auto added = scan(root.path(), known, VerifyMode::dirs);
  CHECK(pending_paths(added) == std::vector<std::string>{"contacts/sub/c.yaml ~", "contacts/sub/new.yaml +"});
}

TEST_SUITE_END();
