#include "util/contact_point.hpp"

#include <array>

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <system_error>
#include <vector>

#include "util/error.hpp"

#include "util/text.hpp"

namespace crm::contact_point {

bool is_valid_email(std::string_view address) {
  const auto at = address.find('@');
  if (at == std::string_view::npos || at == 0 || address.find('@', at + 1) != std::string_view::npos)
    return false;
  for (unsigned char c : address)
    if (c <= ' ' || c == 0x7f || c == ',' || c == ';' || c == '<' || c == '>') return false;
  // RFC 5322 allows a domain of one label ("localhost", Thunderbird's "invalid"),
  // but not an empty label.
  const auto domain = address.substr(at + 1);
  return !domain.empty() && domain.front() != '.' && domain.back() != '.' &&
         domain.find("..") == std::string_view::npos && text::is_valid_utf8(address);
}

std::string email_key(std::string_view address) { return text::casefold(text::trim(address)); }

std::string ascii_phone(std::string_view number) {
  std::string out;
  out.reserve(number.size());
  const auto byte = [&](std::size_t i) { return i < number.size() ? static_cast<unsigned char>(number[i]) : 0u; };
  for (std::size_t i = 0; i < number.size();) {
    const unsigned a = byte(i), b = byte(i + 1), c = byte(i + 2);
    if (a == 0xD9 && b >= 0xA0 && b <= 0xA9) { // U+0660..0669 Arabic-Indic digits
      out += static_cast<char>('0' + (b - 0xA0));
      i += 2;
    } else if (a == 0xDB && b >= 0xB0 && b <= 0xB9) { // U+06F0..06F9 Persian (extended Arabic-Indic)
      out += static_cast<char>('0' + (b - 0xB0));
      i += 2;
    } else if (a == 0xEF && b == 0xBC && c >= 0x90 && c <= 0x99) { // U+FF10..FF19 full-width digits
      out += static_cast<char>('0' + (c - 0x90));
      i += 3;
    } else if (a == 0xEF && b == 0xBC && (c == 0x8B || c == 0x8D || c == 0x88 || c == 0x89 || c == 0x8E ||
                                          c == 0x8F)) { // full-width + - ( ) . /
      out += static_cast<char>(c - 0x60); // U+FF01..FF3F are ASCII 0x21..0x5F moved up
      i += 3;
    } else if ((a == 0xE3 && b == 0x80 && c == 0x80) || (a == 0xC2 && b == 0xA0)) { // ideographic / no-break space
      out += ' ';
      i += a == 0xC2 ? 2 : 3;
    } else if (a == 0xE2 && b == 0x80 && (c == 0x8E || c == 0x8F)) { // LRM / RLM around a number in RTL text
      i += 3;
    } else {
      out += static_cast<char>(a);
      ++i;
    }
  }
  return out;
}

bool looks_like_phone(std::string_view written) {
  const std::string ascii = ascii_phone(written);
  const std::string_view text = ascii;
  int digit_count = 0;
  for (char c : text) {
    if (c >= '0' && c <= '9') ++digit_count;
    else if (c != ' ' && c != '+' && c != '-' && c != '.' && c != '(' && c != ')' && c != '/')
      return false;
  }
  return digit_count >= 5;
}

namespace {

using ToE164 = int (*)(const char*, const char*, char*, std::size_t);

// The plugin that holds libphonenumber, loaded on first use: CRM_PHONE_MODULE,
// else PREFIX/lib/crm/crm-phone.so beside the running PREFIX/bin/crm (an
// installed tree, wherever it was installed or unpacked), else the one built
// beside this library, else the one at the install prefix the build was
// configured with.
ToE164 phone_plugin() {
  static const ToE164 fn = [] {
    std::vector<std::string> candidates;
    if (const char* env = std::getenv("CRM_PHONE_MODULE"); env && *env) candidates.emplace_back(env);
    std::error_code ec;
    if (const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec); !ec)
      candidates.push_back((exe.parent_path().parent_path() / "lib/crm/crm-phone.so").string());
    candidates.emplace_back(CRM_PHONE_MODULE_BUILD);
    candidates.emplace_back(CRM_PHONE_MODULE_INSTALLED);
    for (const auto& path : candidates)
      if (void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL))
        if (void* sym = ::dlsym(handle, "crm_phone_to_e164")) return reinterpret_cast<ToE164>(sym);
    throw Error(ErrorKind::io, "cannot load the phone number module crm-phone.so",
                {"reinstall crm, or set CRM_PHONE_MODULE to the path of crm-phone.so"});
  }();
  return fn;
}

// The same number is asked for a few times in a row (an import matches by it,
// then stores it; or another thread worked it out ahead): the last answers are
// kept, per thread.
struct Answer {
  std::string number, region;
  std::optional<std::string> e164;
};
thread_local std::array<Answer, 8> recent;
thread_local std::size_t next_answer = 0;

std::string region_code_of(std::string_view region) { return region.empty() ? std::string("ZZ") : text::trim(region); }

void keep_answer(std::string_view number, std::string region_code, std::optional<std::string> e164) {
  recent[next_answer] = {std::string(number), std::move(region_code), std::move(e164)};
  next_answer = (next_answer + 1) % recent.size();
}

} // namespace

std::optional<std::string> to_e164(std::string_view number, std::string_view region) {
  std::string region_code = region_code_of(region);
  for (const auto& a : recent)
    if (a.number == number && a.region == region_code && !a.number.empty()) return a.e164;
  char out[64];
  std::optional<std::string> e164;
  if (phone_plugin()(ascii_phone(number).c_str(), region_code.c_str(), out, sizeof out)) e164 = std::string(out);
  keep_answer(number, std::move(region_code), e164);
  return e164;
}

void remember_e164(std::string_view number, std::string_view region, std::optional<std::string> e164) {
  if (!number.empty()) keep_answer(number, region_code_of(region), std::move(e164));
}

} // namespace crm::contact_point
