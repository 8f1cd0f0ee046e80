// ops report cross-sell (ops/reports/cross_sell.cpp): pairs of products bought
// by the same customers with support and lift; with --contact, what similar
// customers bought that the contact has not.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "ops/records/session.hpp"
#include "ops/reports/report.hpp"
#include "ops/sales/sale.hpp"
#include "report_support.hpp"
#include "test_support.hpp"

using crm::ops::ReportOptions;
using crm::ops::ReportTable;
using crm::ops::Session;
using crm_test::add_contact;
using Strings = std::vector<std::string>;

using crm_test::lines;

namespace {

struct Fixture : crm_test::PinnedWorkspace {};

struct People {
  std::string ana, bob, cid, dan;
};

// Ana: Mug, Tea (two sales); Bob: Mug, Tea, Lamp; Cid: Mug; Dan: Lamp, and a
// void sale of Tea. 4 customers; Mug 3, Tea 2, Lamp 2.
People data(Session& s) {
  People p{add_contact(s, "Ana Popescu"), add_contact(s, "Bob Ionescu"), add_contact(s, "Cid Marin"),
           add_contact(s, "Dan Rusu")};
  auto sale = [&](const std::string& who, Strings items, const std::string& at) {
    crm::ops::SaleRequest r;
    r.ref = who;
    r.items = std::move(items);
    r.at = at;
    return crm::ops::record_sale(s, r).id;
  };
  sale(p.ana, {"Mug @ 10"}, "2026-03-01");
  sale(p.ana, {"Tea @ 5"}, "2026-05-01");
  sale(p.bob, {"Mug @ 10", "Tea @ 5", "Lamp @ 30"}, "2026-03-02");
  sale(p.cid, {"Mug @ 10"}, "2026-03-03");
  sale(p.dan, {"Lamp @ 30"}, "2026-03-04");
  crm::ops::void_sale(s, sale(p.dan, {"Tea @ 5"}, "2026-03-05"), "typo");
  return p;
}

} // namespace

TEST_SUITE_BEGIN("ops");

TEST_CASE("ops: report cross-sell pairs: customers, support and lift") {
  Fixture f;
  Session s(f.dir.path());
  data(s);
  ReportOptions o;
  const auto r = crm::ops::cross_sell_report(s, o);
  CHECK(r.heading == "products bought together, all time: 4 customers, 3 products, 3 pairs");
  // Lift: both x customers / (one x other): Mug+Tea 2 x 4 / (3 x 2) = 1.33,
  // Lamp+Tea 1 x 4 / (2 x 2) = 1.00, Lamp+Mug 1 x 4 / (2 x 3) = 0.67.
  CHECK(lines(r.tables[0], {"pair", "customers", "support", "lift"}) ==
        Strings{"Mug + Tea|2|50.0%|1.33", "Lamp + Tea|1|25.0%|1.00", "Lamp + Mug|1|25.0%|0.67"});

  o.to = "2026-04-30";
  o.has_to = true;
  o.limit = 1;
  const auto march = crm::ops::cross_sell_report(s, o);
  // Ana's Tea came in May: only Bob bought two products, and Tea only with him
  // (lift of Lamp + Tea: 1 x 4 / (2 x 1) = 2.00, the highest of the three ties).
  CHECK(march.heading == "products bought together, until 2026-04-30: 4 customers, 3 products, 3 pairs");
  CHECK(lines(march.tables[0], {"pair", "customers", "support", "lift"}) == Strings{"Lamp + Tea|1|25.0%|2.00"});
}

TEST_CASE("ops: report cross-sell --contact: what customers sharing a product bought") {
  Fixture f;
  Session s(f.dir.path());
  const auto p = data(s);
  ReportOptions o;
  o.contact = p.cid;
  const auto r = crm::ops::cross_sell_report(s, o);
  // A person reads the heading: it names the contact; the facts keep its id.
  CHECK(r.heading == "for Cid Marin: 1 products bought, 2 similar customers, 2 products to offer");
  CHECK(r.facts.at("contact") == p.cid);
  CHECK(r.facts.at("contact_name") == "Cid Marin");
  CHECK(lines(r.tables[0], {"product", "customers", "share"}) == Strings{"Tea|2|100.0%", "Lamp|1|50.0%"});
  o.contact = p.dan;
  const auto d = crm::ops::cross_sell_report(s, o);
  CHECK(lines(d.tables[0], {"product", "customers", "share"}) == Strings{"Mug|1|100.0%", "Tea|1|100.0%"});
}

TEST_SUITE_END();
