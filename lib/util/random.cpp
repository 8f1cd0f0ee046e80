#include "util/random.hpp"

#include <random>
#include <string_view>

namespace crm {

std::string random_token(std::size_t length) {
  static constexpr std::string_view alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::string out(length, ' ');
  for (auto& c : out) c = alphabet[pick(rng)];
  return out;
}

} // namespace crm
