// ops report leads (ops/reports/leads.cpp): open leads and prospects scored by
// the lead_scoring rules of config.yaml, best first, with the rules each
// matched; and --learn: conversion by attribute as points to paste.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "ops/records/records.hpp"
#include "ops/records/session.hpp"
#include "ops/reports/report.hpp"
#include "report_support.hpp"
#include "test_support.hpp"

using crm::ops::ReportOptions;
using crm::ops::ReportTable;
using crm::ops::Session;
using crm_test::add_contact;
using Strings = std::vector<std::string>;

using crm_test::lines;

namespace {

struct Fixture : crm_test::PinnedWorkspace {
  void rules(const std::string& yaml) const {
    file(".crm/config.yaml", crm_test::read_text(dir / ".crm/config.yaml") + yaml);
  }
};

} // namespace

TEST_SUITE_BEGIN("ops");

TEST_CASE("ops: report leads: scored by the rules, best first, ties by name") {
  Fixture f;
  f.rules("lead_scoring:\n"
          "  - {where: \"source = referral\", points: 25}\n"
          "  - {where: \"has:email\", points: 10}\n");
  Session s(f.dir.path());
  add_contact(s, "Ana Popescu", {"stage=lead", "source=referral", "email=ana@example.ro"});
  add_contact(s, "Bob Ionescu", {"stage=prospect", "email=bob@example.ro"});
  add_contact(s, "Cid Marin", {"stage=lead"});
  add_contact(s, "Abe Marin", {"stage=lead"});
  add_contact(s, "Dan Rusu", {"stage=customer", "source=referral", "email=dan@example.ro"}); // not a lead
  ReportOptions o;
  const auto r = crm::ops::leads_report(s, o);
  CHECK(r.heading == "open leads and prospects by score: 4 (2 lead scoring rules)");
  CHECK(lines(r.tables[0], {"name", "stage", "source", "score", "rules"}) ==
        Strings{"Ana Popescu|lead|referral|35|source = referral (+25), has:email (+10)",
                "Bob Ionescu|prospect||10|has:email (+10)", "Abe Marin|lead||0|", "Cid Marin|lead||0|"});
  o.limit = 2;
  CHECK(crm::ops::leads_report(s, o).tables[0].rows.size() == 2);
}

TEST_CASE("ops: report leads without rules: every lead scores 0") {
  Fixture f;
  Session s(f.dir.path());
  add_contact(s, "Ana Popescu", {"stage=lead"});
  ReportOptions o;
  const auto r = crm::ops::leads_report(s, o);
  CHECK(r.heading == "open leads and prospects by score: 1 (0 lead scoring rules)");
  CHECK(lines(r.tables[0], {"name", "score", "rules"}) == Strings{"Ana Popescu|0|"});
}

TEST_CASE("ops: report leads --learn: rates and points by attribute, and the block to paste") {
  Fixture f;
  Session s(f.dir.path());
  // Six past leads, three became customers (base rate 50%): referral 3 of 4
  // (lift 1.50, 20 x 0.5 = 10 points); ads 0 of 2 (too few to score).
  for (const char* name : {"Ana", "Bob", "Cid", "Dan"}) add_contact(s, name, {"stage=lead", "source=referral"});
  for (const char* name : {"Eve", "Fay"}) add_contact(s, name, {"stage=lead", "source=ads"});
  for (const char* name : {"Ana", "Bob", "Cid"})
    crm::ops::set_record(s, crm::model::contact_type(), name, {crm::ops::parse_assignment("stage=customer")});
  ReportOptions o;
  o.learn = true;
  const auto r = crm::ops::leads_report(s, o);
  CHECK(r.heading == "lead scoring learned from 6 past leads, 3 became customers (50.0%)");
  CHECK(lines(r.tables[0], {"attribute", "value", "leads", "customers", "rate", "lift", "points"}) ==
        Strings{"source|referral|4|3|75.0%|1.50|10", "first_30_days|0 interactions|6|3|50.0%|1.00|0",
                "source|ads|2|0|0.0%|0.00|0"});
  CHECK(r.text == "# lead scoring learned from 6 past leads, 3 became customers (50.0%)\n"
                  "# values seen in fewer than 3 leads are left out; paste into .crm/config.yaml\n"
                  "lead_scoring:\n"
                  "  - {where: \"source = \\\"referral\\\"\", points: 10}   # 3 of 4 became customers\n");
}

TEST_SUITE_END();
