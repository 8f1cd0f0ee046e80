#pragma once
// Emails and phone numbers: validation and the normalized keys used to match them.

#include <optional>
#include <string>
#include <string_view>

namespace crm::contact_point {

// RFC 5322's addr-spec as people write it: one '@', a non-empty local part, a
// domain of one or more labels ("a@localhost", "x@invalid"), no spaces, control
// characters or , ; < >. Internationalized addresses are allowed.
bool is_valid_email(std::string_view address);

// Case-folded address, the key emails are matched by.
std::string email_key(std::string_view address);

// The number with Arabic-Indic, Persian and full-width digits (and full-width
// + - ( ) . /, no-break and ideographic spaces) as ASCII; left-to-right and
// right-to-left marks dropped. Anything else is kept as it is.
std::string ascii_phone(std::string_view number);

// True when the text could be a phone number: only digits (of any of the forms
// ascii_phone reads), spaces and + - . ( ) /, with at least 5 digits. Cheap:
// decides whether to load libphonenumber at all.
bool looks_like_phone(std::string_view text);

// E.164 form ("+40722123456") of `number`, read in `region` (ISO 3166 alpha-2,
// e.g. "RO") when it has no country code. nullopt when libphonenumber cannot
// parse it as a possible number.
std::optional<std::string> to_e164(std::string_view number, std::string_view region);

// Hands this thread an answer of to_e164 worked out on another one (an import
// reads rows ahead on a second thread), so asking for it next costs nothing.
// Only the last few answers are kept.
void remember_e164(std::string_view number, std::string_view region, std::optional<std::string> e164);

} // namespace crm::contact_point
