// libFuzzer target: the vCard reader (format/vcard.hpp) and what import makes of
// each card (ops/exchange/contact_vcard.hpp), on any bytes. A card it cannot read is a
// crm::Error and reading goes on with the next; anything else is a bug.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "format/vcard.hpp"
#include "ops/exchange/contact_vcard.hpp"
#include "util/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  crm::vcard::Reader reader(in, "fuzz.vcf");
  crm::vcard::Card card;
  // Each call either gives a card, ends, or throws for one card and goes on after
  // it: the input is finite, so the number of calls is bounded by its lines.
  for (std::size_t calls = 0; calls <= size + 1; ++calls) {
    try {
      if (!reader.next(card)) return 0;
      const auto contact = crm::ops::contact_from_card(card, "fuzz.vcf");
      (void)contact;
    } catch (const crm::Error&) {
    }
  }
  __builtin_trap(); // the reader did not move on
}
