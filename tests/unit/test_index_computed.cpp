#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "index/computed.hpp"
#include "index/index.hpp"
#include "model/record_type.hpp"
#include "store/workspace.hpp"
#include "test_support.hpp"

using crm::index::computed_fields;
using crm::index::computed_sql;
using crm::index::Condition;
using crm::index::find_computed;
using crm::index::Index;
using crm::index::ListQuery;
using crm::model::Record;
using crm_test::ids;
using crm_test::sorted_by;
using crm_test::write_text;

namespace {

// A workspace whose activities, follow-ups and feedback are written by hand:
//   Ana: 2 calls, 2 emails, 1 meeting (1 in, 3 out, 1 without a direction) and a
//        later stage change; follow-ups open 12-01 and 11-28, one done 11-20;
//        complaints rated 2 and unrated, a review rated 5.
//   Ion: 1 call without a direction, a review rated 4.
//   Dana: 2 inbound texts, no outbound.
//   Bo, Cy: nothing at all.
struct ComputedFixture : crm_test::PinnedWorkspace {
  crm::store::Workspace ws{dir.path()};

  ComputedFixture() {
    contact("ana-popescu-a2b3", "Ana Popescu");
    contact("ion-ionescu-c4d5", "Ion Ionescu");
    contact("dana-marin-e6f7", "Dana Marin");
    contact("bo-gol-g8h9", "Bo Gol");
    contact("cy-gol-j2k3", "Cy Gol");
    activity("2026-11-20-call-ana-popescu-aaaa", "call", "ana-popescu-a2b3", "2026-11-20T09:00:00+02:00", "out");
    activity("2026-11-21-email-ana-popescu-aaab", "email", "ana-popescu-a2b3", "2026-11-21T09:00:00+02:00", "out");
    activity("2026-11-21-email-ana-popescu-aaac", "email", "ana-popescu-a2b3", "2026-11-21T15:00:00+02:00", "out");
    activity("2026-11-22-call-ana-popescu-aaad", "call", "ana-popescu-a2b3", "2026-11-22T10:00:00+02:00", "in");
    activity("2026-11-23-meeting-ana-popescu-aaae", "meeting", "ana-popescu-a2b3", "2026-11-23T11:00:00+02:00", "");
    // A stage change after every interaction: not contact with the person.
    write_text(dir / "activities" / "2026" / "11" / "2026-11-24-stage-ana-popescu-aaaf.yaml",
               "id: 2026-11-24-stage-ana-popescu-aaaf\nkind: stage\ncontact: ana-popescu-a2b3\n"
               "at: 2026-11-24T12:00:00+02:00\nfrom: lead\nto: customer\nsummary: \"stage: lead -> customer\"\n");
    activity("2026-11-19-call-ion-ionescu-bbba", "call", "ion-ionescu-c4d5", "2026-11-19T08:00:00+02:00", "");
    activity("2026-11-18-text-dana-marin-ccca", "text", "dana-marin-e6f7", "2026-11-18T08:00:00+02:00", "in");
    activity("2026-11-25-text-dana-marin-cccb", "text", "dana-marin-e6f7", "2026-11-25T08:00:00+02:00", "in");
    followup("2026-11-15-ana-popescu-dddd", "ana-popescu-a2b3", "2026-12-01", "open");
    followup("2026-11-15-ana-popescu-ddde", "ana-popescu-a2b3", "2026-11-28", "open");
    followup("2026-11-15-ana-popescu-dddf", "ana-popescu-a2b3", "2026-11-20", "done");
    feedback("2026-11-22-complaint-ana-popescu-eeea", "complaint", "ana-popescu-a2b3", "2");
    feedback("2026-11-22-complaint-ana-popescu-eeeb", "complaint", "ana-popescu-a2b3", "");
    feedback("2026-11-23-review-ana-popescu-eeec", "review", "ana-popescu-a2b3", "5");
    feedback("2026-11-23-review-ion-ionescu-fffa", "review", "ion-ionescu-c4d5", "4");
  }

  void contact(const std::string& id, const std::string& name) const {
    write_text(dir / "contacts" / (id + ".yaml"), "id: " + id + "\nname: " + name + "\n");
  }
  void activity(const std::string& id, const std::string& kind, const std::string& who, const std::string& at,
                const std::string& direction) const {
    write_text(dir / "activities" / "2026" / "11" / (id + ".yaml"),
               "id: " + id + "\nkind: " + kind + "\ncontact: " + who + "\nat: " + at + "\n" +
                   (direction.empty() ? "" : "direction: " + direction + "\n") + "summary: " + kind + "\n");
  }
  void followup(const std::string& id, const std::string& who, const std::string& due,
                const std::string& status) const {
    write_text(dir / "followups" / (id + ".yaml"), "id: " + id + "\ncontact: " + who + "\ndue: \"" + due +
                                                       "\"\nsummary: call back\nstatus: " + status + "\n");
  }
  void feedback(const std::string& id, const std::string& kind, const std::string& who,
                const std::string& rating) const {
    write_text(dir / "feedback" / "2026" / "11" / (id + ".yaml"),
               "id: " + id + "\nkind: " + kind + "\ncontact: " + who + "\nat: 2026-11-22T10:00:00+02:00\n" +
                   (rating.empty() ? "" : "rating: " + rating + "\n") + "summary: said things\nstatus: open\n");
  }
};

std::vector<std::string> keys_of(const std::vector<crm::index::ComputedField>& fields) {
  std::vector<std::string> out;
  for (const auto& f : fields) out.push_back(f.key);
  return out;
}

} // namespace

TEST_SUITE_BEGIN("index");

// ------------------------------------------------------------------ the field table

TEST_CASE("index: a contact's computed fields, in the order show lists them") {
  CHECK(keys_of(computed_fields(crm::model::contact_type())) ==
        std::vector<std::string>{"last_contact", "interactions", "interactions_call", "interactions_email",
                                 "interactions_meeting", "interactions_text", "interactions_note",
                                 "interactions_chat", "inbound", "outbound", "response_rate", "revenue",
                                 "orders", "avg_order", "first_purchase", "last_purchase", "margin", "balance", "priority",
                                 "score", "open_followups", "next_followup", "complaints", "rating", "points"});
}

TEST_CASE("index: records about a contact compute its name, companies compute nothing") {
  for (const auto* t : {&crm::model::activity_type(), &crm::model::followup_type(), &crm::model::feedback_type()}) {
    CAPTURE(t->name);
    CHECK(keys_of(computed_fields(*t)) == std::vector<std::string>{"contact_name"});
  }
  CHECK(computed_fields(crm::model::company_type()).empty());
}

TEST_CASE("index: find_computed finds a key of its own type only") {
  const auto* rating = find_computed(crm::model::contact_type(), "rating");
  REQUIRE(rating != nullptr);
  CHECK(rating->key == "rating");
  CHECK(rating->help == "average rating they gave (1-5)");
  CHECK(find_computed(crm::model::contact_type(), "name") == nullptr);
  CHECK(find_computed(crm::model::contact_type(), "interactions_stage") == nullptr);
  CHECK(find_computed(crm::model::contact_type(), "contact_name") == nullptr);
  CHECK(find_computed(crm::model::company_type(), "rating") == nullptr);
  CHECK(find_computed(crm::model::activity_type(), "contact_name") != nullptr);
}

TEST_CASE("index: computed_sql puts the type's table where {t} was") {
  const auto& contact = crm::model::contact_type();
  CHECK(computed_sql(contact, *find_computed(contact, "open_followups")) ==
        "(SELECT count(*) FROM followups WHERE contact = contacts.id AND status = 'open')");
  CHECK(computed_sql(contact, *find_computed(contact, "interactions")) ==
        "(SELECT count(*) FROM activities WHERE contact = contacts.id AND kind <> 'stage')");
  CHECK(computed_sql(contact, *find_computed(contact, "interactions_call")) ==
        "(SELECT count(*) FROM activities WHERE contact = contacts.id AND kind = 'call')");
  // The writer's own date of the activity: its `day` column, not the UTC `at`.
  CHECK(computed_sql(contact, *find_computed(contact, "last_contact")) ==
        "(SELECT day FROM activities WHERE contact = contacts.id AND kind <> 'stage' ORDER BY at DESC LIMIT 1)");
  CHECK(computed_sql(contact, *find_computed(contact, "last_purchase")) ==
        "(SELECT max(day) FROM sales WHERE contact = contacts.id AND status = 'completed' AND +refund_of IS NULL)");
  const auto& activity = crm::model::activity_type();
  CHECK(computed_sql(activity, *find_computed(activity, "contact_name")) ==
        "(SELECT name FROM contacts WHERE contacts.id = activities.contact)");
  const auto& feedback = crm::model::feedback_type();
  CHECK(computed_sql(feedback, *find_computed(feedback, "contact_name")) ==
        "(SELECT name FROM contacts WHERE contacts.id = feedback.contact)");
  for (const auto& f : computed_fields(contact)) {
    CAPTURE(f.key);
    const auto sql = computed_sql(contact, f);
    CHECK(sql.find("{t}") == std::string::npos);
    CHECK(sql.find('{') == std::string::npos);
    // The lead score has no SQL of its own: the caller hands in the rules.
    CHECK(f.from_rules == (f.key == "score"));
    CHECK(sql.empty() == f.from_rules);
  }
}

// ------------------------------------------------------------------ values

TEST_CASE("index: computed_values of a contact with history, exactly") {
  ComputedFixture f;
  Index idx(f.ws);
  idx.refresh();
  REQUIRE(idx.broken_files().empty());
  // The stage change on 11-24 is neither the last contact nor an interaction. The
  // rating has a test of its own below.
  auto v = idx.computed_values(crm::model::contact_type(), "ana-popescu-a2b3");
  v.erase("rating");
  CHECK(v.dump() ==
        R"({"last_contact":"2026-11-23","interactions":5,"interactions_call":2,"interactions_email":2,)"
        R"("interactions_meeting":1,"interactions_text":0,"interactions_note":0,"interactions_chat":0,)"
        R"("inbound":1,"outbound":3,"response_rate":33,"orders":0,"score":0,"open_followups":2,)"
        R"("next_followup":"2026-11-28",)"
        R"("complaints":2})");
}

TEST_CASE("index: rating is the average of the ratings given, to one decimal, unrated ones left out") {
  ComputedFixture f;
  Index idx(f.ws);
  idx.refresh();
  REQUIRE(idx.broken_files().empty());
  const auto& contact = crm::model::contact_type();
  CHECK(idx.computed_values(contact, "ana-popescu-a2b3")["rating"].dump() == "3.5"); // (2 + 5) / 2
  CHECK(idx.computed_values(contact, "ion-ionescu-c4d5")["rating"].dump() == "4.0");
  CHECK_FALSE(idx.computed_values(contact, "dana-marin-e6f7").contains("rating"));
}

TEST_CASE("index: response_rate is absent without outbound interactions") {
  ComputedFixture f;
  Index idx(f.ws);
  idx.refresh();
  // No direction at all (the rating is checked above).
  auto ion = idx.computed_values(crm::model::contact_type(), "ion-ionescu-c4d5");
  ion.erase("rating");
  CHECK(ion.dump() ==
        R"({"last_contact":"2026-11-19","interactions":1,"interactions_call":1,"interactions_email":0,)"
        R"("interactions_meeting":0,"interactions_text":0,"interactions_note":0,"interactions_chat":0,)"
        R"("inbound":0,"outbound":0,"orders":0,"score":0,"open_followups":0,"complaints":0})");
  // Inbound only: still no rate, not a division by zero.
  CHECK(idx.computed_values(crm::model::contact_type(), "dana-marin-e6f7").dump() ==
        R"({"last_contact":"2026-11-25","interactions":2,"interactions_call":0,"interactions_email":0,)"
        R"("interactions_meeting":0,"interactions_text":2,"interactions_note":0,"interactions_chat":0,)"
        R"("inbound":2,"outbound":0,"orders":0,"score":0,"open_followups":0,"complaints":0})");
}

TEST_CASE("index: a contact with nothing has counts of 0 and no dates, rate or rating") {
  ComputedFixture f;
  Index idx(f.ws);
  idx.refresh();
  CHECK(idx.computed_values(crm::model::contact_type(), "bo-gol-g8h9").dump() ==
        R"({"interactions":0,"interactions_call":0,"interactions_email":0,"interactions_meeting":0,)"
        R"("interactions_text":0,"interactions_note":0,"interactions_chat":0,"inbound":0,"outbound":0,)"
        R"("orders":0,"score":0,"open_followups":0,"complaints":0})");
  CHECK(idx.computed_values(crm::model::contact_type(), "no-such-k7q2").dump() == "{}");
  CHECK(idx.computed_values(crm::model::company_type(), "bo-gol-g8h9").dump() == "{}");
}

TEST_CASE("index: a stage change alone is not an interaction") {
  ComputedFixture f;
  write_text(f.dir / "activities" / "2026" / "11" / "2026-11-24-stage-bo-gol-gggg.yaml",
             "id: 2026-11-24-stage-bo-gol-gggg\nkind: stage\ncontact: bo-gol-g8h9\n"
             "at: 2026-11-24T12:00:00+02:00\nto: lead\nsummary: \"stage: lead\"\n");
  Index idx(f.ws);
  idx.refresh();
  REQUIRE(idx.broken_files().empty());
  const auto v = idx.computed_values(crm::model::contact_type(), "bo-gol-g8h9");
  CHECK(v["interactions"] == 0);
  CHECK_FALSE(v.contains("last_contact"));
}

TEST_CASE("index: an activity's contact_name follows the contact") {
  ComputedFixture f;
  Index idx(f.ws);
  idx.refresh();
  CHECK(idx.computed_values(crm::model::activity_type(), "2026-11-19-call-ion-ionescu-bbba").dump() ==
        R"({"contact_name":"Ion Ionescu"})");
  f.contact("ion-ionescu-c4d5", "Ion Ionescu-Marin");
  idx.refresh();
  CHECK(idx.computed_values(crm::model::activity_type(), "2026-11-19-call-ion-ionescu-bbba").dump() ==
        R"({"contact_name":"Ion Ionescu-Marin"})");
}

TEST_CASE("index: computed values follow the files: a logged call and a finished follow-up") {
  ComputedFixture f;
  Index idx(f.ws);
  idx.refresh();
  f.activity("2026-11-26-call-ion-ionescu-bbbb", "call", "ion-ionescu-c4d5", "2026-11-26T09:00:00+02:00", "out");
  f.followup("2026-11-15-ana-popescu-ddde", "ana-popescu-a2b3", "2026-11-28", "done");
  idx.refresh();
  const auto ion = idx.computed_values(crm::model::contact_type(), "ion-ionescu-c4d5");
  CHECK(ion["last_contact"] == "2026-11-26");
  CHECK(ion["interactions"] == 2);
  CHECK(ion["response_rate"] == 0);
  const auto ana = idx.computed_values(crm::model::contact_type(), "ana-popescu-a2b3");
  CHECK(ana["open_followups"] == 1);
  CHECK(ana["next_followup"] == "2026-12-01");
}

// ------------------------------------------------------------------ list, fields and sort

TEST_CASE("index: list --fields with computed columns, absent values left out") {
  ComputedFixture f;
  Index idx(f.ws);
  idx.refresh();
  std::vector<std::string> rows;
  idx.each_projected(crm::model::contact_type(), ListQuery{},
                     {"id", "last_contact", "interactions", "response_rate", "open_followups", "name"},
                     [&](Record&& r) { rows.push_back(r.dump()); });
  CHECK(rows == std::vector<std::string>{
                    R"({"id":"ana-popescu-a2b3","last_contact":"2026-11-23","interactions":5,"response_rate":33,"open_followups":2,"name":"Ana Popescu"})",
                    R"({"id":"bo-gol-g8h9","interactions":0,"open_followups":0,"name":"Bo Gol"})",
                    R"({"id":"cy-gol-j2k3","interactions":0,"open_followups":0,"name":"Cy Gol"})",
                    R"({"id":"dana-marin-e6f7","last_contact":"2026-11-25","interactions":2,"open_followups":0,"name":"Dana Marin"})",
                    R"({"id":"ion-ionescu-c4d5","last_contact":"2026-11-19","interactions":1,"open_followups":0,"name":"Ion Ionescu"})",
                });
}

TEST_CASE("index: list --fields rating gives each contact's average rating") {
  ComputedFixture f;
  Index idx(f.ws);
  idx.refresh();
  std::vector<std::string> rows;
  idx.each_projected(crm::model::contact_type(), ListQuery{}, {"id", "rating"},
                     [&](Record&& r) { rows.push_back(r.dump()); });
  CHECK(rows == std::vector<std::string>{
                    R"({"id":"ana-popescu-a2b3","rating":3.5})",
                    R"({"id":"bo-gol-g8h9"})",
                    R"({"id":"cy-gol-j2k3"})",
                    R"({"id":"dana-marin-e6f7"})",
                    R"({"id":"ion-ionescu-c4d5","rating":4.0})",
                });
}

TEST_CASE("index: list sorts by a computed field, as a number, ties by name") {
  ComputedFixture f;
  Index idx(f.ws);
  idx.refresh();
  const auto& contact = crm::model::contact_type();
  CHECK(ids(idx.list(contact, sorted_by("-interactions"))) ==
        std::vector<std::string>{"ana-popescu-a2b3", "dana-marin-e6f7", "ion-ionescu-c4d5", "bo-gol-g8h9",
                                 "cy-gol-j2k3"});
  CHECK(ids(idx.list(contact, sorted_by("interactions"))) ==
        std::vector<std::string>{"bo-gol-g8h9", "cy-gol-j2k3", "ion-ionescu-c4d5", "dana-marin-e6f7",
                                 "ana-popescu-a2b3"});
}

TEST_CASE("index: sorting by a computed field puts records without a value last, either way") {
  ComputedFixture f;
  Index idx(f.ws);
  idx.refresh();
  const auto& contact = crm::model::contact_type();
  CHECK(ids(idx.list(contact, sorted_by("-response_rate"))) ==
        std::vector<std::string>{"ana-popescu-a2b3", "bo-gol-g8h9", "cy-gol-j2k3", "dana-marin-e6f7",
                                 "ion-ionescu-c4d5"});
  CHECK(ids(idx.list(contact, sorted_by("-last_contact"))) ==
        std::vector<std::string>{"dana-marin-e6f7", "ana-popescu-a2b3", "ion-ionescu-c4d5", "bo-gol-g8h9",
                                 "cy-gol-j2k3"});
  CHECK(ids(idx.list(contact, sorted_by("last_contact"))) ==
        std::vector<std::string>{"ion-ionescu-c4d5", "ana-popescu-a2b3", "dana-marin-e6f7", "bo-gol-g8h9",
                                 "cy-gol-j2k3"});
}

TEST_CASE("index: list sorts by rating, best first with -rating, unrated last") {
  ComputedFixture f;
  Index idx(f.ws);
  idx.refresh();
  const auto& contact = crm::model::contact_type();
  CHECK(ids(idx.list(contact, sorted_by("-rating"))) ==
        std::vector<std::string>{"ion-ionescu-c4d5", "ana-popescu-a2b3", "bo-gol-g8h9", "cy-gol-j2k3",
                                 "dana-marin-e6f7"});
  CHECK(ids(idx.list(contact, sorted_by("rating"))) ==
        std::vector<std::string>{"ana-popescu-a2b3", "ion-ionescu-c4d5", "bo-gol-g8h9", "cy-gol-j2k3",
                                 "dana-marin-e6f7"});
}

TEST_CASE("index: sort, limit and a condition on computed fields together") {
  ComputedFixture f;
  Index idx(f.ws);
  idx.refresh();
  ListQuery q = sorted_by("-interactions");
  q.conditions.push_back(Condition{"interactions", ">=", "2"});
  CHECK(ids(idx.list(crm::model::contact_type(), q)) ==
        std::vector<std::string>{"ana-popescu-a2b3", "dana-marin-e6f7"});
  q.limit = 1;
  CHECK(ids(idx.list(crm::model::contact_type(), q)) == std::vector<std::string>{"ana-popescu-a2b3"});
  // "10" compares as a number: nobody has 10 interactions, though "5" > "10" as text.
  ListQuery many;
  many.conditions.push_back(Condition{"interactions", ">=", "10"});
  CHECK(idx.list(crm::model::contact_type(), many).empty());
}

TEST_SUITE_END();
