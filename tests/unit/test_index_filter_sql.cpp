#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <variant>
#include <vector>

#include "index/filter_sql.hpp"
#include "index/index.hpp"
#include "index/index_impl.hpp"
#include "model/record_type.hpp"
#include "ops/records/session.hpp"
#include "test_support.hpp"
#include "util/time.hpp"

using crm::index::SqlExpr;
using crm::model::activity_type;
using crm::model::contact_type;
using crm::model::RecordType;
using crm::model::sale_type;
using crm::ops::Session;
using Strings = std::vector<std::string>;

namespace {

// Four contacts, a company, sales in four currencies and two activities, as files:
//   ana:    Ana Popescu, customer, VIP+cluj, Cluj-Napoca RO, Ana@Acme.ro, 0722 123 456,
//           works at Acme SRL, interests Hiking+jazz, custom tier gold / visits 12,
//           born 1990; sales 800.00 EUR (11-20) and 100.00 EUR on credit (06-01):
//           revenue 900.00, orders 2, balance 100.00; emailed today.
//   stefan: Ștefan Ionescu, lead, vip, Iași RO, stefan@example.ro, referral, interests
//           "Jazz Piano", custom tier silver / visits 3; 150.00 RON (11-24) = 30.00 EUR,
//           and a void sale of 500.00 EUR that does not count.
//   olena:  Олена Коваленко, prospect, Київ UA, +380 44 123 4567; nothing bought.
//   bob:    Bob Marsh, GB, no stage, city, email or tags; 1500 JPY (11-22) = 9.15 EUR;
//           a call at 23:30 New York time on 11-24 (11-25 in UTC).
const std::string ana = "ana-popescu-k7q2";
const std::string stefan = "stefan-ionescu-m3n4";
const std::string olena = "олена-коваленко-p5r6";
const std::string bob = "bob-marsh-z5a6";

struct FilterFixture : crm_test::PinnedWorkspace {
  FilterFixture() {
    file("rates.yaml", "JPY:\n  2026-01-01: 0.0061\nRON:\n  2026-01-01: \"0.20\"\n");
    file("companies/acme-srl-h2x9.yaml", "id: acme-srl-h2x9\nname: Acme SRL\ncity: Cluj-Napoca\ncountry: RO\n");
    file("contacts/" + ana + ".yaml", "id: " + ana +
                                          "\nname: Ana Popescu\n"
                                          "emails:\n  - address: Ana@Acme.ro\n"
                                          "phones:\n  - number: 0722 123 456\n    e164: \"+40722123456\"\n"
                                          "company: acme-srl-h2x9\ncity: Cluj-Napoca\ncountry: RO\nstage: customer\n"
                                          "birthday: 1990-05-01\n"
                                          "tags:\n  - VIP\n  - cluj\n"
                                          "interests:\n  - Hiking\n  - jazz\n"
                                          "custom:\n  tier: gold\n  visits: \"12\"\n"
                                          "created: 2026-10-01T09:00:00+02:00\nupdated: 2026-10-01T09:00:00+02:00\n");
    file("contacts/" + stefan + ".yaml", "id: " + stefan +
                                             "\nname: Ștefan Ionescu\n"
                                             "emails:\n  - address: stefan@example.ro\n"
                                             "city: Iași\ncountry: RO\nstage: lead\nsource: referral\n"
                                             "tags:\n  - vip\n"
                                             "interests:\n  - Jazz Piano\n"
                                             "custom:\n  tier: silver\n  visits: \"3\"\n"
                                             "created: 2026-11-20T09:00:00+02:00\nupdated: 2026-11-20T09:00:00+02:00\n");
    file("contacts/" + olena + ".yaml", "id: " + olena +
                                            "\nname: Олена Коваленко\n"
                                            "phones:\n  - number: +380 44 123 4567\n    e164: \"+380441234567\"\n"
                                            "city: Київ\ncountry: UA\nstage: prospect\n"
                                            "created: 2026-11-03T09:00:00+02:00\nupdated: 2026-11-03T09:00:00+02:00\n");
    file("contacts/" + bob + ".yaml", "id: " + bob +
                                          "\nname: Bob Marsh\ncountry: GB\n"
                                          "created: 2026-11-24T09:00:00+02:00\nupdated: 2026-11-24T09:00:00+02:00\n");
    sale("2026-11-20-sale-ana-popescu-aaaa", ana, "2026-11-20T10:00:00+02:00", "EUR", "800.00");
    sale("2026-06-01-sale-ana-popescu-aaab", ana, "2026-06-01T10:00:00+02:00", "EUR", "100.00", "credit",
         "completed", "due: \"2026-07-01\"\n");
    sale("2026-11-24-sale-stefan-ionescu-bbba", stefan, "2026-11-24T10:00:00+02:00", "RON", "150.00");
    sale("2026-11-10-sale-stefan-ionescu-bbbb", stefan, "2026-11-10T10:00:00+02:00", "EUR", "500.00", "card", "void");
    sale("2026-11-22-sale-bob-marsh-ccca", bob, "2026-11-22T10:00:00+02:00", "JPY", "1500");
    file("activities/2026/11/2026-11-24-call-bob-marsh-dddd.yaml",
         "id: 2026-11-24-call-bob-marsh-dddd\nkind: call\ncontact: " + bob +
             "\nat: 2026-11-24T23:30:00-05:00\nsummary: late call\n");
    file("activities/2026/11/2026-11-25-email-ana-popescu-ddde.yaml",
         "id: 2026-11-25-email-ana-popescu-ddde\nkind: email\ncontact: " + ana +
             "\nat: 2026-11-25T09:00:00+02:00\ndirection: out\nsummary: offer sent\n");
  }

  void sale(const std::string& id, const std::string& who, const std::string& at, const std::string& currency,
            const std::string& total, const std::string& paid_by = "card", const std::string& status = "completed",
            const std::string& extra = "") const {
    file("sales/" + at.substr(0, 4) + "/" + at.substr(5, 2) + "/" + id + ".yaml",
         "id: " + id + "\ncontact: " + who + "\nat: " + at + "\nstatus: " + status + "\ncurrency: " + currency +
             "\nitems:\n  - product: Thing\n    quantity: \"1\"\n    price: \"" + total + "\"\n    total: \"" + total +
             "\"\nsubtotal: \"" + total + "\"\ntotal: \"" + total + "\"\npaid_by: " + paid_by + "\n" + extra);
  }
};

// The ids of the records of `type` the filter matches, sorted.
Strings run(Session& s, const RecordType& type, const SqlExpr& where) {
  SqlExpr q{"SELECT id FROM " + std::string(type.plural) + " WHERE " + where.sql + " ORDER BY id", where.binds};
  Strings out;
  crm::index::run_query(s.index(), q, [&](SQLite::Statement& st) { out.push_back(st.getColumn(0).getString()); });
  return out;
}

Strings match(Session& s, const RecordType& type, const std::string& filter) {
  return run(s, type, s.where(type, filter));
}

Strings contacts(Session& s, const std::string& filter) { return match(s, contact_type(), filter); }

std::string error_of(const Session& s, const RecordType& type, const std::string& filter) {
  return crm_test::invalid_data_message([&] { s.where(type, filter); });
}

// Does any bound value equal `text`?
bool bound(const SqlExpr& e, const std::string& text) {
  for (const auto& v : e.binds)
    if (const auto* t = std::get_if<std::string>(&v); t && *t == text) return true;
  return false;
}

} // namespace

TEST_SUITE_BEGIN("query");

// ------------------------------------------------------------------ text

TEST_CASE("filter sql: name and text fields compare ignoring case and accents") {
  FilterFixture f;
  Session s(f.dir.path());
  REQUIRE(s.index().broken_files().empty());
  CHECK(contacts(s, "name = \"ana popescu\"") == Strings{ana});
  CHECK(contacts(s, "name = \"STEFAN IONESCU\"") == Strings{stefan}); // Ș folds to s
  CHECK(contacts(s, "name = Ana") == Strings{});                      // = is the whole name
  CHECK(contacts(s, "name ~ ionesc") == Strings{stefan});
  CHECK(contacts(s, "name ~ ОЛЕНА") == Strings{olena});
  CHECK(contacts(s, "city = iasi") == Strings{stefan});
  CHECK(contacts(s, "city = IAȘI") == Strings{stefan});
  CHECK(contacts(s, "city ~ cluj") == Strings{ana});
  CHECK(contacts(s, "city ~ київ") == Strings{olena});
  CHECK(contacts(s, "source = Referral") == Strings{stefan});
}

TEST_CASE("filter sql: != and not also match records without the value") {
  FilterFixture f;
  Session s(f.dir.path());
  // Bob has no city and no stage.
  CHECK(contacts(s, "city != Cluj-Napoca") == Strings{bob, stefan, olena});
  CHECK(contacts(s, "not city = Cluj-Napoca") == Strings{bob, stefan, olena});
  CHECK(contacts(s, "stage != customer") == Strings{bob, stefan, olena});
  CHECK(contacts(s, "not stage in (lead, prospect)") == Strings{ana, bob});
  CHECK(contacts(s, "not balance > 0") == Strings{bob, stefan, olena});
  CHECK(contacts(s, "not vip") == Strings{bob, olena});
  CHECK(contacts(s, "company != \"Acme SRL\"") == Strings{bob, stefan, olena});
}

TEST_CASE("filter sql: choices are checked and compared in lower case") {
  FilterFixture f;
  Session s(f.dir.path());
  CHECK(contacts(s, "stage = customer") == Strings{ana});
  CHECK(contacts(s, "stage = CUSTOMER") == Strings{ana});
  CHECK(contacts(s, "stage in (lead, prospect)") == Strings{stefan, olena});
  CHECK(contacts(s, "stage ~ pro") == Strings{olena});
  CHECK(error_of(s, contact_type(), "stage = zzz") ==
        "bad filter at column 9: expected one of lead, prospect, customer, inactive, lost for stage, found 'zzz'");
  CHECK(error_of(s, contact_type(), "stage in (lead, custmer)") ==
        "bad filter at column 17: expected one of lead, prospect, customer, inactive, lost for stage, found 'custmer'");
  CHECK(error_of(s, activity_type(), "kind = visit") ==
        "bad filter at column 8: expected one of call, email, meeting, text, note, chat, stage for kind, "
        "found 'visit'");
}

TEST_CASE("filter sql: countries compare as upper-case codes") {
  FilterFixture f;
  Session s(f.dir.path());
  CHECK(contacts(s, "country = ro") == Strings{ana, stefan});
  CHECK(contacts(s, "country in (UA, gb)") == Strings{bob, olena});
  CHECK(contacts(s, "country != RO") == Strings{bob, olena});
}

// ------------------------------------------------------------------ dates

TEST_CASE("filter sql: dates, absolute and relative to now") {
  FilterFixture f;
  Session s(f.dir.path());
  // Now is 2026-11-25: -7d is 11-18, -30d is 10-26.
  CHECK(contacts(s, "created >= -7d") == Strings{bob, stefan});
  CHECK(contacts(s, "created < 2026-11-01") == Strings{ana});
  CHECK(contacts(s, "created >= -2m") == Strings{ana, bob, stefan, olena});
  CHECK(contacts(s, "birthday < 2000-01-01") == Strings{ana});
  CHECK(contacts(s, "last_contact = today") == Strings{ana});
  CHECK(match(s, sale_type(), "at >= -7d") ==
        Strings{"2026-11-20-sale-ana-popescu-aaaa", "2026-11-22-sale-bob-marsh-ccca",
                "2026-11-24-sale-stefan-ionescu-bbba"});
  CHECK(match(s, sale_type(), "at < -30d") == Strings{"2026-06-01-sale-ana-popescu-aaab"});
  CHECK(error_of(s, contact_type(), "last_purchase < yesterdayish") ==
        "bad filter at column 17: last_purchase is a date; expected a date (2026-11-01, today, -90d, -6m), "
        "found 'yesterdayish'");
  CHECK(error_of(s, contact_type(), "created > 2026-13-01") ==
        "bad filter at column 11: created is a date; expected a date (2026-11-01, today, -90d, -6m), "
        "found '2026-13-01'");
  CHECK(error_of(s, contact_type(), "created ~ 2026") == "bad filter at column 11: created can only be compared "
                                                          "with = != < <= > >=");
}

TEST_CASE("filter sql: a moment compares by the writer's own date, not the UTC one") {
  FilterFixture f;
  Session s(f.dir.path());
  // 23:30 on 11-24 in New York is 04:30 on 11-25 in UTC.
  CHECK(match(s, activity_type(), "at = 2026-11-24") == Strings{"2026-11-24-call-bob-marsh-dddd"});
  CHECK(match(s, activity_type(), "at = 2026-11-25") == Strings{"2026-11-25-email-ana-popescu-ddde"});
  CHECK(contacts(s, "last_contact = 2026-11-24") == Strings{bob});
}

TEST_CASE("filter sql: relative dates count from FilterContext.now") {
  FilterFixture f;
  Session s(f.dir.path());
  auto ctx = s.filter_context();
  const auto later = crm::time::parse_timestamp("2026-12-30T12:00:00+02:00");
  REQUIRE(later.has_value());
  ctx.now = *later;
  // -30d is now 11-30: nobody bought since; -40d (11-20) takes in three.
  CHECK(run(s, contact_type(), crm::index::where_sql(contact_type(), "last_purchase >= -30d", ctx)) == Strings{});
  CHECK(run(s, contact_type(), crm::index::where_sql(contact_type(), "last_purchase >= -40d", ctx)) ==
        Strings{ana, bob, stefan});
  CHECK(run(s, contact_type(), crm::index::where_sql(contact_type(), "created < -1m", ctx)) ==
        Strings{ana, bob, stefan, olena});
  CHECK(contacts(s, "created < -1m") == Strings{ana});
  CHECK(contacts(s, "last_purchase >= -30d") == Strings{ana, bob, stefan});
}

// ------------------------------------------------------------------ lists, tags, contact points

TEST_CASE("filter sql: a bare word is a tag, case-insensitive") {
  FilterFixture f;
  Session s(f.dir.path());
  CHECK(contacts(s, "vip") == Strings{ana, stefan});
  CHECK(contacts(s, "VIP") == Strings{ana, stefan});
  CHECK(contacts(s, "\"vip\"") == Strings{ana, stefan});
  CHECK(contacts(s, "vip cluj") == Strings{ana});
  CHECK(contacts(s, "tag = cluj") == Strings{ana});
  CHECK(contacts(s, "tags = vip") == Strings{ana, stefan});
  CHECK(contacts(s, "tags ~ clu") == Strings{ana});
  CHECK(contacts(s, "nosuchtag") == Strings{});
}

TEST_CASE("filter sql: list fields match an item whole (=) or in part (~)") {
  FilterFixture f;
  Session s(f.dir.path());
  CHECK(contacts(s, "interests ~ jazz") == Strings{ana, stefan});
  CHECK(contacts(s, "interests = jazz") == Strings{ana});
  CHECK(contacts(s, "interests = \"JAZZ PIANO\"") == Strings{stefan});
  CHECK(contacts(s, "interests != jazz") == Strings{bob, stefan, olena});
  CHECK(error_of(s, contact_type(), "interests > a") == "bad filter at column 13: interests can only be compared "
                                                         "with = != ~");
}

TEST_CASE("filter sql: emails by address (any case) or part of one") {
  FilterFixture f;
  Session s(f.dir.path());
  CHECK(contacts(s, "email = ana@acme.ro") == Strings{ana});
  CHECK(contacts(s, "email = ANA@ACME.RO") == Strings{ana});
  CHECK(contacts(s, "emails ~ @acme") == Strings{ana});
  CHECK(contacts(s, "email ~ EXAMPLE") == Strings{stefan});
  CHECK(contacts(s, "email != ana@acme.ro") == Strings{bob, stefan, olena});
  CHECK(error_of(s, contact_type(), "email < a") == "bad filter at column 9: email can only be compared with = != ~");
}

TEST_CASE("filter sql: phones by number in any form, or by digits") {
  FilterFixture f;
  Session s(f.dir.path());
  CHECK(contacts(s, "phone = \"0722 123 456\"") == Strings{ana});
  CHECK(contacts(s, "phone = +40722123456") == Strings{ana});
  CHECK(contacts(s, "phone ~ 4567") == Strings{olena});
  CHECK(contacts(s, "phone ~ \"123\"") == Strings{ana, olena});
  CHECK(error_of(s, contact_type(), "phone = abc") == "bad filter at column 9: expected a phone number for phone, "
                                                      "found 'abc'");
  CHECK(error_of(s, contact_type(), "phone ~ abc") == "bad filter at column 9: expected digits for phone ~, found 'abc'");
}

TEST_CASE("filter sql: a reference matches the id or the name of what it points at") {
  FilterFixture f;
  Session s(f.dir.path());
  CHECK(contacts(s, "company = acme-srl-h2x9") == Strings{ana});
  CHECK(contacts(s, "company = \"acme srl\"") == Strings{ana});
  CHECK(contacts(s, "company ~ acme") == Strings{ana});
  CHECK(contacts(s, "company = acme") == Strings{});
  CHECK(match(s, sale_type(), "contact = \"Ana Popescu\"") ==
        Strings{"2026-06-01-sale-ana-popescu-aaab", "2026-11-20-sale-ana-popescu-aaaa"});
  CHECK(match(s, sale_type(), "contact = " + bob) == Strings{"2026-11-22-sale-bob-marsh-ccca"});
  CHECK(match(s, sale_type(), "contact ~ ionesc") ==
        Strings{"2026-11-10-sale-stefan-ionescu-bbbb", "2026-11-24-sale-stefan-ionescu-bbba"});
  CHECK(error_of(s, contact_type(), "company > a") == "bad filter at column 11: company can only be compared "
                                                      "with = != ~");
}

TEST_CASE("filter sql: id and in (...)") {
  FilterFixture f;
  Session s(f.dir.path());
  CHECK(contacts(s, "id = " + bob) == Strings{bob});
  CHECK(contacts(s, "id ~ marsh") == Strings{bob});
  CHECK(contacts(s, "id in (" + bob + ", " + ana + ", nobody-x1y2)") == Strings{ana, bob});
  CHECK(contacts(s, "city in (iasi, \"cluj-napoca\")") == Strings{ana, stefan});
}

// ------------------------------------------------------------------ money and computed fields

TEST_CASE("filter sql: a money field compares in the record's own currency, exactly") {
  FilterFixture f;
  Session s(f.dir.path());
  // 150.00 RON, 1500 JPY (no minor unit), 800.00, 500.00 (void) and 100.00 EUR.
  CHECK(match(s, sale_type(), "total = 150") == Strings{"2026-11-24-sale-stefan-ionescu-bbba"});
  CHECK(match(s, sale_type(), "total = 150.00") == Strings{"2026-11-24-sale-stefan-ionescu-bbba"});
  CHECK(match(s, sale_type(), "total = 1500") == Strings{"2026-11-22-sale-bob-marsh-ccca"});
  CHECK(match(s, sale_type(), "total = 15") == Strings{});
  CHECK(match(s, sale_type(), "total > 100") ==
        Strings{"2026-11-10-sale-stefan-ionescu-bbbb", "2026-11-20-sale-ana-popescu-aaaa",
                "2026-11-22-sale-bob-marsh-ccca", "2026-11-24-sale-stefan-ionescu-bbba"});
  CHECK(match(s, sale_type(), "total < 150.001") ==
        Strings{"2026-06-01-sale-ana-popescu-aaab", "2026-11-24-sale-stefan-ionescu-bbba"});
  CHECK(match(s, sale_type(), "total <= 100 or currency = jpy") ==
        Strings{"2026-06-01-sale-ana-popescu-aaab", "2026-11-22-sale-bob-marsh-ccca"});
  CHECK(match(s, sale_type(), "status = void") == Strings{"2026-11-10-sale-stefan-ionescu-bbbb"});
  CHECK(match(s, sale_type(), "paid_by = credit") == Strings{"2026-06-01-sale-ana-popescu-aaab"});
  CHECK(error_of(s, sale_type(), "total > lots") ==
        "bad filter at column 9: total is an amount of money; expected a number, found 'lots'");
}

TEST_CASE("filter sql: computed revenue, orders, dates and balance, in the base currency") {
  FilterFixture f;
  Session s(f.dir.path());
  // Revenue: ana 900.00, stefan 30.00 (150 RON; the void sale not counted), bob 9.15.
  CHECK(contacts(s, "revenue > 100") == Strings{ana});
  CHECK(contacts(s, "revenue = 900") == Strings{ana});
  CHECK(contacts(s, "revenue = 30") == Strings{stefan});
  CHECK(contacts(s, "revenue < 10") == Strings{bob});
  CHECK(contacts(s, "revenue >= 9.15") == Strings{ana, bob, stefan});
  CHECK(contacts(s, "revenue > 9.15") == Strings{ana, stefan});
  CHECK(contacts(s, "has:revenue") == Strings{ana, bob, stefan});
  CHECK(contacts(s, "orders >= 2") == Strings{ana});
  CHECK(contacts(s, "orders = 1") == Strings{bob, stefan});
  CHECK(contacts(s, "orders = 0") == Strings{olena});
  CHECK(contacts(s, "avg_order = 450") == Strings{ana});
  CHECK(contacts(s, "last_purchase >= -7d") == Strings{ana, bob, stefan});
  CHECK(contacts(s, "last_purchase >= 2026-11-22") == Strings{bob, stefan});
  CHECK(contacts(s, "first_purchase < 2026-07-01") == Strings{ana});
  CHECK(contacts(s, "balance > 0") == Strings{ana});
  CHECK(contacts(s, "balance = 100") == Strings{ana});
  CHECK(contacts(s, "revenue > 100 and last_purchase < -90d") == Strings{});
  CHECK(error_of(s, contact_type(), "orders ~ 1") == "bad filter at column 10: orders can only be compared "
                                                     "with = != < <= > >=");
  CHECK(error_of(s, contact_type(), "revenue > lots") ==
        "bad filter at column 11: revenue is an amount of money; expected a number, found 'lots'");
}

TEST_CASE("filter sql: priority from the RFM classes") {
  FilterFixture f;
  Session s(f.dir.path());
  CHECK(contacts(s, "priority = B") == Strings{ana});
  CHECK(contacts(s, "priority in (b, c)") == Strings{ana, bob, stefan});
  CHECK(contacts(s, "not has:priority") == Strings{olena});
}

TEST_CASE("filter sql: lead score from the lead_scoring rules of config.yaml") {
  FilterFixture f;
  auto config = crm_test::read_text(f.dir / ".crm" / "config.yaml");
  const auto line = static_cast<int>(std::count(config.begin(), config.end(), '\n')) + 2;
  config += "lead_scoring:\n  - {where: \"has:email\", points: 10}\n  - {where: \"source = referral\", points: 25}\n"
            "  - {where: vip, points: 5}\n";
  f.file(".crm/config.yaml", config);
  {
    Session s(f.dir.path());
    // ana 10 + 5, stefan 10 + 25 + 5.
    CHECK(contacts(s, "score >= 20") == Strings{stefan});
    CHECK(contacts(s, "score = 15") == Strings{ana});
    CHECK(contacts(s, "score = 0") == Strings{bob, olena});
  }
  // A rule may not use the score it makes.
  f.file(".crm/config.yaml", config + "  - {where: \"score > 1\", points: 1}\n");
  Session s(f.dir.path());
  CHECK(error_of(s, contact_type(), "score > 1") ==
        "config.yaml:" + std::to_string(line + 3) +
            ": lead_scoring: bad filter at column 1: lead scoring rules cannot use score");
}

// ------------------------------------------------------------------ custom fields, has:

TEST_CASE("filter sql: custom fields by name, or custom.NAME") {
  FilterFixture f;
  Session s(f.dir.path());
  CHECK(contacts(s, "tier = gold") == Strings{ana});
  CHECK(contacts(s, "custom.tier = GOLD") == Strings{ana});
  CHECK(contacts(s, "tier ~ ilv") == Strings{stefan});
  CHECK(contacts(s, "tier != gold") == Strings{bob, stefan, olena});
  // Numbers order as numbers: "12" > "5" although "12" < "5" as text.
  CHECK(contacts(s, "visits > 5") == Strings{ana});
  CHECK(contacts(s, "custom.visits <= 3") == Strings{stefan});
  CHECK(contacts(s, "custom.nothing = x") == Strings{});
}

TEST_CASE("filter sql: has:field for every kind of field") {
  FilterFixture f;
  Session s(f.dir.path());
  CHECK(contacts(s, "has:email") == Strings{ana, stefan});
  CHECK(contacts(s, "not has:email") == Strings{bob, olena});
  CHECK(contacts(s, "has:phone") == Strings{ana, olena});
  CHECK(contacts(s, "has:tags") == Strings{ana, stefan});
  CHECK(contacts(s, "has:interests") == Strings{ana, stefan});
  CHECK(contacts(s, "has:company") == Strings{ana});
  CHECK(contacts(s, "has:stage") == Strings{ana, stefan, olena});
  CHECK(contacts(s, "has:tier") == Strings{ana, stefan});
  CHECK(contacts(s, "has:custom.tier") == Strings{ana, stefan});
  CHECK(contacts(s, "has:balance") == Strings{ana});
  CHECK(contacts(s, "has:email and not has:phone or has:balance") == Strings{ana, stefan});
}

// ------------------------------------------------------------------ unknown fields

TEST_CASE("filter sql: an unknown field names the nearest ones") {
  FilterFixture f;
  Session s(f.dir.path());
  const auto e = crm_test::error_from([&] { s.where(contact_type(), "vip and revenu > 1"); });
  CHECK(e.kind() == crm::ErrorKind::invalid_data);
  CHECK(std::string(e.what()) == "bad filter at column 9: unknown field 'revenu' for contacts");
  CHECK(e.hints() == Strings{"the nearest fields are: revenue"});
  CHECK(error_of(s, contact_type(), "interest ~ hik") == "bad filter at column 1: unknown field 'interest' for contacts");
  // A custom field of some other record is not a field of this one.
  CHECK(error_of(s, sale_type(), "tier = gold") == "bad filter at column 1: unknown field 'tier' for sales");
  const auto far = crm_test::error_from([&] { s.where(contact_type(), "zzzzzzzz = 1"); });
  CHECK(std::string(far.what()) == "bad filter at column 1: unknown field 'zzzzzzzz' for contacts");
  CHECK(error_of(s, contact_type(), "social = x") == "bad filter at column 1: 'social' holds named values: "
                                                     "write social.NAME");
  CHECK(error_of(s, contact_type(), "city.x = y") == "bad filter at column 1: 'city' has no parts: write city");
}

TEST_CASE("filter sql: filter_fields lists fields and computed fields, sorted") {
  const auto names = crm::index::filter_fields(contact_type());
  CHECK(std::is_sorted(names.begin(), names.end()));
  for (const char* n : {"name", "emails", "stage", "revenue", "last_purchase", "score", "priority", "tags"}) {
    CAPTURE(n);
    CHECK(std::find(names.begin(), names.end(), n) != names.end());
  }
  CHECK(std::find(names.begin(), names.end(), "custom") == names.end()); // a map: custom.NAME instead
}

// ------------------------------------------------------------------ injection

TEST_CASE("filter sql: values are bound, never spliced into the SQL") {
  FilterFixture f;
  Session s(f.dir.path());
  const std::vector<std::string> attempts = {
      R"(name = "x' OR 1=1 --")",
      R"(name = "x\"; DROP TABLE contacts; --")",
      R"(city = "') OR 1=1 --")",
      R"(tier = "gold') OR ('1'='1")",
      R"(custom.tier ~ "'; DELETE FROM contacts; --")",
      R"(email = "a@b.c' OR '1'='1")",
      R"(company = "x') OR 1=1 --")",
      R"("vip' OR 1=1 --")",
      R"(interests ~ "%' OR 1=1 --")",
  };
  for (const auto& a : attempts) {
    CAPTURE(a);
    CHECK(contacts(s, a) == Strings{});
  }
  CHECK(error_of(s, contact_type(), "name = Ana or 1=1") ==
        "bad filter at column 15: expected a field name, found '1'");
  // The table is still there, with everyone in it.
  CHECK(contacts(s, "has:country") == Strings{ana, bob, stefan, olena});
  // The compiled SQL never holds the values themselves.
  const auto e = s.where(contact_type(), R"(name = "x' OR 1=1 --" or city ~ "Cluj'" or tier = "gold;" or vip)");
  for (const char* v : {"x'", "OR 1=1", "Cluj", "gold", "vip", "--"}) {
    CAPTURE(v);
    CHECK(e.sql.find(v) == std::string::npos);
  }
  CHECK(bound(e, "vip"));
  const auto money = s.where(sale_type(), "total > 150.5 and currency = ron");
  CHECK(money.sql.find("150") == std::string::npos);
  CHECK(money.sql.find("RON") == std::string::npos);
  CHECK(money.sql.find("ron") == std::string::npos);
  CHECK(bound(money, "ron")); // a currency compares as folded text
}

TEST_SUITE_END();
