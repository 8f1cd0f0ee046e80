// ops payments (`crm payment record`): payments against sales on credit, partial
// or in full, never more than what is left, and the balance they leave.

#include <doctest/doctest.h>

#include <filesystem>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/record_type.hpp"
#include "ops/records/records.hpp"
#include "ops/records/session.hpp"
#include "ops/sales/payment.hpp"
#include "ops/sales/sale.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

using crm::ErrorKind;
using crm::model::id_of;
using crm::model::payment_type;
using crm::model::Record;
using crm::model::sale_type;
using crm::ops::PaymentRequest;
using crm::ops::SaleRequest;
using crm::ops::Session;
using crm_test::add_contact;
using crm_test::EnvVar;
using crm_test::error_from;
using crm_test::read_text;
using Json = nlohmann::ordered_json;
using Strings = std::vector<std::string>;

namespace stdfs = std::filesystem;

namespace {

constexpr const char* t0 = crm_test::pinned_now; // 2026-11-25T10:00:00+02:00

const std::string suffix = "[a-km-np-z2-9]{4}";

using Fixture = crm_test::PinnedWorkspace;

// A sale of `items` to Ana, paid as said ("" for not said), in `currency` (nullopt: the base).
std::string record(Session& s, Strings items, const std::string& paid_by,
                   std::optional<std::string> currency = std::nullopt) {
  SaleRequest r;
  r.ref = "Ana Popescu";
  r.items = std::move(items);
  if (!paid_by.empty()) r.paid_by = paid_by;
  r.currency = std::move(currency);
  return crm::ops::record_sale(s, r).id;
}

PaymentRequest payment(const std::string& sale, const std::string& amount) {
  PaymentRequest p;
  p.sale = sale;
  p.amount = amount;
  return p;
}

Record payment_record(Session& s, const std::string& id) { return crm::ops::load_record(s, payment_type(), id); }

} // namespace

TEST_SUITE_BEGIN("ops");

TEST_CASE("ops: payment record_payment writes payments/YYYY/MM/<id>.yaml and returns the balance after") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  const auto sale = record(s, {"Audit x 2.5 @ 40"}, "credit");
  auto req = payment(sale, "30");
  req.method = "bank-transfer";
  req.note = " first part ";
  const auto result = crm::ops::record_payment(s, req);
  CHECK(std::regex_match(result.id, std::regex("2026-11-25-payment-ana-popescu-" + suffix)));
  CHECK(f.files("payments") == Strings{"payments/2026/11/" + result.id + ".yaml"});
  CHECK(read_text(f.dir / "payments/2026/11" / (result.id + ".yaml")) == "id: " + result.id + "\n"
                                                                         "sale: " + sale + "\n"
                                                                         "contact: " + ana + "\n"
                                                                         "at: 2026-11-25T10:00:00+02:00\n"
                                                                         "amount: \"30.00\"\n"
                                                                         "currency: EUR\n"
                                                                         "method: bank-transfer\n"
                                                                         "notes: first part\n"
                                                                         "created: 2026-11-25T10:00:00+02:00\n"
                                                                         "updated: 2026-11-25T10:00:00+02:00\n");
  CHECK(result.after.currency == "EUR");
  CHECK(result.after.exponent == 2);
  CHECK(result.after.total == 10000);
  CHECK(result.after.refunded == 0);
  CHECK(result.after.paid == 3000);
  CHECK(result.after.balance == 7000);
  CHECK(result.after.last_payment == "2026-11-25");
  // What the sale says agrees with the result.
  const auto b = crm::ops::sale_balance(s, crm::ops::load_record(s, sale_type(), sale));
  CHECK(b.paid == 3000);
  CHECK(b.balance == 7000);
}

TEST_CASE("ops: payment partial payments up to the whole balance, then the sale is paid in full") {
  Fixture f;
  Session s(f.dir.path());
  add_contact(s, "Ana Popescu");
  const auto sale = record(s, {"Audit x 2 @ 40", "Mug @ 20"}, "credit");
  auto req = payment(sale, "25.50");
  req.at = "2026-11-20";
  auto r = crm::ops::record_payment(s, req);
  CHECK(r.id.starts_with("2026-11-20-payment-ana-popescu-"));
  CHECK(payment_record(s, r.id) == Json{{"id", r.id},
                                        {"sale", sale},
                                        {"contact", id_of(crm::ops::find_contact(s, "Ana Popescu"))},
                                        {"at", "2026-11-20T12:00:00+02:00"},
                                        {"amount", "25.50"},
                                        {"currency", "EUR"},
                                        {"created", t0},
                                        {"updated", t0}});
  CHECK(r.after.paid == 2550);
  CHECK(r.after.balance == 7450);
  CHECK(r.after.last_payment == "2026-11-20");

  // An earlier date does not move the last payment back.
  req = payment(sale, "0.50");
  req.at = "2026-11-10";
  r = crm::ops::record_payment(s, req);
  CHECK(r.after.paid == 2600);
  CHECK(r.after.balance == 7400);
  CHECK(r.after.last_payment == "2026-11-20");

  // The rest, in full.
  r = crm::ops::record_payment(s, payment(sale, "74"));
  CHECK(payment_record(s, r.id)["amount"] == "74.00");
  CHECK(r.after.paid == 10000);
  CHECK(r.after.balance == 0);
  CHECK(r.after.last_payment == "2026-11-25");
  CHECK(f.files("payments").size() == 3);

  const auto e = error_from([&] { crm::ops::record_payment(s, payment(sale, "1")); });
  CHECK(e.kind() == ErrorKind::conflict);
  CHECK(std::string(e.what()) == "sale '" + sale + "' is paid in full");
  CHECK(f.files("payments").size() == 3);
}

TEST_CASE("ops: payment more than the balance is invalid data that says how much is left") {
  Fixture f;
  Session s(f.dir.path());
  add_contact(s, "Ana Popescu");
  const auto sale = record(s, {"Audit x 2 @ 40"}, "credit");
  crm::ops::record_payment(s, payment(sale, "10"));
  auto e = error_from([&] { crm::ops::record_payment(s, payment(sale, "70.01")); });
  CHECK(e.kind() == ErrorKind::invalid_data);
  CHECK(std::string(e.what()) == "a payment of 70.01 EUR is more than the 70.00 EUR left to pay on sale '" + sale + "'");
  CHECK(e.hints() == Strings{"record at most 70.00"});
  CHECK(f.files("payments").size() == 1);

  const auto jpy = record(s, {"Tea x 3 @ 1500"}, "credit", "JPY");
  e = error_from([&] { crm::ops::record_payment(s, payment(jpy, "4501")); });
  CHECK(e.kind() == ErrorKind::invalid_data);
  CHECK(std::string(e.what()) == "a payment of 4501 JPY is more than the 4500 JPY left to pay on sale '" + jpy + "'");
  CHECK(e.hints() == Strings{"record at most 4500"});
  CHECK(crm::ops::record_payment(s, payment(jpy, "4500")).after.balance == 0);
}

TEST_CASE("ops: payment a refund lowers what is left to pay") {
  Fixture f;
  std::string ana, sale;
  {
    Session s(f.dir.path());
    ana = add_contact(s, "Ana Popescu");
    sale = record(s, {"Audit x 2 @ 40", "Mug @ 20"}, "credit");
  }
  // The refund of the mug, as a file (the sale's credit terms with it).
  const std::string refund = "2026-11-25-refund-ana-popescu-mug2";
  f.file("sales/2026/11/" + refund + ".yaml", "id: " + refund + "\n"
                                              "contact: " + ana + "\n"
                                              "at: 2026-11-25T10:00:00+02:00\n"
                                              "status: completed\n"
                                              "currency: EUR\n"
                                              "items:\n"
                                              "  - product: Mug\n"
                                              "    quantity: \"-1\"\n"
                                              "    price: \"20.00\"\n"
                                              "    total: \"-20.00\"\n"
                                              "subtotal: \"-20.00\"\n"
                                              "total: \"-20.00\"\n"
                                              "paid_by: credit\n"
                                              "due: \"2026-12-25\"\n"
                                              "refund_of: " + sale + "\n");
  Session s(f.dir.path());
  const auto e = error_from([&] { crm::ops::record_payment(s, payment(sale, "80.01")); });
  CHECK(e.kind() == ErrorKind::invalid_data);
  CHECK(std::string(e.what()) == "a payment of 80.01 EUR is more than the 80.00 EUR left to pay on sale '" + sale + "'");
  const auto r = crm::ops::record_payment(s, payment(sale, "80"));
  CHECK(r.after.total == 10000);
  CHECK(r.after.refunded == -2000);
  CHECK(r.after.paid == 8000);
  CHECK(r.after.balance == 0);
}

TEST_CASE("ops: payment only for sales on credit that are not void") {
  Fixture f;
  Session s(f.dir.path());
  add_contact(s, "Ana Popescu");
  const auto card = record(s, {"Audit @ 40"}, "card");
  auto e = error_from([&] { crm::ops::record_payment(s, payment(card, "10")); });
  CHECK(e.kind() == ErrorKind::conflict);
  CHECK(std::string(e.what()) == "sale '" + card + "' is not on credit; it was paid by card when it was recorded");
  CHECK(e.hints() == Strings{"payments are for sales recorded with --paid-by credit"});

  const auto unsaid = record(s, {"Audit @ 40"}, "");
  e = error_from([&] { crm::ops::record_payment(s, payment(unsaid, "10")); });
  CHECK(e.kind() == ErrorKind::conflict);
  CHECK(std::string(e.what()) == "sale '" + unsaid + "' is not on credit; it was paid when it was recorded");

  const auto voided = record(s, {"Audit @ 40"}, "credit");
  crm::ops::void_sale(s, voided, "mistake");
  e = error_from([&] { crm::ops::record_payment(s, payment(voided, "10")); });
  CHECK(e.kind() == ErrorKind::conflict);
  CHECK(std::string(e.what()) == "sale '" + voided + "' is void");

  e = error_from([&] { crm::ops::record_payment(s, payment("2020-01-01-nothing", "10")); });
  CHECK(e.kind() == ErrorKind::not_found);
  CHECK(std::string(e.what()) == "no sale matches '2020-01-01-nothing'");
  CHECK_FALSE(stdfs::exists(f.dir / "payments/2026"));
}

TEST_CASE("ops: payment a bad amount or method is invalid data, and nothing is written") {
  Fixture f;
  Session s(f.dir.path());
  add_contact(s, "Ana Popescu");
  const auto sale = record(s, {"Audit @ 40"}, "credit");
  const std::string eur_hint = "expected an amount of EUR more than 0 with at most 2 decimals";
  for (const char* bad : {"0", "0.00", "-5", "abc", "12,5", "1.001", "", "1e3"}) {
    CAPTURE(bad);
    const auto e = error_from([&] { crm::ops::record_payment(s, payment(sale, bad)); });
    CHECK(e.kind() == ErrorKind::invalid_data);
    const std::string comma = std::string(bad) == "12,5" ? " (use a dot as decimal separator: 12.5)" : "";
    CHECK(std::string(e.what()) == std::string("bad --amount '") + bad + "'" + comma);
    CHECK(e.hints() == Strings{eur_hint});
  }
  const auto jpy = record(s, {"Tea @ 1500"}, "credit", "JPY");
  auto e = error_from([&] { crm::ops::record_payment(s, payment(jpy, "10.5")); });
  CHECK(std::string(e.what()) == "bad --amount '10.5'");
  CHECK(e.hints() == Strings{"expected a whole number of JPY more than 0"});
  const auto kwd = record(s, {"Oud @ 1.5"}, "credit", "KWD");
  e = error_from([&] { crm::ops::record_payment(s, payment(kwd, "0.0001")); });
  CHECK(e.hints() == Strings{"expected an amount of KWD more than 0 with at most 3 decimals"});
  CHECK(crm::ops::record_payment(s, payment(kwd, "0.001")).after.balance == 1499);

  auto req = payment(sale, "10");
  req.method = "bitcoin";
  e = error_from([&] { crm::ops::record_payment(s, req); });
  CHECK(e.kind() == ErrorKind::invalid_data);
  CHECK(std::string(e.what()) == "bad --method 'bitcoin'");
  CHECK(e.hints() == Strings{"use one of: card, cash, check, paypal, bank-transfer, other"});
  req.method = "credit"; // a sale may be on credit; a payment is not made by credit
  e = error_from([&] { crm::ops::record_payment(s, req); });
  CHECK(std::string(e.what()) == "bad --method 'credit'");
  req.method.reset();
  req.at = "someday";
  e = error_from([&] { crm::ops::record_payment(s, req); });
  CHECK(e.kind() == ErrorKind::invalid_data);
  CHECK(std::string(e.what()) == "bad --at 'someday'");
  CHECK(f.files("payments").size() == 1); // only the KWD one
}

TEST_SUITE_END();
