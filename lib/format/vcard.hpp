#pragma once
// vCard 2.1, 3.0 and 4.0 (RFC 2426, RFC 6350) as real programs write them:
// reading one card at a time, and writing 3.0 or 4.0.
//
// What the reader accepts beyond the specs, and how:
// - line ends CRLF, LF, CR, CR CR LF, mixed in one file; folding with a space or a
//   tab; 2.1 quoted-printable soft breaks ("=" at the end of a line continues the
//   value on the next line, whatever that line starts with);
// - UTF-16 files (with a BOM, or without one: told by NUL bytes in the first four),
//   converted to UTF-8 before anything else; a UTF-8 BOM is skipped;
// - CHARSET on a property (windows-1252, ISO-8859-x, SHIFT_JIS...) converted with
//   iconv; text with 8-bit bytes and no CHARSET is read as UTF-8 when it is valid
//   UTF-8, else as windows-1252 (a warning says so); bytes that are not UTF-8 in a
//   CHARSET=UTF-8 value become U+FFFD (a warning says so);
// - lower-case names and parameters, no VERSION line, blank lines inside a card;
// - a line with no ':' inside a card: a bare property name ("FN") is that property
//   with an empty value; any other text is taken as the next line of the previous
//   property's value (writers that forget to fold), with a warning.
// A 2.1 value has fewer escapes than 3.0/4.0: see unescape_v21.

#include <cstddef>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace crm::vcard {

// A parameter; `name` upper-case. A 2.1 bare parameter (TEL;WORK;VOICE) is
// TYPE=WORK, TYPE=VOICE; a bare QUOTED-PRINTABLE, BASE64, 8BIT or 7BIT is
// ENCODING=that. Values are split on unquoted ',' with their quotes removed.
struct Param {
  std::string name;
  std::vector<std::string> values;
};

struct Property {
  std::string group; // "item1" of item1.EMAIL, else ""
  std::string name;  // upper-case: "EMAIL", "X-SOCIALPROFILE"
  std::vector<Param> params;
  // Unfolded; QUOTED-PRINTABLE decoded; CHARSET converted to UTF-8; base64 still
  // base64 (decode_base64); vCard escapes still in (split_components, unescape).
  std::string value;
  std::size_t line = 0; // 1-based line where the property starts
  // The property as written, unfolded, before decoding, always valid UTF-8: for
  // vcard_extra. When its value was converted from a CHARSET other than UTF-8
  // (and not quoted-printable), it holds the converted text without the CHARSET
  // parameter, so that it reads back the same. write_card writes a property that
  // has `raw` as `raw`.
  std::string raw;
};

struct Card {
  std::string version; // the VERSION value, "" when the card has none
  std::vector<Property> properties; // without BEGIN, END and VERSION
  std::size_t line = 0;             // the line of BEGIN:VCARD
  // What the reader had to guess ("line 4: 'N' is not UTF-8 and names no charset:
  // read as windows-1252"), lowercase.
  std::vector<std::string> warnings;
};

// Streaming: one card at a time from a whole file or stdin.
// Limits (README, "Limits"): past one, Reader::next throws Error(invalid_data)
// "SOURCE:LINE: ..." and then reads no further.
inline constexpr std::size_t max_line_bytes = 16 * 1024 * 1024; // a content line, unfolded
inline constexpr std::size_t max_utf16_bytes = 256 * 1024 * 1024; // a UTF-16 file, read whole

class Reader {
public:
  Reader(std::istream& in, std::string source_name);
  ~Reader();
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  // The next card; false at the end. Throws Error(invalid_data) "SOURCE:LINE:
  // message" for a card it cannot read (no END:VCARD, text where BEGIN:VCARD
  // should be, a UTF-16 file that is not UTF-16); the next call goes on after it.
  bool next(Card& card);

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The values of every parameter `name` (upper-case) of a property, in order.
std::vector<std::string> param_values(const Property& property, std::string_view name);
// Has the property TYPE=`type` (case-insensitive), in any of its TYPE parameters?
bool has_type(const Property& property, std::string_view type);

// Splits a value on `sep` (';' for N and ADR, ',' for CATEGORIES), not on an
// escaped one (\; \,); the parts keep their escapes.
std::vector<std::string> split_components(std::string_view value, char sep);
// 3.0/4.0 text: \n and \N are a line break; \, \; \\ \: and \" the character.
// Any other backslash is kept as it is.
std::string unescape(std::string_view text);
// 2.1 text: only \; \, and \\ are escapes (a line break is written quoted-printable).
std::string unescape_v21(std::string_view text);
// unescape_v21 for a 2.1 card (`version` "2.1"), else unescape.
std::string unescape(std::string_view text, std::string_view version);
// '\\', ',' and ';' get a backslash, a line break becomes "\n", CR is dropped.
std::string escape(std::string_view text);
// Standard base64 with padding, on one line.
std::string encode_base64(std::string_view bytes);
// Standard base64; whitespace is skipped, missing padding is accepted. Throws
// Error(invalid_data) "bad base64 data" on any other character.
std::string decode_base64(std::string_view text);

// One content line as vcard_extra keeps it (unfolded, UTF-8, 3.0/4.0 syntax):
// group, name, parameters and value, with `raw` the line itself, so that writing
// it unchanged gives it back as it was.
Property parse_line(std::string_view line);

// A property read from a card of `version` as a 3.0/4.0 content line: a 2.1
// property's bare parameters become TYPE= (TYPE=WORK,VOICE), its quoted-printable
// and CHARSET are gone (the value is decoded already), its 2.1 escapes become
// 3.0 ones, and base64 is ENCODING=b on one line (the indentation of 2.1
// continuation lines dropped). Any other property: its `raw` line.
std::string modern_line(const Property& property, std::string_view version);

struct WriteOptions {
  std::string version = "4.0"; // "3.0" or "4.0"
};

// The property as one unfolded content line: `raw` when it has one, else built
// from group, name, parameters (a value with ',', ';', ':' or a line break is
// quoted; a line break is written \n) and value.
std::string property_line(const Property& property);

// BEGIN:VCARD, VERSION (options.version), the properties in order (any BEGIN,
// END or VERSION among them left out), END:VCARD. Lines end with CRLF and are
// folded at 75 octets, never inside a UTF-8 sequence nor right after a '=' (so a
// quoted-printable value kept from a 2.1 card reads back the same). Throws
// Error(usage) for a version other than 3.0 or 4.0.
std::string write_card(const Card& card, const WriteOptions& options);

} // namespace crm::vcard
