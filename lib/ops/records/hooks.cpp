#include "ops/records/hooks.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "ops/records/trust.hpp"
#include "store/record_file.hpp"
#include "util/error.hpp"
#include "util/process.hpp"

namespace crm::ops {

namespace stdfs = std::filesystem;
using Json = nlohmann::ordered_json;

std::optional<stdfs::path> hook_file(const store::Workspace& workspace, std::string_view name) {
  const auto path = workspace.crm_dir() / "hooks" / std::string(name);
  struct stat st;
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || ::access(path.c_str(), X_OK) != 0) return std::nullopt;
  return path;
}

HookResult run_hook(const store::Workspace& workspace, std::string_view name, const std::string& payload) {
  HookResult result;
  const auto path = hook_file(workspace, name);
  if (!path) return result;
  result.ran = true;
  process::Spawn spawn;
  spawn.argv = {path->string()};
  spawn.cwd = workspace.root();
  spawn.env = {{"CRM_WORKSPACE", workspace.root().string()}, {"CRM_HOOK", std::string(name)}};
  spawn.input = payload;
  spawn.merge_stderr = true;
  try {
    auto done = process::run_captured(spawn);
    result.status = done.status;
    result.output = std::move(done.out);
  } catch (const Error& e) { // not a program the system can start (a bad #! line)
    result.status = 126;
    result.output = std::string(e.what()) + "\n";
  }
  return result;
}

namespace {

constexpr auto no_throw = Json::error_handler_t::replace;

Json change_json(const store::Workspace& workspace, const Change& c) {
  Json j = {{"action", action_name(c.action)}, {"type", c.type}, {"id", c.id}, {"path", c.path}};
  if (c.action == ChangeAction::remove) return j;
  if (c.record) {
    j["record"] = *c.record;
  } else if (const auto* type = type_of_path(c.path); type && c.path.ends_with(".yaml")) {
    try {
      j["record"] = store::parse_record(*type, store::read_yaml_text(workspace.absolute(c.path)), c.path).record;
    } catch (const std::exception&) { // gone or broken since: the change is still told
    }
  }
  return j;
}

} // namespace

std::string hook_payload(std::string_view hook, const store::Workspace& workspace, std::string_view command,
                         std::string_view summary, const std::vector<Change>& changes, const Json& extra) {
  Json head = {{"hook", hook}, {"workspace", workspace.root().string()}, {"command", command}, {"summary", summary}};
  for (const auto& [key, value] : extra.items()) head[key] = value;
  // Written change by change: an import's payload is one string, not a tree of
  // a million JSON objects.
  std::string text = head.dump(-1, ' ', false, no_throw);
  text.pop_back(); // the closing brace
  text += ",\"changes\":[";
  bool first = true;
  for (const auto& c : changes) {
    if (!first) text += ',';
    first = false;
    text += change_json(workspace, c).dump(-1, ' ', false, no_throw);
  }
  text += "]}\n";
  return text;
}

Notice untrusted_hooks_notice() {
  return {Notice::Kind::warning, "hooks in .crm/hooks are not run: this workspace is not trusted",
          {"read them; then 'crm trust' runs them from now on"}};
}

std::vector<Notice> run_after_hook(const store::Workspace& workspace, std::string_view name,
                                   const std::function<std::string()>& payload) {
  std::vector<Notice> out;
  if (!hook_file(workspace, name)) return out;
  if (!is_trusted(workspace.root())) {
    out.push_back(untrusted_hooks_notice());
    return out;
  }
  const auto r = run_hook(workspace, name, payload());
  if (!r.output.empty()) out.push_back({Notice::Kind::output, r.output, {}});
  if (r.status != 0)
    out.push_back({Notice::Kind::warning, fmt::format("the {} hook failed (exit status {})", name, r.status),
                   {r.output.empty() ? "what was written stays" : "what was written stays; the hook's output is above"}});
  return out;
}

} // namespace crm::ops
