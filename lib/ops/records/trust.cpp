#include "ops/records/trust.hpp"

#include <algorithm>
#include <cstdlib>
#include <sstream>

#include <fmt/format.h>

#include "store/workspace.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"

namespace crm::ops {

namespace stdfs = std::filesystem;

namespace {

// The list's own text: a trusted path a line.
std::vector<std::string> read_list(const stdfs::path& file) {
  std::vector<std::string> out;
  std::error_code ec;
  if (!stdfs::is_regular_file(file, ec)) return out;
  std::istringstream in(fs::read_file(file));
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line.starts_with("#")) continue;
    out.push_back(std::move(line));
  }
  return out;
}

void write_list(const stdfs::path& file, const std::vector<std::string>& paths) {
  std::string text = "# workspaces whose .crm/hooks crm runs (crm trust), one a line\n";
  for (const auto& p : paths) text += p + "\n";
  fs::write_file_atomic(file, text);
}

// The path a workspace is listed by: canonical, so that a link or "a/../b"
// names one entry. Throws Error(usage) for a path a line cannot hold.
std::string listed_path(const stdfs::path& dir) {
  std::error_code ec;
  auto canonical = stdfs::canonical(dir, ec);
  if (ec) canonical = stdfs::absolute(dir).lexically_normal();
  std::string text = canonical.string();
  if (text.size() > 1 && text.back() == '/') text.pop_back();
  if (text.find('\n') != std::string::npos || text.find('\r') != std::string::npos)
    throw Error(ErrorKind::usage, "a path holding a line break cannot be trusted");
  return text;
}

} // namespace

stdfs::path trust_file() {
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg && stdfs::path(xdg).is_absolute())
    return stdfs::path(xdg) / "crm" / "trusted";
  const char* home = std::getenv("HOME");
  if (!home || !*home)
    throw Error(ErrorKind::usage, "cannot find the list of trusted workspaces: HOME is not set",
                {"set HOME or XDG_CONFIG_HOME"});
  return stdfs::path(home) / ".config" / "crm" / "trusted";
}

std::vector<std::string> trusted_workspaces() { return read_list(trust_file()); }

bool is_trusted(const stdfs::path& root) {
  try {
    const auto list = trusted_workspaces();
    const std::string mine = listed_path(root);
    return std::find(list.begin(), list.end(), mine) != list.end();
  } catch (const Error&) { // no HOME, an unreadable list: nothing is trusted
    return false;
  }
}

bool trust_workspace(const stdfs::path& root) {
  const auto file = trust_file();
  auto list = read_list(file);
  const std::string mine = listed_path(root);
  if (std::find(list.begin(), list.end(), mine) != list.end()) return false;
  list.push_back(mine);
  write_list(file, list);
  return true;
}

bool untrust_workspace(const stdfs::path& dir) {
  const auto file = trust_file();
  auto list = read_list(file);
  const std::string mine = listed_path(dir);
  const auto before = list.size();
  std::erase(list, mine);
  if (list.size() == before) return false;
  write_list(file, list);
  return true;
}

TrustChange trust(const stdfs::path& start, bool explicit_start) {
  const auto root = store::Workspace::discover(start, explicit_start).root();
  return {listed_path(root), trust_workspace(root)};
}

TrustChange untrust(const stdfs::path& start, bool explicit_start) {
  stdfs::path dir;
  try {
    dir = store::Workspace::discover(start, explicit_start).root();
  } catch (const Error&) {
    if (!explicit_start) throw;
    dir = start; // a workspace deleted since it was trusted
  }
  return {listed_path(dir), untrust_workspace(dir)};
}

} // namespace crm::ops
