#pragma once
// Contacts and vCards: what a card says as a contact record (for import), the
// card for a stored contact, and the export of contacts as vCards.
//
// Reading a card (contact_from_card):
//   FN -> name (else N's given and family name, else ORG, else the first email);
//   N -> family_name, given_name (middle names, prefixes and suffixes are dropped:
//   FN holds them); EMAIL, TEL -> emails, phones, labelled from the group's
//   X-ABLabel, else from TYPE (cell/mobile/iphone -> mobile, fax/homefax/workfax ->
//   fax, pager, home, work, other, main; pref, voice, internet... dropped; any other
//   type, lower-case); an address or number that is not valid goes to vcard_extra;
//   ADR (the first PREF one, else the first) -> address (street, then extended),
//   city, region, postal_code, country (an ISO code from a 2-letter code or a
//   country name in a small table); the ADR line is kept in vcard_extra as well when
//   it has a PO box or a country the table does not know; ORG -> company (its
//   first component; the ORG line is kept in vcard_extra as well when it has more);
//   TITLE; BDAY, ANNIVERSARY (and X-ANNIVERSARY, X-MS-ANNIVERSARY,
//   X-EVOLUTION-ANNIVERSARY) -> birthday, anniversary when they hold a date; URL ->
//   website; NOTE -> notes; CATEGORIES -> tags (slugs, split on every comma);
//   X-SOCIALPROFILE, IMPP, X-AIM, X-SKYPE, X-GTALK... -> social {network: value};
//   PHOTO embedded -> photo, PHOTO URL -> vcard_extra. Of a property that maps to
//   one field, the first one does; the later ones go to vcard_extra. PRODID and REV
//   are dropped; every other property goes to vcard_extra as written (unfolded).
// So card -> contact -> card -> contact gives the same contact.

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "format/vcard.hpp"
#include "index/index.hpp"
#include "model/record_type.hpp"
#include "ops/session.hpp"

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

// The card for a stored contact. company_name: the name of the company its
// `company` id names ("" when none). `version` ("3.0" or "4.0") decides the few
// things that differ: date forms (4.0: 19800322, 3.0: 1980-03-22), PREF=1 or
// TYPE=pref on the address, ANNIVERSARY or X-ANNIVERSARY.
vcard::Card card_from_contact(const model::Record& contact, std::string_view company_name,
                              std::string_view version = "4.0");

// Writes every contact the filter selects as vCards to `out` (streaming, in id
// order). Throws Error(usage) for a version other than 3.0 or 4.0 before writing.
void export_vcards(Session& session, const index::SqlExpr& where, const vcard::WriteOptions& options,
                   std::ostream& out);

// The ISO 3166 code for a country as cards and CSV files write it: a code ("ch" ->
// CH, "UK" -> GB, "DEU") or a name in any language iso-codes translates to, any
// case and accents ("United Kingdom", "Deutschland", "Україна"); nullopt
// otherwise. See country::code_of.
std::optional<std::string> country_code(std::string_view text);

// A vCard date as crm stores it: 19800322, 1980-03-22, --0322, --03-22, with a
// time after 'T' ignored -> "1980-03-22" or "--03-22"; nullopt for anything else.
std::optional<std::string> card_date(std::string_view value);

} // namespace crm::ops
