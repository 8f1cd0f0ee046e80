#pragma once
// Helpers shared by the unit tests: temp directories, environment overrides and
// catching crm::Error. Everything restores what it changed when it goes out of scope,
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
#include <optional>
#include <string>
#include <system_error>
#include <vector>

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

} // namespace crm_test
