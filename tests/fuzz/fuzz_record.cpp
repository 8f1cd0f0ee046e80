// libFuzzer target: a record file's text (store/record_file.hpp), as it may come
// from anyone who can push to a shared workspace, read as each record type. The
// text is refused with a RecordFileError or read; a record that was read renders
// to a file that reads back as the same record.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string_view>

#include <nlohmann/json.hpp>

#include "model/record_type.hpp"
#include "store/record_file.hpp"
#include "util/error.hpp"

namespace {

nlohmann::json unordered(const crm::model::Record& record) { return nlohmann::json::parse(record.dump()); }

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const crm::model::RecordType* type : crm::model::all_types()) {
    crm::store::ParsedRecord parsed;
    try {
      parsed = crm::store::parse_record(*type, text, "fuzz.yaml");
    } catch (const crm::store::RecordFileError&) {
      continue;
    }
    std::string rendered;
    try {
      rendered = crm::store::render_record(*type, parsed.record);
    } catch (const crm::Error& e) {
      if (e.kind() != crm::ErrorKind::invalid_data) __builtin_trap();
      continue; // over a limit once written out: crm refuses to write it
    }
    // What crm writes, it reads back unchanged (the fields in the type's order).
    const auto again = crm::store::parse_record(*type, rendered, "fuzz.yaml");
    if (unordered(again.record) != unordered(parsed.record)) {
      std::fprintf(stderr, "%.*s read as\n%s\nwritten as\n%s\nread back as\n%s\n", static_cast<int>(type->name.size()), type->name.data(),
                   parsed.record.dump().c_str(), rendered.c_str(), again.record.dump().c_str());
      __builtin_trap();
    }
  }
  return 0;
}
