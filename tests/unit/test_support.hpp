#pragma once
// Helpers shared by the unit tests: temp directories, environment overrides, a
// pinned workspace and catching crm::Error. Everything restores what it changed when it goes out of scope,
// so tests stay independent of their order and of the caller's environment.

#include <doctest/doctest.h>

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "index/index.hpp"
#include "model/record_type.hpp"
#include "ops/records/records.hpp"
#include "ops/records/session.hpp"
#include "store/workspace.hpp"
#include "util/error.hpp"

// Readable failure output for values doctest cannot print by itself.
namespace doctest {
template <> struct StringMaker<std::optional<std::string>> {
  static String convert(const std::optional<std::string>& v) {
    return v ? String(("\"" + *v + "\"").c_str()) : String("nullopt");
  }
};
template <> struct StringMaker<std::vector<std::string>> {
  static String convert(const std::vector<std::string>& v) {
    std::string out = "{";
    for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ",\n \"" : "\"") + v[i] + "\"";
    return String((out + "}").c_str());
  }
};
} // namespace doctest

namespace crm_test {

namespace stdfs = std::filesystem;

// A fresh directory under the system temp dir, removed with everything in it.
class TempDir {
public:
  TempDir() {
    std::string pattern = (stdfs::temp_directory_path() / "crm-unit-XXXXXX").string();
    std::vector<char> buf(pattern.begin(), pattern.end());
    buf.push_back('\0');
    if (!::mkdtemp(buf.data())) FAIL("mkdtemp failed: " << std::strerror(errno));
    path_ = stdfs::path(buf.data());
  }
  ~TempDir() {
    std::error_code ec;
    stdfs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const stdfs::path& path() const { return path_; }
  stdfs::path operator/(const stdfs::path& rel) const { return path_ / rel; }

private:
  stdfs::path path_;
};

// Sets (or, with nullopt, unsets) an environment variable for the scope.
class EnvVar {
public:
  EnvVar(const char* name, std::optional<std::string> value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) ::setenv(name, value->c_str(), 1);
    else ::unsetenv(name);
  }
  ~EnvVar() {
    if (old_) ::setenv(name_.c_str(), old_->c_str(), 1);
    else ::unsetenv(name_.c_str());
  }
  EnvVar(const EnvVar&) = delete;
  EnvVar& operator=(const EnvVar&) = delete;

  void set(const std::string& value) { ::setenv(name_.c_str(), value.c_str(), 1); }

private:
  std::string name_;
  std::optional<std::string> old_;
};

// Runs `f` and returns the crm::Error it throws; fails the test when it does not.
template <typename F> crm::Error error_from(F&& f) {
  try {
    f();
  } catch (const crm::Error& e) {
    return e;
  }
  FAIL("expected crm::Error");
  return crm::Error(crm::ErrorKind::io, "unreachable");
}

// Plain iostream I/O, independent of the code under test.
inline void write_text(const stdfs::path& path, const std::string& text) {
  stdfs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  REQUIRE(out.good());
}

inline std::string read_text(const stdfs::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Names in a directory (not recursive), sorted.
inline std::vector<std::string> dir_names(const stdfs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : stdfs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

inline struct stat stat_of(const stdfs::path& path) {
  struct stat st{};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st;
}

inline long long mtime_ns(const stdfs::path& path) {
  const auto st = stat_of(path);
  return static_cast<long long>(st.st_mtim.tv_sec) * 1'000'000'000LL + st.st_mtim.tv_nsec;
}

// The time PinnedWorkspace pins CRM_NOW to (a Wednesday).
inline constexpr const char* pinned_now = "2026-11-25T10:00:00+02:00";

// A fresh workspace in a temp dir, with CRM_WORKSPACE unset, CRM_NOW pinned and a short lock timeout.
// `region` is the phone region it is initialised with ("" for none; nullopt leaves the dir empty).
struct PinnedWorkspace {
  EnvVar no_workspace_env{"CRM_WORKSPACE", std::nullopt};
  EnvVar now{"CRM_NOW", std::string(pinned_now)};
  EnvVar lock_timeout;
  TempDir dir;

  explicit PinnedWorkspace(std::optional<std::string> region = "RO", const std::string& lock_timeout_ms = "2000")
      : lock_timeout("CRM_LOCK_TIMEOUT_MS", lock_timeout_ms) {
    if (!region) return;
    crm::store::InitOptions o;
    o.region = *region;
    crm::store::Workspace::init(dir.path(), o);
  }

  // Every record file (.yaml) under a folder, relative to the workspace, sorted.
  std::vector<std::string> files(const std::string& folder) const {
    std::vector<std::string> out;
    for (const auto& e : stdfs::recursive_directory_iterator(dir / folder))
      if (e.is_regular_file() && e.path().extension() == ".yaml")
        out.push_back(stdfs::relative(e.path(), dir.path()).string());
    std::sort(out.begin(), out.end());
    return out;
  }

  // Writes `text` to a file given relative to the workspace, creating its folders.
  void file(const stdfs::path& relpath, const std::string& text) const { write_text(dir / relpath, text); }

  // Every file and folder under the workspace but the index and lock, with the
  // files' bytes: two trees compare equal when nothing was written in between.
  std::map<std::string, std::string> tree() const {
    std::map<std::string, std::string> out;
    for (const auto& e : stdfs::recursive_directory_iterator(dir.path())) {
      const auto rel = stdfs::relative(e.path(), dir.path()).string();
      if (rel.starts_with(".crm/index.sqlite") || rel == ".crm/lock") continue;
      out[rel] = e.is_regular_file() ? read_text(e.path()) : "<dir>";
    }
    return out;
  }
};

// The message of the crm::Error `f` throws, which must be invalid_data; any other
// exception (a JSON type error, say) fails the test: main() would print it as an
// internal error with exit 5.
template <typename F> std::string invalid_data_message(F&& f) {
  try {
    f();
  } catch (const crm::Error& e) {
    CHECK(e.kind() == crm::ErrorKind::invalid_data);
    return e.what();
  } catch (const std::exception& e) {
    FAIL_CHECK("not a crm::Error: " << std::string(e.what()));
    return "";
  }
  FAIL_CHECK("nothing was thrown");
  return "";
}

// Adds a contact the way `crm contact add` does, with changes such as "stage=customer"; returns its id.
inline std::string add_contact(crm::ops::Session& s, const std::string& name, std::vector<std::string> changes = {}) {
  std::vector<crm::ops::Assignment> a;
  for (const auto& c : changes) a.push_back(crm::ops::parse_assignment(c));
  return crm::ops::add_record(s, crm::model::contact_type(), name, a);
}

// The ids of records, in their order.
inline std::vector<std::string> ids(const std::vector<crm::model::Record>& records) {
  std::vector<std::string> out;
  for (const auto& r : records) out.push_back(crm::model::id_of(r));
  return out;
}

// A list query with only a sort ("name", "-updated"...).
inline crm::index::ListQuery sorted_by(std::string sort) {
  crm::index::ListQuery q;
  q.sort = std::move(sort);
  return q;
}

} // namespace crm_test
