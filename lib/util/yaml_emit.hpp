#pragma once
// The one YAML writer, used for record files and for --format yaml: text in NFC,
// strings that a YAML 1.1 or 1.2 reader would take for a number, boolean or null
// double-quoted ("0722", "+40722123456", "no"), multi-line text as literal blocks
// when that reads back byte for byte, numbers and booleans as JSON writes them.

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

namespace crm::yaml {

void emit(YAML::Emitter& out, const nlohmann::ordered_json& value);

// The same text emit() gives inside a block map, written without yaml-cpp (whose
// per-character checks dominate the cost of writing a record). Each function
// returns false, having written nothing useful, when some scalar needs yaml-cpp's
// own rules (escapes, literal blocks, long scalars): the caller then emits the
// whole document with yaml-cpp. A test holds both writers to the same bytes.
//
// append_key: a key at column `col` with its colon, as `e << YAML::Key << key`.
bool append_key(std::string& out, std::string_view key, int col);
// append_value: what follows "key:" at column `col` (or a "-" at that column).
bool append_value(std::string& out, const nlohmann::ordered_json& value, int col);

} // namespace crm::yaml
