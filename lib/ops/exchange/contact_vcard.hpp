#pragma once
// Contacts and vCards: what a card says as a contact record (for import:
// contact_from_card.cpp), the card for a stored contact and the cards of the
// contacts a filter selects (for export: card_from_contact.cpp).
//
// Reading a card (contact_from_card):
//   FN -> name (else N's given and family name, else ORG, else the first email);
//   N -> family_name, given_name, middle_name, name_prefix, name_suffix (an N that
//   is only the name as given name, as export writes it, sets none); EMAIL, TEL ->
//   emails, phones, the first PREF one first, labelled from the group's
//   X-ABLabel, else from TYPE (cell/mobile/iphone -> mobile, fax/homefax/workfax ->
//   fax, home-fax or work-fax, pager, home, work, other, main; pref, voice,
//   internet... dropped; any other type, lower-case); an address or number that is not valid goes to vcard_extra;
//   ADR (the first PREF one, else the first) -> address (street, then extended),
//   city, region, postal_code, country (an ISO code from a 2-letter code or a
//   country name in a small table); ORG -> company (its first component); TITLE;
//   BDAY, ANNIVERSARY (and X-ANNIVERSARY, X-MS-ANNIVERSARY,
//   X-EVOLUTION-ANNIVERSARY) -> birthday, anniversary when they hold a date; URL ->
//   website; NOTE -> notes; CATEGORIES -> tags (slugs, split on every comma);
//   X-SOCIALPROFILE, IMPP, X-AIM, X-SKYPE, X-GTALK... -> social {network: value};
//   PHOTO embedded -> photo, PHOTO URL -> vcard_extra. Of a property that maps to
//   one field, the first one does; the later ones go to vcard_extra. PRODID, REV
//   and X-CRM-REJECT-REASON are dropped; every other property goes to vcard_extra
//   as written (unfolded; a 2.1 card's in 3.0 syntax: vcard::modern_line).
//   The ORG, ADR and URL that set a field, and CATEGORIES, stay in vcard_extra as
//   well when the field cannot hold all they say (units, TYPE, item group, PO box,
//   a country as written, a category's text) or when a later one of the same name
//   stays; card_from_contact writes the field into that line instead of a second one.
// So card -> contact -> card -> contact gives the same contact.

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "format/vcard.hpp"
#include "index/index.hpp"
#include "model/record_type.hpp"
#include "ops/records/session.hpp"

namespace crm::ops {

struct CardPhoto {
  std::string bytes;
  std::string extension; // "jpg", "png", "gif", "bmp", "webp": told by the bytes
};

struct ContactFromCard {
  // Contact fields; "company" holds the organization NAME (text), not an id: the
  // importer resolves or creates the company. No id, created or updated.
  model::Record contact;
  // An embedded photo (base64, b-encoded or a data: URI); a PHOTO URL goes to
  // vcard_extra, never pasted in YAML.
  std::optional<CardPhoto> photo;
  // Things skipped or guessed, lowercase ("photo in unknown format skipped"), after
  // the reader's own warnings for the card.
  std::vector<std::string> warnings;
};

// Throws Error(invalid_data) "SOURCE:LINE: card has no name" (LINE: the card's
// BEGIN line) when no name can be found at all.
ContactFromCard contact_from_card(const vcard::Card& card, std::string_view source_name);

// The property a --rejects file of vCards gives each rejected card its reason in;
// import drops it, so that a corrected rejects file imports as it is.
inline constexpr std::string_view kRejectReasonProperty = "X-CRM-REJECT-REASON";

// The card for a stored contact. company_name: the name of the company its
// `company` id names ("" when none); photo: its photo file (photo_of). FN, N (the
// five name fields; the name as the given name when there are none) and UID (the
// one it came with, else one made from its id) are always there. Each property
// crm has a field for is written once, from the field: a line vcard_extra kept
// for it (an ORG with units, an ADR with TYPE or PO box, a URL in an item group,
// CATEGORIES with their text) lends it what the field cannot hold. `version`
// ("3.0" or "4.0") decides the things that differ: date forms (4.0: 19800322,
// 3.0: 1980-03-22), PREF=1 or TYPE=pref, ANNIVERSARY or X-ANNIVERSARY, PHOTO as
// a data: URI or ENCODING=b, LABEL as a parameter of ADR or a property.
vcard::Card card_from_contact(const model::Record& contact, std::string_view company_name,
                              std::string_view version = "4.0", const std::optional<CardPhoto>& photo = std::nullopt);

// The photo of a contact whose files are in `dir` (files/<id>/photo.jpg, .png...),
// nullopt when it has none.
std::optional<CardPhoto> photo_of(const std::filesystem::path& dir);

// Hands the card (card_from_contact, with its company's name and its photo) of
// every contact the filter selects to `each`, one at a time in id order, for
// `crm export vcard` to write (vcard::write_card). Throws Error(usage) for a
// version other than 3.0 or 4.0 before the first.
void contact_cards(Session& session, const index::SqlExpr& where, std::string_view version,
                   const std::function<void(const vcard::Card&)>& each);

// The ISO 3166 code for a country as cards and CSV files write it: a code ("ch" ->
// CH, "UK" -> GB, "DEU") or a name in any language iso-codes translates to, any
// case and accents ("United Kingdom", "Deutschland", "Україна"); nullopt
// otherwise. See country::code_of.
std::optional<std::string> country_code(std::string_view text);

// A vCard date as crm stores it: 19800322, 1980-03-22, --0322, --03-22, with a
// time after 'T' ignored -> "1980-03-22" or "--03-22"; nullopt for anything else.
std::optional<std::string> card_date(std::string_view value);

} // namespace crm::ops
