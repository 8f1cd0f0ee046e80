// The phone-number plugin: the only code that links libphonenumber. It is loaded
// with dlopen the first time a phone number must be parsed, so that every other
// crm command starts without loading libphonenumber, protobuf, ICU and abseil
// (about half of a bare process start; DESIGN section 2).

#include <cstring>
#include <string>

#include <phonenumbers/phonenumberutil.h>

extern "C" __attribute__((visibility("default"))) int crm_phone_to_e164(const char* number, const char* region,
                                                                        char* out, std::size_t out_size) {
  using i18n::phonenumbers::PhoneNumber;
  using i18n::phonenumbers::PhoneNumberUtil;
  const PhoneNumberUtil* util = PhoneNumberUtil::GetInstance();
  PhoneNumber parsed;
  if (util->Parse(number, region, &parsed) != PhoneNumberUtil::NO_PARSING_ERROR) return 0;
  if (!util->IsPossibleNumber(parsed)) return 0;
  std::string e164;
  util->Format(parsed, PhoneNumberUtil::E164, &e164);
  if (e164.size() + 1 > out_size) return 0;
  std::memcpy(out, e164.c_str(), e164.size() + 1);
  return 1;
}
