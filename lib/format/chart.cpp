#include "format/chart.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "util/text.hpp"

namespace crm::format {
namespace {

// ------------------------------------------------------------------ UTF-8

struct CodePoint {
  char32_t cp;
  std::size_t len; // bytes taken from the input
  bool valid;
};

// Decodes one code point; a malformed sequence yields U+FFFD for one byte, so
// text from anywhere can still be escaped into well-formed XML.
CodePoint decode(std::string_view s, std::size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return {b0, 1, true};
  std::size_t len = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return {0xFFFD, 1, false};
  }
  if (i + len > s.size()) return {0xFFFD, 1, false};
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return {0xFFFD, 1, false};
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {0xFFFD, 1, false};
  return {cp, len, true};
}

bool is_rtl_letter(char32_t cp) {
  return (cp >= 0x0590 && cp <= 0x08FF) ||   // Hebrew, Arabic, Syriac, Thaana, NKo...
         (cp >= 0xFB1D && cp <= 0xFDFF) ||   // Hebrew and Arabic presentation forms A
         (cp >= 0xFE70 && cp <= 0xFEFF) ||   // Arabic presentation forms B
         (cp >= 0x10800 && cp <= 0x10FFF) || // historic right-to-left scripts
         (cp >= 0x1E800 && cp <= 0x1EFFF);   // Adlam, Arabic mathematical letters
}

bool has_rtl(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const CodePoint c = decode(s, i);
    if (is_rtl_letter(c.cp)) return true;
    i += c.len;
  }
  return false;
}

// Text as XML character data or attribute value: the five special characters
// escaped, controls that XML 1.0 forbids dropped, malformed bytes as U+FFFD.
std::string xml_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const CodePoint c = decode(s, i);
    switch (c.cp) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    case '\'': out += "&apos;"; break;
    default:
      if (c.cp < 0x20 && c.cp != '\t' && c.cp != '\n' && c.cp != '\r') break;
      if (c.cp == 0xFFFE || c.cp == 0xFFFF) break;
      if (c.valid) out.append(s.substr(i, c.len));
      else out += "\xEF\xBF\xBD";
    }
    i += c.len;
  }
  return out;
}

// Advance widths of printable ASCII in hundredths of an em, rounded up from DejaVu
// Sans (the widest common sans-serif, and the one Debian falls back to).
constexpr unsigned char kAsciiEm100[95] = {
    32, 40, 46, 84, 64, 95, 78, 28, 39, 39, 50, 84, 32, 36, 32, 34,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 34, 34, 84, 84, 84, 54,
    100, 69, 69, 70, 77, 64, 58, 78, 76, 30, 30, 66, 56, 87, 75, 79,
    61, 79, 70, 64, 62, 74, 69, 99, 69, 62, 69, 40, 34, 40, 84, 50,
    50, 62, 64, 56, 64, 62, 36, 64, 64, 28, 28, 58, 28, 98, 64, 62,
    64, 64, 42, 53, 40, 64, 60, 82, 60, 60, 53, 64, 34, 64, 84,
};

// Estimated rendered width in pixels: ASCII from the table above, wide (East Asian)
// characters 1em, other characters 0.75em (Cyrillic capitals such as Ж and Ш are
// the widest); 5% more for safety, since too wide only leaves some blank space.
double text_px(std::string_view s, double font_size) {
  double em = 0;
  for (std::size_t i = 0; i < s.size();) {
    const CodePoint c = decode(s, i);
    if (c.cp >= 0x20 && c.cp < 0x7F) {
      em += kAsciiEm100[c.cp - 0x20] / 100.0;
    } else {
      const std::size_t w = c.valid ? text::display_width(s.substr(i, c.len)) : 1;
      em += w >= 2 ? 1.0 : w == 1 ? 0.75 : 0.0;
    }
    i += c.len;
  }
  return em * font_size * 1.05;
}

// ------------------------------------------------------------------ numbers

// Fixed notation with at most `decimals` decimals, trailing zeros dropped, never "-0".
std::string num(double v, int decimals) {
  if (!std::isfinite(v)) return std::isnan(v) ? "nan" : (v > 0 ? "inf" : "-inf");
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
  std::string s(buf, res.ptr);
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

std::string coord(double v) { return num(v, 1); }

std::vector<std::string> value_texts_for(const std::vector<double>& values,
                                         const std::vector<std::string>& given) {
  if (!given.empty() && given.size() == values.size()) return given;
  std::vector<std::string> out;
  out.reserve(values.size());
  for (double v : values) out.push_back(num(v, 2));
  return out;
}

std::string label_at(const ChartSeries& s, std::size_t i) {
  return i < s.labels.size() ? s.labels[i] : std::string();
}

// ------------------------------------------------------------------ terminal

void append_cp(std::string& out, char32_t cp) { // BMP only: block elements
  out += static_cast<char>(0xE0 | (cp >> 12));
  out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  out += static_cast<char>(0x80 | (cp & 0x3F));
}

void rtrim_spaces(std::string& s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
}

std::size_t effective_width(std::size_t width) { return width == 0 ? 80 : width; }

// The bar lines of write_bar_chart for values[first, end), without the title.
void write_bars(std::ostream& out, const ChartSeries& s, std::size_t first, std::size_t end,
                std::size_t width, bool color, const std::vector<std::string>& texts) {
  const std::size_t w = effective_width(width);
  std::size_t label_w = 0;
  std::size_t value_w = 0;
  double max_abs = 0;
  bool negative = false;
  for (std::size_t i = first; i < end; ++i) {
    label_w = std::max(label_w, text::display_width(label_at(s, i)));
    value_w = std::max(value_w, text::display_width(texts[i]));
    if (std::isfinite(s.values[i])) max_abs = std::max(max_abs, std::fabs(s.values[i]));
    if (s.values[i] < 0) negative = true;
  }
  label_w = std::min(label_w, w / 3);
  const std::size_t sign_w = negative ? 1 : 0;
  // Columns besides the bar: label and its space, sign, the space before the value.
  auto fixed = [&] { return (label_w > 0 ? label_w + 1 : 0) + sign_w + 1 + value_w; };
  if (fixed() + 1 > w && label_w > 0) { // too narrow: the label gives way first
    const std::size_t others = sign_w + 1 + value_w + 1 + 1;
    label_w = w > others ? std::max<std::size_t>(w - others, 1) : 1;
  }
  const std::size_t cells = w > fixed() ? w - fixed() : 0;

  for (std::size_t i = first; i < end; ++i) {
    const double v = s.values[i];
    std::string line;
    if (label_w > 0) {
      line += text::pad_right(text::truncate_to_width(label_at(s, i), label_w), label_w);
      line += ' ';
    }
    std::string bar;
    if (negative) bar += v < 0 ? '-' : ' ';
    std::size_t eighths = 0;
    if (max_abs > 0 && std::isfinite(v)) {
      eighths = static_cast<std::size_t>(std::llround(std::fabs(v) / max_abs * double(cells * 8)));
      if (v != 0 && eighths == 0 && cells > 0) eighths = 1;
    }
    for (std::size_t k = 0; k < eighths / 8; ++k) append_cp(bar, 0x2588);
    if (eighths % 8 != 0) append_cp(bar, static_cast<char32_t>(0x2590 - eighths % 8));
    const std::size_t drawn = eighths / 8 + (eighths % 8 != 0 ? 1 : 0);
    if (color && eighths > 0) line += (v < 0 ? "\x1b[31m" : "\x1b[36m") + bar + "\x1b[0m";
    else line += bar;
    line.append(cells - drawn, ' ');
    line += ' ';
    line.append(value_w - text::display_width(texts[i]), ' ');
    line += texts[i];
    rtrim_spaces(line);
    out << line << '\n';
  }
}

void write_title(std::ostream& out, const ChartSeries& s, std::size_t width) {
  if (!s.title.empty()) out << text::truncate_to_width(s.title, effective_width(width)) << '\n';
}

// ------------------------------------------------------------------ SVG

// 4-6 round ticks covering [lo, hi]: the step is 1, 2, 2.5 or 5 times a power of ten.
struct Ticks {
  std::vector<double> values;
  double step = 1;
  double lo() const { return values.front(); }
  double hi() const { return values.back(); }
};

Ticks nice_ticks(double lo, double hi) {
  if (!(hi > lo)) hi = lo + 1;
  const double mag = std::pow(10.0, std::floor(std::log10((hi - lo) / 5)));
  Ticks t;
  long long a = 0;
  long long b = 0;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    t.step = m * mag;
    a = static_cast<long long>(std::floor(lo / t.step + 1e-9));
    b = static_cast<long long>(std::ceil(hi / t.step - 1e-9));
    if (b - a <= 5) break;
  }
  for (long long k = a; k <= b; ++k) t.values.push_back(static_cast<double>(k) * t.step);
  return t;
}

// Decimals needed to write multiples of `step` exactly (0.25 -> 2, 500 -> 0).
int decimals_for(double step) {
  for (int d = 0; d < 12; ++d) {
    const double scaled = step * std::pow(10.0, d);
    if (std::fabs(scaled - std::round(scaled)) < 1e-6 * std::max(1.0, scaled)) return d;
  }
  return 12;
}

// Tick text: 250000 reads better as "250k", 2500000 as "2.5M".
std::string tick_text(double v, const Ticks& t) {
  const double top = std::max(std::fabs(t.lo()), std::fabs(t.hi()));
  const double unit = top >= 1e6 ? 1e6 : top >= 1e4 ? 1e3 : 1;
  const char* suffix = unit == 1e6 ? "M" : unit == 1e3 ? "k" : "";
  const std::string n = num(v / unit, decimals_for(t.step / unit));
  return n == "0" ? n : n + suffix;
}

constexpr double kMargin = 16;
constexpr double kFont = 12;      // labels, values, captions
constexpr double kTickFont = 11;  // axis tick labels
constexpr double kTitleFont = 16; // bold
constexpr double kBold = 1.1;     // bold glyphs are wider
constexpr std::size_t kMaxLabelColumns = 40;
constexpr const char* kBarColor = "#4e79a7";
constexpr const char* kNegColor = "#e15759";
constexpr const char* kGrid = "#e0e0e0";
constexpr const char* kAxis = "#555555";

std::string svg_open(double w, double h, const ChartSeries& s) {
  std::string o = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  o += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + coord(w) + "\" height=\"" +
       coord(h) + "\" viewBox=\"0 0 " + coord(w) + " " + coord(h) +
       "\" font-family=\"sans-serif\" font-size=\"" + num(kFont, 0) +
       "\" style=\"background-color:#ffffff\">\n";
  o += "<title>" + xml_escape(s.title) + "</title>\n";
  o += "<text class=\"title\" x=\"" + coord(kMargin) + "\" y=\"28\" font-size=\"" +
       num(kTitleFont, 0) + "\" font-weight=\"bold\">" + xml_escape(s.title) + "</text>\n";
  return o;
}

// A <text> element; labels with right-to-left letters get their direction, and
// since text-anchor follows the writing direction, "end" becomes "start" for them
// so that the same visual edge sits at x.
std::string text_el(const char* cls, double x, double y, std::string_view anchor,
                    std::string_view content, double font_size = kFont,
                    std::string_view extra = {}) {
  std::string anch(anchor);
  std::string dir;
  if (has_rtl(content)) {
    dir = " direction=\"rtl\" unicode-bidi=\"embed\"";
    if (anch == "end") anch = "start";
    else if (anch == "start") anch = "end";
  }
  std::string o = "<text class=\"" + std::string(cls) + "\" x=\"" + coord(x) + "\" y=\"" +
                  coord(y) + "\" text-anchor=\"" + anch + "\"" + dir;
  if (font_size != kFont) o += " font-size=\"" + num(font_size, 0) + "\"";
  if (!extra.empty()) o += " " + std::string(extra);
  o += ">" + xml_escape(content) + "</text>\n";
  return o;
}

std::string line_el(double x1, double y1, double x2, double y2, const char* stroke,
                    double width = 1) {
  return "<line x1=\"" + coord(x1) + "\" y1=\"" + coord(y1) + "\" x2=\"" + coord(x2) +
         "\" y2=\"" + coord(y2) + "\" stroke=\"" + stroke + "\" stroke-width=\"" +
         num(width, 1) + "\"/>\n";
}

double title_px(const ChartSeries& s) { return text_px(s.title, kTitleFont) * kBold; }

std::string svg_empty(const ChartSeries& s) {
  const double w = std::max(320.0, 2 * kMargin + title_px(s));
  const double h = 100;
  std::string o = svg_open(w, h, s);
  o += text_el("nodata", w / 2, 68, "middle", "no data", kFont, "fill=\"#777777\"");
  o += "</svg>\n";
  return o;
}

std::string svg_bars(const ChartSeries& s) {
  const std::size_t n = s.values.size();
  std::vector<std::string> labels(n);
  std::vector<std::string> values(n);
  double label_col = 0;
  double value_col = 0;
  double lo = 0;
  double hi = 0;
  for (std::size_t i = 0; i < n; ++i) {
    labels[i] = text::truncate_to_width(label_at(s, i), kMaxLabelColumns);
    values[i] = num(s.values[i], 2);
    label_col = std::max(label_col, text_px(labels[i], kFont));
    value_col = std::max(value_col, text_px(values[i], kFont));
    if (std::isfinite(s.values[i])) {
      lo = std::min(lo, s.values[i]);
      hi = std::max(hi, s.values[i]);
    }
  }
  const Ticks ticks = nice_ticks(lo, hi);
  double tick_col = 0;
  for (double t : ticks.values) tick_col = std::max(tick_col, text_px(tick_text(t, ticks), kTickFont));

  const double plot_w = 480;
  const double row_h = 26;
  const double bar_h = 16;
  const double top = 44;
  const double x0 = std::max(kMargin + label_col + 10, kMargin + tick_col / 2);
  const double x1 = x0 + plot_w;
  auto x_of = [&](double v) { return x0 + (v - ticks.lo()) / (ticks.hi() - ticks.lo()) * plot_w; };
  const double axis_y = top + static_cast<double>(n) * row_h + 4;
  const double caption_y = axis_y + 36;
  double w = std::max(x1 + 6 + value_col + kMargin, x1 + tick_col / 2 + kMargin);
  w = std::max(w, 2 * kMargin + title_px(s));
  w = std::max(w, x0 + plot_w / 2 + text_px(s.value_label, kFont) / 2 + kMargin);
  const double h = (s.value_label.empty() ? axis_y + 22 : caption_y) + kMargin;

  std::string o = svg_open(std::ceil(w), std::ceil(h), s);
  // Grid and axis first, so bars and text are drawn over them.
  o += "<g class=\"grid\">\n";
  for (double t : ticks.values) o += line_el(x_of(t), top, x_of(t), axis_y, t == 0 ? kAxis : kGrid);
  o += "</g>\n<g class=\"axis\">\n";
  o += line_el(x0, axis_y, x1, axis_y, kAxis);
  for (double t : ticks.values) {
    o += line_el(x_of(t), axis_y, x_of(t), axis_y + 4, kAxis);
    o += text_el("tick", x_of(t), axis_y + 16, "middle", tick_text(t, ticks), kTickFont);
  }
  if (!s.value_label.empty())
    o += text_el("caption", x0 + plot_w / 2, caption_y, "middle", s.value_label);
  o += "</g>\n";

  const double zero = x_of(0);
  for (std::size_t i = 0; i < n; ++i) {
    const double v = std::isfinite(s.values[i]) ? s.values[i] : 0;
    const double cy = top + (static_cast<double>(i) + 0.5) * row_h;
    const double xa = std::min(zero, x_of(v));
    const double xb = std::max(zero, x_of(v));
    o += "<rect class=\"bar\" x=\"" + coord(xa) + "\" y=\"" + coord(cy - bar_h / 2) +
         "\" width=\"" + coord(xb - xa) + "\" height=\"" + coord(bar_h) + "\" fill=\"" +
         (v < 0 ? kNegColor : kBarColor) + "\"><title>" + xml_escape(label_at(s, i)) + ": " +
         xml_escape(values[i]) + "</title></rect>\n";
    o += text_el("label", x0 - 8, cy + 4, "end", labels[i]);
    // Negative values go right of the zero line, where their row is free.
    o += text_el("value", (v < 0 ? zero : xb) + 4, cy + 4, "start", values[i]);
  }
  o += "</svg>\n";
  return o;
}

std::string svg_line(const ChartSeries& s) {
  const std::size_t n = s.values.size();
  std::vector<std::string> labels(n);
  double label_px = 0;
  double lo = 0;
  double hi = 0;
  for (std::size_t i = 0; i < n; ++i) {
    labels[i] = text::truncate_to_width(label_at(s, i), kMaxLabelColumns);
    label_px = std::max(label_px, text_px(labels[i], kTickFont));
    if (std::isfinite(s.values[i])) {
      lo = std::min(lo, s.values[i]);
      hi = std::max(hi, s.values[i]);
    }
  }
  const Ticks ticks = nice_ticks(lo, hi);
  double tick_col = 0;
  for (double t : ticks.values) tick_col = std::max(tick_col, text_px(tick_text(t, ticks), kTickFont));

  const double plot_w = std::clamp(static_cast<double>(n) * 40, 360.0, 720.0);
  const double pad = 14; // keeps the first and last dots off the axes
  const double top = 64;
  const double plot_h = 260;
  const double bottom = top + plot_h;
  const double x0 = std::max({kMargin + tick_col + 8, kMargin + label_px / 2 - pad, kMargin});
  const double x1 = x0 + plot_w;
  const double dx = n > 1 ? (plot_w - 2 * pad) / static_cast<double>(n - 1) : 0;
  auto x_at = [&](std::size_t i) { return n > 1 ? x0 + pad + dx * static_cast<double>(i) : x0 + plot_w / 2; };
  auto y_of = [&](double v) { return bottom - (v - ticks.lo()) / (ticks.hi() - ticks.lo()) * plot_h; };
  // Every k-th period label, counted back from the last one, with a gap of 10px.
  std::size_t every = 1;
  if (n > 1) every = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil((label_px + 10) / dx)));
  double w = std::max(x1 + kMargin, x_at(n - 1) + label_px / 2 + kMargin);
  w = std::max(w, 2 * kMargin + title_px(s));
  w = std::max(w, 2 * kMargin + text_px(s.value_label, kFont));
  const double h = bottom + 22 + kMargin;

  std::string o = svg_open(std::ceil(w), std::ceil(h), s);
  o += "<g class=\"grid\">\n";
  for (double t : ticks.values) o += line_el(x0, y_of(t), x1, y_of(t), t == 0 ? kAxis : kGrid);
  o += "</g>\n<g class=\"axis\">\n";
  o += line_el(x0, top, x0, bottom, kAxis);
  o += line_el(x0, bottom, x1, bottom, kAxis);
  for (double t : ticks.values)
    o += text_el("tick", x0 - 6, y_of(t) + 4, "end", tick_text(t, ticks), kTickFont);
  for (std::size_t i = 0; i < n; ++i) {
    if ((n - 1 - i) % every != 0) continue;
    o += line_el(x_at(i), bottom, x_at(i), bottom + 4, kAxis);
    o += text_el("period", x_at(i), bottom + 17, "middle", labels[i], kTickFont);
  }
  if (!s.value_label.empty()) o += text_el("caption", kMargin, 50, "start", s.value_label);
  o += "</g>\n";

  std::string points;
  std::string dots;
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(s.values[i])) continue;
    const std::string xy[2] = {coord(x_at(i)), coord(y_of(s.values[i]))};
    if (!points.empty()) points += ' ';
    points += xy[0] + "," + xy[1];
    dots += "<circle class=\"point\" cx=\"" + xy[0] + "\" cy=\"" + xy[1] + "\" r=\"3.5\" fill=\"" +
            kBarColor + "\"><title>" + xml_escape(label_at(s, i)) + ": " +
            xml_escape(num(s.values[i], 2)) + "</title></circle>\n";
  }
  o += "<polyline class=\"line\" fill=\"none\" stroke=\"" + std::string(kBarColor) +
       "\" stroke-width=\"2\" stroke-linejoin=\"round\" points=\"" + points + "\"/>\n";
  o += dots;
  o += "</svg>\n";
  return o;
}

} // namespace

void write_bar_chart(std::ostream& out, const ChartSeries& s, std::size_t width, bool color,
                     const std::vector<std::string>& value_texts) {
  write_title(out, s, width);
  if (s.values.empty()) {
    out << "(no data)\n";
    return;
  }
  write_bars(out, s, 0, s.values.size(), width, color, value_texts_for(s.values, value_texts));
}

std::string sparkline(const std::vector<double>& values) {
  double lo = 0;
  double hi = 0;
  bool any = false;
  for (double v : values) {
    if (!std::isfinite(v)) continue;
    lo = any ? std::min(lo, v) : v;
    hi = any ? std::max(hi, v) : v;
    any = true;
  }
  std::string out;
  for (double v : values) {
    if (!std::isfinite(v)) {
      out += ' ';
      continue;
    }
    long level = 3; // all equal: the middle block
    if (hi > lo) level = std::lround((v - lo) / (hi - lo) * 7);
    append_cp(out, static_cast<char32_t>(0x2581 + level));
  }
  return out;
}

void write_time_chart(std::ostream& out, const ChartSeries& s, std::size_t width, bool color,
                      const std::vector<std::string>& value_texts) {
  write_title(out, s, width);
  const std::size_t n = s.values.size();
  if (n == 0) {
    out << "(no data)\n";
    return;
  }
  const std::size_t w = effective_width(width);
  const std::size_t first = n > w ? n - w : 0;
  const std::size_t shown = n - first;
  const std::vector<std::string> texts = value_texts_for(s.values, value_texts);

  const std::vector<double> tail(s.values.begin() + static_cast<std::ptrdiff_t>(first), s.values.end());
  std::string spark = sparkline(tail);
  rtrim_spaces(spark);
  if (color) out << "\x1b[36m" << spark << "\x1b[0m\n";
  else out << spark << '\n';

  std::string range = label_at(s, first);
  if (shown > 1) range += " .. " + label_at(s, n - 1);
  if (first > 0) range += " (last " + std::to_string(shown) + " of " + std::to_string(n) + " periods)";
  else range += " (" + std::to_string(shown) + (shown == 1 ? " period)" : " periods)");
  out << text::truncate_to_width(range, w) << '\n';

  std::size_t imin = n;
  std::size_t imax = n;
  for (std::size_t i = first; i < n; ++i) {
    if (!std::isfinite(s.values[i])) continue;
    if (imin == n || s.values[i] < s.values[imin]) imin = i;
    if (imax == n || s.values[i] > s.values[imax]) imax = i;
  }
  if (imin != n) {
    const std::string line = "min " + texts[imin] + " (" + label_at(s, imin) + ")  max " +
                             texts[imax] + " (" + label_at(s, imax) + ")";
    out << text::truncate_to_width(line, w) << '\n';
  }
  if (shown <= 12) {
    out << '\n';
    write_bars(out, s, first, n, width, color, texts);
  }
}

std::string svg_chart(const ChartSeries& s) {
  if (s.values.empty()) return svg_empty(s);
  return s.over_time ? svg_line(s) : svg_bars(s);
}

} // namespace crm::format
