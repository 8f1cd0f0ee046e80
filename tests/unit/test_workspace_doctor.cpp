#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "model/record_type.hpp"
#include "ops/records/records.hpp"
#include "ops/records/session.hpp"
#include "ops/workspace/doctor.hpp"
#include "ops/workspace/index.hpp"
#include "store/workspace.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

using crm::model::company_type;
using crm::model::contact_type;
using crm::ops::Session;
using crm_test::EnvVar;
using crm_test::TempDir;

namespace stdfs = std::filesystem;

namespace {

// A workspace (region RO) with the clock pinned; f.file() writes a file into it.
using Fixture = crm_test::PinnedWorkspace;

std::vector<std::string> lines(const std::vector<crm::ops::Finding>& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings) out.push_back(f.where + " | " + f.message);
  return out;
}

} // namespace

TEST_SUITE_BEGIN("ops");

TEST_CASE("ops: doctor lists every known problem with where and what") {
  Fixture f;
  f.file("companies/acme-x4b9.yaml", "id: acme-x4b9\nname: Acme\n");
  f.file("companies/bad-country-x4b9.yaml", "id: bad-country-x4b9\nname: C\ncountry: Romania\n");
  f.file("contacts/ana-k7q2.yaml", "id: ana-k7q2\nname: Ana\ncompany: acme-x4b9\n");
  f.file("contacts/bad-email-k7q2.yaml", "id: bad-email-k7q2\nname: B\nemails:\n  - address: nope\n");
  f.file("contacts/broken-k7q2.yaml", "id: broken-k7q2\nname: X\nname: Y\n");
  f.file("contacts/ghost-ref-k7q2.yaml", "id: ghost-ref-k7q2\nname: G\ncompany: ghost-x4b9\n");
  f.file("contacts/no-name-k7q2.yaml", "id: no-name-k7q2\ncity: Cluj\n");
  f.file("contacts/stage-k7q2.yaml", "id: stage-k7q2\nname: S\nstage: vip\n");
  f.file("contacts/utf-k7q2.yaml", "id: utf-k7q2\nname: \xFF\n");
  f.file("contacts/wrong-id-k7q2.yaml", "name: W\nid: other-k7q2\n");
  f.file("contacts/.crm-tmp-ana-k7q2.yaml-1234", "id: ana-k7");
  f.file("contacts/notes.txt", "not a record, not a problem");
  Session s(f.dir.path());
  CHECK(lines(crm::ops::doctor(s)) ==
        std::vector<std::string>{
            "companies/bad-country-x4b9.yaml:3 | bad country 'Romania' (expected an ISO 3166 code such as RO or GB)",
            "contacts/.crm-tmp-ana-k7q2.yaml-1234 | temp file left by an interrupted write (the next command removes it)",
            "contacts/bad-email-k7q2.yaml:4 | bad email 'nope'",
            "contacts/broken-k7q2.yaml:3 | duplicate key 'name'",
            "contacts/ghost-ref-k7q2.yaml:3 | company 'ghost-x4b9' does not exist",
            "contacts/no-name-k7q2.yaml | missing 'name'",
            "contacts/stage-k7q2.yaml:3 | bad stage 'vip' (expected one of: lead, prospect, customer, inactive, lost)",
            "contacts/utf-k7q2.yaml:2 | invalid UTF-8",
            "contacts/wrong-id-k7q2.yaml:2 | id 'other-k7q2' does not match the file name",
        });
  // Doctor only reads: the temp file is still there.
  CHECK(stdfs::exists(f.dir / "contacts" / ".crm-tmp-ana-k7q2.yaml-1234"));
}

TEST_CASE("ops: doctor finds repeated ids") {
  Fixture f;
  Session s(f.dir.path());
  // Written after the session opened its index: doctor reads the files itself.
  f.file("contacts/dup-k7q2.yaml", "id: dup-k7q2\nname: First\n");
  f.file("contacts/old/dup-k7q2.yaml", "name: Second\nid: dup-k7q2\n");
  CHECK(lines(crm::ops::doctor(s)) ==
        std::vector<std::string>{"contacts/old/dup-k7q2.yaml:2 | duplicate id 'dup-k7q2' (also in contacts/dup-k7q2.yaml)"});
}

TEST_CASE("ops: doctor finds nothing in a clean workspace") {
  Fixture f;
  Session s(f.dir.path());
  CHECK(crm::ops::doctor(s).empty());
  const auto ana = crm::ops::add_record(s, contact_type(), "Ana",
                                        {crm::ops::parse_assignment("company=Acme"),
                                         crm::ops::parse_assignment("email=ana@example.ro")});
  crm::ops::add_record(s, contact_type(), "Олена", {crm::ops::parse_assignment("tags=vip,b2b")});
  CHECK(crm::ops::doctor(s).empty());
  CHECK(lines(crm::ops::doctor(s)).empty());
  CHECK(crm::ops::find_record(s, contact_type(), ana).contains("company"));
}

TEST_CASE("ops: rebuild_index reads every record file again") {
  Fixture f;
  f.file("companies/acme-x4b9.yaml", "id: acme-x4b9\nname: Acme\n");
  f.file("contacts/a-k7q2.yaml", "id: a-k7q2\nname: Ana\n");
  f.file("contacts/b-k7q2.yaml", "id: b-k7q2\nname: Bea\n");
  Session s(f.dir.path());
  const auto stats = crm::ops::rebuild_index(s);
  CHECK(stats.scanned == 3);
  CHECK(stats.added == 3);
  CHECK(stats.changed == 0);
  CHECK(stats.removed == 0);
  CHECK(crm::ops::list_records(s, contact_type(), {}).size() == 2);
  CHECK(s.index().exists(company_type(), "acme-x4b9"));
}

TEST_CASE("ops: index_status counts records, files and broken files") {
  Fixture f;
  f.file("companies/acme-x4b9.yaml", "id: acme-x4b9\nname: Acme\n");
  f.file("contacts/a-k7q2.yaml", "id: a-k7q2\nname: Ana\n");
  f.file("contacts/b-k7q2.yaml", "id: b-k7q2\nname: Bea\n");
  f.file("contacts/c-k7q2.yaml", "id: c-k7q2\nname: Cai\n");
  f.file("contacts/bad-k7q2.yaml", "id: bad-k7q2\nname: [\n");
  Session s(f.dir.path());
  const auto st = crm::ops::index_status(s);
  CHECK(st.path == (f.dir / ".crm" / "index.sqlite").string());
  REQUIRE(st.counts.size() == 12);
  CHECK(st.counts[11].type == "segments");
  CHECK(st.counts[11].records == 0);
  CHECK(st.counts[0].type == "companies");
  CHECK(st.counts[0].records == 1);
  CHECK(st.counts[1].type == "contacts");
  CHECK(st.counts[1].records == 3);
  CHECK(st.files == 5);
  REQUIRE(st.broken.size() == 1);
  CHECK(st.broken[0].path == "contacts/bad-k7q2.yaml");
  CHECK(st.verify == "stat");
  CHECK(s.index().broken_files().size() == 1);
}

TEST_SUITE_END();
