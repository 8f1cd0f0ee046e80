#pragma once
// `crm config get|set|unset|list`: the settings in .crm/config.yaml, read and
// changed one key at a time, every other byte of the file kept (store/config_file).

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace crm::ops {

// The value of KEY ("deals.stages.proposal") in the config of the workspace at
// `root`, when it is set. Throws Error(usage) for a key config.yaml does not know.
std::optional<YAML::Node> config_get(const std::filesystem::path& root, const std::string& key);

// Every set value that is not a map, by its dotted key, in file order.
std::vector<std::pair<std::string, YAML::Node>> config_list(const std::filesystem::path& root);

// Sets KEY to VALUE (store::config_value reads it) or removes it, under the
// workspace's writer lock. The new text is read by the config reader
// (store::parse_config) first: a bad value is its Error(invalid_data) and the file
// is left as it was. git.autocommit true needs the workspace in a git work tree
// (Error(usage) otherwise). Unset of a key that is not there: Error(not_found).
void config_set(const std::filesystem::path& root, const std::string& key, const std::string& value);
void config_unset(const std::filesystem::path& root, const std::string& key);

} // namespace crm::ops
