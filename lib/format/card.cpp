#include "format/card.hpp"

#include <ostream>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "format/output.hpp"
#include "util/text.hpp"

namespace crm::format {
namespace {

using Json = nlohmann::ordered_json;

std::vector<std::string> split_lines(const std::string& s) {
  const auto views = text::split_lines(s);
  return {views.begin(), views.end()};
}

std::string point_line(const Json& item, const char* main_key) {
  if (!item.is_object()) return cell_text(item);
  std::string line = item.value(main_key, "");
  if (item.contains("label") && item["label"].is_string())
    line += fmt::format(" ({})", item["label"].get<std::string>());
  return line;
}

// A referenced record as "Name (id)", or its id when its name is unknown.
std::string ref_line(const std::string& id, const std::map<std::string, std::string>& ref_names) {
  auto it = ref_names.find(id);
  return it != ref_names.end() && !it->second.empty() && it->second != id ? fmt::format("{} ({})", it->second, id) : id;
}

} // namespace

void write_card(std::ostream& out, const model::RecordType& type, const model::Record& record,
                const std::map<std::string, std::string>& ref_names, bool color, const CardRows& more) {
  CardRows rows;
  for (const auto& [key, value] : record.items()) {
    if (key == "name" || value.is_null()) continue;
    if (key == type.title_key && value.is_string() && value.get_ref<const std::string&>().find('\n') == std::string::npos)
      continue; // already the title
    const model::Field* f = type.field(key);
    std::vector<std::string> lines;
    if (f && f->kind == model::FieldKind::emails && value.is_array()) {
      for (const auto& e : value) lines.push_back(point_line(e, "address"));
    } else if (f && f->kind == model::FieldKind::phones && value.is_array()) {
      for (const auto& p : value) lines.push_back(point_line(p, "number"));
    } else if (f && f->kind == model::FieldKind::entries && f->entry_line && value.is_array()) {
      for (const auto& e : value) lines.push_back(e.is_object() ? f->entry_line(e) : cell_text(e));
    } else if (f && f->kind == model::FieldKind::ref && value.is_string()) {
      lines.push_back(ref_line(value.get<std::string>(), ref_names));
    } else if (f && !f->ref_type.empty() && value.is_array()) {
      for (const auto& v : value) lines.push_back(v.is_string() ? ref_line(v.get<std::string>(), ref_names) : cell_text(v));
    } else if (value.is_object()) {
      for (const auto& [sub, v] : value.items()) rows.push_back({key + "." + sub, split_lines(cell_text(v))});
      continue;
    } else if (value.is_string()) {
      lines = split_lines(value.get<std::string>());
    } else {
      lines.push_back(cell_text(value));
    }
    if (!lines.empty()) rows.push_back({key, std::move(lines)});
  }
  for (const auto& row : more)
    if (!row.second.empty()) rows.push_back(row);
  std::size_t width = 0;
  for (const auto& [label, lines] : rows) width = std::max(width, text::display_width(label));
  std::string name = record.value(std::string(type.title_key), "");
  name = name.substr(0, name.find('\n'));
  if (name.empty()) name = record.value("id", "");
  out << (color ? fmt::format("\x1b[1m{}\x1b[0m", name) : name) << '\n';
  for (const auto& [label, lines] : rows) {
    for (std::size_t i = 0; i < lines.size(); ++i) {
      std::string line = "  " + text::pad_right(i == 0 ? label : "", width) + "  " + lines[i];
      while (!line.empty() && line.back() == ' ') line.pop_back(); // blank note lines
      out << line << '\n';
    }
  }
}

} // namespace crm::format
