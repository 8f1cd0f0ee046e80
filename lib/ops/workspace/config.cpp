#include "ops/workspace/config.hpp"

#include <functional>

#include <fmt/format.h>

#include "model/record_type.hpp"
#include "ops/records/session.hpp"
#include "store/config_file.hpp"
#include "store/record_file.hpp"
#include "store/workspace.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/process.hpp"
#include "util/text.hpp"

namespace crm::ops {

namespace stdfs = std::filesystem;

namespace {

stdfs::path config_file(const stdfs::path& root) { return root / ".crm" / "config.yaml"; }

YAML::Node read_document(const stdfs::path& root) {
  const auto file = config_file(root);
  const std::string text = store::read_yaml_text(file);
  store::check_yaml_text(text, file.string(), "config.yaml");
  return store::config_document(text, file.string());
}

bool inside_git_work_tree(const stdfs::path& root) {
  try {
    return process::run({"git", "rev-parse", "--is-inside-work-tree"}, root, true) == 0;
  } catch (const Error&) { // no git at all
    return false;
  }
}

bool is_true(const std::optional<YAML::Node>& v) {
  if (!v || !v->IsScalar()) return false;
  const std::string s = text::ascii_lower(v->Scalar());
  return s == "true" || s == "yes" || s == "on";
}

// Writes the config's new text once the config reader takes it.
void change(const stdfs::path& root, const std::vector<std::string>& path,
            const std::function<std::string(const std::string&)>& edit) {
  const auto file = config_file(root);
  fs::FileLock lock(root / ".crm" / "lock", lock_timeout_ms());
  const std::string before = store::read_yaml_text(file);
  store::check_yaml_text(before, file.string(), "config.yaml");
  (void)store::config_document(before, file.string()); // a file that does not parse is named as such
  const std::string after = edit(before);
  if (after == before) return;
  {
    // The reader sets the model's contact stages as it reads: put them back.
    std::vector<std::string> stages;
    for (const auto s : model::contact_stages()) stages.emplace_back(s);
    struct Restore {
      std::vector<std::string>& s;
      ~Restore() { model::use_contact_stages(s); }
    } restore{stages};
    (void)store::parse_config(after, file);
  }
  if (path.front() == "git") {
    const auto doc = store::config_document(after, file.string());
    if (is_true(store::config_lookup(doc, {"git", "autocommit"})) && !inside_git_work_tree(root))
      throw Error(ErrorKind::usage,
                  fmt::format("cannot turn on git.autocommit: '{}' is not in a git work tree", root.string()),
                  {"run 'git init' there first (or start a workspace with 'crm init --git')"});
  }
  fs::write_file_atomic(file, after);
}

} // namespace

std::optional<YAML::Node> config_get(const stdfs::path& root, const std::string& key) {
  const auto path = store::config_key_path(key);
  return store::config_lookup(read_document(root), path);
}

std::vector<std::pair<std::string, YAML::Node>> config_list(const stdfs::path& root) {
  return store::config_leaves(read_document(root));
}

void config_set(const stdfs::path& root, const std::string& key, const std::string& value) {
  const auto path = store::config_key_path(key);
  const YAML::Node v = store::config_value(value);
  change(root, path, [&](const std::string& text) { return store::config_text_set(text, path, v); });
}

void config_unset(const stdfs::path& root, const std::string& key) {
  const auto path = store::config_key_path(key);
  change(root, path, [&](const std::string& text) { return store::config_text_unset(text, path); });
}

} // namespace crm::ops
