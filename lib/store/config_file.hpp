#pragma once
// config.yaml as text: `crm config get|set|list` read and change one setting and
// leave every other byte of the file as it was (its comments, its layout, its
// line ends). yaml-cpp reads the values; the changes are made on the lines.
//
// A key is a dotted path of names: "currency", "index.verify",
// "deals.stages.proposal", "alias.overdue". A change finds the key's line by the
// indentation of its block; a value inside a one-line flow map
// (`stages: {lead: 10, ...}`) is changed by writing that map again on its line;
// a new key goes at the end of its parent block (or just below a commented-out
// example of it, `# cadence:`), with the parent blocks it needs.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

namespace crm::store {

// The top-level keys of config.yaml and what each is for.
struct ConfigKey {
  std::string_view name;
  std::string_view help;
};
std::span<const ConfigKey> config_keys();

// "deals.stages.proposal" -> {"deals", "stages", "proposal"}. Throws Error(usage)
// for an empty name ("a..b") or a first name that config.yaml does not know (the
// hint names the known ones).
std::vector<std::string> config_key_path(std::string_view key);

// A value as given on the command line, read as YAML: text starting with '[' or
// '{' is a flow list or map (Error(invalid_data) when it does not parse); a
// quoted scalar ("\"no\"", "'x'") is that string, written quoted; any other text
// is a string, written plain when it reads back as itself and quoted otherwise.
// Text is made NFC; Error(usage) when it is not UTF-8.
YAML::Node config_value(std::string_view text);

// The text of config.yaml with `path` set to `value` (the path's blocks created
// as needed) or removed. Throws Error(usage) when a name on the path holds a
// value that is not a map ("currency.x"), Error(not_found) when unset finds no
// such key, and Error(invalid_data) when the file does not parse or its layout
// around the key is not one crm can change in place (the change is checked by
// reading both texts back).
std::string config_text_set(std::string_view text, const std::vector<std::string>& path, const YAML::Node& value);
std::string config_text_unset(std::string_view text, const std::vector<std::string>& path);

// The file's text read as YAML (Error(invalid_data) "<file>:<line>: ..." when
// it does not parse), and the value at `path` in it, if it is set (not null).
YAML::Node config_document(std::string_view text, std::string_view file_for_messages);
std::optional<YAML::Node> config_lookup(const YAML::Node& document, const std::vector<std::string>& path);

// Every set value that is not a map, by its dotted key, in file order: maps are
// walked into, lists are values. Null values are not set.
std::vector<std::pair<std::string, YAML::Node>> config_leaves(const YAML::Node& document);

// A value as text: a scalar as it is; a list or map on one line in flow YAML
// (`[lead, prospect]`, `{lead: 10}`), strings quoted where YAML needs it.
std::string config_flow_text(const YAML::Node& value);
// A value as a YAML document: a scalar on one line, a map or list in block
// style; ends with a newline.
std::string config_block_text(const YAML::Node& value);
// A value as JSON: plain scalars that YAML reads as numbers, booleans or null
// become those; quoted scalars and all other text are strings.
nlohmann::ordered_json config_json(const YAML::Node& value);

} // namespace crm::store
