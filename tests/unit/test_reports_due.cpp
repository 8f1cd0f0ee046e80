// ops::due_items (`crm due`) with the clock pinned: overdue, today's and upcoming
// follow-ups, birthdays and anniversaries (Feb 29 included), cadences counted from
// the last interaction or from when the contact was added, the stage and tag
// defaults of config.yaml, the upcoming window, the group order and the days.

#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "model/record_type.hpp"
#include "ops/interactions/followup.hpp"
#include "ops/interactions/log.hpp"
#include "ops/records/records.hpp"
#include "ops/records/session.hpp"
#include "ops/reports/due.hpp"
#include "ops/sales/payment.hpp"
#include "ops/sales/sale.hpp"
#include "test_support.hpp"

using crm::model::contact_type;
using crm::ops::DueItem;
using crm::ops::Session;
using crm_test::add_contact;
using crm_test::read_text;
using crm_test::write_text;
using Strings = std::vector<std::string>;

namespace stdfs = std::filesystem;

namespace {

constexpr const char* t0 = crm_test::pinned_now; // 2026-11-25T10:00:00+02:00, a Wednesday
constexpr const char* october = "2026-10-01T09:00:00+02:00";

// The workspace every test starts from (region RO, the clock at t0), and a config edit.
struct Fixture : crm_test::PinnedWorkspace {
  void append_config(const std::string& text) {
    const auto path = dir / ".crm" / "config.yaml";
    write_text(path, read_text(path) + text);
  }
};

// A contact added on 2026-10-01 (its cadence counts from then).
std::string add_old_contact(Fixture& f, Session& s, const std::string& name, Strings changes = {}) {
  f.now.set(october);
  const auto id = add_contact(s, name, std::move(changes));
  f.now.set(t0);
  return id;
}

void log_call(Session& s, const std::string& ref, const std::string& at) {
  crm::ops::LogRequest r;
  r.kind = "call";
  r.ref = ref;
  r.at = at;
  crm::ops::log_activity(s, r);
}

// "group kind due days name: summary [@time]", one line per item.
Strings due(Session& s, int upcoming_days = 0) {
  Strings out;
  for (const auto& i : crm::ops::due_items(s, {upcoming_days}))
    out.push_back(i.group + " " + i.kind + " " + i.due + " " + std::to_string(i.days) + " " + i.name + ": " +
                  i.summary + (i.time.empty() ? "" : " @" + i.time));
  return out;
}

} // namespace

TEST_SUITE_BEGIN("ops");

TEST_CASE("ops due: the groups, in the order crm due prints them") {
  CHECK(crm::ops::due_groups() ==
        Strings{"overdue", "today", "credit", "reorder", "birthdays", "cadence", "upcoming"});
}

TEST_CASE("ops due: nothing is due in an empty workspace or for plain contacts") {
  Fixture f;
  Session s(f.dir.path());
  CHECK(crm::ops::due_items(s, {}).empty());
  add_old_contact(f, s, "Ana Albu", {"stage=customer", "tag=vip"}); // no cadence anywhere
  CHECK(due(s, 365).empty());
}

// ------------------------------------------------------------------ follow-ups

TEST_CASE("ops due: overdue and today's follow-ups, done ones are left out") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Albu");
  const auto bob = add_contact(s, "Bob Barbu");
  const auto offer = crm::ops::add_followup(s, ana, "2026-11-20", "Send the offer");
  crm::ops::add_followup(s, bob, "2026-11-24", "Call Bob");
  const auto meeting = crm::ops::add_followup(s, bob, "2026-11-25T15:00+02:00", "Meeting");
  crm::ops::add_followup(s, ana, "today", "Pay the invoice");
  crm::ops::add_followup(s, ana, "2026-11-27", "Later");
  const auto old = crm::ops::add_followup(s, ana, "2026-11-10", "Old and done");
  crm::ops::finish_followup(s, old, "");

  CHECK(due(s) == Strings{"overdue followup 2026-11-20 5 Ana Albu: Send the offer",
                          "overdue followup 2026-11-24 1 Bob Barbu: Call Bob",
                          "today followup 2026-11-25 0 Ana Albu: Pay the invoice",
                          "today followup 2026-11-25 0 Bob Barbu: Meeting @2026-11-25T15:00:00+02:00"});
  const auto items = crm::ops::due_items(s, {});
  REQUIRE(items.size() == 4);
  CHECK(items[0].id == offer);
  CHECK(items[0].contact == ana);
  CHECK(items[0].time.empty());
  CHECK(items[3].id == meeting);
  CHECK(items[3].contact == bob);

  // The upcoming window reaches N days ahead, inclusive; a negative one is none.
  CHECK(due(s, -3) == due(s, 0));
  CHECK(due(s, 1).size() == 4);
  CHECK(due(s, 2).back() == "upcoming followup 2026-11-27 -2 Ana Albu: Later");

  // Snoozing and finishing take them off the list.
  crm::ops::snooze_followup(s, offer, "+3d");
  crm::ops::finish_followup(s, meeting, "");
  CHECK(due(s) == Strings{"overdue followup 2026-11-24 1 Bob Barbu: Call Bob",
                          "today followup 2026-11-25 0 Ana Albu: Pay the invoice"});
  CHECK(due(s, 3) == Strings{"overdue followup 2026-11-24 1 Bob Barbu: Call Bob",
                             "today followup 2026-11-25 0 Ana Albu: Pay the invoice",
                             "upcoming followup 2026-11-27 -2 Ana Albu: Later",
                             "upcoming followup 2026-11-28 -3 Ana Albu: Send the offer"});
}

// ------------------------------------------------------------------ birthdays, anniversaries

TEST_CASE("ops due: birthdays and anniversaries on their day, with the years when known") {
  Fixture f;
  Session s(f.dir.path());
  add_contact(s, "Bea Bălan", {"birthday=1990-11-25"});
  add_contact(s, "Cleo Cazacu", {"birthday=--11-25"});
  add_contact(s, "Dora Dima", {"anniversary=2016-11-25", "birthday=1970-03-01"});
  add_contact(s, "Emil Enache", {"birthday=1985-11-27"});
  add_contact(s, "Flo Florea", {"birthday=1990-11-24"}); // yesterday: next year's
  CHECK(due(s) == Strings{"birthdays birthday 2026-11-25 0 Bea Bălan: birthday (36 years)",
                          "birthdays birthday 2026-11-25 0 Cleo Cazacu: birthday",
                          "birthdays anniversary 2026-11-25 0 Dora Dima: anniversary (10 years)"});
  CHECK(due(s, 7) == Strings{"birthdays birthday 2026-11-25 0 Bea Bălan: birthday (36 years)",
                             "birthdays birthday 2026-11-25 0 Cleo Cazacu: birthday",
                             "birthdays anniversary 2026-11-25 0 Dora Dima: anniversary (10 years)",
                             "upcoming birthday 2026-11-27 -2 Emil Enache: birthday (41 years)"});
  const auto items = crm::ops::due_items(s, {});
  REQUIRE(items.size() == 3);
  CHECK(items[0].id == items[0].contact);
  CHECK(items[0].contact.starts_with("bea-balan-"));
}

TEST_CASE("ops due: the upcoming window runs into the next year") {
  Fixture f;
  f.now.set("2026-12-30T10:00:00+02:00");
  Session s(f.dir.path());
  add_contact(s, "Ana Albu", {"birthday=--01-02"});
  add_contact(s, "Bob Barbu", {"birthday=2000-01-06"});
  CHECK(due(s).empty());
  CHECK(due(s, 3) == Strings{"upcoming birthday 2027-01-02 -3 Ana Albu: birthday"});
  CHECK(due(s, 7) == Strings{"upcoming birthday 2027-01-02 -3 Ana Albu: birthday",
                             "upcoming birthday 2027-01-06 -7 Bob Barbu: birthday (27 years)"});
}

TEST_CASE("ops due: a Feb 29 birthday falls on Feb 28 in a common year") {
  Fixture f;
  Session s(f.dir.path());
  add_contact(s, "Leap Lupu", {"birthday=2000-02-29"});
  f.now.set("2027-02-28T09:00:00+02:00");
  CHECK(due(s) == Strings{"birthdays birthday 2027-02-28 0 Leap Lupu: birthday (27 years)"});
  f.now.set("2027-02-27T09:00:00+02:00");
  CHECK(due(s).empty());
  CHECK(due(s, 1) == Strings{"upcoming birthday 2027-02-28 -1 Leap Lupu: birthday (27 years)"});
  f.now.set("2027-03-01T09:00:00+02:00");
  CHECK(due(s).empty());
  // In a leap year it is on the 29th, not the 28th.
  f.now.set("2028-02-28T09:00:00+02:00");
  CHECK(due(s).empty());
  CHECK(due(s, 1) == Strings{"upcoming birthday 2028-02-29 -1 Leap Lupu: birthday (28 years)"});
  f.now.set("2028-02-29T09:00:00+02:00");
  CHECK(due(s) == Strings{"birthdays birthday 2028-02-29 0 Leap Lupu: birthday (28 years)"});
}

TEST_CASE("ops due: a yearless Feb 29 birthday also falls on Feb 28") {
  Fixture f;
  f.now.set("2027-02-28T09:00:00+02:00");
  Session s(f.dir.path());
  add_contact(s, "Leap Lupu", {"birthday=--02-29"});
  CHECK(due(s) == Strings{"birthdays birthday 2027-02-28 0 Leap Lupu: birthday"});
}

// ------------------------------------------------------------------ cadence

TEST_CASE("ops due: a cadence runs from when the contact was added until there is an interaction") {
  Fixture f;
  Session s(f.dir.path());
  const auto dan = add_old_contact(f, s, "Dan Dobre", {"cadence=30d"});
  add_old_contact(f, s, "Eli Ene", {"cadence=2m"});
  CHECK(due(s) == Strings{"cadence cadence 2026-10-31 25 Dan Dobre: every 30d, no contact yet"});
  CHECK(due(s, 7) == Strings{"cadence cadence 2026-10-31 25 Dan Dobre: every 30d, no contact yet",
                             "upcoming cadence 2026-12-01 -6 Eli Ene: every 2m, no contact yet"});
  const auto items = crm::ops::due_items(s, {});
  REQUIRE(items.size() == 1);
  CHECK(items[0].id == dan);
  CHECK(items[0].contact == dan);
}

TEST_CASE("ops due: the last interaction restarts the cadence, a stage change does not") {
  Fixture f;
  Session s(f.dir.path());
  const auto dan = add_old_contact(f, s, "Dan Dobre", {"cadence=30d"});
  const auto fay = add_old_contact(f, s, "Fay Faur", {"cadence=1m"});
  log_call(s, fay, "2026-10-05T10:00+02:00");
  log_call(s, fay, "2026-10-20T10:00+02:00");
  CHECK(due(s) == Strings{"cadence cadence 2026-10-31 25 Dan Dobre: every 30d, no contact yet",
                          "cadence cadence 2026-11-20 5 Fay Faur: every 1m, last contact 2026-10-20"});
  // A stage change today is bookkeeping, not contact.
  crm::ops::set_record(s, contact_type(), dan, {crm::ops::parse_assignment("stage=customer")});
  CHECK(due(s).front() == "cadence cadence 2026-10-31 25 Dan Dobre: every 30d, no contact yet");
  // A call today pushes it 30 days on.
  log_call(s, dan, "now");
  CHECK(due(s) == Strings{"cadence cadence 2026-11-20 5 Fay Faur: every 1m, last contact 2026-10-20"});
  CHECK(due(s, 30) == Strings{"cadence cadence 2026-11-20 5 Fay Faur: every 1m, last contact 2026-10-20",
                              "upcoming cadence 2026-12-25 -30 Dan Dobre: every 30d, last contact 2026-11-25"});
  // Finishing a follow-up logs an activity: that is an interaction too.
  const auto fu = crm::ops::add_followup(s, fay, "2026-11-30", "Ask about the order");
  crm::ops::finish_followup(s, fu, "");
  CHECK(due(s).empty());
  CHECK(due(s, 30).back() == "upcoming cadence 2026-12-25 -30 Fay Faur: every 1m, last contact 2026-11-25");
}

TEST_CASE("ops due: a cadence due today is in the cadence group with 0 days") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_old_contact(f, s, "Ana Albu", {"cadence=2w"});
  log_call(s, ana, "2026-11-11T16:00+02:00");
  CHECK(due(s) == Strings{"cadence cadence 2026-11-25 0 Ana Albu: every 2w, last contact 2026-11-11"});
}

TEST_CASE("ops due: stage and tag defaults from config.yaml, the shortest tag cadence wins") {
  Fixture f;
  {
    Session s(f.dir.path());
    add_old_contact(f, s, "Gina Gheorghe", {"stage=customer"});
    add_old_contact(f, s, "Hana Huțu", {"stage=prospect", "tag=vip"});        // the stage's wins
    add_old_contact(f, s, "Ivo Ionescu", {"tags=friend,family,vip"});         // vip: 2w
    add_old_contact(f, s, "Jon Jitaru", {"tag=friend"});                     // 1m
    add_old_contact(f, s, "Kim Kovacs", {"stage=lead", "tags=family,friend"}); // no lead default: family 15d
    add_old_contact(f, s, "Lia Lazăr", {"stage=customer", "cadence=3m"});    // its own wins: 2027-01-01
    add_old_contact(f, s, "Max Mocanu", {"tag=other"});                      // no default at all
    // No defaults yet: only Lia's own cadence counts.
    CHECK(due(s).empty());
    CHECK(due(s, 40) == Strings{"upcoming cadence 2027-01-01 -37 Lia Lazăr: every 3m, no contact yet"});
  }
  f.append_config("cadence:\n"
                  "  stage: {customer: 30d, prospect: 20d}\n"
                  "  tag: {vip: 2w, friend: 1m, family: 15d}\n");
  Session s(f.dir.path());
  CHECK(due(s) == Strings{"cadence cadence 2026-10-15 41 Ivo Ionescu: every 2w, no contact yet",
                          "cadence cadence 2026-10-16 40 Kim Kovacs: every 15d, no contact yet",
                          "cadence cadence 2026-10-21 35 Hana Huțu: every 20d, no contact yet",
                          "cadence cadence 2026-10-31 25 Gina Gheorghe: every 30d, no contact yet",
                          "cadence cadence 2026-11-01 24 Jon Jitaru: every 1m, no contact yet"});
  CHECK(due(s, 40) == Strings{"cadence cadence 2026-10-15 41 Ivo Ionescu: every 2w, no contact yet",
                              "cadence cadence 2026-10-16 40 Kim Kovacs: every 15d, no contact yet",
                              "cadence cadence 2026-10-21 35 Hana Huțu: every 20d, no contact yet",
                              "cadence cadence 2026-10-31 25 Gina Gheorghe: every 30d, no contact yet",
                              "cadence cadence 2026-11-01 24 Jon Jitaru: every 1m, no contact yet",
                              "upcoming cadence 2027-01-01 -37 Lia Lazăr: every 3m, no contact yet"});
}

TEST_CASE("ops due: 30d is shorter than 1m, 1w shorter than 8d") {
  Fixture f;
  {
    Session s(f.dir.path());
    add_old_contact(f, s, "Ana Albu", {"tags=monthly,thirty"});
    add_old_contact(f, s, "Bob Barbu", {"tags=eight,weekly"});
  }
  f.append_config("cadence:\n"
                  "  tag: {monthly: 1m, thirty: 30d, eight: 8d, weekly: 1w}\n");
  Session s(f.dir.path());
  CHECK(due(s) == Strings{"cadence cadence 2026-10-08 48 Bob Barbu: every 1w, no contact yet",
                          "cadence cadence 2026-10-31 25 Ana Albu: every 30d, no contact yet"});
}

// ------------------------------------------------------------------ all together

TEST_CASE("ops due: groups in order overdue, today, birthdays, cadence, upcoming") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_old_contact(f, s, "Ana Albu", {"cadence=30d", "birthday=1990-11-29"});
  const auto bob = add_contact(s, "Bob Barbu", {"birthday=1980-11-25"});
  crm::ops::add_followup(s, bob, "2026-12-01", "Send the catalogue");
  crm::ops::add_followup(s, ana, "today", "Confirm the delivery");
  crm::ops::add_followup(s, bob, "2026-11-23", "Return the call");
  const auto all = due(s, 7);
  CHECK(all == Strings{"overdue followup 2026-11-23 2 Bob Barbu: Return the call",
                       "today followup 2026-11-25 0 Ana Albu: Confirm the delivery",
                       "birthdays birthday 2026-11-25 0 Bob Barbu: birthday (46 years)",
                       "cadence cadence 2026-10-31 25 Ana Albu: every 30d, no contact yet",
                       "upcoming birthday 2026-11-29 -4 Ana Albu: birthday (36 years)",
                       "upcoming followup 2026-12-01 -6 Bob Barbu: Send the catalogue"});
  // Without the window only the first four groups.
  CHECK(due(s) == Strings(all.begin(), all.begin() + 4));
}

TEST_CASE("ops due: within a group, items on the same day are in name order") {
  Fixture f;
  Session s(f.dir.path());
  const auto zed = add_contact(s, "Zed Zamfir");
  crm::ops::add_followup(s, zed, "2026-11-27", "Call Zed");
  add_contact(s, "Ana Albu", {"birthday=1990-11-27"});
  CHECK(due(s, 2) == Strings{"upcoming birthday 2026-11-27 -2 Ana Albu: birthday (36 years)",
                             "upcoming followup 2026-11-27 -2 Zed Zamfir: Call Zed"});
}

// ------------------------------------------------------------------ sales on credit

namespace {

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

void pay(Session& s, const std::string& sale, const std::string& amount, const std::string& at) {
  crm::ops::PaymentRequest r;
  r.sale = sale;
  r.amount = amount;
  r.at = at;
  crm::ops::record_payment(s, r);
}

} // namespace

TEST_CASE("ops: due groups, in order: overdue, today, credit, reorder, birthdays, cadence, upcoming") {
  CHECK(crm::ops::due_groups() ==
        Strings{"overdue", "today", "credit", "reorder", "birthdays", "cadence", "upcoming"});
}

TEST_CASE("ops: due credit: sales on credit due by today with what is still owed, and the days late") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Albu");
  const auto bob = add_contact(s, "Bob Barbu");
  const auto cleo = add_contact(s, "Cleo Cazacu");
  const auto dan = add_contact(s, "Dan Dobre");
  // 100.00 due 2026-10-11, 40.00 paid: 45 days late.
  const auto late = credit_sale(s, ana, {"Consulting @ 100"}, "2026-09-11T10:00:00+02:00", "net30");
  pay(s, late, "40", "2026-10-20");
  credit_sale(s, bob, {"Audit x 2 @ 25"}, "2026-10-26T10:00:00+02:00", "net30"); // due today
  credit_sale(s, dan, {"Cable @ 10"}, "2026-11-01T10:00:00+02:00", "due:2026-11-24");
  credit_sale(s, cleo, {"Knife @ 1500"}, "2026-11-01T10:00:00+02:00", "due:2026-11-20", "JPY");
  credit_sale(s, cleo, {"Plugin x 2 @ 99.99"}, "2026-11-20T10:00:00+02:00", "due:2026-11-28", "USD");
  credit_sale(s, dan, {"Support @ 300"}, "2026-11-20T10:00:00+02:00", "due:2026-12-31");

  CHECK(due(s) == Strings{"credit payment 2026-10-11 45 Ana Albu: owes 60.00 EUR, 45 days late",
                          "credit payment 2026-11-20 5 Cleo Cazacu: owes 1500 JPY, 5 days late",
                          "credit payment 2026-11-24 1 Dan Dobre: owes 10.00 EUR, 1 day late",
                          "credit payment 2026-11-25 0 Bob Barbu: owes 50.00 EUR, due today"});
  const auto items = crm::ops::due_items(s, {});
  REQUIRE(items.size() == 4);
  CHECK(items[0].id == late);
  CHECK(items[0].contact == ana);
  CHECK(items[0].kind == "payment");
  CHECK(items[0].time.empty());

  // Due within the window: upcoming, with what is owed.
  CHECK(due(s, 3) == Strings{"credit payment 2026-10-11 45 Ana Albu: owes 60.00 EUR, 45 days late",
                             "credit payment 2026-11-20 5 Cleo Cazacu: owes 1500 JPY, 5 days late",
                             "credit payment 2026-11-24 1 Dan Dobre: owes 10.00 EUR, 1 day late",
                             "credit payment 2026-11-25 0 Bob Barbu: owes 50.00 EUR, due today",
                             "upcoming payment 2026-11-28 -3 Cleo Cazacu: owes 199.98 USD"});
  CHECK(due(s, 2).size() == 4);
  CHECK(due(s, 36).back() == "upcoming payment 2026-12-31 -36 Dan Dobre: owes 300.00 EUR");
  CHECK(due(s, 13).back() == "upcoming payment 2026-11-28 -3 Cleo Cazacu: owes 199.98 USD");
  // Dan buys every 19 days: due to buy again on 2026-12-09.
  CHECK(due(s, 35).back() == "upcoming reorder 2026-12-09 -14 Dan Dobre: buys every 19 days, last 2026-11-20");

  // Paying the rest takes a sale off the list; a part of it lowers what is owed.
  pay(s, late, "60", "2026-11-25T09:00:00+02:00");
  pay(s, items[3].id, "20.01", "2026-11-25T09:30:00+02:00");
  CHECK(due(s) == Strings{"credit payment 2026-11-20 5 Cleo Cazacu: owes 1500 JPY, 5 days late",
                          "credit payment 2026-11-24 1 Dan Dobre: owes 10.00 EUR, 1 day late",
                          "credit payment 2026-11-25 0 Bob Barbu: owes 29.99 EUR, due today"});
}

TEST_CASE("ops: due credit: paid in full, void, refunded and non-credit sales are not listed") {
  Fixture f;
  Session s(f.dir.path());
  const auto eve = add_contact(s, "Eve Enache");
  const auto fay = add_contact(s, "Fay Faur");
  const auto gus = add_contact(s, "Gus Georgescu");
  const auto paid = credit_sale(s, eve, {"Audit @ 30"}, "2026-10-01T10:00:00+02:00", "due:2026-11-01");
  pay(s, paid, "30", "2026-11-10");
  const auto voided = credit_sale(s, fay, {"Website @ 20"}, "2026-10-01T10:00:00+02:00", "due:2026-11-02");
  crm::ops::void_sale(s, voided, "entered twice");
  const auto returned = credit_sale(s, gus, {"Mug x 3 @ 5"}, "2026-10-01T10:00:00+02:00", "due:2026-11-03");
  crm::ops::RefundRequest refund;
  refund.sale = returned;
  refund.at = "2026-10-05";
  refund.reason = "broken";
  crm::ops::refund_sale(s, refund);
  crm::ops::SaleRequest card;
  card.ref = gus;
  card.items = {"Laptop @ 900"};
  card.at = "2026-10-01";
  card.paid_by = "card";
  crm::ops::record_sale(s, card);
  CHECK(due(s, 30).empty());

  // A partial refund lowers what is owed.
  const auto part = credit_sale(s, gus, {"Mug x 3 @ 5"}, "2026-10-01T10:00:00+02:00", "due:2026-11-03");
  refund.sale = part;
  refund.items = {"Mug x 1"};
  crm::ops::refund_sale(s, refund);
  CHECK(due(s) == Strings{"credit payment 2026-11-03 22 Gus Georgescu: owes 10.00 EUR, 22 days late"});
}

TEST_CASE("ops: due credit: the credit group comes between today's follow-ups and birthdays") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_old_contact(f, s, "Ana Albu", {"cadence=30d", "birthday=1990-11-29"});
  const auto bob = add_contact(s, "Bob Barbu", {"birthday=1980-11-25"});
  crm::ops::add_followup(s, bob, "2026-12-01", "Send the catalogue");
  crm::ops::add_followup(s, ana, "today", "Confirm the delivery");
  crm::ops::add_followup(s, bob, "2026-11-23", "Return the call");
  credit_sale(s, bob, {"Audit @ 70"}, "2026-10-20T10:00:00+02:00", "due:2026-11-19");
  credit_sale(s, ana, {"Audit @ 20"}, "2026-10-20T10:00:00+02:00", "due:2026-11-19");
  credit_sale(s, ana, {"Audit @ 45.5"}, "2026-11-20T10:00:00+02:00", "due:2026-11-30");
  CHECK(due(s, 7) == Strings{"overdue followup 2026-11-23 2 Bob Barbu: Return the call",
                             "today followup 2026-11-25 0 Ana Albu: Confirm the delivery",
                             "credit payment 2026-11-19 6 Ana Albu: owes 20.00 EUR, 6 days late",
                             "credit payment 2026-11-19 6 Bob Barbu: owes 70.00 EUR, 6 days late",
                             "birthdays birthday 2026-11-25 0 Bob Barbu: birthday (46 years)",
                             "upcoming birthday 2026-11-29 -4 Ana Albu: birthday (36 years)",
                             "upcoming payment 2026-11-30 -5 Ana Albu: owes 45.50 EUR",
                             "upcoming followup 2026-12-01 -6 Bob Barbu: Send the catalogue"});
}

// ------------------------------------------------------------------ reorder, purchases

namespace {

void bought(Session& s, const std::string& who, const std::string& at) {
  crm::ops::SaleRequest r;
  r.ref = who;
  r.items = {"Coffee beans @ 12"};
  r.at = at;
  crm::ops::record_sale(s, r);
}

} // namespace

TEST_CASE("ops: due reorder: customers due to buy again by their own rhythm, as report reorder finds them") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Albu");
  const auto bob = add_contact(s, "Bob Barbu");
  const auto cleo = add_contact(s, "Cleo Cazacu");
  const auto dan = add_contact(s, "Dan Dobre");
  // Ana every 30 days, last on 2026-10-24: due 2026-11-23. Bob every 20 days,
  // last on 2026-11-10: due 2026-11-30. Cleo bought once (no rhythm yet). Dan
  // every 10 days, last in August: far past churn.factor x 10, churn's, not here.
  for (const char* at : {"2026-09-24T10:00:00+02:00", "2026-10-24T10:00:00+02:00"}) bought(s, ana, at);
  for (const char* at : {"2026-10-21T10:00:00+02:00", "2026-11-10T10:00:00+02:00"}) bought(s, bob, at);
  bought(s, cleo, "2026-11-01T10:00:00+02:00");
  for (const char* at : {"2026-08-01T10:00:00+02:00", "2026-08-11T10:00:00+02:00"}) bought(s, dan, at);
  CHECK(due(s) == Strings{"reorder reorder 2026-11-23 2 Ana Albu: buys every 30 days, last 2026-10-24"});
  CHECK(due(s, 5) == Strings{"reorder reorder 2026-11-23 2 Ana Albu: buys every 30 days, last 2026-10-24",
                             "upcoming reorder 2026-11-30 -5 Bob Barbu: buys every 20 days, last 2026-11-10"});
  const auto items = crm::ops::due_items(s, {});
  REQUIRE(items.size() == 1);
  CHECK(items[0].kind == "reorder");
  CHECK(items[0].id == ana);
  CHECK(items[0].contact == ana);
  // Buying again takes Ana off the list until her next turn.
  bought(s, ana, "2026-11-24T10:00:00+02:00");
  CHECK(due(s).empty());
}

TEST_CASE("ops: due cadence: a purchase counts as contact") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_old_contact(f, s, "Ana Albu", {"cadence=30d"});
  const auto bob = add_old_contact(f, s, "Bob Barbu", {"cadence=30d"});
  log_call(s, ana, "2026-10-10T10:00+02:00");
  log_call(s, bob, "2026-10-10T10:00+02:00");
  bought(s, bob, "2026-11-01T10:00:00+02:00");
  CHECK(due(s, 7) == Strings{"cadence cadence 2026-11-09 16 Ana Albu: every 30d, last contact 2026-10-10",
                             "upcoming cadence 2026-12-01 -6 Bob Barbu: every 30d, last purchase 2026-11-01"});
  // A call after the purchase is the last contact again.
  log_call(s, bob, "2026-11-05T10:00+02:00");
  CHECK(due(s, 10).back() == "upcoming cadence 2026-12-05 -10 Bob Barbu: every 30d, last contact 2026-11-05");
}

TEST_SUITE_END();
