// ops receivables (`crm report receivables`): what customers owe on sales made
// on credit, with the day of the report given: the aging buckets at their exact
// edges, partial payments and refunds, void and paid sales left out, each
// customer's record of paying on time, conversion into the base currency with
// rates.yaml and the balances that have no rate, and the order of the rows.

#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ops/records/session.hpp"
#include "ops/reports/receivables.hpp"
#include "ops/sales/payment.hpp"
#include "ops/sales/sale.hpp"
#include "test_support.hpp"
#include "util/time.hpp"

using crm::ops::CustomerReceivable;
using crm::ops::ReceivableSale;
using crm::ops::ReceivablesReport;
using crm::ops::Session;
using crm_test::add_contact;
using Strings = std::vector<std::string>;
using Buckets = std::array<std::int64_t, 5>;

namespace {

const crm::time::Date today{2026, 11, 25};

struct Fixture : crm_test::PinnedWorkspace {};

// A sale on credit of `items` sold `at`, due by `terms` (net30, due:DATE).
std::string credit_sale(Session& s, const std::string& ref, Strings items, const std::string& at,
                        const std::string& terms, const std::string& currency = "EUR") {
  crm::ops::SaleRequest r;
  r.ref = ref;
  r.items = std::move(items);
  r.at = at;
  r.paid_by = "credit";
  r.terms = terms;
  r.currency = currency;
  return crm::ops::record_sale(s, r).id;
}

std::string paid_sale(Session& s, const std::string& ref, Strings items, const std::string& at,
                      const std::string& method) {
  crm::ops::SaleRequest r;
  r.ref = ref;
  r.items = std::move(items);
  r.at = at;
  r.paid_by = method;
  return crm::ops::record_sale(s, r).id;
}

void pay(Session& s, const std::string& sale, const std::string& amount, const std::string& at) {
  crm::ops::PaymentRequest r;
  r.sale = sale;
  r.amount = amount;
  r.at = at;
  crm::ops::record_payment(s, r);
}

void refund(Session& s, const std::string& sale, Strings items, const std::string& at) {
  crm::ops::RefundRequest r;
  r.sale = sale;
  r.items = std::move(items);
  r.at = at;
  r.reason = "returned";
  crm::ops::refund_sale(s, r);
}

// "sale contact-name date due currency total paid balance base days bucket", one per row.
Strings sale_lines(const ReceivablesReport& r) {
  Strings out;
  for (const ReceivableSale& x : r.sales)
    out.push_back(x.sale + " " + x.name + " " + x.date + " " + x.due + " " + x.currency + " e" +
                  std::to_string(x.exponent) + " " + std::to_string(x.total) + " " + std::to_string(x.paid) + " " +
                  std::to_string(x.balance) + " " + (x.balance_base ? std::to_string(*x.balance_base) : "-") + " " +
                  std::to_string(x.days_overdue) + "d " + crm::ops::aging_buckets()[x.bucket]);
  return out;
}

// "name balance [b0 b1 b2 b3 b4] on_time/late/open {unconverted}", one per customer.
Strings customer_lines(const ReceivablesReport& r) {
  Strings out;
  for (const CustomerReceivable& c : r.customers) {
    std::string line = c.name + " " + std::to_string(c.balance) + " [";
    for (std::size_t i = 0; i < c.buckets.size(); ++i) line += (i ? " " : "") + std::to_string(c.buckets[i]);
    line += "] " + std::to_string(c.on_time) + "/" + std::to_string(c.late) + "/" + std::to_string(c.open);
    for (const auto& [currency, minor] : c.unconverted) line += " " + currency + ":" + std::to_string(minor);
    out.push_back(line);
  }
  return out;
}

} // namespace

TEST_SUITE_BEGIN("ops");

TEST_CASE("ops: receivables aging_buckets names") {
  CHECK(crm::ops::aging_buckets() == std::array<std::string, 5>{"current", "1-30", "31-60", "61-90", "90+"});
}

TEST_CASE("ops: receivables of a workspace without sales on credit are empty") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  paid_sale(s, ana, {"Mug x 2 @ 10"}, "2026-08-01", "card");
  const auto r = crm::ops::receivables(s, today);
  CHECK(r.as_of == "2026-11-25");
  CHECK(r.currency == "EUR");
  CHECK(r.exponent == 2);
  CHECK(r.sales.empty());
  CHECK(r.customers.empty());
  CHECK(r.totals == Buckets{});
  CHECK(r.total == 0);
  CHECK(r.warnings.empty());
}

TEST_CASE("ops: receivables buckets at their exact edges: 0, 1, 30, 31, 60, 61, 90, 91 days overdue") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  struct Case {
    const char* due;
    const char* price;
  };
  // Due dates 0, 1, 30, 31, 60, 61, 90 and 91 days before 2026-11-25, and one not yet due.
  const std::vector<Case> cases = {{"2026-11-25", "1"},  {"2026-11-24", "2"},  {"2026-10-26", "4"},
                                   {"2026-10-25", "8"},  {"2026-09-26", "16"}, {"2026-09-25", "32"},
                                   {"2026-08-27", "64"}, {"2026-08-26", "128"}, {"2026-12-10", "256"}};
  std::vector<std::string> ids;
  for (const auto& c : cases)
    ids.push_back(credit_sale(s, ana, {std::string("Service @ ") + c.price}, "2026-08-01T09:00:00+02:00",
                              std::string("due:") + c.due));
  const auto r = crm::ops::receivables(s, today);
  CHECK(sale_lines(r) == Strings{
                             ids[7] + " Ana Popescu 2026-08-01 2026-08-26 EUR e2 12800 0 12800 12800 91d 90+",
                             ids[6] + " Ana Popescu 2026-08-01 2026-08-27 EUR e2 6400 0 6400 6400 90d 61-90",
                             ids[5] + " Ana Popescu 2026-08-01 2026-09-25 EUR e2 3200 0 3200 3200 61d 61-90",
                             ids[4] + " Ana Popescu 2026-08-01 2026-09-26 EUR e2 1600 0 1600 1600 60d 31-60",
                             ids[3] + " Ana Popescu 2026-08-01 2026-10-25 EUR e2 800 0 800 800 31d 31-60",
                             ids[2] + " Ana Popescu 2026-08-01 2026-10-26 EUR e2 400 0 400 400 30d 1-30",
                             ids[1] + " Ana Popescu 2026-08-01 2026-11-24 EUR e2 200 0 200 200 1d 1-30",
                             ids[0] + " Ana Popescu 2026-08-01 2026-11-25 EUR e2 100 0 100 100 0d current",
                             ids[8] + " Ana Popescu 2026-08-01 2026-12-10 EUR e2 25600 0 25600 25600 0d current",
                         });
  CHECK(r.totals == Buckets{25700, 600, 2400, 9600, 12800});
  CHECK(r.total == 51100);
  // Due today is not late yet: open, like the one not yet due.
  CHECK(customer_lines(r) == Strings{"Ana Popescu 51100 [25700 600 2400 9600 12800] 0/7/2"});
  REQUIRE(r.customers.size() == 1);
  CHECK(r.customers[0].contact == ana);
  CHECK(r.sales[0].contact == ana);
  CHECK(r.warnings.empty());

  // A day later every sale moves one day on: 30 -> 31 crosses into 31-60, and so on.
  const auto next = crm::ops::receivables(s, crm::time::Date{2026, 11, 26});
  CHECK(next.as_of == "2026-11-26");
  CHECK(next.totals == Buckets{25600, 300, 1200, 4800, 19200});
  CHECK(customer_lines(next) == Strings{"Ana Popescu 51100 [25600 300 1200 4800 19200] 0/8/1"});
}

TEST_CASE("ops: receivables count partial payments and refunds, paid, void and non-credit sales are not listed") {
  Fixture f;
  Session s(f.dir.path());
  const auto bob = add_contact(s, "Bob Barbu");
  const auto dan = add_contact(s, "Dan Dobre");
  // 100.00 due 2026-10-01, 50.00 of it paid: 55 days overdue.
  const auto partly = credit_sale(s, bob, {"Consulting x 2 @ 50"}, "2026-09-01T10:00:00+02:00", "net30");
  pay(s, partly, "30", "2026-09-15");
  pay(s, partly, "20.00", "2026-10-20");
  // Paid in full on its due date: on time.
  const auto on_time = credit_sale(s, bob, {"Audit @ 80"}, "2026-10-01T10:00:00+02:00", "due:2026-10-31");
  pay(s, on_time, "80", "2026-10-31T23:00:00+02:00");
  // Paid in full a day after: late.
  const auto late = credit_sale(s, bob, {"Repair @ 60"}, "2026-09-20T10:00:00+02:00", "due:2026-10-15");
  pay(s, late, "10", "2026-10-01");
  pay(s, late, "50", "2026-10-16");
  // 60.00, of which 20.00 refunded: 40.00 left, not yet due.
  const auto refunded =
      credit_sale(s, bob, {"Mug x 2 @ 10", "Tea @ 40"}, "2026-11-01T10:00:00+02:00", "net30");
  refund(s, refunded, {"Mug x 2"}, "2026-11-10");
  // Void, and paid when it was recorded: not counted at all.
  const auto voided = credit_sale(s, bob, {"Website @ 500"}, "2026-08-01T10:00:00+02:00", "net30");
  crm::ops::void_sale(s, voided, "entered twice");
  paid_sale(s, bob, {"Laptop @ 1000"}, "2026-08-01T10:00:00+02:00", "card");
  paid_sale(s, dan, {"Cable @ 5"}, "2026-08-01T10:00:00+02:00", "cash");

  const auto r = crm::ops::receivables(s, today);
  CHECK(sale_lines(r) ==
        Strings{partly + " Bob Barbu 2026-09-01 2026-10-01 EUR e2 10000 5000 5000 5000 55d 31-60",
                refunded + " Bob Barbu 2026-11-01 2026-12-01 EUR e2 4000 0 4000 4000 0d current"});
  CHECK(r.totals == Buckets{4000, 0, 5000, 0, 0});
  CHECK(r.total == 9000);
  // Dan bought only with cash: no history on credit.
  CHECK(customer_lines(r) == Strings{"Bob Barbu 9000 [4000 0 5000 0 0] 1/2/1"});

  // Paying the rest of the partly paid sale, late: off the list, and a late payer.
  pay(s, partly, "50", "2026-11-20");
  const auto after = crm::ops::receivables(s, today);
  CHECK(sale_lines(after) == Strings{refunded + " Bob Barbu 2026-11-01 2026-12-01 EUR e2 4000 0 4000 4000 0d current"});
  CHECK(customer_lines(after) == Strings{"Bob Barbu 4000 [4000 0 0 0 0] 1/2/1"});
  CHECK(after.total == 4000);
}

TEST_CASE("ops: receivables: a customer who paid everything is listed with a zero balance and the history") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  const auto bob = add_contact(s, "Bob Barbu");
  const auto a1 = credit_sale(s, ana, {"Audit @ 80"}, "2026-10-01T10:00:00+02:00", "due:2026-10-31");
  pay(s, a1, "80", "2026-10-20");
  const auto a2 = credit_sale(s, ana, {"Audit @ 80"}, "2026-10-01T10:00:00+02:00", "due:2026-10-31");
  pay(s, a2, "80", "2026-10-31");
  const auto b1 = credit_sale(s, bob, {"Audit @ 30"}, "2026-11-01T10:00:00+02:00", "net30");
  const auto r = crm::ops::receivables(s, today);
  CHECK(sale_lines(r) == Strings{b1 + " Bob Barbu 2026-11-01 2026-12-01 EUR e2 3000 0 3000 3000 0d current"});
  CHECK(customer_lines(r) == Strings{"Bob Barbu 3000 [3000 0 0 0 0] 0/0/1", "Ana Popescu 0 [0 0 0 0 0] 2/0/0"});
}

TEST_CASE("ops: receivables convert balances at the rate of the sale's date, a missing rate is listed, not guessed") {
  Fixture f;
  crm_test::write_text(f.dir / "rates.yaml", "USD:\n"
                                             "  2026-01-01: \"0.90\"\n"
                                             "  2026-10-01: \"0.80\"\n"
                                             "JPY:\n"
                                             "  2026-12-01: \"0.0062\"\n");
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  const auto bob = add_contact(s, "Bob Barbu");
  const auto cleo = add_contact(s, "Cleo Cazacu");
  const auto usd1 = credit_sale(s, ana, {"Plugin @ 100"}, "2026-09-15T10:00:00+02:00", "due:2026-10-15", "USD");
  const auto usd2 = credit_sale(s, ana, {"Plugin x 3 @ 33.33"}, "2026-10-10T10:00:00+02:00", "due:2026-11-09", "USD");
  pay(s, usd2, "0.99", "2026-10-20");
  const auto gbp1 = credit_sale(s, ana, {"Tea @ 50"}, "2026-10-05T10:00:00+02:00", "due:2026-12-05", "GBP");
  const auto gbp2 = credit_sale(s, ana, {"Tea @ 25"}, "2026-10-05T18:00:00+02:00", "due:2026-12-04", "GBP");
  const auto jpy = credit_sale(s, bob, {"Knife @ 1500"}, "2026-10-01T10:00:00+02:00", "due:2026-11-20", "JPY");
  const auto eur = credit_sale(s, bob, {"Box @ 10"}, "2026-10-02T10:00:00+02:00", "due:2026-11-21");
  const auto old = credit_sale(s, cleo, {"Plugin @ 10"}, "2025-12-20T10:00:00+02:00", "due:2026-01-19", "USD");

  const auto r = crm::ops::receivables(s, today);
  CHECK(r.currency == "EUR");
  CHECK(sale_lines(r) == Strings{
                             old + " Cleo Cazacu 2025-12-20 2026-01-19 USD e2 1000 0 1000 - 310d 90+",
                             usd1 + " Ana Popescu 2026-09-15 2026-10-15 USD e2 10000 0 10000 9000 41d 31-60",
                             usd2 + " Ana Popescu 2026-10-10 2026-11-09 USD e2 9999 99 9900 7920 16d 1-30",
                             jpy + " Bob Barbu 2026-10-01 2026-11-20 JPY e0 1500 0 1500 - 5d 1-30",
                             eur + " Bob Barbu 2026-10-02 2026-11-21 EUR e2 1000 0 1000 1000 4d 1-30",
                             gbp2 + " Ana Popescu 2026-10-05 2026-12-04 GBP e2 2500 0 2500 - 0d current",
                             gbp1 + " Ana Popescu 2026-10-05 2026-12-05 GBP e2 5000 0 5000 - 0d current",
                         });
  // Only what could be converted is in the balances and totals.
  CHECK(customer_lines(r) == Strings{"Ana Popescu 16920 [0 7920 9000 0 0] 0/2/2 GBP:7500",
                                     "Bob Barbu 1000 [0 1000 0 0 0] 0/2/0 JPY:1500",
                                     "Cleo Cazacu 0 [0 0 0 0 0] 0/1/0 USD:1000"});
  CHECK(r.totals == Buckets{0, 8920, 9000, 0, 0});
  CHECK(r.total == 17920);
  // One warning per currency and day, in the order of the sales.
  CHECK(r.warnings == Strings{"no USD rate on or before 2025-12-20 in rates.yaml",
                              "no JPY rate on or before 2026-10-01 in rates.yaml",
                              "no GBP rate on or before 2026-10-05 in rates.yaml"});
}

TEST_CASE("ops: receivables: customers by balance, then name, sales on the same day by due date") {
  Fixture f;
  Session s(f.dir.path());
  const auto zed = add_contact(s, "Zed Zamfir");
  const auto ana = add_contact(s, "Ana Albu");
  const auto bob = add_contact(s, "Bob Barbu");
  const auto z1 = credit_sale(s, zed, {"A @ 20"}, "2026-11-20T10:00:00+02:00", "due:2026-12-20");
  const auto a1 = credit_sale(s, ana, {"A @ 20"}, "2026-11-20T10:00:00+02:00", "due:2026-12-10");
  const auto b1 = credit_sale(s, bob, {"A @ 5"}, "2026-08-01T10:00:00+02:00", "due:2026-09-01");
  const auto b2 = credit_sale(s, bob, {"A @ 5"}, "2026-11-01T10:00:00+02:00", "due:2026-11-01");
  const auto r = crm::ops::receivables(s, today);
  CHECK(sale_lines(r) == Strings{b1 + " Bob Barbu 2026-08-01 2026-09-01 EUR e2 500 0 500 500 85d 61-90",
                                 b2 + " Bob Barbu 2026-11-01 2026-11-01 EUR e2 500 0 500 500 24d 1-30",
                                 a1 + " Ana Albu 2026-11-20 2026-12-10 EUR e2 2000 0 2000 2000 0d current",
                                 z1 + " Zed Zamfir 2026-11-20 2026-12-20 EUR e2 2000 0 2000 2000 0d current"});
  CHECK(customer_lines(r) == Strings{"Ana Albu 2000 [2000 0 0 0 0] 0/0/1", "Zed Zamfir 2000 [2000 0 0 0 0] 0/0/1",
                                     "Bob Barbu 1000 [0 500 0 500 0] 0/2/0"});
}

TEST_SUITE_END();
