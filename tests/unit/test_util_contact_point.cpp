#include <doctest/doctest.h>

#include <optional>
#include <string>

#include "test_support.hpp"
#include "util/contact_point.hpp"

using crm::contact_point::email_key;
using crm::contact_point::is_valid_email;
using crm::contact_point::looks_like_phone;
using crm::contact_point::remember_e164;
using crm::contact_point::to_e164;

TEST_SUITE_BEGIN("util");

// ------------------------------------------------------------------ emails

TEST_CASE("util: is_valid_email accepts ordinary and internationalized addresses") {
  for (const char* ok : {"ana@example.ro", "ioana@exemplu.ro", "ș@x.ro", "ana.popescu+crm@mail.example.co.uk",
                         "олена@приклад.укр", "o'brien@x.ie", "A@B.CO", "a@localhost", "x@invalid",
                         "ana+crm@x.ro", "a@b", "用户@例子.广告", "ana@[192.0.2.1]"}) {
    CAPTURE(ok);
    CHECK(is_valid_email(ok));
  }
}

TEST_CASE("util: is_valid_email rejects malformed addresses") {
  for (const char* bad : {"", "a@", "a@.", "a@.invalid", "@x.ro", "a b@x.ro", "a@@x.ro", "a@x..ro", "a@x.ro.", "ana",
                          "a@.x.ro", "a@b@x.ro", "a@x.ro ", " a@x.ro", "a\t@x.ro", "a@x.ro\n",
                          "a,b@x.ro", "<a@x.ro>", "a;b@x.ro", "a\x7f@x.ro"}) {
    CAPTURE(bad);
    CHECK_FALSE(is_valid_email(bad));
  }
  CHECK_FALSE(is_valid_email("\xFF@x.ro")); // invalid UTF-8
}

TEST_CASE("util: email_key case-folds, keeps accents and trims") {
  CHECK(email_key("Ana.Popescu@Example.RO") == "ana.popescu@example.ro");
  CHECK(email_key("  ȘTEFAN@X.RO ") == "ștefan@x.ro");
  CHECK(email_key("ОЛЕНА@ПРИКЛАД.УКР") == "олена@приклад.укр");
  CHECK(email_key("ana@example.ro") == email_key("ANA@EXAMPLE.RO"));
}

// ------------------------------------------------------------------ phones

TEST_CASE("util: looks_like_phone needs 5 digits and only phone punctuation") {
  for (const char* ok : {"0722 123 456", "+40 (722) 123-456", "0722.123.456", "07/22 123 456", "12345",
                         "+44 20 7946 0958"}) {
    CAPTURE(ok);
    CHECK(looks_like_phone(ok));
  }
  for (const char* bad : {"", "12", "1234", "+40", "ana", "0722a123456", "ana@x.ro", "0722_123_456",
                          "tel:0722123456", "(12) 34"}) {
    CAPTURE(bad);
    CHECK_FALSE(looks_like_phone(bad));
  }
}

TEST_CASE("util: to_e164 reads numbers in the default region") {
  CHECK(to_e164("0722 123 456", "RO") == std::optional<std::string>("+40722123456"));
  CHECK(to_e164("0722123456", "RO") == std::optional<std::string>("+40722123456"));
  CHECK(to_e164("(0722) 123-456", "RO") == std::optional<std::string>("+40722123456"));
  CHECK(to_e164("0722.123.456", "RO") == std::optional<std::string>("+40722123456"));
  CHECK(to_e164("020 7946 0958", "GB") == std::optional<std::string>("+442079460958"));
  CHECK(to_e164("07700 900123", "GB") == std::optional<std::string>("+447700900123"));
  CHECK(to_e164("067 123 4567", "UA") == std::optional<std::string>("+380671234567"));
  CHECK(to_e164("(067) 123-45-67", "UA") == std::optional<std::string>("+380671234567"));
}

TEST_CASE("util: phone numbers in Arabic-Indic, Persian and full-width digits are phone numbers") {
  CHECK(crm::contact_point::ascii_phone("+٩٦٦ ٥٠ ١٢٣ ٤٥٦٧") == "+966 50 123 4567");
  CHECK(crm::contact_point::ascii_phone("+۹۸ ۹۱۲ ۳۴۵ ۶۷۸۹") == "+98 912 345 6789");
  CHECK(crm::contact_point::ascii_phone("＋８１（０）８０－１２３４－５６７８") == "+81(0)80-1234-5678");
  CHECK(crm::contact_point::ascii_phone("\u200f+966 50\u00a0123") == "+966 50 123");
  CHECK(crm::contact_point::ascii_phone("ana ٣") == "ana 3");
  for (const char* ok : {"+٩٦٦ ٥٠ ١٢٣ ٤٥٦٧", "+۹۸۹۱۲۳۴۵۶۷۸۹", "０８０－１２３４－５６７８", "\u200f+966501234567"}) {
    CAPTURE(ok);
    CHECK(looks_like_phone(ok));
  }
  CHECK_FALSE(looks_like_phone("٣٤"));
  CHECK_FALSE(looks_like_phone("تلفن ٥٠١٢٣٤٥٦٧"));
  CHECK(to_e164("+٩٦٦ ٥٠ ١٢٣ ٤٥٦٧", "") == std::optional<std::string>("+966501234567"));
  CHECK(to_e164("+۹۸۹۱۲۳۴۵۶۷۸۹", "") == std::optional<std::string>("+989123456789"));
  CHECK(to_e164("０９０－１２３４－５６７８", "JP") == std::optional<std::string>("+819012345678"));
}

TEST_CASE("util: to_e164 lets a country code win over the region") {
  CHECK(to_e164("+40 722 123 456", "GB") == std::optional<std::string>("+40722123456"));
  CHECK(to_e164("+44 20 7946 0958", "RO") == std::optional<std::string>("+442079460958"));
  CHECK(to_e164("+380 67 123 45 67", "") == std::optional<std::string>("+380671234567"));
  CHECK(to_e164("+40-722-123-456", "") == std::optional<std::string>("+40722123456"));
  CHECK(to_e164("0040 722 123 456", "RO") == std::optional<std::string>("+40722123456"));
}

TEST_CASE("util: to_e164 gives nullopt for what is not a possible number") {
  CHECK_FALSE(to_e164("12", "RO").has_value());
  CHECK_FALSE(to_e164("ana", "RO").has_value());
  CHECK_FALSE(to_e164("", "RO").has_value());
  // A national number with no region to read it in.
  CHECK_FALSE(to_e164("0722 123 456", "").has_value());
}

TEST_CASE("util: an answer remembered by this thread is what to_e164 gives next, region for region") {
  // Made-up answers, so that they cannot come from libphonenumber.
  remember_e164("0722 123 456", " RO ", std::string("+40000000001"));
  remember_e164("0722 123 456", "MD", std::nullopt);
  CHECK(to_e164("0722 123 456", "RO") == std::optional<std::string>("+40000000001"));
  CHECK_FALSE(to_e164("0722 123 456", "MD").has_value());
  // Only the last few are kept: older ones are worked out again.
  for (int i = 0; i < 8; ++i) remember_e164("0722 000 00" + std::to_string(i), "RO", std::string("+1"));
  CHECK(to_e164("0722 123 456", "RO") == std::optional<std::string>("+40722123456"));
}

TEST_SUITE_END();
