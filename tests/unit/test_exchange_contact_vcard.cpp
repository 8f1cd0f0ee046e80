// ops/contact_vcard: what every real-world card gives as a contact, the card
// for a contact, the round trip card -> contact -> card -> contact, and the export.

#include <doctest/doctest.h>

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "format/vcard.hpp"
#include "index/index.hpp"
#include "model/record_type.hpp"
#include "ops/exchange/contact_vcard.hpp"
#include "ops/records/records.hpp"
#include "ops/records/session.hpp"
#include "test_support.hpp"

using crm::model::Record;
using crm::ops::ContactFromCard;
using crm::vcard::Card;

namespace {

std::filesystem::path real_fixtures() {
  return std::filesystem::path(__FILE__).parent_path().parent_path() / "fixtures" / "real";
}

std::vector<crm::vcard::Card> cards_of(const std::string& file) {
  std::ifstream in(real_fixtures() / file, std::ios::binary);
  REQUIRE(in.good());
  crm::vcard::Reader reader(in, file);
  std::vector<crm::vcard::Card> cards;
  crm::vcard::Card card;
  while (reader.next(card)) cards.push_back(card);
  return cards;
}

std::vector<ContactFromCard> contacts_of(const std::string& file) {
  std::vector<ContactFromCard> out;
  for (const auto& card : cards_of(file)) out.push_back(crm::ops::contact_from_card(card, file));
  return out;
}

crm::vcard::Card read_one(const std::string& text) {
  std::istringstream in(text);
  crm::vcard::Reader reader(in, "t.vcf");
  crm::vcard::Card card;
  REQUIRE(reader.next(card));
  return card;
}

// "address" or "address (label)" for each entry.
std::vector<std::string> entries(const Record& c, const char* list, const char* key) {
  std::vector<std::string> out;
  if (!c.contains(list)) return out;
  for (const auto& e : c[list]) {
    std::string s = e[key].get<std::string>();
    if (e.contains("label")) s.append(" (").append(e["label"].get<std::string>()).append(")");
    out.push_back(s);
  }
  return out;
}

std::string field(const Record& c, const char* key) { return c.contains(key) ? c[key].get<std::string>() : ""; }

// The UID export gives a contact with this id and no UID of its own.
std::string uid_of(const std::string& id) {
  const auto card = crm::ops::card_from_contact(Record{{"id", id}, {"name", "x"}}, "", "4.0");
  for (const auto& p : card.properties)
    if (p.name == "UID") return p.value;
  return "";
}

// What `crm export vcard` writes: the cards contact_cards gives, as vcard::write_card writes them.
std::string written_cards(crm::ops::Session& s, const crm::index::SqlExpr& where, const std::string& version) {
  std::string out;
  crm::ops::contact_cards(s, where, version,
                          [&](const Card& card) { out += crm::vcard::write_card(card, {version}); });
  return out;
}

std::vector<std::string> extra_lines(const Record& c) {
  std::vector<std::string> out;
  std::istringstream in(field(c, "vcard_extra"));
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

bool has_extra(const Record& c, const std::string& line) {
  const auto lines = extra_lines(c);
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

struct Expected {
  std::string name;
  std::vector<std::string> emails;
  std::vector<std::string> phones;
};

void check_cards(const std::vector<ContactFromCard>& got, const std::vector<Expected>& want) {
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    CAPTURE(i);
    CHECK(field(got[i].contact, "name") == want[i].name);
    CHECK(entries(got[i].contact, "emails", "address") == want[i].emails);
    CHECK(entries(got[i].contact, "phones", "number") == want[i].phones);
    // Whatever a card holds, the contact is valid once it has an id.
    Record with_id = got[i].contact;
    with_id["id"] = "x";
    const auto problems = crm::model::check_record(crm::model::contact_type(), with_id);
    CHECK(problems.empty());
    for (const auto& p : problems) MESSAGE(p.key << ": " << p.message);
  }
}

} // namespace

TEST_SUITE_BEGIN("contact_vcard");

TEST_CASE("contact_vcard: aosp Shift_JIS names in N only, readings kept in vcard_extra") {
  const auto one = contacts_of("aosp-v21_japanese_1.vcf");
  check_cards(one, {{"安藤ロイド", {}, {"0300000000"}}});
  CHECK(field(one[0].contact, "family_name") == "安藤ロイド");
  CHECK(field(one[0].contact, "vcard_extra") == "SOUND;TYPE=X-IRMC-N:ｱﾝﾄﾞｳﾛｲﾄﾞ;;;;");

  const auto three = contacts_of("aosp-v21_multiple_entry.vcf");
  check_cards(three, {{"安藤ロイド3", {}, {}}, {"安藤ロイド4", {}, {}}, {"安藤ロイド5", {}, {}}});
  // Numbers of one or two digits are not phone numbers: kept as they came, in 3.0 syntax.
  CHECK(extra_lines(three[0].contact) == std::vector<std::string>{"SOUND;TYPE=X-IRMC-N:ｱﾝﾄﾞｳﾛｲﾄﾞ3;;;;",
                                                                  "TEL;TYPE=X-NEC-SECRET:9", "TEL;TYPE=X-NEC-HOTEL:10",
                                                                  "TEL;TYPE=X-NEC-SCHOOL:11", "TEL;TYPE=HOME,FAX:12"});
  CHECK(three[0].warnings.front() == "line 5: phone '9' does not look like a phone number: kept in vcard_extra");
  CHECK(has_extra(three[2].contact, "TEL;TYPE=X-NEC-RESTAURANT:20"));

  const auto winmo = contacts_of("aosp-v21_winmo_65.vcf");
  check_cards(winmo, {{"Example", {}, {}}});
  CHECK(field(winmo[0].contact, "anniversary") == "2009-10-10");
  CHECK(extra_lines(winmo[0].contact) == std::vector<std::string>{"AGENT:Invalid line which must be handled correctly.",
                                                                  "X-CLASS:PUBLIC", "X-REDUCTION:", "X-NO:"});
}

TEST_CASE("contact_vcard: ezvcard Android: cards named by email, QP names, a broken QP byte, a photo") {
  const auto c = contacts_of("ezvcard-John_Doe_ANDROID.vcf");
  check_cards(c, {{"john.doe@company.com", {"john.doe@company.com"}, {}},
                  {"jane.doe@company.com", {"jane.doe@company.com"}, {}},
                  {"Ñ Ñ Ñ Ñ Ñ", {}, {"123456789 (mobile)"}},
                  {"Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ", {}, {"123456 (mobile)", "234567 (home)", "3456789 (mobile)", "45678901 (home)"}},
                  {"Ñ Ñ Ñ Ñ", {"bob@company.com (work)"}, {"123456 (mobile)"}},
                  {"ÑÑÑÑ", {"henry@company.com"}, {"55556666 (mobile)"}}});
  CHECK(c[0].contact["tags"] == Record::array({"my-contacts"}));
  CHECK(field(c[4].contact, "given_name") == "Ñ Ñ Ñ");
  CHECK(field(c[4].contact, "company") == "ÑÑÑÑÑÑÑÑÑÑÑÑ");
  REQUIRE(c[4].photo);
  CHECK(c[4].photo->extension == "jpg");
  CHECK(c[4].photo->bytes.size() == 876);
  CHECK(c[4].warnings == std::vector<std::string>{"line 44: email 'ÑÑÑÑÑÑÑÑÑÑÑÑÑÑ' is not valid: kept in vcard_extra"});
  CHECK(c[5].warnings == std::vector<std::string>{"line 82: 'ORG' is not valid UTF-8: bad bytes replaced"});
  std::string forty_four;
  for (int i = 0; i < 44; ++i) forty_four += "Ñ";
  CHECK(field(c[5].contact, "company") == forty_four);
}

TEST_CASE("contact_vcard: ezvcard BlackBerry, Evolution, Gmail, Outlook") {
  const auto bb = contacts_of("ezvcard-John_Doe_BLACK_BERRY.vcf");
  check_cards(bb, {{"John Doe", {}, {"+96123456789 (mobile)"}}});
  REQUIRE(bb[0].photo);
  CHECK(bb[0].photo->extension == "jpg");
  CHECK(bb[0].photo->bytes.size() == 1674);
  CHECK_FALSE(bb[0].contact.contains("notes")); // NOTE: empty

  const auto evo = contacts_of("ezvcard-John_Doe_EVOLUTION.vcf");
  check_cards(evo, {{"Mr. John Richter, James Doe Sr.", {"john.doe@ibm.com (work)"},
                     {"905-666-1234 (mobile)", "905-555-1234 (work)"}}});
  const Record& e = evo[0].contact;
  CHECK(field(e, "address") == "15 Crescent moon drive");
  CHECK(field(e, "country") == "US");
  CHECK(e["social"] == Record{{"aim", "johnny5@aol.com"}});
  CHECK(field(e, "anniversary") == "1980-03-22");
  CHECK(e["tags"] == Record::array({"vip"}));
  CHECK(has_extra(e, "ADR;TYPE=HOME:ASB-123;;15 Crescent moon drive;Albaney;New York;12345;United States of America"));
  CHECK(has_extra(e, "ORG:IBM;Accounting;Dungeon"));
  CHECK(has_extra(e, "UID:477343c8e6bf375a9bac1f96a5000837"));
  CHECK_FALSE(has_extra(e, "REV:2012-03-05T13:32:54Z"));

  const auto gmail = contacts_of("ezvcard-John_Doe_GMAIL.vcf");
  check_cards(gmail, {{"Mr. John Richter, James Doe Sr.", {"john.doe@ibm.com (home)"},
                       {"905-555-1234 (mobile)", "905-666-1234 (home)"}}});
  CHECK(field(gmail[0].contact, "address") ==
        "Crescent moon drive\n555-asd\nNice Area, Albaney, New York 12345\nUnited States of America\n");
  CHECK(field(gmail[0].contact, "website") == "http://www.ibm.com");
  CHECK(has_extra(gmail[0].contact, "item1.X-ABLabel:_$!<Anniversary>!$_"));
  CHECK(field(gmail[0].contact, "notes").find("\"AS IS\"") != std::string::npos);

  const auto outlook = contacts_of("ezvcard-John_Doe_MS_OUTLOOK.vcf");
  check_cards(outlook, {{"Mr. John Richter James Doe Sr.", {"john.doe@ibm.cm"},
                         {"(905) 555-1234 (work)", "(905) 666-1234 (home)"}}});
  CHECK(field(outlook[0].contact, "anniversary") == "2011-01-13");
  CHECK(field(outlook[0].contact, "city") == "Albaney");
  CHECK(field(outlook[0].contact, "notes").size() == 731); // one unfolded line of 731 characters
  CHECK(has_extra(outlook[0].contact, "LABEL;TYPE=HOME:Silicon Alley 5\\,\\nNew York\\, New York  12345"));
  REQUIRE(outlook[0].photo); // base64 on the lines after an empty-looking PHOTO line
  CHECK(outlook[0].photo->bytes.size() == 860);

  const auto o2007 = contacts_of("ezvcard-outlook-2007.vcf");
  check_cards(o2007, {{"Mr. Michael Angstadt Jr.", {"mike.angstadt@gmail.com"},
                       {"(111) 555-1111 (work)", "(111) 555-2222 (home)", "(111) 555-4444 (mobile)", "(111) 555-3333 (work-fax)"}}});
  const Record& o = o2007[0].contact;
  CHECK(field(o, "notes") == "This is the NOTE field\t\nI assume it encodes this text inside a NOTE vCard type.\n"
                             "But I'm not sure because there's text formatting going on here.\n"
                             "It does not preserve the formatting\n");
  CHECK(field(o, "address") == "222 Broadway\nTheOffice\n");
  CHECK(field(o, "birthday") == "1922-03-10");
  CHECK(has_extra(o, "X-MS-TEL;TYPE=VOICE,CALLBACK:(111) 555-4444"));
  CHECK(has_extra(o, "LABEL;TYPE=WORK,PREF:222 Broadway\\nNew York\\, NY 99999\\nUSA"));
  REQUIRE(o2007[0].photo);
  CHECK(o2007[0].photo->bytes.size() == 2324);
}

TEST_CASE("contact_vcard: ezvcard 4.0 FullContact, Gmail exports, Thunderbird add-on") {
  const auto fc = contacts_of("ezvcard-fullcontact.vcf");
  check_cards(fc, {{"Prefix FirstName MiddleName LastName Suffix",
                    {"home@example.com (home)", "work@example.com (work)", "school@example.com (school)",
                     "other@example.com (other)", "custom@example.com (customtype)"},
                    {"555-555-1111 (home)", "555-555-1112 (work)", "555-555-1113 (mobile)", "555-555-1114 (mobile)",
                     "555-555-1115", "555-555-1116 (home-fax)", "555-555-1117 (work-fax)", "555-555-1118", "555-555-1119"}}});
  const Record& f = fc[0].contact;
  CHECK(field(f, "company") == "Organization1");
  CHECK(field(f, "title") == "Title1");
  CHECK(field(f, "birthday") == "2016-08-01");
  CHECK(f["social"] == Record{{"gtalk", "xmpp:gtalk"}, {"skype", "skype:skype"}, {"yahoo", "ymsgr:yahoo"},
                              {"aim", "aim:aim"}, {"jabber", "xmpp:jabber"}, {"other", "other:other"},
                              {"customtype", "customtype:custom"}});
  CHECK(has_extra(f, "PHOTO:https://d3m0kzytmr41b1.cloudfront.net/c335e945d1b60edd9d75eb4837c432f637e95c8a"));
  CHECK(has_extra(f, "BDAY;ALTID=1;VALUE=text:2016-08-01"));
  CHECK(has_extra(f, "ORG:Organization2;Department2"));
  CHECK(has_extra(f, "ADR;TYPE=home:;HomeExtended;HomeStreet;HomeCity;HomeState;HomePostal;HomeCountry"));
  CHECK_FALSE(has_extra(f, "PRODID:ez-vcard 0.9.14-fc"));
  CHECK_FALSE(fc[0].photo);

  check_cards(contacts_of("ezvcard-gmail-list.vcf"), {{"Arnold Smith", {"asmithk@gmail.com"}, {}},
                                                      {"Chris Beatle", {"chrisy55d@yahoo.com"}, {}},
                                                      {"Doug White", {"dwhite@gmail.com"}, {}}});

  const auto single = contacts_of("ezvcard-gmail-single2.vcf");
  check_cards(single, {{"VCard Test",
                        {"email@example.com", "homeemail@example.com (home)", "workemail@example.com (work)",
                         "otheremail@example.com", "customcategory@example.com (CustomEmailCategory)"},
                        {"5555551111", "5555551112 (home)", "5555551113 (work)", "5555551114", "5555551115 (mobile)",
                         "5555551116 (main)", "5555551117 (home-fax)", "5555551118 (work-fax)", "5555551119 (GRAND_CENTRAL)",
                         "5555551120 (pager)", "5555551121 (CustomePhoneCategory)"}}});
  const Record& s = single[0].contact;
  CHECK(s["social"].size() == 8);
  CHECK(s["social"]["skype"] == "IM5");
  CHECK(field(s, "address") == "111 Main St");
  CHECK(has_extra(s, "item4.ADR:;;115 Main St;NY;New York;10011;"));
  CHECK(has_extra(s, "item4.X-ABLabel:CustomAddressCategory"));
  CHECK_FALSE(has_extra(s, "item1.X-ABLabel:CustomEmailCategory")); // it labels the email
  CHECK(has_extra(s, "item5.URL:http\\://www.example2.com"));

  const auto tb = contacts_of("ezvcard-thunderbird-MoreFunctionsForAddressBook-extension.vcf");
  check_cards(tb, {{"John Doe",
                    {"doe.john@hotmail.com", "additional-email@company.com", "additional-email1@company.com",
                     "additional-email2@company.com", "additional-email3@company.com"},
                    {"555-555-1111 (work)", "555-555-2222 (home)", "555-555-5555 (mobile)", "555-555-3333 (fax)",
                     "555-555-4444 (pager)"}}});
  CHECK(tb[0].contact["tags"] == Record::array({"category1", "category2", "category3"}));
  CHECK(field(tb[0].contact, "anniversary") == "1990-04-30");
  REQUIRE(tb[0].photo);
  CHECK(tb[0].photo->bytes.size() == 8940);
}

TEST_CASE("contact_vcard: kcontacts lower-case names, no VERSION, Apple items") {
  const auto v3 = contacts_of("kcontacts-vcard3.vcf");
  check_cards(v3, {{"ian geiser", {"geiseri@yahoo.com"}, {}}});
  CHECK(extra_lines(v3[0].contact) == std::vector<std::string>{"UID:ebvq9Wo9rO", "X-MOZILLA-HTML:FALSE", "X-MOZILLA-CPT:;0"});

  const auto v4 = contacts_of("kcontacts-vcard4.vcf");
  check_cards(v4, {{"Ximian, Inc.", {"hello@ximian.com"}, {"(617) 236-0442 (work)", "(617) 236-8630 (work-fax)"}}});
  CHECK(has_extra(v4[0].contact, "LABEL;TYPE=WORK:401 Park Drive  3 West\\nBoston\\, MA 02215\\nUSA"));

  const auto apple = contacts_of("kcontacts-vcardwithitemasapplesupport.vcf");
  check_cards(apple, {{"Name of Broken Card", {}, {"(111) 111-1111 (work)"}}});
  CHECK(field(apple[0].contact, "city") == "CITY");
  CHECK_FALSE(apple[0].contact.contains("country"));
  CHECK(has_extra(apple[0].contact, "item1.ADR;TYPE=WORK,pref:;;STREET;CITY;STATE;ZIP;COUNTRY"));
}

TEST_CASE("contact_vcard: roundcube Apple, csv2vcard, windows-1252, The Bat!, UTF-16") {
  const auto apple = contacts_of("roundcube-apple.vcf");
  check_cards(apple, {{"Apple Computer AG", {}, {}}});
  CHECK(field(apple[0].contact, "company") == "Apple Computer AG");
  CHECK(field(apple[0].contact, "city") == "Wallisellen-Zürich");
  CHECK(field(apple[0].contact, "country") == "CH");
  CHECK(field(apple[0].contact, "website") == "http://www.apple.ch");
  REQUIRE(apple[0].photo);
  CHECK(apple[0].photo->bytes.size() == 2043);

  const auto gmail = contacts_of("roundcube-csv2vcard-expected-gmail.vcf");
  check_cards(gmail, {{"Prefix Firstname Middle Lastname Suffix",
                       {"home@aaa.pl (home)", "work@email.pl (work)", "unknown@email.com", "other@email.com"},
                       {}}});
  CHECK(gmail[0].contact["tags"] == Record::array({"my-contacts", "test"}));
  CHECK(has_extra(gmail[0].contact, "TEL;TYPE=homefax:homefax"));
  CHECK(gmail[0].warnings.size() == 7);

  const auto tb = contacts_of("roundcube-csv2vcard-expected-tb_plain.vcf");
  check_cards(tb, {{"Displayname", {"test@domain.tld (home)", "next@domain.tld"}, {}}});
  CHECK(field(tb[0].contact, "country") == "US");

  const auto doe = contacts_of("roundcube-johndoe.vcf");
  check_cards(doe, {{"John Doë", {"roundcube@gmail.com (home)", "inbox@roundcube.net (work)"},
                     {"+123456789 (work)", "+987654321 (mobile)"}}});
  CHECK(field(doe[0].contact, "country") == "KY");
  CHECK(doe[0].warnings.empty());

  const auto bat = contacts_of("roundcube-thebat.vcf");
  check_cards(bat, {{"Piotr Iksiñski", {"piotr.iksinski@somedomain.com"}, {}}});
  CHECK(bat[0].warnings == std::vector<std::string>{
                               "line 3: 'N' is not UTF-8 and names no charset: read as windows-1252",
                               "line 4: 'FN' is not UTF-8 and names no charset: read as windows-1252"});

  const auto utf16 = contacts_of("roundcube-utf-16_sample.vcf");
  check_cards(utf16, {{"Ǽgean ĽdaMonté", {}, {}}});
  CHECK(field(utf16[0].contact, "region") == "Conceptión");
  CHECK(field(utf16[0].contact, "country") == "PE");
}

TEST_CASE("contact_vcard: Thunderbird CR CR LF, tine20 Latin-1, iOS, Mac OS X, Roundcube") {
  check_cards(contacts_of("thunderbird-dos_vcard_addressbook.vcf"),
              {{"Name Surname", {"example@gmail.com (home)"}, {}}});

  const auto falk = contacts_of("tine20-HerrFalkMuenchen.vcf");
  check_cards(falk, {{"München, Falk", {"falk.muenchoen@landtag.xyz.de"}, {"12212/1212 (home)", "0171-9394461 (mobile)"}}});
  CHECK(has_extra(falk[0].contact, "LABEL;TYPE=HOME:Klippe 58\\n21255 Bad Vilbel"));
  CHECK(has_extra(falk[0].contact, "ADR;TYPE=WORK:;;Platz der Republik 1;Düsseldorf;;40222"));
  CHECK(falk[0].warnings.size() == 7); // two more: "LABEL,TYPE=" read as LABEL;TYPE=

  const auto ios = contacts_of("tine20-ios_5_addressbook.vcf");
  check_cards(ios, {{"Titel AAASync AAASync", {"lars@kneschke.de (home)", "l.kneschke@metaways.de (work)",
                                               "andere@mail.de (other)"},
                     {}}});
  CHECK(field(ios[0].contact, "city") == "City Privat");
  CHECK(has_extra(ios[0].contact, "item2.ADR;type=HOME;type=pref:;;Address Privat 1;City Privat;;12345;COUNTRY PRIVAT"));
  CHECK(has_extra(ios[0].contact, "TEL;type=CELL;type=VOICE;type=pref:+49 MOBIL"));
  CHECK(field(ios[0].contact, "website") == "www.heise.de");

  const auto mac = contacts_of("tine20-mac_os_x_addressbook.vcf");
  check_cards(mac, {{"Vorname Nachname", {"l.kneschke@metaways.de (work)", "lars@kneschke.de (home)"}, {}}});
  CHECK(field(mac[0].contact, "company") == "ORGANI,SATION");
  CHECK(field(mac[0].contact, "notes") == "Notes\nwith\nLine Break and , and ; yeah!\n");
  CHECK(mac[0].contact["social"] == Record{{"aim", "Messenger Work (AIM)"}});
  CHECK(has_extra(mac[0].contact, "item1.X-ABLabel:_$!<Other>!$_")); // its email is not valid
  CHECK(has_extra(mac[0].contact, "IMPP;X-SERVICE-TYPE=aim;type=HOME:aim:Messenger%20Private%20(AIM)"));
  CHECK(mac[0].warnings.back() == "line 66: photo in unknown format skipped");
  CHECK_FALSE(mac[0].photo);

  const auto rc = contacts_of("tine20-rcube_contacts-3.vcf");
  check_cards(rc, {{"Some.One@telekom.de", {"some.one@mytine.de (work)"}, {}}, {"der", {"der.der@mytine.de (home)"}, {}}});
  CHECK(field(rc[0].contact, "family_name") == "some.one@mytine.de");
}

TEST_CASE("contact_vcard: every real fixture survives card -> contact -> card -> contact -> card, in 3.0 and 4.0") {
  std::size_t checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(real_fixtures())) {
    if (entry.path().extension() != ".vcf") continue;
    const std::string file = entry.path().filename().string();
    for (const auto& first : contacts_of(file)) {
      for (const char* version : {"3.0", "4.0"}) {
        CAPTURE(file);
        CAPTURE(version);
        const std::string company = field(first.contact, "company");
        const std::string text =
            crm::vcard::write_card(crm::ops::card_from_contact(first.contact, company, version), {version});
        const auto again = crm::ops::contact_from_card(read_one(text), "again.vcf");
        // vcard_extra gains the UID export made (and in 4.0 LABEL moves into ADR):
        // the fields are the same, and so is the card written again.
        Record fields = first.contact, fields_again = again.contact;
        fields.erase("vcard_extra");
        fields_again.erase("vcard_extra");
        CHECK(fields_again == fields);
        if (fields_again != fields) MESSAGE(first.contact.dump(1) << "\n" << again.contact.dump(1));
        CHECK(crm::vcard::write_card(crm::ops::card_from_contact(again.contact, company, version), {version}) == text);
        CHECK_FALSE(again.photo);
        ++checked;
      }
    }
  }
  CHECK(checked == 37 * 2);
}

TEST_CASE("contact_vcard: the card for a contact, in 4.0 and 3.0") {
  const Record contact = Record::parse(R"({
    "id": "ana-popescu-k7q2", "name": "Ana Popescu", "given_name": "Ana", "family_name": "Popescu",
    "emails": [{"address": "ana@example.ro", "label": "work"}, {"address": "a@b.ro", "label": "Școală"}],
    "phones": [{"number": "0722 123 456", "e164": "+40722123456", "label": "mobile"}, {"number": "021 555 0000"}],
    "company": "atelier-verde-srl", "title": "CEO", "address": "Str. Lungă 3\nBl. 2\n", "city": "Cluj-Napoca",
    "country": "RO", "website": "https://ana.ro", "social": {"linkedin": "https://linkedin.com/in/ana"},
    "stage": "customer", "birthday": "1980-03-22", "anniversary": "--06-01", "tags": ["vip", "wholesale"],
    "notes": "Likes tea; and, coffee\nCall after 10\n",
    "vcard_extra": "item1.X-ABDATE:2001-01-01\nitem1.X-ABLabel:_$!<Other>!$_\nUID:123\nEND:VCARD\n"
  })");
  const auto card = crm::ops::card_from_contact(contact, "Atelier Verde, SRL", "4.0");
  // The UID it came with, moved up; the first email and phone preferred.
  std::string want = "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ana Popescu\r\nN:Popescu;Ana;;;\r\nUID:123\r\n";
  want += "EMAIL;TYPE=work;PREF=1:ana@example.ro\r\nitem2.EMAIL:a@b.ro\r\nitem2.X-ABLabel:Școală\r\n";
  want += "TEL;TYPE=cell;PREF=1:0722 123 456\r\nTEL:021 555 0000\r\nORG:Atelier Verde\\, SRL\r\nTITLE:CEO\r\n";
  want += "ADR:;;Str. Lungă 3\\nBl. 2;Cluj-Napoca;;;RO\r\nURL:https://ana.ro\r\n";
  want += "BDAY:19800322\r\nANNIVERSARY:--0601\r\nNOTE:Likes tea\\; and\\, coffee\\nCall after 10\r\n";
  want += "CATEGORIES:vip,wholesale\r\nX-SOCIALPROFILE;TYPE=linkedin:https://linkedin.com/in/ana\r\n";
  want += "item1.X-ABDATE:2001-01-01\r\nitem1.X-ABLabel:_$!<Other>!$_\r\nEND:VCARD\r\n";
  CHECK(crm::vcard::write_card(card, {"4.0"}) == want);

  const std::string v3 = crm::vcard::write_card(crm::ops::card_from_contact(contact, "", "3.0"), {"3.0"});
  CHECK(v3.find("ADR:;;Str. Lungă 3\\nBl. 2;Cluj-Napoca;;;RO\r\n") != std::string::npos);
  CHECK(v3.find("EMAIL;TYPE=work,pref:ana@example.ro\r\n") != std::string::npos);
  CHECK(v3.find("BDAY:1980-03-22\r\nX-ANNIVERSARY:--06-01\r\n") != std::string::npos);
  CHECK(v3.find("ORG") == std::string::npos);

  // And back: the fields a card holds come back as they were.
  const auto back = crm::ops::contact_from_card(read_one(want), "t.vcf");
  CHECK(back.contact["emails"] == contact["emails"]);
  CHECK(entries(back.contact, "phones", "number") == std::vector<std::string>{"0722 123 456 (mobile)", "021 555 0000"});
  CHECK(field(back.contact, "company") == "Atelier Verde, SRL");
  CHECK(field(back.contact, "address") == "Str. Lungă 3\nBl. 2\n");
  CHECK(field(back.contact, "anniversary") == "--06-01");
  CHECK(field(back.contact, "notes") == field(contact, "notes"));
  CHECK(field(back.contact, "vcard_extra") == "UID:123\nitem1.X-ABDATE:2001-01-01\nitem1.X-ABLabel:_$!<Other>!$_\n");
}

TEST_CASE("contact_vcard: names from N, ORG or email, no name at all is an error") {
  CHECK(crm::ops::contact_from_card(read_one("BEGIN:VCARD\nN:Popescu;Ana\nEND:VCARD\n"), "t")
            .contact["name"] == "Ana Popescu");
  CHECK(crm::ops::contact_from_card(read_one("BEGIN:VCARD\nFN: \nORG:Acme;Sales\nEND:VCARD\n"), "t")
            .contact["name"] == "Acme");
  CHECK(crm::ops::contact_from_card(read_one("BEGIN:VCARD\nEMAIL:not valid\nEND:VCARD\n"), "t")
            .contact["name"] == "not valid");
  const auto card = read_one("\nBEGIN:VCARD\nVERSION:3.0\nNOTE:who?\nEND:VCARD\n");
  auto e = crm_test::error_from([&] { crm::ops::contact_from_card(card, "in.vcf"); });
  CHECK(e.kind() == crm::ErrorKind::invalid_data);
  CHECK(std::string(e.what()) == "in.vcf:2: card has no name");
}

TEST_CASE("contact_vcard: dates, countries, photos as data URIs, social profiles") {
  using crm::ops::card_date;
  CHECK(card_date("19800322") == std::optional<std::string>("1980-03-22"));
  CHECK(card_date("1980-03-22T10:00:00Z") == std::optional<std::string>("1980-03-22"));
  CHECK(card_date("--0322") == std::optional<std::string>("--03-22"));
  CHECK(card_date("--03-22") == std::optional<std::string>("--03-22"));
  CHECK(card_date("19800230") == std::nullopt);
  CHECK(card_date("circa 1980") == std::nullopt);
  using crm::ops::country_code;
  CHECK(country_code("ch") == std::optional<std::string>("CH"));
  CHECK(country_code("UK") == std::optional<std::string>("GB"));
  CHECK(country_code("United States of America") == std::optional<std::string>("US"));
  CHECK(country_code(" Österreich ") == std::optional<std::string>("AT"));
  CHECK(country_code("România") == std::optional<std::string>("RO"));
  CHECK(country_code("Atlantis") == std::nullopt);

  // 1x1 GIF as a 4.0 data URI; a second photo is skipped; a text BDAY is kept.
  const auto got = crm::ops::contact_from_card(
      read_one("BEGIN:VCARD\nVERSION:4.0\nFN:A\nPHOTO:data:image/gif;base64,R0lGODlhAQABAAAAACw=\n"
               "PHOTO;ENCODING=b:R0lGODlhAQABAAAAACw=\nBDAY;VALUE=text:circa 1980\n"
               "X-SOCIALPROFILE:https://twitter.com/ana\nX-SOCIALPROFILE;TYPE=twitter:@other\n"
               "ADR:;;;Paris;;;Atlantis\nEND:VCARD\n"),
      "t");
  REQUIRE(got.photo);
  CHECK(got.photo->extension == "gif");
  CHECK(got.photo->bytes.substr(0, 6) == "GIF89a");
  CHECK(got.warnings == std::vector<std::string>{"line 5: more than one photo: only the first kept"});
  CHECK(got.contact["social"] == Record{{"twitter", "https://twitter.com/ana"}});
  CHECK(field(got.contact, "city") == "Paris");
  CHECK(extra_lines(got.contact) == std::vector<std::string>{"BDAY;VALUE=text:circa 1980",
                                                             "X-SOCIALPROFILE;TYPE=twitter:@other",
                                                             "ADR:;;;Paris;;;Atlantis"});
}

TEST_CASE("contact_vcard: contact_cards gives the selected contacts' cards in id order, with company names") {
  crm_test::PinnedWorkspace f;
  crm::ops::Session s(f.dir.path());
  const auto ana = crm_test::add_contact(s, "Ana Popescu",
                                         {"email=work:ana@example.ro", "company=Atelier Verde SRL", "tags=vip"});
  const auto ion = crm_test::add_contact(s, "Ion Marin", {"phone=0722 123 456"});
  REQUIRE(ana < ion);
  const std::string all = written_cards(s, {}, "3.0");
  // Without name parts N holds the name as given name; the UID is made from the id.
  std::string want_ana = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Popescu\r\nN:;Ana Popescu;;;\r\n";
  want_ana += "UID:" + uid_of(ana) + "\r\nEMAIL;TYPE=work,pref:ana@example.ro\r\nORG:Atelier Verde SRL\r\n";
  want_ana += "CATEGORIES:vip\r\nEND:VCARD\r\n";
  std::string want_ion = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ion Marin\r\nN:;Ion Marin;;;\r\nUID:" + uid_of(ion) +
                         "\r\nTEL;TYPE=pref:0722 123 456\r\nEND:VCARD\r\n";
  CHECK(all == want_ana + want_ion);
  CHECK(uid_of(ana) != uid_of(ion));
  CHECK(uid_of(ana).size() == std::string("urn:uuid:").size() + 36);
  CHECK(uid_of(ana).substr(23, 1) == "8"); // version 8: made by crm's own hash
  CHECK(uid_of("ana-popescu") == "urn:uuid:933e0974-ce07-8174-9ee8-5b382deabadd"); // the same in every version of crm

  const std::string vip = written_cards(s, s.where(crm::model::contact_type(), "vip"), "4.0");
  CHECK(vip.find("FN:Ana Popescu") != std::string::npos);
  CHECK(vip.find("Ion") == std::string::npos);

  std::size_t cards = 0;
  auto e = crm_test::error_from([&] { crm::ops::contact_cards(s, {}, "2.1", [&](const Card&) { ++cards; }); });
  CHECK(e.kind() == crm::ErrorKind::usage);
  CHECK(cards == 0);
}

TEST_SUITE_END();
