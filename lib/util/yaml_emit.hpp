#pragma once
// The one YAML writer, used for record files and for --format yaml: text in NFC,
// strings that a YAML 1.1 or 1.2 reader would take for a number, boolean or null
// double-quoted ("0722", "+40722123456", "no"), multi-line text as literal blocks
// when that reads back byte for byte, numbers and booleans as JSON writes them.

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

namespace crm::yaml {

void emit(YAML::Emitter& out, const nlohmann::ordered_json& value);

} // namespace crm::yaml
