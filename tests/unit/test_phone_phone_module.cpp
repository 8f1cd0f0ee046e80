#include <doctest/doctest.h>

#include <dlfcn.h>

#include <string>

TEST_SUITE_BEGIN("phone");

namespace {

using ToE164 = int (*)(const char*, const char*, char*, std::size_t);

ToE164 plugin() {
  void* handle = ::dlopen(CRM_PHONE_MODULE_BUILD, RTLD_NOW | RTLD_LOCAL);
  REQUIRE(handle != nullptr);
  void* sym = ::dlsym(handle, "crm_phone_to_e164");
  REQUIRE(sym != nullptr);
  return reinterpret_cast<ToE164>(sym);
}

std::string e164(const char* number, const char* region) {
  char out[64] = "unchanged";
  return plugin()(number, region, out, sizeof out) ? std::string(out) : std::string("-");
}

} // namespace

TEST_CASE("phone: the plugin exports crm_phone_to_e164 and formats E.164") {
  CHECK(e164("0722 123 456", "RO") == "+40722123456");
  CHECK(e164("+44 29 2018 0000", "RO") == "+442920180000");
  CHECK(e164("(044) 123-4567", "UA") == "+380441234567");
}

TEST_CASE("phone: the plugin refuses what is not a possible number, and a short buffer") {
  CHECK(e164("12", "RO") == "-");
  CHECK(e164("not a phone", "GB") == "-");
  char tiny[4];
  CHECK(plugin()("0722 123 456", "RO", tiny, sizeof tiny) == 0);
}

TEST_SUITE_END();
