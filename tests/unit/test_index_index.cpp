#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include "index/file_state.hpp"
#include "index/index.hpp"
#include "index/index_impl.hpp"
#include "model/record_type.hpp"
#include "store/record_file.hpp"
#include "store/workspace.hpp"
#include "test_support.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"

using crm::index::Index;
using crm::index::ListQuery;
using crm::model::company_type;
using crm::model::contact_type;
using crm::model::id_of;
using crm::model::Record;
using crm::model::RecordType;
using crm_test::ids;
using crm_test::sorted_by;
using crm_test::write_text;
using Json = nlohmann::ordered_json;

namespace stdfs = std::filesystem;

namespace {

// A workspace in a temp dir, with RO as the phone region.
struct TestWorkspace : crm_test::PinnedWorkspace {
  crm::store::Workspace ws{dir.path()};

  stdfs::path path_of(const RecordType& t, const std::string& id) const {
    return ws.absolute(ws.record_relpath(t, id));
  }

  // Writes a record file the way crm does.
  void put(const RecordType& t, const Record& r) const {
    crm::fs::write_file_atomic(path_of(t, id_of(r)), crm::store::render_record(t, r));
  }

  void contact(const std::string& id, const std::string& name, Json extra = Json::object()) const {
    Record r = {{"id", id}, {"name", name}};
    for (const auto& [k, v] : extra.items()) r[k] = v;
    put(contact_type(), r);
  }
};

std::vector<std::string> names(const std::vector<Record>& records) {
  std::vector<std::string> out;
  for (const auto& r : records) out.push_back(r["name"].get<std::string>());
  return out;
}

std::string candidates(const std::vector<crm::index::Candidate>& cs) {
  std::string out;
  for (const auto& c : cs) out += c.id + "|" + c.name + "|" + c.matched_by + ";";
  return out;
}

} // namespace

TEST_SUITE_BEGIN("index");

// ------------------------------------------------------------------ refresh

TEST_CASE("index: refresh counts added, changed and removed files exactly") {
  TestWorkspace t;
  t.contact("ana-k7q2", "Ana");
  t.contact("bogdan-k7q2", "Bogdan");
  t.put(company_type(), {{"id", "acme-x4b9"}, {"name", "Acme"}});
  Index index(t.ws);

  auto s = index.refresh();
  CHECK(s.scanned == 3);
  CHECK(s.added == 3);
  CHECK(s.changed == 0);
  CHECK(s.removed == 0);

  s = index.refresh();
  CHECK(s.scanned == 3);
  CHECK(s.added == 0);
  CHECK(s.changed == 0);
  CHECK(s.removed == 0);

  t.contact("ana-k7q2", "Ana Popescu");
  stdfs::remove(t.path_of(contact_type(), "bogdan-k7q2"));
  t.contact("chloe-k7q2", "Chloé");
  t.contact("dara-k7q2", "Dara");
  s = index.refresh();
  CHECK(s.scanned == 4);
  CHECK(s.added == 2);
  CHECK(s.changed == 1);
  CHECK(s.removed == 1);

  CHECK(index.get(contact_type(), "ana-k7q2").value()["name"] == "Ana Popescu");
  CHECK_FALSE(index.exists(contact_type(), "bogdan-k7q2"));
  CHECK(index.exists(contact_type(), "chloe-k7q2"));
  CHECK(index.exists(company_type(), "acme-x4b9"));
  CHECK_FALSE(index.exists(contact_type(), "acme-x4b9")); // types do not mix
}

TEST_CASE("index: a new Index on the same workspace reads nothing again") {
  TestWorkspace t;
  t.contact("ana-k7q2", "Ana");
  { Index first(t.ws); first.refresh(); }
  Index second(t.ws);
  const auto s = second.refresh();
  CHECK(s.scanned == 1);
  CHECK(s.added == 0);
  CHECK(s.changed == 0);
  CHECK(second.exists(contact_type(), "ana-k7q2"));
}

TEST_CASE("index: refresh skips dot files and non-yaml files, and lists temp files") {
  TestWorkspace t;
  t.contact("ana-k7q2", "Ana");
  write_text(t.ws.root() / "contacts" / "README.txt", "not a record");
  write_text(t.ws.root() / "contacts" / ".hidden.yaml", "id: hidden\nname: H\n");
  write_text(t.ws.root() / "contacts" / ".crm-tmp-ana-k7q2.yaml-0123", "partial");
  Index index(t.ws);
  const auto s = index.refresh();
  CHECK(s.scanned == 1);
  CHECK(index.temp_files() == std::vector<std::string>{"contacts/.crm-tmp-ana-k7q2.yaml-0123"});
  CHECK(index.broken_files().empty());
}

// ------------------------------------------------------------------ list

TEST_CASE("index: list sorts by name, accent- and case-insensitively") {
  TestWorkspace t;
  t.contact("z-k7q2", "Zoe Marsh");
  t.contact("s1-k7q2", "Ștefan Niță");
  t.contact("a-k7q2", "ana popescu");
  t.contact("s2-k7q2", "Sam Ode");
  t.contact("e-k7q2", "Émile Zola");
  Index index(t.ws);
  index.refresh();
  CHECK(names(index.list(contact_type(), {})) ==
        std::vector<std::string>{"ana popescu", "Émile Zola", "Sam Ode", "Ștefan Niță", "Zoe Marsh"});
  CHECK(names(index.list(contact_type(), sorted_by("-name"))) ==
        std::vector<std::string>{"Zoe Marsh", "Ștefan Niță", "Sam Ode", "Émile Zola", "ana popescu"});
}

TEST_CASE("index: list sorts by id, by another field, descending, and limits") {
  TestWorkspace t;
  t.contact("c-k7q2", "Ana", {{"city", "Cluj"}});
  t.contact("a-k7q2", "Dan", {{"city", "Arad"}});
  t.contact("b-k7q2", "Bea"); // no city: sorts last either way
  t.contact("d-k7q2", "Cai", {{"city", "Brașov"}});
  Index index(t.ws);
  index.refresh();
  CHECK(ids(index.list(contact_type(), sorted_by("id"))) ==
        std::vector<std::string>{"a-k7q2", "b-k7q2", "c-k7q2", "d-k7q2"});
  CHECK(ids(index.list(contact_type(), sorted_by("-id"))) ==
        std::vector<std::string>{"d-k7q2", "c-k7q2", "b-k7q2", "a-k7q2"});
  CHECK(ids(index.list(contact_type(), sorted_by("city"))) ==
        std::vector<std::string>{"a-k7q2", "d-k7q2", "c-k7q2", "b-k7q2"});
  CHECK(ids(index.list(contact_type(), sorted_by("-city"))) ==
        std::vector<std::string>{"c-k7q2", "d-k7q2", "a-k7q2", "b-k7q2"});
  auto q = sorted_by("name");
  q.limit = 2;
  CHECK(names(index.list(contact_type(), q)) == std::vector<std::string>{"Ana", "Bea"});
  q.limit = 0;
  CHECK(index.list(contact_type(), q).empty());
}

TEST_CASE("index: list filters by tags, case-insensitively, and by stage") {
  TestWorkspace t;
  t.contact("a-k7q2", "Ana", {{"tags", {"VIP", "b2b"}}, {"stage", "customer"}});
  t.contact("b-k7q2", "Bea", {{"tags", {"vip"}}, {"stage", "lead"}});
  t.contact("c-k7q2", "Cai", {{"tags", {"b2b"}}, {"stage", "customer"}});
  t.contact("d-k7q2", "Dan");
  Index index(t.ws);
  index.refresh();
  ListQuery q;
  q.tags = {"vip"};
  CHECK(ids(index.list(contact_type(), q)) == std::vector<std::string>{"a-k7q2", "b-k7q2"});
  q.tags = {"Vip", "B2B"}; // every tag must be present
  CHECK(ids(index.list(contact_type(), q)) == std::vector<std::string>{"a-k7q2"});
  q.tags = {"nobody"};
  CHECK(index.list(contact_type(), q).empty());
  ListQuery s;
  s.stage = "customer";
  CHECK(ids(index.list(contact_type(), s)) == std::vector<std::string>{"a-k7q2", "c-k7q2"});
  s.tags = {"vip"};
  CHECK(ids(index.list(contact_type(), s)) == std::vector<std::string>{"a-k7q2"});
}

TEST_CASE("index: list returns whole records as stored in the file") {
  TestWorkspace t;
  const Json extra = Json::parse(R"({"emails": [{"address": "ana@example.ro", "label": "work"}],
                                     "custom": {"shoe_size": "38"}, "by_hand": "kept"})");
  t.contact("a-k7q2", "Ana", extra);
  Index index(t.ws);
  index.refresh();
  const auto all = index.list(contact_type(), {});
  REQUIRE(all.size() == 1);
  CHECK(all[0].dump() ==
        R"({"id":"a-k7q2","name":"Ana","emails":[{"address":"ana@example.ro","label":"work"}],"custom":{"shoe_size":"38"},"by_hand":"kept"})");
}

TEST_CASE("index: each streams the stored JSON of the matching records in order") {
  TestWorkspace t;
  t.contact("b-k7q2", "Bea", {{"tags", {"vip"}}});
  t.contact("a-k7q2", "Ana", {{"tags", {"VIP"}}, {"city", "Cluj"}});
  t.contact("c-k7q2", "Cai");
  Index index(t.ws);
  index.refresh();
  ListQuery q;
  q.tags = {"vip"};
  std::vector<std::string> texts;
  index.each(contact_type(), q, nullptr, [&](std::string_view json) { texts.emplace_back(json); });
  CHECK(texts == std::vector<std::string>{R"({"id":"a-k7q2","name":"Ana","city":"Cluj","tags":["VIP"]})",
                                          R"({"id":"b-k7q2","name":"Bea","tags":["vip"]})"});
}

TEST_CASE("index: each with a projection gives a JSON array of the wanted values") {
  TestWorkspace t;
  t.contact("a-k7q2", "Ana", Json::parse(R"({"emails": [{"address": "a@x.ro"}], "custom": {"vat": "RO1"}})"));
  t.contact("b-k7q2", "Bea");
  Index index(t.ws);
  index.refresh();
  const std::vector<std::string> columns = {"name", "custom.vat", "emails", "missing"};
  std::vector<Json> rows;
  index.each(contact_type(), {}, &columns, [&](std::string_view json) { rows.push_back(Json::parse(json)); });
  REQUIRE(rows.size() == 2);
  CHECK(rows[0] == Json::parse(R"(["Ana", "RO1", [{"address": "a@x.ro"}], null])"));
  CHECK(rows[1] == Json::parse(R"(["Bea", null, null, null])"));
}

TEST_CASE("index: each_projected builds records of just the columns, leaving absent ones out") {
  TestWorkspace t;
  t.contact("a-k7q2", "Ana", Json::parse(R"({"city": "Cluj", "custom": {"vat": "RO1"}, "tags": ["vip"]})"));
  t.contact("b-k7q2", "Bea", Json::parse(R"({"by_hand": "kept"})"));
  Index index(t.ws);
  index.refresh();
  std::vector<std::string> dumps;
  auto collect = [&](Record&& r) { dumps.push_back(r.dump()); };
  index.each_projected(contact_type(), sorted_by("-name"), {"id", "custom.vat", "tags", "by_hand"}, collect);
  CHECK(dumps == std::vector<std::string>{R"({"id":"b-k7q2","by_hand":"kept"})",
                                          R"({"id":"a-k7q2","custom.vat":"RO1","tags":["vip"]})"});
  // One column alone still comes back as that column's value.
  dumps.clear();
  index.each_projected(contact_type(), {}, {"name"}, collect);
  CHECK(dumps == std::vector<std::string>{R"({"name":"Ana"})", R"({"name":"Bea"})"});
  dumps.clear();
  index.each_projected(contact_type(), {}, {"city"}, collect);
  CHECK(dumps == std::vector<std::string>{R"({"city":"Cluj"})", R"({})"});
}

// ------------------------------------------------------------------ resolve

TEST_CASE("index: resolve finds a record by id, email, phone and folded name") {
  TestWorkspace t;
  t.contact("ana-popescu-k7q2", "Ana Popescu",
            Json::parse(R"({"emails": [{"address": "Ana@Example.RO"}],
                            "phones": [{"number": "0722 123 456", "e164": "+40722123456"}]})"));
  // A number typed into the file by hand has no e164: the index works it out in RO.
  t.contact("sian-k7q2", "Siân Llŷr", Json::parse(R"({"phones": [{"number": "0744 555 666"}]})"));
  Index index(t.ws);
  index.refresh();
  const auto& ct = contact_type();
  CHECK(candidates(index.resolve(ct, "ana-popescu-k7q2")) == "ana-popescu-k7q2|Ana Popescu|id;");
  CHECK(candidates(index.resolve(ct, "ana@example.ro")) == "ana-popescu-k7q2|Ana Popescu|email;");
  CHECK(candidates(index.resolve(ct, "ANA@EXAMPLE.RO")) == "ana-popescu-k7q2|Ana Popescu|email;");
  CHECK(candidates(index.resolve(ct, "+40722123456")) == "ana-popescu-k7q2|Ana Popescu|phone;");
  CHECK(candidates(index.resolve(ct, "0722 123 456")) == "ana-popescu-k7q2|Ana Popescu|phone;");
  CHECK(candidates(index.resolve(ct, "(0722) 123-456")) == "ana-popescu-k7q2|Ana Popescu|phone;");
  CHECK(candidates(index.resolve(ct, "+40 744 555 666")) == "sian-k7q2|Siân Llŷr|phone;");
  CHECK(candidates(index.resolve(ct, "0744555666")) == "sian-k7q2|Siân Llŷr|phone;");
  CHECK(candidates(index.resolve(ct, "sian llyr")) == "sian-k7q2|Siân Llŷr|name;");
  CHECK(candidates(index.resolve(ct, "  SIÂN   LLŶR ")) == "sian-k7q2|Siân Llŷr|name;");
  CHECK(candidates(index.resolve(ct, "ana popescu")) == "ana-popescu-k7q2|Ana Popescu|name;");
  CHECK(index.resolve(ct, "nobody@example.ro").empty());
  CHECK(index.resolve(ct, "0799 999 999").empty());
  CHECK(index.resolve(ct, "Popescu").empty()); // names match whole, not in part
  // An id prefix matches typed as the name is written, in any case.
  CHECK(candidates(index.resolve(ct, "Ana")) == "ana-popescu-k7q2|Ana Popescu|prefix;");
  CHECK(candidates(index.resolve(ct, "ANA-POP")) == "ana-popescu-k7q2|Ana Popescu|prefix;");
  CHECK(index.resolve(company_type(), "ana-popescu-k7q2").empty());
}

TEST_CASE("index: resolve matches 'sian' to 'Siân'") {
  TestWorkspace t;
  t.contact("sian-k7q2", "Siân");
  Index index(t.ws);
  index.refresh();
  CHECK(candidates(index.resolve(contact_type(), "sian")) == "sian-k7q2|Siân|name;");
}

TEST_CASE("index: resolve falls back to an id prefix and lists several candidates") {
  TestWorkspace t;
  t.contact("ana-popescu-c4d5", "Ana Popescu");
  t.contact("ana-popescu-a2b3", "Ana Popescu");
  t.contact("andrei-k7q2", "Andrei");
  Index index(t.ws);
  index.refresh();
  const auto& ct = contact_type();
  CHECK(candidates(index.resolve(ct, "Ana Popescu")) ==
        "ana-popescu-a2b3|Ana Popescu|name;ana-popescu-c4d5|Ana Popescu|name;");
  CHECK(candidates(index.resolve(ct, "ana-popescu-")) ==
        "ana-popescu-a2b3|Ana Popescu|prefix;ana-popescu-c4d5|Ana Popescu|prefix;");
  CHECK(candidates(index.resolve(ct, "ana-popescu-c")) == "ana-popescu-c4d5|Ana Popescu|prefix;");
  CHECK(candidates(index.resolve(ct, "andr")) == "andrei-k7q2|Andrei|prefix;");
  // An exact id is never ambiguous, even when it is also a prefix of another one.
  t.contact("andrei-k7q2-old", "Andrei Old");
  index.refresh();
  CHECK(candidates(index.resolve(ct, "andrei-k7q2")) == "andrei-k7q2|Andrei|id;");
}

TEST_CASE("index: resolve with several emails matching lists each record once") {
  TestWorkspace t;
  t.contact("a-k7q2", "Ana", Json::parse(R"({"emails": [{"address": "office@x.ro"}, {"address": "OFFICE@x.ro"}]})"));
  t.contact("b-k7q2", "Bea", Json::parse(R"({"emails": [{"address": "office@x.ro"}]})"));
  Index index(t.ws);
  index.refresh();
  CHECK(candidates(index.resolve(contact_type(), "office@x.ro")) == "a-k7q2|Ana|email;b-k7q2|Bea|email;");
}

// ------------------------------------------------------------------ broken files

TEST_CASE("index: a broken file is reported with its line until it is fixed") {
  TestWorkspace t;
  t.contact("ana-k7q2", "Ana");
  const auto path = t.path_of(contact_type(), "broken-k7q2");
  write_text(path, "id: broken-k7q2\nname: Bo\n  city: Cluj\n");
  Index index(t.ws);
  auto s = index.refresh();
  CHECK(s.added == 2);
  auto broken = index.broken_files();
  REQUIRE(broken.size() == 1);
  CHECK(broken[0].path == "contacts/broken-k7q2.yaml");
  CHECK(broken[0].message == "contacts/broken-k7q2.yaml:3: illegal map value");
  CHECK_FALSE(index.exists(contact_type(), "broken-k7q2"));
  CHECK(ids(index.list(contact_type(), {})) == std::vector<std::string>{"ana-k7q2"});
  // Still reported by the next refresh, which does not read it again.
  s = index.refresh();
  CHECK(s.changed == 0);
  CHECK(index.broken_files().size() == 1);

  write_text(path, "id: broken-k7q2\nname: Bo\ncity: Cluj\n");
  s = index.refresh();
  CHECK(s.changed == 1);
  CHECK(index.broken_files().empty());
  CHECK(index.get(contact_type(), "broken-k7q2").value()["city"] == "Cluj");
}

TEST_CASE("index: a file whose id does not match its name is broken") {
  TestWorkspace t;
  write_text(t.path_of(contact_type(), "foo-k7q2"), "name: Foo\nid: bar-k7q2\n");
  Index index(t.ws);
  index.refresh();
  const auto broken = index.broken_files();
  REQUIRE(broken.size() == 1);
  CHECK(broken[0].path == "contacts/foo-k7q2.yaml");
  CHECK(broken[0].message == "contacts/foo-k7q2.yaml:2: id 'bar-k7q2' does not match the file name");
  CHECK_FALSE(index.exists(contact_type(), "bar-k7q2"));
  CHECK_FALSE(index.exists(contact_type(), "foo-k7q2"));
}

TEST_CASE("index: a removed broken file is no longer reported") {
  TestWorkspace t;
  const auto path = t.path_of(contact_type(), "x-k7q2");
  write_text(path, "- not a mapping\n");
  Index index(t.ws);
  index.refresh();
  CHECK(index.broken_files().size() == 1);
  stdfs::remove(path);
  CHECK(index.refresh().removed == 1);
  CHECK(index.broken_files().empty());
}

// Only the record folder decides the type, and subfolders are walked too: a copy
// in a subfolder (a backup, a merge leftover) repeats an id.
TEST_CASE("index: two files with the same id do not stop refresh or rebuild") {
  TestWorkspace t;
  t.contact("dup-k7q2", "First");
  write_text(t.ws.root() / "contacts" / "old" / "dup-k7q2.yaml", "id: dup-k7q2\nname: Second\n");
  t.contact("ana-k7q2", "Ana");
  Index index(t.ws);
  CHECK_NOTHROW(index.refresh());
  CHECK(index.list(contact_type(), {}).size() == 2);
  CHECK_NOTHROW(index.rebuild());
  CHECK(index.list(contact_type(), {}).size() == 2);
}

TEST_CASE("index: the second file with an id is reported as broken") {
  TestWorkspace t;
  t.contact("dup-k7q2", "First");
  write_text(t.ws.root() / "contacts" / "old" / "dup-k7q2.yaml", "id: dup-k7q2\nname: Second\n");
  Index index(t.ws);
  index.refresh();
  // Which one wins depends on directory order; the other cannot be indexed.
  const auto broken = index.broken_files();
  REQUIRE(broken.size() == 1);
  CHECK((broken[0].path == "contacts/dup-k7q2.yaml" || broken[0].path == "contacts/old/dup-k7q2.yaml"));
}

TEST_CASE("index: removing one of two files with the same id keeps the other's record") {
  TestWorkspace t;
  t.contact("dup-k7q2", "First");
  write_text(t.ws.root() / "contacts" / "old" / "dup-k7q2.yaml", "id: dup-k7q2\nname: Second\n");
  Index index(t.ws);
  index.refresh();
  stdfs::remove_all(t.ws.root() / "contacts" / "old");
  index.refresh();
  // contacts/dup-k7q2.yaml is still there: the index must still answer for it.
  REQUIRE(index.exists(contact_type(), "dup-k7q2"));
  CHECK(index.get(contact_type(), "dup-k7q2").value()["name"] == "First");
}

// ------------------------------------------------------------------ freshness

TEST_CASE("index: an in-place rewrite with the same size and mtime is still seen") {
  TestWorkspace t;
  t.contact("ana-k7q2", "Ana Pop");
  const auto path = t.path_of(contact_type(), "ana-k7q2");
  Index index(t.ws);
  index.refresh();
  const auto before = crm_test::stat_of(path);

  // An editor writing in place: same inode, same size, and the old mtime put back.
  const std::string text = crm_test::read_text(path);
  std::string edited = text;
  edited.replace(edited.find("Ana Pop"), 7, "Ana Pip");
  REQUIRE(edited.size() == text.size());
  write_text(path, edited);
  const struct timespec times[2] = {before.st_atim, before.st_mtim};
  REQUIRE(::utimensat(AT_FDCWD, path.c_str(), times, 0) == 0);
  const auto after = crm_test::stat_of(path);
  REQUIRE(after.st_ino == before.st_ino);
  REQUIRE(after.st_size == before.st_size);
  REQUIRE(after.st_mtim.tv_sec == before.st_mtim.tv_sec);
  REQUIRE(after.st_mtim.tv_nsec == before.st_mtim.tv_nsec);

  const auto s = index.refresh();
  CHECK(s.changed == 1);
  CHECK(index.get(contact_type(), "ana-k7q2").value()["name"] == "Ana Pip");
}

TEST_CASE("index: a young file is re-checked by content even when its whole stat matches") {
  // Two writes within one timestamp tick leave size, mtime, ctime and inode all
  // equal; only the content check of a file younger than 2 s can see the second.
  TestWorkspace t;
  t.contact("ana-k7q2", "Ana Pop");
  const auto path = t.path_of(contact_type(), "ana-k7q2");
  Index index(t.ws);
  index.refresh();

  std::string edited = crm_test::read_text(path);
  edited.replace(edited.find("Ana Pop"), 7, "Ana Pip");
  write_text(path, edited);
  // Make the index's stat record for the file match the file as it is now.
  const auto st = crm_test::stat_of(path);
  const std::string name = "ana-k7q2.yaml";
  const auto bucket = static_cast<std::int64_t>(crm::index::bucket_of(name));
  std::vector<crm::index::FileEntry> entries;
  {
    SQLite::Statement get(crm::index::IndexAccess::impl(index).db, "SELECT entries FROM dir_entries WHERE dir = 'contacts' AND bucket = ?");
    get.bind(1, bucket);
    REQUIRE(get.executeStep());
    const auto blob = get.getColumn(0);
    entries = crm::index::decode_entries(
        std::string_view(static_cast<const char*>(blob.getBlob()), static_cast<std::size_t>(blob.getBytes())));
  }
  bool found = false;
  for (auto& e : entries)
    if (e.name == name) {
      found = true;
      REQUIRE(e.racy); // just written: within the racy window
      e.stamp = {static_cast<std::int64_t>(st.st_size),
                 static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec,
                 static_cast<std::int64_t>(st.st_ctim.tv_sec) * 1'000'000'000 + st.st_ctim.tv_nsec,
                 static_cast<std::int64_t>(st.st_ino)};
    }
  REQUIRE(found);
  const std::string blob = crm::index::encode_entries(entries);
  SQLite::Statement put(crm::index::IndexAccess::impl(index).db, "UPDATE dir_entries SET entries = ? WHERE dir = 'contacts' AND bucket = ?");
  put.bind(1, blob.data(), static_cast<int>(blob.size()));
  put.bind(2, bucket);
  REQUIRE(put.exec() == 1);

  const auto s = index.refresh();
  CHECK(s.changed == 1);
  CHECK(index.get(contact_type(), "ana-k7q2").value()["name"] == "Ana Pip");
}

TEST_CASE("index: put records a file crm wrote so that refresh does not read it again") {
  TestWorkspace t;
  Index index(t.ws);
  index.refresh();
  const Record rec = {{"id", "ana-k7q2"}, {"name", "Ana"}, {"tags", {"vip"}}};
  t.put(contact_type(), rec);
  index.put(contact_type(), rec, "contacts/ana-k7q2.yaml");
  CHECK(index.exists(contact_type(), "ana-k7q2"));
  auto s = index.refresh();
  CHECK(s.added == 0);
  CHECK(s.changed == 0);
  ListQuery q;
  q.tags = {"VIP"};
  CHECK(ids(index.list(contact_type(), q)) == std::vector<std::string>{"ana-k7q2"});

  stdfs::remove(t.path_of(contact_type(), "ana-k7q2"));
  index.drop("contacts/ana-k7q2.yaml");
  CHECK_FALSE(index.exists(contact_type(), "ana-k7q2"));
  CHECK(index.list(contact_type(), q).empty());
  s = index.refresh();
  CHECK(s.removed == 0);
}

TEST_CASE("index: ids_where looks up an indexed field, or a stored one") {
  TestWorkspace t;
  t.contact("a-k7q2", "Ana", {{"company", "acme-x4b9"}, {"title", "CEO"}});
  t.contact("b-k7q2", "Bea", {{"company", "other-x4b9"}});
  t.contact("c-k7q2", "Cai", {{"company", "acme-x4b9"}, {"title", "CEO"}});
  Index index(t.ws);
  index.refresh();
  CHECK(index.ids_where(contact_type(), "company", "acme-x4b9") == std::vector<std::string>{"a-k7q2", "c-k7q2"});
  CHECK(index.ids_where(contact_type(), "company", "none").empty());
  CHECK(index.ids_where(contact_type(), "title", "CEO") == std::vector<std::string>{"a-k7q2", "c-k7q2"});
  CHECK(index.ids_where(contact_type(), "title", "ceo").empty());
}

// ------------------------------------------------------------------ rebuild / damage

TEST_CASE("index: rebuild gives back rows that were lost") {
  TestWorkspace t;
  t.contact("a-k7q2", "Ana", {{"tags", {"vip"}}});
  t.contact("b-k7q2", "Bea", {{"emails", Json::parse(R"([{"address": "bea@x.ro"}])")}});
  t.put(company_type(), {{"id", "acme-x4b9"}, {"name", "Acme"}});
  Index index(t.ws);
  index.refresh();
  const auto before = index.list(contact_type(), {});
  REQUIRE(before.size() == 2);

  crm::index::IndexAccess::impl(index).db.exec("DELETE FROM contacts; DELETE FROM emails");
  CHECK(index.list(contact_type(), {}).empty());
  CHECK(index.refresh().changed == 0); // the files did not change: refresh alone cannot tell

  const auto s = index.rebuild();
  CHECK(s.scanned == 3);
  CHECK(s.added == 3);
  CHECK(index.list(contact_type(), {}) == before);
  CHECK(candidates(index.resolve(contact_type(), "bea@x.ro")) == "b-k7q2|Bea|email;");
  CHECK(index.exists(company_type(), "acme-x4b9"));
}

TEST_CASE("index: a garbage index.sqlite is replaced when the Index is opened") {
  TestWorkspace t;
  t.contact("a-k7q2", "Ana");
  write_text(t.ws.index_path(), std::string(8192, 'x') + "this is not a database");
  Index index(t.ws);
  const auto s = index.refresh();
  CHECK(s.added == 1);
  CHECK(ids(index.list(contact_type(), {})) == std::vector<std::string>{"a-k7q2"});
}

TEST_CASE("index: a deleted index.sqlite loses nothing") {
  TestWorkspace t;
  t.contact("a-k7q2", "Ana");
  { Index index(t.ws); index.refresh(); }
  for (const char* suffix : {"", "-wal", "-shm"}) stdfs::remove(t.ws.index_path().string() + suffix);
  Index index(t.ws);
  CHECK(index.refresh().added == 1);
  CHECK(index.exists(contact_type(), "a-k7q2"));
}

TEST_CASE("index: status counts records and files per type") {
  TestWorkspace t;
  t.contact("a-k7q2", "Ana");
  t.contact("b-k7q2", "Bea");
  t.put(company_type(), {{"id", "acme-x4b9"}, {"name", "Acme"}});
  write_text(t.path_of(contact_type(), "bad-k7q2"), "[");
  Index index(t.ws);
  index.refresh();
  const auto st = index.status();
  CHECK(st.path == t.ws.index_path().string());
  CHECK(st.bytes > 0);
  REQUIRE(st.counts.size() == 12);
  CHECK(st.counts[11].type == "segments");
  CHECK(st.counts[11].records == 0);
  CHECK(st.counts[0].type == "companies");
  CHECK(st.counts[0].records == 1);
  CHECK(st.counts[1].type == "contacts");
  CHECK(st.counts[1].records == 2);
  CHECK(st.files == 4);
  REQUIRE(st.broken.size() == 1);
  CHECK(st.broken[0].path == "contacts/bad-k7q2.yaml");
  CHECK(st.last_refresh.added == 4);
  CHECK(st.verify == "stat");
}

TEST_SUITE_END();
