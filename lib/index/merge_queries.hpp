#pragma once
// What `contact dupes` and `contact merge` ask the index.

#include <optional>
#include <string>
#include <vector>

#include "index/index.hpp"

namespace crm::index {

// A contact as duplicate finding compares it: names, folded for comparison.
struct ContactNames {
  std::string id, name, sort_key;
  std::optional<std::string> created, given_name, family_name; // as stored
};
// Every contact, by id.
std::vector<ContactNames> contact_names(const Index& index);

// Contacts that share one value: an email key or an E.164 number.
struct SharedValue {
  std::string value;
  std::vector<std::string> ids; // two or more, sorted
};
enum class ContactPoint { email, phone };
// Every value that two or more contacts share, in order of the value.
std::vector<SharedValue> shared_values(const Index& index, ContactPoint point);

// Campaigns whose audience lists `contact_id`, by id.
std::vector<std::string> campaigns_with_member(const Index& index, const std::string& contact_id);

} // namespace crm::index
