#pragma once
// What reading a card into a contact (contact_from_card.cpp) and writing a
// contact's card (card_from_contact.cpp) share.

#include <string>
#include <string_view>

#include "format/vcard.hpp"
#include "model/record_type.hpp"
#include "util/text.hpp"

namespace crm::ops::card_text {

inline std::string lower(std::string_view s) { return text::ascii_lower(s); }

// Text for a one-line field: line breaks become spaces, NFC, trimmed.
inline std::string one_line(std::string_view s) {
  std::string out;
  for (char c : s) out += (c == '\n' || c == '\r') ? ' ' : c;
  return text::trim(text::nfc(out));
}

inline bool is_pref(const vcard::Property& p) {
  return vcard::has_type(p, "pref") || !vcard::param_values(p, "PREF").empty();
}

inline std::string string_field(const model::Record& r, const char* key) {
  auto it = r.find(key);
  return it != r.end() && it->is_string() ? it->get<std::string>() : "";
}

} // namespace crm::ops::card_text
