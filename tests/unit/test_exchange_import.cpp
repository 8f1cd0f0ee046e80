// ops import: upserts (match by email, phone, name+company; only changed fields),
// a second run that changes nothing, dry runs that write nothing, rejects in skip
// and abort mode, batches with a journal, undo and its conflicts.

#include <doctest/doctest.h>

#include <fmt/format.h>

#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "model/record_type.hpp"
#include "ops/exchange/import.hpp"
#include "ops/records/records.hpp"
#include "ops/records/session.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

using crm::ErrorKind;
using crm::ops::ImportEvent;
using crm::ops::ImportOptions;
using crm::ops::ImportSummary;
using crm::ops::OnError;
using crm::ops::Session;
using crm_test::error_from;
using crm_test::read_text;
using Strings = std::vector<std::string>;

namespace stdfs = std::filesystem;

namespace {

struct Fixture : crm_test::PinnedWorkspace {
  ImportSummary import(const std::string& csv, ImportOptions o = {}, Strings* events = nullptr) {
    Session s(dir.path());
    std::istringstream in(csv);
    return crm::ops::import_csv(s, in, o, [&](const ImportEvent& e) {
      if (!events) return;
      static const char* names[] = {"create", "update", "unchanged", "reject"};
      std::string line = std::string(names[static_cast<int>(e.action)]) + " " + std::to_string(e.row) + " " + e.name;
      for (const auto& f : e.fields) line += " " + f;
      if (!e.reason.empty()) line += ": " + e.reason;
      events->push_back(line);
    });
  }

  // An import that reports bad rows and goes on (from "in.csv"), with its events.
  ImportSummary import_skipping(const std::string& csv, Strings& events) {
    ImportOptions o;
    o.on_error = OnError::skip;
    o.source = "in.csv";
    return import(csv, o, &events);
  }

  std::string contact_file(const std::string& ref) {
    Session s(dir.path());
    const auto rec = crm::ops::find_contact(s, ref);
    return read_text(dir / ("contacts/" + crm::model::id_of(rec) + ".yaml"));
  }
};

const std::string clients = "Name,Email,Phone,Company,City\n"
                            "Ana Pop,ana@example.ro,0722 123 456,Acme,Cluj\n"
                            "Ionuț Vasile,ionut@example.ro,,,Iași\n"
                            "Гаврилюк Олена,,+380 44 123 4567,,Київ\n";

} // namespace

TEST_SUITE_BEGIN("ops");

TEST_CASE("ops: import creates records and a company, and a second run changes nothing") {
  Fixture f;
  Strings events;
  const auto first = f.import(clients, {}, &events);
  CHECK(first.created == 3);
  CHECK(first.companies == 1);
  CHECK(first.rejected == 0);
  CHECK_FALSE(first.batch.empty());
  CHECK(events == Strings{"create 2 Ana Pop", "create 3 Ionuț Vasile", "create 4 Гаврилюк Олена"});
  CHECK(f.files("contacts").size() == 3);
  CHECK(f.files("companies").size() == 1);
  const std::string ana = f.contact_file("ana@example.ro");
  CHECK(ana.find("e164: \"+40722123456\"") != std::string::npos);
  CHECK(ana.find("city: Cluj") != std::string::npos);

  const auto before = f.tree();
  events.clear();
  const auto second = f.import(clients, {}, &events);
  CHECK(second.created == 0);
  CHECK(second.updated == 0);
  CHECK(second.unchanged == 3);
  CHECK(second.batch.empty()); // nothing written: no batch, no journal
  CHECK(f.tree() == before);
}

TEST_CASE("ops: import reads a company cell holding a company's id (as crm export writes it) as that company") {
  Fixture f;
  f.import(clients);
  REQUIRE(f.files("companies").size() == 1);
  const std::string acme = stdfs::path(f.files("companies").front()).stem().string();
  const auto before = f.tree();
  Strings events;
  const auto again = f.import("Name,Email,Company\nAna Pop,ana@example.ro," + acme + "\n", {}, &events);
  CHECK(again.unchanged == 1);
  CHECK(again.companies == 0);
  CHECK(f.tree() == before);
  // A new person at that id works there too; a name that is no id is still a name.
  events.clear();
  const auto more = f.import("Name,Company\nEva Lund," + acme + "\nIon Rus,Globex\n", {}, &events);
  CHECK(more.created == 2);
  CHECK(more.companies == 1);
  CHECK(f.contact_file("Eva Lund").find("company: " + acme + "\n") != std::string::npos);
  CHECK(f.files("companies").size() == 2);
}

TEST_CASE("ops: import matches by email in any case, then phone, then name, and updates only what changed") {
  Fixture f;
  f.import(clients);
  Strings events;
  const auto s = f.import("Name,Email,Phone,City\n"
                          "Ana Pop,ANA@EXAMPLE.RO,,Brașov\n"        // email, other case
                          "Olena G.,,+380441234567,\n"              // phone in another format
                          "Ionuț Vasile,,,Iași\n",                  // name, nothing changed
                          {}, &events);
  CHECK(s.created == 0);
  CHECK(s.updated == 2);
  CHECK(s.unchanged == 1);
  CHECK(events == Strings{"update 2 Ana Pop city", "update 3 Olena G. name", "unchanged 4 Ionuț Vasile"});
  CHECK(f.contact_file("ana@example.ro").find("city: Brașov") != std::string::npos);
  CHECK(f.files("contacts").size() == 3);
}

TEST_CASE("ops: import of one person on two rows: the first sets fields, the second only adds") {
  Fixture f;
  const std::string csv = "Name,Email,Phone,City\n"
                          "Ana Pop,ana@example.ro,,Cluj\n"
                          "Ana Pop,ana@example.ro,0722 123 456,Turda\n";
  const auto s = f.import(csv);
  CHECK(s.created == 1);
  CHECK(s.updated == 1);
  const std::string ana = f.contact_file("ana@example.ro");
  CHECK(ana.find("city: Cluj") != std::string::npos);
  CHECK(ana.find("+40722123456") != std::string::npos);
  const auto before = f.tree();
  CHECK(f.import(csv).batch.empty());
  CHECK(f.tree() == before);
}

TEST_CASE("ops: import matches rows to records written earlier in the same run, by each key") {
  // Index rows are stored behind the import (on another thread): a row must
  // still find what the rows before it wrote, and not what they changed away.
  Fixture f;
  f.import("Name,Email\nAna Pop,ana@example.ro\n");
  const std::string csv = "ID,Name,Email,Phone,Company\n"
                          ",Ana Maria Pop,ana@example.ro,,\n"            // renames the existing Ana Pop
                          ",Ana Pop,,,\n"                               // her old name: a new person
                          "x-dan-k2m3,Dan Ilie,,,\n"
                          "x-dan-k2m3,Dan Ilie,,0722 123 456,\n"        // by id
                          ",Ionuț Vasile,IONUT@example.ro,,Acme\n"
                          ",Ionuț Vasile,,+40 744 000 111,Acme\n"        // by name and the new company
                          ",Ion Vasile,ionut@example.ro,0744 000 111,\n" // by email
                          ",Dana Rus,,0744 999 888,\n"
                          ",D. Rus,,+40744999888,\n";                   // by phone
  ImportOptions o;
  o.source = "in.csv";
  Strings events;
  const auto s = f.import(csv, o, &events);
  CHECK(events == Strings{"update 2 Ana Maria Pop name", "create 3 Ana Pop", "create 4 Dan Ilie",
                          "update 5 Dan Ilie phones", "create 6 Ionuț Vasile", "update 7 Ionuț Vasile phones",
                          "unchanged 8 Ionuț Vasile", "create 9 Dana Rus", "unchanged 10 Dana Rus"});
  CHECK(s.companies == 1);
  CHECK(f.files("contacts").size() == 5);
}

TEST_CASE("ops: import --dry-run counts what would happen and writes nothing") {
  Fixture f;
  const auto before = f.tree();
  ImportOptions o;
  o.dry_run = true;
  // The repeated person matches the record planned for row 2: her city stays
  // (the first row sets fields), her second phone is added.
  const auto s = f.import(clients + "Ana Pop,ana@example.ro,0744 000 111,,Turda\n", o);
  CHECK(s.created == 3);
  CHECK(s.updated == 1);
  CHECK(s.companies == 1);
  CHECK(s.batch.empty());
  CHECK(f.tree() == before);
}

TEST_CASE("ops: import rejects bad rows: skip mode imports the rest, abort mode takes everything back") {
  Fixture f;
  const std::string csv = "Name,Email,Birthday\n"
                          "Ana Pop,ana@example.ro,1985-03-07\n"
                          "Bad Row,not-an-email,\n"
                          "Ionuț Vasile,ionut@example.ro,1985-13-40\n"
                          "Maria Ilie,maria@example.ro,\n";
  const auto before = f.tree();
  ImportOptions abort;
  const auto e = error_from([&] { f.import(csv, abort); });
  CHECK(e.kind() == ErrorKind::invalid_data);
  CHECK(std::string(e.what()).find("row 3") != std::string::npos);
  CHECK(f.tree() == before); // not even an imports folder

  std::string rejects;
  ImportOptions skip;
  skip.on_error = OnError::skip;
  skip.rejects = [&rejects](std::string_view text) { rejects += text; };
  Strings events;
  const auto s = f.import(csv, skip, &events);
  CHECK(s.created == 2);
  CHECK(s.rejected == 2);
  CHECK(f.files("contacts").size() == 2);
  const std::string r = rejects;
  CHECK(r.find("Bad Row,not-an-email,") != std::string::npos);
  CHECK(r.find("Ionuț Vasile,ionut@example.ro,1985-13-40") != std::string::npos);
}

TEST_CASE("ops: import batches are listed and undone, a record changed since is a conflict") {
  Fixture f;
  f.import("Name,Email\nAna Pop,ana@example.ro\n");
  const auto before = f.tree();
  const auto second = f.import("Name,Email,City\nAna Pop,ana@example.ro,Cluj\nMaria Ilie,maria@example.ro,\n");
  CHECK(second.created == 1);
  CHECK(second.updated == 1);
  {
    Session s(f.dir.path());
    const auto batches = crm::ops::list_imports(s);
    REQUIRE(batches.size() == 2);
    CHECK(batches[1].id == second.batch);
    CHECK(batches[1].created == 1);
    CHECK(batches[1].updated == 1);
    CHECK(batches[1].complete);
  }
  // A hand edit since the import: undo refuses, then --force reverts anyway.
  const std::string maria = "contacts/" + f.files("contacts").back().substr(9);
  const std::string edited = read_text(f.dir / maria) + "tags:\n  - vip\n";
  f.file(maria, edited);
  {
    Session s(f.dir.path());
    CHECK(error_from([&] { crm::ops::undo_import(s, second.batch, false); }).kind() == ErrorKind::conflict);
  }
  CHECK(read_text(f.dir / maria) == edited);
  {
    Session s(f.dir.path());
    const auto undone = crm::ops::undo_import(s, second.batch, true);
    CHECK(undone.removed == 1);
    CHECK(undone.restored == 1);
  }
  auto after = f.tree();
  // The batch's journal stays (marked undone); the records are as before it.
  for (auto it = after.begin(); it != after.end();)
    it = it->first.starts_with(".crm/imports/" + second.batch) ? after.erase(it) : std::next(it);
  CHECK(after == before);
}

TEST_SUITE_END();

TEST_CASE("ops: an import that fails on I/O takes back what it wrote, and says so") {
  // A sale row whose file cannot be written (its folder is a file here): an I/O
  // error, after the row's contact files and journal lines were written.
  Fixture f;
  f.import("Name,Email\nAna Pop,ana@example.ro\nIon Ion,ion@example.ro\n");
  f.file("sales/2026", "");
  const auto before = f.tree();
  ImportOptions o;
  o.type = "sales";
  o.source = "sales.csv";
  const auto e = error_from([&] {
    f.import("contact,items,at\nion@example.ro,Audit @ 40,2026-10-20\nana@example.ro,Audit @ 40,2026-11-20\n", o);
  });
  CHECK(e.kind() == ErrorKind::io);
  REQUIRE_FALSE(e.hints().empty());
  CHECK(e.hints().back() == "nothing was imported: what the import had written was taken back");
  // The first row's sale (in sales/2026/10, written before the failure) is gone,
  // with the journal of the failed run; the first import's journal stays.
  std::vector<std::string> journals;
  for (const auto& j : stdfs::directory_iterator(f.dir / ".crm/imports")) journals.push_back(read_text(j.path()));
  REQUIRE(journals.size() == 1);
  CHECK(journals.front().find("sales.csv") == std::string::npos);
  CHECK(f.tree() == before);
}

TEST_CASE("ops: import leaves a matched file with a problem alone: a row with nothing new passes, a change is rejected") {
  Fixture f;
  f.import("Name,Email\nAna Pop,ana@example.ro\n");
  const std::string path = f.files("contacts").front();
  const std::string text = read_text(f.dir / path) + "stage: nonsense\n";
  f.file(path, text);
  // Nothing to change: the file is not even read, let alone rejected.
  const auto same = f.import("Name,Email\nAna Pop,ana@example.ro\n");
  CHECK(same.unchanged == 1);
  CHECK(same.rejected == 0);
  Strings events;
  const auto changed = f.import_skipping("Name,Email,City\nAna Pop,ana@example.ro,Cluj\n", events);
  CHECK(changed.rejected == 1);
  REQUIRE(events.size() == 1);
  CHECK(events[0].find("row 2: matches 'ana-pop-") != std::string::npos);
  CHECK(events[0].find("whose file has a problem: " + path + ":7: bad stage 'nonsense'") != std::string::npos);
  CHECK(read_text(f.dir / path) == text);
}

TEST_CASE("ops: import reads rows ahead in batches: every row counts once, in order, to the unreadable end") {
  Fixture f;
  std::string csv = "Name,Phone,Stage\n";
  for (int i = 1; i <= 700; ++i) {
    // Row 301 (the 300th contact) has a bad stage; the numbers are all different.
    const std::string stage = i == 300 ? "nonsense" : "lead";
    csv += fmt::format("Person {},0722 {:03} {:03},{}\n", i, i / 1000, i % 1000, stage);
  }
  csv += "\"Open quote,0722 999 999,lead\n";
  Strings events;
  const auto s = f.import_skipping(csv, events);
  CHECK(s.rows == 700);
  CHECK(s.created == 699);
  CHECK(s.rejected == 2);
  REQUIRE(events.size() == 701);
  CHECK(events[0] == "create 2 Person 1");
  CHECK(events[299].starts_with("reject 301 : row 301: "));
  CHECK(events[699] == "create 701 Person 700");
  CHECK(events[700] == "reject 702 : row 702 column 1: unterminated quoted field");
  Session session(f.dir.path());
  const auto last = crm::ops::find_contact(session, "Person 700");
  CHECK(last["phones"][0]["e164"] == "+40722000700");
}

TEST_CASE("ops: import does not write over a file it cannot read that holds a row's id") {
  Fixture f;
  const std::string text = "id: ana-pop\nname: [Ana Pop\n"; // an unclosed flow sequence
  f.file("contacts/ana-pop.yaml", text);
  Strings events;
  const auto s = f.import_skipping("id,name,email\nana-pop,Ana Pop,ana@example.ro\nion-rus,Ion Rus,ion@example.ro\n", events);
  CHECK(s.rejected == 1);
  CHECK(s.created == 1);
  REQUIRE(events.size() == 2);
  CHECK(events[0] == "reject 2 : row 2: id 'ana-pop' has a file that cannot be read: contacts/ana-pop.yaml");
  CHECK(events[1] == "create 3 Ion Rus");
  CHECK(read_text(f.dir / "contacts/ana-pop.yaml") == text);
  // A file that holds another record's id is not the row's either.
  const std::string other = "id: someone-else\nname: Someone Else\n";
  f.file("contacts/eva-lund.yaml", other);
  events.clear();
  const auto again = f.import_skipping("id,name\neva-lund,Eva Lund\n", events);
  CHECK(again.rejected == 1);
  REQUIRE(events.size() == 1);
  CHECK(events[0] == "reject 2 : row 2: id 'eva-lund' has a file that cannot be read: contacts/eva-lund.yaml");
  CHECK(read_text(f.dir / "contacts/eva-lund.yaml") == other);
}
TEST_CASE("ops: a sales import is journaled file by file and undone") {
  Fixture f;
  f.import("Name,Email\nAna Pop,ana@example.ro\nDan Rus,dan@example.ro\n");
  ImportOptions o;
  o.type = "sales";
  const std::string csv = "contact,items,at\nana@example.ro,Audit @ 40,2026-11-20\ndan@example.ro,Report x 2 @ 15,2026-11-21\n";
  const auto first = f.import(csv, o);
  CHECK(first.created == 2);
  CHECK(f.files("sales").size() == 2);
  CHECK(f.import(csv, o).batch.empty()); // the same rows again: found by their import keys
  Session s(f.dir.path());
  const auto batches = crm::ops::list_imports(s);
  REQUIRE(batches.size() == 2);
  CHECK(batches[1].created == 4); // the sales, and the stage changes of the contacts' first sales
  const auto undone = crm::ops::undo_import(s, first.batch, false);
  CHECK(undone.removed == 4);
  CHECK(f.files("sales").empty());
  CHECK(f.files("activities").empty());
  CHECK(f.files("contacts").size() == 2);
  CHECK(read_text(f.dir / f.files("contacts")[0]).find("stage:") == std::string::npos);
}
