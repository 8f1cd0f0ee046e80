// store rates (rates.yaml): exchange rates into the base currency by date, the
// rate dated on or before a day, exact conversion between exponents, the errors
// a bad file gets (with its line), and loading from the workspace root.

#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "store/rates.hpp"
#include "store/workspace.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

using crm::ErrorKind;
using crm::store::missing_rate_message;
using crm::store::Rates;
using crm_test::error_from;
using crm_test::write_text;
using Strings = std::vector<std::string>;

namespace {

constexpr const char* sample = "# 1 unit of each in EUR\n"
                               "USD:\n"
                               "  2026-01-01: \"0.92\"\n"
                               "  2026-07-01: \"0.87\"\n"
                               "JPY:\n"
                               "  2026-01-01: 0.0061\n"
                               "KWD:\n"
                               "  2026-03-15: \"3.01\"\n";

const std::string hint = "write CURRENCY: {YYYY-MM-DD: RATE}, where RATE is one unit of CURRENCY in the base currency";

// The error Rates::parse throws for `text`, as "message" (its kind must be invalid_data).
std::string parse_error(const std::string& text) {
  const auto e = error_from([&] { Rates::parse(text, "rates.yaml", "EUR"); });
  CHECK(e.kind() == ErrorKind::invalid_data);
  return e.what();
}

} // namespace

TEST_SUITE_BEGIN("store");

// ------------------------------------------------------------------ to_base

TEST_CASE("store: rates to_base uses the rate dated on or before the day") {
  const auto rates = Rates::parse(sample, "rates.yaml", "EUR");
  CHECK(rates.base() == "EUR");
  CHECK(rates.to_base(10000, "USD", "2026-01-01") == 9200); // 100.00 USD -> 92.00 EUR, on the day itself
  CHECK(rates.to_base(10000, "USD", "2026-06-30") == 9200);
  CHECK(rates.to_base(10000, "USD", "2026-07-01") == 8700);
  CHECK(rates.to_base(10000, "USD", "2027-02-01") == 8700); // the last one goes on
  CHECK(rates.to_base(10000, "USD", "2026-06-30T23:59:00+02:00") == 9200); // a timestamp: its date
  CHECK(rates.to_base(10000, "USD", "2026-07-01T00:00:00+02:00") == 8700);
  CHECK(rates.to_base(-10000, "USD", "2026-07-01") == -8700);
  CHECK(rates.to_base(5, "USD", "2026-07-01") == 4);      // 0.0435 -> 0.04
  CHECK(rates.to_base(1500, "JPY", "2026-11-25") == 915); // 1500 JPY -> 9.15 EUR
  CHECK(rates.to_base(1234, "KWD", "2026-03-15") == 371); // 1.234 KWD -> 3.71434 -> 3.71 EUR
}

TEST_CASE("store: rates to_base before the first date, or without a rate, is nullopt") {
  const auto rates = Rates::parse(sample, "rates.yaml", "EUR");
  CHECK_FALSE(rates.to_base(10000, "USD", "2025-12-31"));
  CHECK_FALSE(rates.to_base(10000, "USD", "2025-12-31T23:59:59+02:00"));
  CHECK_FALSE(rates.to_base(1234, "KWD", "2026-03-14"));
  CHECK_FALSE(rates.to_base(10000, "GBP", "2026-11-25")); // a currency, but no rate for it
  CHECK_FALSE(rates.to_base(10000, "XYZ", "2026-11-25")); // not a currency
  CHECK_FALSE(rates.to_base(10000, "usd", "2026-11-25"));
  CHECK_FALSE(rates.to_base(10000, "USD", ""));
}

TEST_CASE("store: rates the base currency converts to the same amount, rates or not") {
  const auto rates = Rates::parse(sample, "rates.yaml", "EUR");
  CHECK(rates.to_base(4990, "EUR", "2026-11-25") == 4990);
  CHECK(rates.to_base(4990, "EUR", "1999-01-01") == 4990);
  const auto none = Rates::parse("", "rates.yaml", "JPY");
  CHECK(none.base() == "JPY");
  CHECK(none.to_base(1500, "JPY", "2026-11-25") == 1500);
  CHECK_FALSE(none.to_base(10000, "USD", "2026-11-25"));
  CHECK(Rates::parse("# nothing yet\n", "rates.yaml", "EUR").to_base(100, "EUR", "2026-11-25") == 100);
}

TEST_CASE("store: rates into a base with another exponent (JPY, KWD)") {
  const auto jpy = Rates::parse("USD:\n  2026-01-01: \"150.5\"\nEUR:\n  2026-01-01: \"163.5\"\n", "rates.yaml", "JPY");
  CHECK(jpy.to_base(10000, "USD", "2026-11-25") == 15050); // 100.00 USD -> 15050 JPY
  CHECK(jpy.to_base(915, "EUR", "2026-11-25") == 1496);    // 9.15 EUR -> 1496.025 -> 1496 JPY
  CHECK(jpy.to_base(1, "USD", "2026-11-25") == 2);         // 0.01 USD -> 1.505 -> 2 JPY
  const auto kwd = Rates::parse("EUR:\n  2026-01-01: \"0.335\"\n", "rates.yaml", "KWD");
  CHECK(kwd.to_base(1000, "EUR", "2026-11-25") == 3350); // 10.00 EUR -> 3.350 KWD
  CHECK(kwd.to_base(1, "EUR", "2026-11-25") == 3);       // 0.01 EUR -> 0.00335 -> 0.003 KWD
}

TEST_CASE("store: rates half to even when the base amount falls on a half") {
  const auto rates = Rates::parse("USD:\n  2026-01-01: \"0.5\"\n", "rates.yaml", "EUR");
  CHECK(rates.to_base(5, "USD", "2026-11-25") == 2);   // 0.025 -> 0.02
  CHECK(rates.to_base(15, "USD", "2026-11-25") == 8);  // 0.075 -> 0.08
  CHECK(rates.to_base(-5, "USD", "2026-11-25") == -2); // -0.025 -> -0.02
}

// ------------------------------------------------------------------ errors

TEST_CASE("store: rates a bad currency code, date or rate names its line") {
  CHECK(parse_error("usd:\n  2026-01-01: \"0.92\"\n") == "rates.yaml:1: unknown currency 'usd'");
  CHECK(parse_error("USD:\n  2026-01-01: \"0.92\"\nEURO:\n  2026-01-01: \"1\"\n") ==
        "rates.yaml:3: unknown currency 'EURO'");
  CHECK(parse_error("USD:\n  2026-01-01: \"0.92\"\n  2026-13-01: \"0.90\"\n") ==
        "rates.yaml:3: bad date '2026-13-01' (expected YYYY-MM-DD)");
  CHECK(parse_error("USD:\n  2026-02-30: \"0.92\"\n") == "rates.yaml:2: bad date '2026-02-30' (expected YYYY-MM-DD)");
  CHECK(parse_error("USD:\n  1 Jan 2026: \"0.92\"\n") == "rates.yaml:2: bad date '1 Jan 2026' (expected YYYY-MM-DD)");
  CHECK(parse_error("USD:\n  2026-01-01: \"0,92\"\n") ==
        "rates.yaml:2: bad rate '0,92' for USD on 2026-01-01 (expected a number such as 0.92)");
  CHECK(parse_error("JPY:\n  2026-01-01: 0.0061\n  2026-02-01: 0\n") ==
        "rates.yaml:3: bad rate '0' for JPY on 2026-02-01 (expected a number such as 0.92)");
  CHECK(parse_error("USD:\n  2026-01-01: \"-0.92\"\n") ==
        "rates.yaml:2: bad rate '-0.92' for USD on 2026-01-01 (expected a number such as 0.92)");
  CHECK(parse_error("USD:\n  2026-01-01: [0.92]\n") ==
        "rates.yaml:2: bad rate '...' for USD on 2026-01-01 (expected a number such as 0.92)");
  CHECK(parse_error("USD: 0.92\n") == "rates.yaml:1: expected dated rates under 'USD'");
  CHECK(parse_error("- USD\n") == "rates.yaml:1: expected currency codes with their dated rates");

  const auto e = error_from([] { Rates::parse("XYZ:\n  2026-01-01: 1\n", "rates.yaml", "EUR"); });
  CHECK(e.hints() == Strings{hint});
}

TEST_CASE("store: rates a file that is not YAML names its line too") {
  const auto e = error_from([] { Rates::parse("USD:\n  2026-01-01: \"0.92\n", "rates.yaml", "EUR"); });
  CHECK(e.kind() == ErrorKind::invalid_data);
  CHECK(std::string(e.what()).starts_with("rates.yaml:"));
  CHECK(parse_error("USD:\n  2026-01-01: [0.92\n").starts_with("rates.yaml:"));
}

// ------------------------------------------------------------------ load

TEST_CASE("store: rates load reads rates.yaml at the workspace root, none when there is none") {
  crm_test::PinnedWorkspace f;
  {
    const auto rates = Rates::load(crm::store::Workspace(f.dir.path()));
    CHECK(rates.base() == "EUR");
    CHECK(rates.to_base(4990, "EUR", "2026-11-25") == 4990);
    CHECK_FALSE(rates.to_base(10000, "USD", "2026-11-25"));
  }
  f.file("rates.yaml", sample);
  {
    const auto rates = Rates::load(crm::store::Workspace(f.dir.path()));
    CHECK(rates.to_base(10000, "USD", "2026-11-25") == 8700);
    CHECK(rates.to_base(1500, "JPY", "2026-11-25") == 915);
  }
  f.file("rates.yaml", "USD:\n  2026-01-01: \"0.92\"\n  2026-07-01: soon\n");
  const auto e = error_from([&] { Rates::load(crm::store::Workspace(f.dir.path())); });
  CHECK(e.kind() == ErrorKind::invalid_data);
  CHECK(std::string(e.what()) == "rates.yaml:3: bad rate 'soon' for USD on 2026-07-01 (expected a number such as 0.92)");
  CHECK(e.hints() == Strings{hint});
}

TEST_CASE("store: rates load converts into the workspace's own base currency") {
  crm_test::EnvVar no_env("CRM_WORKSPACE", std::nullopt);
  crm_test::TempDir tmp;
  crm::store::InitOptions o;
  o.currency = "RON";
  crm::store::Workspace::init(tmp.path(), o);
  write_text(tmp / "rates.yaml", "EUR:\n  2026-01-01: \"4.97\"\n");
  const auto rates = Rates::load(crm::store::Workspace(tmp.path()));
  CHECK(rates.base() == "RON");
  CHECK(rates.to_base(1000, "EUR", "2026-11-25") == 4970); // 10.00 EUR -> 49.70 RON
  CHECK(rates.to_base(1000, "RON", "2026-11-25") == 1000);
}

// ------------------------------------------------------------------ message

TEST_CASE("store: rates missing_rate_message names the currency and the day") {
  CHECK(missing_rate_message("USD", "2026-01-05") == "no USD rate on or before 2026-01-05 in rates.yaml");
  CHECK(missing_rate_message("JPY", "2026-11-25T10:00:00+02:00") ==
        "no JPY rate on or before 2026-11-25 in rates.yaml");
}

TEST_SUITE_END();
