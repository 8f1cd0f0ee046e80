#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "ops/records/search.hpp"
#include "ops/records/session.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

using crm::ErrorKind;
using crm::ops::SearchResult;
using crm::ops::Session;
using crm::ops::snippet;
using crm_test::error_from;
using crm_test::write_text;

namespace stdfs = std::filesystem;

namespace {

// Twenty numbered words, so that a window is easy to read.
const std::string twenty = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
                           "fifteen sixteen seventeen eighteen nineteen twenty";

// A workspace (region RO) with records written by hand, the way a user would.
struct SearchFixture : crm_test::PinnedWorkspace {
  SearchFixture() {
    write_text(dir / "contacts" / "gwenllian-jones-k7q2.yaml",
               "id: gwenllian-jones-k7q2\nname: Gwenllïan Jones\nnotes: |\n  Runs a bakery in Cardiff.\n  Prefers Welsh.\n");
    write_text(dir / "contacts" / "ana-popescu-a2b3.yaml", "id: ana-popescu-a2b3\nname: Ana Popescu\n");
    write_text(dir / "contacts" / "олена-шевченко-c4d5.yaml",
               "id: олена-шевченко-c4d5\nname: Олена Шевченко\ntitle: Директорка\n");
    write_text(dir / "companies" / "atelier-verde-e6f7.yaml",
               "id: atelier-verde-e6f7\nname: Atelier Verde\nindustry: Bakery supplies\n");
    write_text(dir / "activities" / "2026" / "11" / "2026-11-20-call-ana-popescu-g8h9.yaml",
               "id: 2026-11-20-call-ana-popescu-g8h9\nkind: call\ncontact: ana-popescu-a2b3\n"
               "at: 2026-11-20T09:00:00+02:00\n"
               "summary: She asked for a written quotation for the spring collection\n");
    write_text(dir / "feedback" / "2026" / "11" / "2026-11-22-complaint-ana-popescu-j2k3.yaml",
               "id: 2026-11-22-complaint-ana-popescu-j2k3\nkind: complaint\ncontact: ana-popescu-a2b3\n"
               "at: 2026-11-22T10:00:00+02:00\nsummary: The parcel arrived with a broken teapot\nstatus: open\n");
    write_text(dir / "followups" / "2026-11-25-олена-шевченко-m4n5.yaml",
               "id: 2026-11-25-олена-шевченко-m4n5\ncontact: олена-шевченко-c4d5\ndue: \"2026-12-01\"\n"
               "summary: Надіслати Олені пропозицію\nstatus: open\n");
  }
};

std::string rows(const std::vector<SearchResult>& results) {
  std::string out;
  for (const auto& r : results) out += r.type + "|" + r.id + "|" + r.name + "|" + r.field + "|" + r.snippet + "\n";
  return out;
}

} // namespace

TEST_SUITE_BEGIN("ops");

// ------------------------------------------------------------------ snippet

TEST_CASE("ops: snippet keeps max_words words, a third of them before the match, … at both ends") {
  CHECK(snippet(twenty, "ten") == "…six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen…");
  CHECK(snippet(twenty, "ten", 6) == "…eight nine ten eleven twelve thirteen…");
}

TEST_CASE("ops: snippet near the start has … only at the end") {
  CHECK(snippet(twenty, "two") == "one two three four five six seven eight nine ten eleven twelve…");
  CHECK(snippet(twenty, "one", 4) == "one two three four…");
  CHECK(snippet(twenty, "three", 4) == "…two three four five…");
}

TEST_CASE("ops: snippet near the end slides back to fill the window, … only at the start") {
  CHECK(snippet(twenty, "nineteen") ==
        "…nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty");
  CHECK(snippet(twenty, "twenty", 3) == "…eighteen nineteen twenty");
}

TEST_CASE("ops: snippet of a short text is the whole text, without …") {
  CHECK(snippet("Ana Popescu", "popescu") == "Ana Popescu");
  CHECK(snippet("one two three", "two", 3) == "one two three");
}

TEST_CASE("ops: snippet turns newlines, tabs and runs of spaces into single spaces") {
  CHECK(snippet("Runs a bakery\nin Cardiff.\n\n  Prefers\tWelsh.\n", "cardiff") ==
        "Runs a bakery in Cardiff. Prefers Welsh.");
}

TEST_CASE("ops: snippet matches the start of a word, folded, after punctuation") {
  // "popesc" starts "(Popescu),"; "escu" starts no word, so the window stays at the start.
  const std::string text = "a b c d e f g h i j k l m (Popescu), n o";
  CHECK(snippet(text, "popesc", 4) == "…m (Popescu), n o");
  CHECK(snippet(text, "escu", 4) == "a b c d…");
}

TEST_CASE("ops: snippet matches a folded word in another script") {
  // Arabic with harakat and a hamza, found by the bare letters.
  const std::string arabic = "اتصل العميل أمس وبعدها مُحَمَّد طلب عَرْض سعر جديد للموقع قبل نهاية الشهر الحالي إن أمكن";
  CHECK(snippet(arabic, "محمد", 4) == "…وبعدها مُحَمَّد طلب عَرْض…");
  CHECK(snippet(arabic, "عرض", 3) == "…طلب عَرْض سعر…");
  // Cyrillic in capitals, Romanian with a comma below, Welsh with a diaeresis.
  CHECK(snippet("Зустріч з паном ШЕВЧЕНКО у Києві", "шевченко", 2) == "…ШЕВЧЕНКО у…");
  CHECK(snippet("a b c d Ștefan e f g h", "STEFAN", 3) == "…d Ștefan e…");
  CHECK(snippet("a b c d e Gwenllïan", "GWENLLÏAN", 2) == "…e Gwenllïan");
}

TEST_CASE("ops: snippet centres on the first word that matches any query word") {
  CHECK(snippet(twenty, "zzz fifteen eleven", 3) == "…ten eleven twelve…");
}

TEST_CASE("ops: snippet without a match is the start of the text") {
  CHECK(snippet(twenty, "zzz") == "one two three four five six seven eight nine ten eleven twelve…");
  CHECK(snippet(twenty, "zzz", 2) == "one two…");
  CHECK(snippet("", "anything") == "");
}

// ------------------------------------------------------------------ search

TEST_CASE("ops: search finds a name accent- and case-insensitively, with its field and snippet") {
  SearchFixture f;
  Session s(f.dir.path());
  CHECK(rows(crm::ops::search(s, "gwenllian", 20)) == "contact|gwenllian-jones-k7q2|Gwenllïan Jones|name|Gwenllïan Jones\n");
  CHECK(rows(crm::ops::search(s, "GWENLLÏAN", 20)) == "contact|gwenllian-jones-k7q2|Gwenllïan Jones|name|Gwenllïan Jones\n");
  CHECK(rows(crm::ops::search(s, "шевченко", 20)) ==
        "contact|олена-шевченко-c4d5|Олена Шевченко|name|Олена Шевченко\n");
}

TEST_CASE("ops: search looks in notes, titles and company fields") {
  SearchFixture f;
  Session s(f.dir.path());
  CHECK(rows(crm::ops::search(s, "cardiff", 20)) ==
        "contact|gwenllian-jones-k7q2|Gwenllïan Jones|notes|Runs a bakery in Cardiff. Prefers Welsh.\n");
  CHECK(rows(crm::ops::search(s, "директорка", 20)) == "contact|олена-шевченко-c4d5|Олена Шевченко|title|Директорка\n");
  CHECK(rows(crm::ops::search(s, "supplies", 20)) ==
        "company|atelier-verde-e6f7|Atelier Verde|industry|Bakery supplies\n");
}

TEST_CASE("ops: search names an activity, a feedback or a follow-up by its contact") {
  SearchFixture f;
  Session s(f.dir.path());
  CHECK(rows(crm::ops::search(s, "quotation", 20)) ==
        "activity|2026-11-20-call-ana-popescu-g8h9|Ana Popescu|summary|"
        "She asked for a written quotation for the spring collection\n");
  CHECK(rows(crm::ops::search(s, "teapot", 20)) ==
        "feedback|2026-11-22-complaint-ana-popescu-j2k3|Ana Popescu|summary|The parcel arrived with a broken teapot\n");
  CHECK(rows(crm::ops::search(s, "пропозиц", 20)) ==
        "followup|2026-11-25-олена-шевченко-m4n5|Олена Шевченко|summary|Надіслати Олені пропозицію\n");
}

TEST_CASE("ops: search needs every word to start a word of the record") {
  SearchFixture f;
  Session s(f.dir.path());
  CHECK(rows(crm::ops::search(s, "ana pop", 20)) == "contact|ana-popescu-a2b3|Ana Popescu|name|Ana Popescu\n");
  CHECK(crm::ops::search(s, "ana jones", 20).empty());
  CHECK(crm::ops::search(s, "opescu", 20).empty());
}

TEST_CASE("ops: search ranks the short name before the long text, and limits") {
  SearchFixture f;
  Session s(f.dir.path());
  // "bakery" is in Atelier Verde's two-word industry and in Gwenllïan's longer notes.
  CHECK(rows(crm::ops::search(s, "bakery", 20)) ==
        "company|atelier-verde-e6f7|Atelier Verde|industry|Bakery supplies\n"
        "contact|gwenllian-jones-k7q2|Gwenllïan Jones|notes|Runs a bakery in Cardiff. Prefers Welsh.\n");
  CHECK(rows(crm::ops::search(s, "bakery", 1)) == "company|atelier-verde-e6f7|Atelier Verde|industry|Bakery supplies\n");
}

TEST_CASE("ops: search gives one hit per record even when several of its fields match") {
  SearchFixture f;
  write_text(f.dir / "contacts" / "spring-sprout-p6q7.yaml",
             "id: spring-sprout-p6q7\nname: Spring Sprout\nnotes: Ordered for the spring fair\n");
  Session s(f.dir.path());
  const auto hits = crm::ops::search(s, "spring", 20);
  REQUIRE(hits.size() == 2);
  CHECK(hits[0].id == "spring-sprout-p6q7");
  CHECK(hits[0].field == "name");
  CHECK(hits[1].id == "2026-11-20-call-ana-popescu-g8h9");
}

TEST_CASE("ops: search sees a file edited by hand, and forgets a removed one") {
  SearchFixture f;
  {
    Session s(f.dir.path());
    CHECK(crm::ops::search(s, "cardiff", 20).size() == 1);
  }
  write_text(f.dir / "contacts" / "gwenllian-jones-k7q2.yaml",
             "id: gwenllian-jones-k7q2\nname: Gwenllïan Jones\nnotes: Opened a florist shop in Swansea\n");
  stdfs::remove(f.dir / "feedback" / "2026" / "11" / "2026-11-22-complaint-ana-popescu-j2k3.yaml");
  Session s(f.dir.path());
  CHECK(crm::ops::search(s, "cardiff", 20).empty());
  CHECK(rows(crm::ops::search(s, "swansea", 20)) ==
        "contact|gwenllian-jones-k7q2|Gwenllïan Jones|notes|Opened a florist shop in Swansea\n");
  CHECK(crm::ops::search(s, "teapot", 20).empty());
}

TEST_CASE("ops: search treats FTS syntax as plain words") {
  SearchFixture f;
  Session s(f.dir.path());
  // As FTS5, these would be an OR, a NEAR group, a column filter, a prefix and an
  // initial-token query; as words they either match plainly or find nothing.
  CHECK(crm::ops::search(s, "ana\" OR \"gwenllian", 20).empty());
  CHECK(crm::ops::search(s, "NEAR(ana", 20).empty());
  CHECK(crm::ops::search(s, "name:ana", 20).empty());
  CHECK(rows(crm::ops::search(s, "popesc*", 20)) == "contact|ana-popescu-a2b3|Ana Popescu|name|Ana Popescu\n");
  CHECK(rows(crm::ops::search(s, "^\"ana\"", 20)) == "contact|ana-popescu-a2b3|Ana Popescu|name|Ana Popescu\n");
}

TEST_CASE("ops: search with no words is a usage error") {
  SearchFixture f;
  Session s(f.dir.path());
  for (const char* q : {"", "   ", "!!", "*", "\"", "( )"}) {
    CAPTURE(q);
    const auto e = error_from([&] { crm::ops::search(s, q, 20); });
    CHECK(e.kind() == ErrorKind::usage);
    CHECK(std::string(e.what()) == "nothing to search for");
    CHECK(e.hints() == std::vector<std::string>{"give a word or more: crm search popescu"});
  }
}

TEST_SUITE_END();
