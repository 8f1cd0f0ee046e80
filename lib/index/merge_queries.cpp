#include "index/merge_queries.hpp"

#include "index/index_impl.hpp"
#include "model/record_type.hpp"

namespace crm::index {

std::vector<ContactNames> contact_names(const Index& index) {
  std::vector<ContactNames> out;
  const SqlExpr q{"SELECT id, name, sort_key, json_extract(data, ?), json_extract(data, ?), json_extract(data, ?)"
                  " FROM contacts ORDER BY id",
                  {json_path("created"), json_path("given_name"), json_path("family_name")}};
  run_query(index, q, [&](SQLite::Statement& st) {
    out.push_back({st.getColumn(0).getString(), st.getColumn(1).getString(), st.getColumn(2).getString(),
                   text_or_none(st.getColumn(3)), text_or_none(st.getColumn(4)),
                   text_or_none(st.getColumn(5))});
  });
  return out;
}

std::vector<SharedValue> shared_values(const Index& index, ContactPoint point) {
  const char* sql = point == ContactPoint::email
                        ? "SELECT address_key, record_id FROM emails WHERE type = ? AND address_key <> ''"
                          " ORDER BY address_key, record_id"
                        : "SELECT e164, record_id FROM phones WHERE type = ? AND e164 <> '' ORDER BY e164, record_id";
  std::vector<SharedValue> out;
  SharedValue group;
  const auto flush = [&] {
    if (group.ids.size() > 1) out.push_back(std::move(group));
    group = {};
  };
  run_query(index, {sql, {std::string(model::contact_type().name)}}, [&](SQLite::Statement& st) {
    std::string value = st.getColumn(0).getString();
    if (value != group.value) {
      flush();
      group.value = std::move(value);
    }
    group.ids.push_back(st.getColumn(1).getString());
  });
  flush();
  return out;
}

std::vector<std::string> campaigns_with_member(const Index& index, const std::string& contact_id) {
  return first_column(index, {"SELECT id FROM campaigns WHERE EXISTS (SELECT 1 FROM json_each(campaigns.data, ?)"
                              " WHERE value = ?) ORDER BY id",
                              {json_path("audience"), contact_id}});
}

} // namespace crm::index
