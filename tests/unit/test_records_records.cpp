#include <doctest/doctest.h>

#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/record_type.hpp"
#include "ops/records/records.hpp"
#include "ops/records/session.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

using crm::ErrorKind;
using crm::model::company_type;
using crm::model::contact_type;
using crm::model::id_of;
using crm::model::Record;
using crm::ops::Assignment;
using crm::ops::EditResult;
using crm::ops::parse_assignment;
using crm::ops::Session;
using crm_test::EnvVar;
using crm_test::error_from;
using crm_test::read_text;
using crm_test::write_text;
using Json = nlohmann::ordered_json;

namespace stdfs = std::filesystem;

namespace {

constexpr const char* t0 = crm_test::pinned_now; // 2026-11-25T10:00:00+02:00
constexpr const char* t1 = "2026-11-26T11:30:00+02:00";

// A workspace (region RO) with the clock pinned, found through the directory walk.
struct Fixture : crm_test::PinnedWorkspace {
  stdfs::path contact_file(const std::string& id) const { return dir / "contacts" / (id + ".yaml"); }
  stdfs::path company_file(const std::string& id) const { return dir / "companies" / (id + ".yaml"); }
};

std::vector<Assignment> changes(std::initializer_list<const char*> texts) {
  std::vector<Assignment> out;
  for (const char* t : texts) out.push_back(parse_assignment(t));
  return out;
}

Record set(Session& s, const std::string& ref, std::initializer_list<const char*> texts) {
  return crm::ops::set_record(s, contact_type(), ref, changes(texts));
}

std::size_t count(Session& s, const crm::model::RecordType& t) {
  return crm::ops::list_records(s, t, {}).size();
}

const std::regex contact_id(R"(ana-popescu-[a-km-np-z2-9]{4})");

} // namespace

TEST_SUITE_BEGIN("ops");

// ------------------------------------------------------------------ parse_assignment

TEST_CASE("ops: parse_assignment reads =, += and -=") {
  auto a = parse_assignment("city=Cluj-Napoca");
  CHECK(a.key == "city");
  CHECK(a.op == '=');
  CHECK(a.value == "Cluj-Napoca");
  a = parse_assignment("tags+=vip");
  CHECK(a.key == "tags");
  CHECK(a.op == '+');
  CHECK(a.value == "vip");
  a = parse_assignment("tags-=vip,b2b");
  CHECK(a.key == "tags");
  CHECK(a.op == '-');
  CHECK(a.value == "vip,b2b");
  a = parse_assignment("title=");
  CHECK(a.key == "title");
  CHECK(a.op == '=');
  CHECK(a.value == "");
  a = parse_assignment("custom.formula=a=b+c");
  CHECK(a.key == "custom.formula");
  CHECK(a.value == "a=b+c"); // only the first '=' splits
  a = parse_assignment(" notes =  two spaces");
  CHECK(a.key == "notes");
  CHECK(a.value == "  two spaces");
}

TEST_CASE("ops: parse_assignment rejects text without a key or an '='") {
  for (const char* bad : {"city", "", "=Cluj", "+=vip", "-=vip", " =x"}) {
    CAPTURE(bad);
    const auto e = error_from([&] { parse_assignment(bad); });
    CHECK(e.kind() == ErrorKind::usage);
    CHECK(std::string(e.what()) == "expected KEY=VALUE, got '" + std::string(bad) + "'");
  }
}

// ------------------------------------------------------------------ add

TEST_CASE("ops: add_record writes the file and the index finds it") {
  Fixture f;
  Session s(f.dir.path());
  const std::string id = crm::ops::add_record(
      s, contact_type(), "  Ana Popescu ",
      changes({"email=work:ana@example.ro", "phone=0722 123 456", "tag=vip", "city=Cluj-Napoca",
               "country=ro", "stage=Lead"}));
  CHECK(std::regex_match(id, contact_id));
  REQUIRE(stdfs::exists(f.contact_file(id)));
  CHECK(read_text(f.contact_file(id)) == "id: " + id + "\n"
                                         "name: Ana Popescu\n"
                                         "emails:\n"
                                         "  - address: ana@example.ro\n"
                                         "    label: work\n"
                                         "phones:\n"
                                         "  - number: 0722 123 456\n"
                                         "    e164: \"+40722123456\"\n"
                                         "city: Cluj-Napoca\n"
                                         "country: RO\n"
                                         "stage: lead\n"
                                         "tags:\n"
                                         "  - vip\n"
                                         "created: 2026-11-25T10:00:00+02:00\n"
                                         "updated: 2026-11-25T10:00:00+02:00\n");
  CHECK(s.index().exists(contact_type(), id));
  CHECK(id_of(crm::ops::find_record(s, contact_type(), "ANA@example.ro")) == id);
  CHECK(id_of(crm::ops::find_record(s, contact_type(), "+40 722 123 456")) == id);
  CHECK(id_of(crm::ops::find_record(s, contact_type(), "ana popescu")) == id);
  // A new session (the next command) sees it too.
  Session next(f.dir.path());
  CHECK(next.index().exists(contact_type(), id));
  CHECK(next.index().broken_files().empty());
}

TEST_CASE("ops: add_record ids differ for the same name and slug any script") {
  Fixture f;
  Session s(f.dir.path());
  const auto a = crm::ops::add_record(s, contact_type(), "Ana Popescu", {});
  const auto b = crm::ops::add_record(s, contact_type(), "Ana Popescu", {});
  CHECK(a != b);
  CHECK(std::regex_match(a, contact_id));
  CHECK(std::regex_match(b, contact_id));
  const auto c = crm::ops::add_record(s, contact_type(), "Олена Шевченко", {});
  CHECK(c.starts_with("олена-шевченко-"));
  CHECK(stdfs::exists(f.contact_file(c)));
}

TEST_CASE("ops: add_record needs a name and valid values, and writes nothing otherwise") {
  Fixture f;
  Session s(f.dir.path());
  CHECK(error_from([&] { crm::ops::add_record(s, contact_type(), "   ", {}); }).kind() == ErrorKind::invalid_data);
  CHECK(error_from([&] { crm::ops::add_record(s, contact_type(), "Ana", changes({"email=not-an-email"})); }).kind() ==
        ErrorKind::invalid_data);
  CHECK(error_from([&] { crm::ops::add_record(s, contact_type(), "Ana", changes({"phone=12"})); }).kind() ==
        ErrorKind::invalid_data);
  CHECK(error_from([&] { crm::ops::add_record(s, contact_type(), "Ana", changes({"stage=vip"})); }).kind() ==
        ErrorKind::invalid_data);
  CHECK(error_from([&] { crm::ops::add_record(s, contact_type(), "Ana", changes({"birthday=1991-02-29"})); }).kind() ==
        ErrorKind::invalid_data);
  CHECK(crm_test::dir_names(f.dir / "contacts") == std::vector<std::string>{".keep"});
  CHECK(count(s, contact_type()) == 0);
}

TEST_CASE("ops: singular aliases email, phone, tag, group and note") {
  Fixture f;
  Session s(f.dir.path());
  const auto id = crm::ops::add_record(
      s, contact_type(), "Ana",
      changes({"email=ana@example.ro", "email+=home:ana@gmail.com", "phone=+40 722 123 456", "tag=vip",
               "tag+=b2b", "group=board", "note=first line\nsecond line"}));
  const auto r = crm::ops::find_record(s, contact_type(), id);
  CHECK(r["emails"] == Json::parse(R"([{"address": "ana@example.ro"}, {"address": "ana@gmail.com", "label": "home"}])"));
  CHECK(r["phones"] == Json::parse(R"([{"number": "+40 722 123 456", "e164": "+40722123456"}])"));
  CHECK(r["tags"] == Json::array({"vip", "b2b"}));
  CHECK(r["groups"] == Json::array({"board"}));
  CHECK(r["notes"] == "first line\nsecond line\n");
}

TEST_CASE("ops: company=Name creates the company once and reuses it") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = crm::ops::add_record(s, contact_type(), "Ana", changes({"company=Acme SRL"}));
  CHECK(count(s, company_type()) == 1);
  const auto company_id = crm::ops::find_record(s, contact_type(), ana)["company"].get<std::string>();
  CHECK(company_id.starts_with("acme-srl-"));
  CHECK(crm::ops::find_record(s, company_type(), company_id)["name"] == "Acme SRL");
  CHECK(stdfs::exists(f.company_file(company_id)));

  // By folded name, by id: the same company.
  const auto bea = crm::ops::add_record(s, contact_type(), "Bea", changes({"company=ACME srl"}));
  const auto cai = crm::ops::add_record(s, contact_type(), "Cai", changes({("company=" + company_id).c_str()}));
  CHECK(count(s, company_type()) == 1);
  CHECK(crm::ops::find_record(s, contact_type(), bea)["company"] == company_id);
  CHECK(crm::ops::find_record(s, contact_type(), cai)["company"] == company_id);

  const auto shown = crm::ops::show_record(s, contact_type(), bea);
  CHECK(shown.ref_names == std::map<std::string, std::string>{{company_id, "Acme SRL"}});
}

TEST_CASE("ops: a rejected record leaves no new company behind") {
  Fixture f;
  Session s(f.dir.path());
  CHECK(error_from([&] { crm::ops::add_record(s, contact_type(), "Ana", changes({"company=NewCo", "stage=vip"})); })
            .kind() == ErrorKind::invalid_data);
  CHECK(count(s, company_type()) == 0);
  CHECK(crm_test::dir_names(f.dir / "companies") == std::vector<std::string>{".keep"});
  // A company named and then changed again in the same command is not created.
  const auto id = crm::ops::add_record(s, contact_type(), "Ana", changes({"company=NewCo", "company="}));
  CHECK(count(s, company_type()) == 0);
  CHECK_FALSE(crm::ops::find_record(s, contact_type(), id).contains("company"));
}

TEST_CASE("ops: a bad value is quoted as the user wrote it") {
  Fixture f;
  Session s(f.dir.path());
  const auto id = crm::ops::add_record(s, contact_type(), "Ana", {});
  const auto e = error_from([&] { set(s, id, {"country=Romanica"}); });
  CHECK(e.kind() == ErrorKind::invalid_data);
  CHECK(std::string(e.what()) == "unknown country 'Romanica'");
  CHECK(set(s, id, {"country=Romania"})["country"] == "RO"); // a country's name is its code
  CHECK(std::string(error_from([&] { set(s, id, {"stage=VIP"}); }).what()) ==
        "bad stage 'VIP' (expected one of: lead, prospect, customer, inactive, lost)");
  CHECK(set(s, id, {"country=gb"})["country"] == "GB");
}

// ------------------------------------------------------------------ set

TEST_CASE("ops: set_record adds to, removes from and replaces lists") {
  Fixture f;
  Session s(f.dir.path());
  const auto id = crm::ops::add_record(s, contact_type(), "Ana", changes({"tags=vip"}));
  EnvVar later("CRM_NOW", std::string(t1));
  auto r = set(s, id, {"tags+=b2b,Newsletter"});
  CHECK(r["tags"] == Json::array({"vip", "b2b", "Newsletter"}));
  r = set(s, id, {"tags+=VIP"}); // already there, compared case-insensitively
  CHECK(r["tags"] == Json::array({"vip", "b2b", "Newsletter"}));
  r = set(s, id, {"tags-=newsletter"});
  CHECK(r["tags"] == Json::array({"vip", "b2b"}));
  r = set(s, id, {"tags=x,y"});
  CHECK(r["tags"] == Json::array({"x", "y"}));
  r = set(s, id, {"tags-=x", "tags-=y"});
  CHECK_FALSE(r.contains("tags"));
  CHECK(read_text(f.contact_file(id)).find("tags") == std::string::npos);

  const auto e = error_from([&] { set(s, id, {"tags-=absent"}); });
  CHECK(e.kind() == ErrorKind::not_found);
  CHECK(std::string(e.what()) == "'absent' is not in tags");
}

TEST_CASE("ops: set_record on emails and phones compares by address key and e164") {
  Fixture f;
  Session s(f.dir.path());
  const auto id = crm::ops::add_record(s, contact_type(), "Ana",
                                       changes({"email=ana@example.ro", "phone=0722 123 456"}));
  auto r = set(s, id, {"email+=ANA@EXAMPLE.RO", "phone+=+40722123456"});
  CHECK(r["emails"].size() == 1);
  CHECK(r["phones"].size() == 1);
  r = set(s, id, {"emails-=Ana@Example.ro", "phones-=+40 722 123 456"});
  CHECK_FALSE(r.contains("emails"));
  CHECK_FALSE(r.contains("phones"));
}

TEST_CASE("ops: set_record unsets, sets map entries and custom fields") {
  Fixture f;
  Session s(f.dir.path());
  const auto id = crm::ops::add_record(s, contact_type(), "Ana", changes({"title=CTO", "city=Cluj"}));
  auto r = set(s, id, {"title=", "social.x=@ana", "social.linkedin=ana-p", "shoe_size=38"});
  CHECK_FALSE(r.contains("title"));
  CHECK(r["social"] == Json::parse(R"({"x": "@ana", "linkedin": "ana-p"})"));
  CHECK(r["custom"] == Json::parse(R"({"shoe_size": "38"})"));
  r = set(s, id, {"social.x=", "custom.shoe_size=39"});
  CHECK(r["social"] == Json::parse(R"({"linkedin": "ana-p"})"));
  CHECK(r["custom"] == Json::parse(R"({"shoe_size": "39"})"));
  r = set(s, id, {"social.linkedin=", "custom="});
  CHECK_FALSE(r.contains("social"));
  CHECK_FALSE(r.contains("custom"));
  CHECK(read_text(f.contact_file(id)) == "id: " + id + "\nname: Ana\ncity: Cluj\n"
                                         "created: 2026-11-25T10:00:00+02:00\nupdated: 2026-11-25T10:00:00+02:00\n");
}

TEST_CASE("ops: set_record stamps updated and keeps created") {
  Fixture f;
  Session s(f.dir.path());
  const auto id = crm::ops::add_record(s, contact_type(), "Ana", {});
  EnvVar later("CRM_NOW", std::string(t1));
  const auto r = set(s, id, {"city=Iași"});
  CHECK(r["created"] == t0);
  CHECK(r["updated"] == t1);
  CHECK(read_text(f.contact_file(id)) == "id: " + id + "\nname: Ana\ncity: Iași\n"
                                         "created: 2026-11-25T10:00:00+02:00\nupdated: 2026-11-26T11:30:00+02:00\n");
  CHECK(crm::ops::find_record(s, contact_type(), id)["city"] == "Iași");
}

TEST_CASE("ops: set_record keeps keys added by hand and writes NFC") {
  Fixture f;
  write_text(f.contact_file("ana-k7q2"), "id: ana-k7q2\nname: Ana\nfavourite: by hand\ncity: Cluj\n");
  Session s(f.dir.path());
  set(s, "ana-k7q2", {"title=S\xCC\xA6" "ef"}); // "Șef" typed with a combining comma
  CHECK(read_text(f.contact_file("ana-k7q2")) == "id: ana-k7q2\nname: Ana\ntitle: Șef\ncity: Cluj\n"
                                                 "updated: 2026-11-25T10:00:00+02:00\nfavourite: by hand\n");
  const auto id = crm::ops::add_record(s, contact_type(), "S\xCC\xA6tefan", {});
  CHECK(id.starts_with("stefan-"));
  CHECK(crm::ops::find_record(s, contact_type(), id)["name"] == "Ștefan");
}

TEST_CASE("ops: set_record treats a near-miss of a field name as a typo") {
  Fixture f;
  Session s(f.dir.path());
  const auto id = crm::ops::add_record(s, contact_type(), "Ana", {});
  const auto before = read_text(f.contact_file(id));
  const auto e = error_from([&] { set(s, id, {"emial=ana@example.ro"}); });
  CHECK(e.kind() == ErrorKind::usage);
  CHECK(std::string(e.what()) == "unknown field 'emial'");
  REQUIRE_FALSE(e.hints().empty());
  CHECK(e.hints()[0] == "did you mean 'email'?");
  CHECK(read_text(f.contact_file(id)) == before);
  // Written as custom.KEY it is kept on purpose.
  CHECK(set(s, id, {"custom.emial=x"})["custom"] == Json::parse(R"({"emial": "x"})"));
}

TEST_CASE("ops: set_record refuses fields crm maintains and unknown sub-fields") {
  Fixture f;
  Session s(f.dir.path());
  const auto id = crm::ops::add_record(s, contact_type(), "Ana", {});
  for (const char* text : {"id=other", "created=2020-01-01T00:00:00+00:00", "updated=2020-01-01T00:00:00+00:00"}) {
    CAPTURE(text);
    CHECK(error_from([&] { set(s, id, {text}); }).kind() == ErrorKind::usage);
  }
  CHECK(std::string(error_from([&] { set(s, id, {"id=other"}); }).what()) == "'id' cannot be changed");
  CHECK(error_from([&] { set(s, id, {"city.x=1"}); }).kind() == ErrorKind::usage);
  CHECK(error_from([&] { set(s, id, {"city+=Cluj"}); }).kind() == ErrorKind::usage);
  CHECK(error_from([&] { set(s, id, {"name="}); }).kind() == ErrorKind::invalid_data);
  CHECK(crm::ops::find_record(s, contact_type(), id)["name"] == "Ana");
}

TEST_CASE("ops: set_record with no effective change writes nothing") {
  Fixture f;
  Session s(f.dir.path());
  const auto id = crm::ops::add_record(s, contact_type(), "Ana", changes({"tags=vip", "city=Cluj"}));
  const auto path = f.contact_file(id);
  const auto before = read_text(path);
  const auto mtime = crm_test::mtime_ns(path);
  const auto inode = crm_test::stat_of(path).st_ino;
  EnvVar later("CRM_NOW", std::string(t1)); // a write would change 'updated'
  const auto r = set(s, id, {"tags+=vip", "city=Cluj", "title="});
  CHECK(r["updated"] == t0);
  CHECK(read_text(path) == before);
  CHECK(crm_test::mtime_ns(path) == mtime);
  CHECK(crm_test::stat_of(path).st_ino == inode); // not even replaced by an identical file
}

// ------------------------------------------------------------------ remove

TEST_CASE("ops: remove_record asks first and removes only on yes") {
  Fixture f;
  Session s(f.dir.path());
  const auto id = crm::ops::add_record(s, contact_type(), "Ana", {});
  std::string asked_about;
  CHECK_FALSE(crm::ops::remove_record(s, contact_type(), "ana", [&](const Record& r) {
    asked_about = id_of(r);
    return false;
  }));
  CHECK(asked_about == id);
  CHECK(stdfs::exists(f.contact_file(id)));
  CHECK(s.index().exists(contact_type(), id));

  CHECK(crm::ops::remove_record(s, contact_type(), id, [](const Record&) { return true; }));
  CHECK_FALSE(stdfs::exists(f.contact_file(id)));
  CHECK_FALSE(s.index().exists(contact_type(), id));
  CHECK(error_from([&] { crm::ops::find_record(s, contact_type(), id); }).kind() == ErrorKind::not_found);
}

TEST_CASE("ops: a referenced company cannot be removed") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = crm::ops::add_record(s, contact_type(), "Ana", changes({"company=Acme"}));
  const auto acme = crm::ops::find_record(s, contact_type(), ana)["company"].get<std::string>();
  bool asked = false;
  const auto e = error_from([&] {
    crm::ops::remove_record(s, company_type(), acme, [&](const Record&) { return asked = true; });
  });
  CHECK(e.kind() == ErrorKind::conflict);
  CHECK(std::string(e.what()) == "company '" + acme + "' is still referenced by 1 contact");
  CHECK_FALSE(asked);
  CHECK(stdfs::exists(f.company_file(acme)));
  const auto bea = crm::ops::add_record(s, contact_type(), "Bea", changes({"company=Acme"}));
  CHECK(std::string(error_from([&] {
          crm::ops::remove_record(s, company_type(), acme, [](const Record&) { return true; });
        }).what()) == "company '" + acme + "' is still referenced by 2 contacts");

  set(s, ana, {"company="});
  set(s, bea, {"company="});
  CHECK(crm::ops::remove_record(s, company_type(), acme, [](const Record&) { return true; }));
  CHECK_FALSE(stdfs::exists(f.company_file(acme)));
}

// ------------------------------------------------------------------ find

TEST_CASE("ops: find_record reports not_found with a hint") {
  Fixture f;
  Session s(f.dir.path());
  const auto e = error_from([&] { crm::ops::find_record(s, contact_type(), "nobody"); });
  CHECK(e.kind() == ErrorKind::not_found);
  CHECK(std::string(e.what()) == "no contact matches 'nobody'");
  CHECK(e.hints().size() == 1);
}

TEST_CASE("ops: find_record rejects an empty REF as a usage error") {
  Fixture f;
  Session s(f.dir.path());
  crm::ops::add_record(s, contact_type(), "Ana", {});
  for (const char* ref : {"", "   "}) {
    CAPTURE(ref);
    const auto e = error_from([&] { crm::ops::find_record(s, contact_type(), ref); });
    CHECK(e.kind() == ErrorKind::usage);
    CHECK(std::string(e.what()) == "empty contact reference");
  }
}

TEST_CASE("ops: find_record on an ambiguous REF lists the candidates") {
  Fixture f;
  Session s(f.dir.path());
  const auto a = crm::ops::add_record(s, contact_type(), "Ana Popescu", {});
  const auto b = crm::ops::add_record(s, contact_type(), "Ana Popescu", {});
  const auto e = error_from([&] { crm::ops::find_record(s, contact_type(), "Ana Popescu"); });
  CHECK(e.kind() == ErrorKind::ambiguous);
  CHECK(crm::exit_code_for(e.kind()) == 4);
  CHECK(std::string(e.what()) == "'Ana Popescu' matches 2 contacts");
  const auto [first, second] = a < b ? std::pair{a, b} : std::pair{b, a};
  CHECK(e.hints() == std::vector<std::string>{"the candidates are:", "  " + first + "  Ana Popescu",
                                              "  " + second + "  Ana Popescu"});
  // Ambiguity also stops a write.
  CHECK(error_from([&] { set(s, "Ana Popescu", {"city=Cluj"}); }).kind() == ErrorKind::ambiguous);
}

TEST_CASE("ops: list_records rejects an unknown sort field") {
  Fixture f;
  Session s(f.dir.path());
  crm::index::ListQuery q;
  q.sort = "nmae";
  const auto e = error_from([&] { crm::ops::list_records(s, contact_type(), q); });
  CHECK(e.kind() == ErrorKind::usage);
  CHECK(e.hints() == std::vector<std::string>{"did you mean 'name'?"});
  q.sort = "-city";
  CHECK_NOTHROW(crm::ops::list_records(s, contact_type(), q));
}

TEST_CASE("ops: list_records sorts by a key added by hand") {
  Fixture f;
  write_text(f.contact_file("a-k7q2"), "id: a-k7q2\nname: Ana\nrank: b\n");
  write_text(f.contact_file("b-k7q2"), "id: b-k7q2\nname: Bea\nrank: a\n");
  write_text(f.contact_file("c-k7q2"), "id: c-k7q2\nname: Cai\n");
  Session s(f.dir.path());
  crm::index::ListQuery q;
  q.sort = "rank";
  std::vector<std::string> ids;
  for (const auto& r : crm::ops::list_records(s, contact_type(), q)) ids.push_back(id_of(r));
  CHECK(ids == std::vector<std::string>{"b-k7q2", "a-k7q2", "c-k7q2"});
  q.sort = "bad key";
  CHECK(error_from([&] { crm::ops::list_records(s, contact_type(), q); }).kind() == ErrorKind::usage);
}

TEST_CASE("ops: the streaming list forms check the query and stream in order") {
  Fixture f;
  write_text(f.contact_file("a-k7q2"), "id: a-k7q2\nname: Ana\nstage: lead\ncity: Cluj\n");
  write_text(f.contact_file("b-k7q2"), "id: b-k7q2\nname: Bea\nstage: customer\n");
  write_text(f.contact_file("c-k7q2"), "id: c-k7q2\nname: Cai\nstage: lead\n");
  Session s(f.dir.path());
  crm::index::ListQuery q;
  q.stage = "lead";
  q.sort = "-name";
  std::vector<std::string> texts;
  crm::ops::list_records_json(s, contact_type(), q, [&](std::string_view json) { texts.emplace_back(json); });
  CHECK(texts == std::vector<std::string>{R"({"id":"c-k7q2","name":"Cai","stage":"lead"})",
                                          R"({"id":"a-k7q2","name":"Ana","stage":"lead","city":"Cluj"})"});
  std::vector<std::string> rows;
  crm::ops::list_records_projected(s, contact_type(), q, {"id", "city"},
                                   [&](Record&& r) { rows.push_back(r.dump()); });
  CHECK(rows == std::vector<std::string>{R"({"id":"c-k7q2"})", R"({"id":"a-k7q2","city":"Cluj"})"});

  q.sort = "nmae";
  bool called = false;
  CHECK(error_from([&] {
          crm::ops::list_records_json(s, contact_type(), q, [&](std::string_view) { called = true; });
        }).kind() == ErrorKind::usage);
  q.sort = "name";
  q.stage = "vip";
  CHECK(error_from([&] {
          crm::ops::list_records_projected(s, contact_type(), q, {"id"}, [&](Record&&) { called = true; });
        }).kind() == ErrorKind::usage);
  CHECK_FALSE(called);
}

TEST_CASE("ops: list_columns takes the defaults, fields, sub-fields and hand-added keys") {
  using crm::ops::list_columns;
  using V = std::vector<std::string>;
  CHECK(list_columns(contact_type(), "") == V{"id", "name", "emails", "phones", "company", "stage", "tags"});
  CHECK(list_columns(company_type(), " ") == V{"id", "name", "emails", "phones", "city", "country", "tags"});
  CHECK(list_columns(contact_type(), "name, city") == V{"name", "city"});
  CHECK(list_columns(contact_type(), "name,custom.shoe_size,social.x") == V{"name", "custom.shoe_size", "social.x"});
  CHECK(list_columns(contact_type(), "id,rank") == V{"id", "rank"});
  const auto typo = error_from([] { list_columns(contact_type(), "id,nmae"); });
  CHECK(typo.kind() == ErrorKind::usage);
  CHECK(std::string(typo.what()) == "unknown field 'nmae'");
  CHECK(typo.hints() == V{"did you mean 'name'?"});
  const auto bad = error_from([] { list_columns(contact_type(), "my key"); });
  CHECK(bad.kind() == ErrorKind::usage);
  CHECK(std::string(bad.what()) == "bad field name 'my key'");
}

// ------------------------------------------------------------------ edit

namespace {

// Replaces `from` with `to` in the file at `path`.
void replace_in(const std::string& path, const std::string& from, const std::string& to) {
  std::string text = read_text(path);
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
  write_text(path, text);
}

} // namespace

TEST_CASE("ops: edit_record saves what the editor wrote") {
  Fixture f;
  Session s(f.dir.path());
  const auto id = crm::ops::add_record(s, contact_type(), "Ana", changes({"city=Cluj"}));
  EnvVar later("CRM_NOW", std::string(t1));
  std::string edited_path;
  crm::ops::EditorHooks hooks;
  hooks.run_editor = [&](const std::string& path) {
    edited_path = path;
    replace_in(path, "city: Cluj\n", "city: Iași\nfavourite: by hand\n");
    return 0;
  };
  hooks.ask_reopen = [](const std::string&) {
    FAIL("not expected");
    return false;
  };
  CHECK(crm::ops::edit_record(s, contact_type(), id, hooks) == EditResult::saved);
  CHECK(read_text(f.contact_file(id)) == "id: " + id + "\nname: Ana\ncity: Iași\n"
                                         "created: 2026-11-25T10:00:00+02:00\nupdated: 2026-11-26T11:30:00+02:00\n"
                                         "favourite: by hand\n");
  CHECK(crm::ops::find_record(s, contact_type(), id)["city"] == "Iași");
  // The draft lives outside the record folders and is gone afterwards.
  CHECK(edited_path.find("/.crm/") != std::string::npos);
  CHECK_FALSE(stdfs::exists(edited_path));
}

TEST_CASE("ops: edit_record with no change reports unchanged and writes nothing") {
  Fixture f;
  Session s(f.dir.path());
  const auto id = crm::ops::add_record(s, contact_type(), "Ana", {});
  const auto before = read_text(f.contact_file(id));
  const auto mtime = crm_test::mtime_ns(f.contact_file(id));
  EnvVar later("CRM_NOW", std::string(t1));
  crm::ops::EditorHooks hooks;
  hooks.run_editor = [](const std::string&) { return 0; };
  hooks.ask_reopen = [](const std::string&) { return false; };
  CHECK(crm::ops::edit_record(s, contact_type(), id, hooks) == EditResult::unchanged);
  CHECK(read_text(f.contact_file(id)) == before);
  CHECK(crm_test::mtime_ns(f.contact_file(id)) == mtime);
}

TEST_CASE("ops: edit_record gives up on broken YAML when the person says so") {
  Fixture f;
  Session s(f.dir.path());
  const auto id = crm::ops::add_record(s, contact_type(), "Ana", {});
  const auto before = read_text(f.contact_file(id));
  std::vector<std::string> problems;
  std::string draft;
  crm::ops::EditorHooks hooks;
  hooks.run_editor = [&](const std::string& path) {
    draft = path;
    write_text(path, "id: " + id + "\nname: [Ana\n");
    return 0;
  };
  hooks.ask_reopen = [&](const std::string& problem) {
    problems.push_back(problem);
    return false;
  };
  const auto e = error_from([&] { crm::ops::edit_record(s, contact_type(), id, hooks); });
  CHECK(e.kind() == ErrorKind::invalid_data);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0] == "contacts/" + id + ".yaml:3: end of sequence flow not found");
  CHECK(std::string(e.what()) == problems[0]);
  CHECK(e.hints() == std::vector<std::string>{"nothing was changed"});
  CHECK(read_text(f.contact_file(id)) == before);
  CHECK_FALSE(stdfs::exists(draft));
}

TEST_CASE("ops: edit_record reopens until the file is good") {
  Fixture f;
  Session s(f.dir.path());
  const auto id = crm::ops::add_record(s, contact_type(), "Ana", {});
  int runs = 0;
  std::vector<std::string> problems;
  crm::ops::EditorHooks hooks;
  hooks.run_editor = [&](const std::string& path) {
    ++runs;
    if (runs == 1) replace_in(path, "name: Ana\n", "name: Ana\nemails:\n  - address: not-an-email\n");
    else replace_in(path, "not-an-email", "ana@example.ro");
    return 0;
  };
  hooks.ask_reopen = [&](const std::string& problem) {
    problems.push_back(problem);
    return true;
  };
  CHECK(crm::ops::edit_record(s, contact_type(), id, hooks) == EditResult::saved);
  CHECK(runs == 2);
  CHECK(problems == std::vector<std::string>{"contacts/" + id + ".yaml:4: bad email 'not-an-email'"});
  CHECK(id_of(crm::ops::find_record(s, contact_type(), "ana@example.ro")) == id);
}

TEST_CASE("ops: edit_record does not let the id change") {
  Fixture f;
  Session s(f.dir.path());
  const auto id = crm::ops::add_record(s, contact_type(), "Ana", {});
  const auto before = read_text(f.contact_file(id));
  std::vector<std::string> problems;
  crm::ops::EditorHooks hooks;
  hooks.run_editor = [&](const std::string& path) {
    replace_in(path, "id: " + id, "id: someone-else");
    return 0;
  };
  hooks.ask_reopen = [&](const std::string& problem) {
    problems.push_back(problem);
    return false;
  };
  CHECK(error_from([&] { crm::ops::edit_record(s, contact_type(), id, hooks); }).kind() == ErrorKind::invalid_data);
  CHECK(problems == std::vector<std::string>{"contacts/" + id + ".yaml: the id cannot change (it was '" + id + "')"});
  CHECK(read_text(f.contact_file(id)) == before);
  CHECK_FALSE(stdfs::exists(f.contact_file("someone-else")));
}

TEST_CASE("ops: edit_record stops when the editor fails") {
  Fixture f;
  Session s(f.dir.path());
  const auto id = crm::ops::add_record(s, contact_type(), "Ana", {});
  const auto before = read_text(f.contact_file(id));
  crm::ops::EditorHooks hooks;
  hooks.run_editor = [&](const std::string& path) {
    write_text(path, "id: " + id + "\nname: Changed\n");
    return 1;
  };
  hooks.ask_reopen = [](const std::string&) { return true; };
  const auto e = error_from([&] { crm::ops::edit_record(s, contact_type(), id, hooks); });
  CHECK(e.kind() == ErrorKind::io);
  CHECK(read_text(f.contact_file(id)) == before);
}

TEST_CASE("ops: records: an email or phone another contact has is a warning naming it, the change stands") {
  Fixture f;
  Session s(f.dir.path());
  const auto mara = crm_test::add_contact(s, "Mara Dobre", {"email=Mara@Example.ro", "phone=0721 234 567"});
  CHECK(s.take_warnings().empty());
  const auto other = crm_test::add_contact(s, "Mara D.", {"email=mara@example.ro"});
  CHECK(s.take_warnings() == std::vector<std::string>{"email 'mara@example.ro' is also Mara Dobre's (" + mara + ")"});
  CHECK(s.take_warnings().empty()); // taken once
  crm::ops::set_record(s, contact_type(), other, {parse_assignment("phone+=+40 721 234 567")});
  CHECK(s.take_warnings() == std::vector<std::string>{"phone '+40 721 234 567' is also Mara Dobre's (" + mara + ")"});
  // What the contact had already warns of nothing again; nor do its own points.
  crm::ops::set_record(s, contact_type(), other, {parse_assignment("title=Buyer")});
  crm::ops::set_record(s, contact_type(), mara, {parse_assignment("title=Owner")});
  CHECK(s.take_warnings().empty());
  // Both contacts are kept with the address.
  CHECK(s.index().ids_with_email(contact_type(), "mara@example.ro").size() == 2);
  // A company's email is no contact's duplicate.
  crm::ops::add_record(s, company_type(), "Dobre SRL", {parse_assignment("email=office@dobre.ro")});
  crm_test::add_contact(s, "Office", {"email=office@dobre.ro"});
  CHECK(s.take_warnings().empty());
}

TEST_SUITE_END();
