#pragma once
// UTF-8 text helpers built on utf8proc: normalization, folding for matching,
// slugs for ids, and display width for aligned tables.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace crm::text {

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, no stray bytes).
bool is_valid_utf8(std::string_view s);

// Byte offset of the first invalid UTF-8 sequence, or std::string_view::npos.
std::size_t invalid_utf8_offset(std::string_view s);

// NFC normalization. Throws crm::Error(invalid_data) on invalid UTF-8.
std::string nfc(std::string_view s);

// Unicode case folding after NFC ("İ", "ß", Greek final sigma...), keeps accents.
std::string casefold(std::string_view s);

// The key used to compare names: NFC, case folded, combining marks removed,
// Arabic-script letter variants as one letter (Persian ی and ک as Arabic ي and
// ك, heh forms and teh marbuta as ه, no tatweel), runs of whitespace collapsed
// to one space, trimmed. "  Siân  " -> "sian", "IOANA" -> "ioana", "Гвен" stays
// Cyrillic (lowercased), "علی" and "علي" give the same key.
std::string match_key(std::string_view s);

// Text as full-text search compares it: match_key, plus each Arabic word that
// starts with the article "ال" once more without it, so that "عرض" finds "العرض".
std::string search_fold(std::string_view s);

// A file-name-safe slug: NFC and case folded, then every run of characters that
// is not a letter or digit becomes one '-', trimmed of '-', cut to at most
// `max_chars` code points (never in the middle of a character). Letters of any
// script are kept whole, with the marks that are part of them ("Київ" -> "київ",
// "अनीता शर्मा" keeps its vowel signs); Latin letters lose their accents
// ("Siân" -> "sian"), Arabic words their optional harakat. Empty result ->
// `fallback`.
std::string slugify(std::string_view s, std::size_t max_chars = 32,
                    std::string_view fallback = "record");

// Columns the text takes in a terminal, one grapheme cluster at a time: the
// width of the cluster's base character (wide East Asian = 2, controls and
// zero-width = 0, else 1, as utf8proc_charwidth says), marks and spacing vowel
// signs inside the cluster adding nothing, 2 for an emoji sequence (VS16, ZWJ,
// a flag). Each invalid byte is one column.
std::size_t display_width(std::string_view s);

// Cut `s` so that its display width is at most `width`, appending "…" when cut.
std::string truncate_to_width(std::string_view s, std::size_t width);

// Pad with spaces on the right up to `width` display columns.
std::string pad_right(std::string_view s, std::size_t width);

// ASCII-only trimming and lowercasing (for keywords, not for names).
std::string trim(std::string_view s);
std::string ascii_lower(std::string_view s);

// The lines of `s` without their '\n' (a final newline ends the last line, it does
// not start an empty one). The views point into `s`.
std::vector<std::string_view> split_lines(std::string_view s);

} // namespace crm::text
