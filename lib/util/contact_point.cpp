#include "util/contact_point.hpp"

#include <phonenumbers/phonenumberutil.h>

#include "util/text.hpp"

namespace crm::contact_point {

bool is_valid_email(std::string_view address) {
  const auto at = address.find('@');
  if (at == std::string_view::npos || at == 0 || address.find('@', at + 1) != std::string_view::npos)
    return false;
  for (unsigned char c : address)
    if (c <= ' ' || c == 0x7f || c == ',' || c == ';' || c == '<' || c == '>') return false;
  const auto domain = address.substr(at + 1);
  const auto dot = domain.find('.');
  return dot != std::string_view::npos && dot != 0 && domain.back() != '.' &&
         domain.find("..") == std::string_view::npos && text::is_valid_utf8(address);
}

std::string email_key(std::string_view address) { return text::casefold(text::trim(address)); }

bool looks_like_phone(std::string_view text) {
  int digit_count = 0;
  for (char c : text) {
    if (c >= '0' && c <= '9') ++digit_count;
    else if (c != ' ' && c != '+' && c != '-' && c != '.' && c != '(' && c != ')' && c != '/')
      return false;
  }
  return digit_count >= 5;
}

std::optional<std::string> to_e164(std::string_view number, std::string_view region) {
  using i18n::phonenumbers::PhoneNumber;
  using i18n::phonenumbers::PhoneNumberUtil;
  // GetInstance() costs milliseconds on first use: only reached for real phones.
  const PhoneNumberUtil* util = PhoneNumberUtil::GetInstance();
  PhoneNumber parsed;
  const std::string region_code = region.empty() ? std::string("ZZ") : text::trim(region);
  if (util->Parse(std::string(number), region_code, &parsed) != PhoneNumberUtil::NO_PARSING_ERROR)
    return std::nullopt;
  if (!util->IsPossibleNumber(parsed)) return std::nullopt;
  std::string out;
  util->Format(parsed, PhoneNumberUtil::E164, &out);
  return out;
}

} // namespace crm::contact_point
