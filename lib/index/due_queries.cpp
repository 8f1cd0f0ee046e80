#include "index/due_queries.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "index/computed.hpp"
#include "index/index_impl.hpp"
#include "model/record_type.hpp"

namespace crm::index {
namespace {

std::string text_or_empty(const SQLite::Column& c) { return c.isNull() ? "" : c.getString(); }

} // namespace

std::vector<FollowupDue> open_followups_before(const Index& index, const std::string& before) {
  std::vector<FollowupDue> out;
  run_query(index, {"SELECT f.id, f.due, f.contact, c.name, json_extract(f.data, '$.summary')"
               " FROM followups f LEFT JOIN contacts c ON c.id = f.contact"
               " WHERE f.status = 'open' AND f.due < ? ORDER BY f.due, c.sort_key, f.id",
               {before}},
              [&](SQLite::Statement& st) {
                out.push_back({st.getColumn(0).getString(), st.getColumn(1).getString(), st.getColumn(2).getString(),
                               st.getColumn(3).getString(), st.getColumn(4).getString()});
              });
  return out;
}

std::vector<YearlyDates> contacts_with_yearly_dates(const Index& index) {
  std::vector<YearlyDates> out;
  run_query(index, {"SELECT id, name, json_extract(data, '$.birthday'), json_extract(data, '$.anniversary')"
               " FROM contacts WHERE json_extract(data, '$.birthday') IS NOT NULL"
               " OR json_extract(data, '$.anniversary') IS NOT NULL ORDER BY sort_key, id",
               {}},
              [&](SQLite::Statement& st) {
                YearlyDates d{st.getColumn(0).getString(), st.getColumn(1).getString(), std::nullopt, std::nullopt};
                if (!st.getColumn(2).isNull()) d.birthday = st.getColumn(2).getString();
                if (!st.getColumn(3).isNull()) d.anniversary = st.getColumn(3).getString();
                out.push_back(std::move(d));
              });
  return out;
}

std::vector<CadenceContact> cadence_contacts(const Index& index, bool own_cadence_only) {
  const auto& type = model::contact_type();
  const std::string last = computed_sql(type, *find_computed(type, "last_contact"));
  const std::string bought = computed_sql(type, *find_computed(type, "last_purchase"));
  const std::string sql = fmt::format("SELECT id, name, json_extract(data, '$.cadence'), stage,"
                                      " json_extract(data, '$.tags'), substr(json_extract(data, '$.created'), 1, 10),"
                                      " {}, {} FROM contacts {} ORDER BY sort_key, id",
                                      last, bought,
                                      own_cadence_only ? "WHERE json_extract(data, '$.cadence') IS NOT NULL" : "");
  std::vector<CadenceContact> out;
  run_query(index, {sql, {}}, [&](SQLite::Statement& st) {
    CadenceContact c;
    c.id = st.getColumn(0).getString();
    c.name = st.getColumn(1).getString();
    c.cadence = text_or_empty(st.getColumn(2));
    c.stage = text_or_empty(st.getColumn(3));
    if (!st.getColumn(4).isNull()) {
      const auto tags = nlohmann::json::parse(st.getColumn(4).getString());
      if (tags.is_array())
        for (const auto& t : tags)
          if (t.is_string()) c.tags.push_back(t.get<std::string>());
    }
    c.created = st.getColumn(5).getString();
    c.last_contact = text_or_empty(st.getColumn(6));
    c.last_purchase = text_or_empty(st.getColumn(7));
    out.push_back(std::move(c));
  });
  return out;
}

} // namespace crm::index
