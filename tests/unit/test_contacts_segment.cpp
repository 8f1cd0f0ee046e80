// ops segments (ops/contacts/segment.cpp): saved filters over contacts, checked before
// they are written, with members worked out when they are used.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "model/record_type.hpp"
#include "ops/contacts/segment.hpp"
#include "ops/records/records.hpp"
#include "ops/records/session.hpp"
#include "test_support.hpp"

using crm::ops::Session;
using crm_test::add_contact;

namespace {

std::vector<std::string> member_ids(Session& s, const std::string& name) {
  std::vector<std::string> out;
  const auto q = crm::ops::segment_query(s, crm::ops::find_segment(s, name));
  for (const auto& c : crm::ops::list_records(s, crm::model::contact_type(), q)) out.push_back(crm::model::id_of(c));
  return out;
}

} // namespace

TEST_CASE("ops: create_segment writes segments/<slug>.yaml and its members follow the contacts") {
  crm_test::PinnedWorkspace f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu", {"tags=vip"});
  add_contact(s, "Ioana Marin");
  CHECK(crm::ops::create_segment(s, "Best Clients", "vip", std::string("the ones who buy most")) == "best-clients");
  CHECK(f.files("segments") == std::vector<std::string>{"segments/best-clients.yaml"});
  CHECK(member_ids(s, "best-clients") == std::vector<std::string>{ana});
  const auto olena = add_contact(s, "Olena Kovalenko", {"tags=vip"});
  const auto list = crm::ops::list_segments(s);
  REQUIRE(list.size() == 1);
  CHECK(list[0].segment["where"] == "vip");
  CHECK(list[0].segment["description"] == "the ones who buy most");
  CHECK(list[0].members == std::size_t{2});
  CHECK(list[0].problem.empty());
  CHECK(member_ids(s, "Best Clients").size() == 2);
  (void)olena;
}

TEST_CASE("ops: create_segment refuses a bad filter or a taken name and writes nothing") {
  crm_test::PinnedWorkspace f;
  Session s(f.dir.path());
  auto bad = crm_test::error_from([&] { crm::ops::create_segment(s, "leads", "stage = zzz", std::nullopt); });
  CHECK(bad.kind() == crm::ErrorKind::invalid_data);
  CHECK(std::string(bad.what()) ==
        "bad filter at column 9: expected one of lead, prospect, customer, inactive, lost for stage, found 'zzz'");
  CHECK(f.files("segments").empty());
  crm::ops::create_segment(s, "vip", "vip", std::nullopt);
  auto taken = crm_test::error_from([&] { crm::ops::create_segment(s, "VIP", "revenue > 10", std::nullopt); });
  CHECK(taken.kind() == crm::ErrorKind::conflict);
  CHECK(std::string(taken.what()) == "segment 'VIP' already exists");
  CHECK(f.files("segments") == std::vector<std::string>{"segments/vip.yaml"});
}

TEST_CASE("ops: a segment whose filter was broken by hand is listed with its problem, not counted") {
  crm_test::PinnedWorkspace f;
  f.file("segments/b.yaml", "id: b\nname: B\nwhere: \"vip and (\"\n");
  Session s(f.dir.path());
  crm::ops::create_segment(s, "good", "has:email", std::nullopt);
  const auto list = crm::ops::list_segments(s);
  REQUIRE(list.size() == 2);
  CHECK(crm::model::id_of(list[0].segment) == "b");
  CHECK_FALSE(list[0].members.has_value());
  CHECK(list[0].problem.rfind("segments/b.yaml: segment 'b': bad filter at column", 0) == 0);
  CHECK(list[1].members == std::size_t{0});
  auto e = crm_test::error_from([&] { member_ids(s, "b"); });
  CHECK(e.kind() == crm::ErrorKind::invalid_data);
}
