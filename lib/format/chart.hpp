#pragma once
// Charts for `crm report NAME --chart`: bars and sparklines in the terminal,
// and a standalone SVG document for `--chart svg -o FILE.svg`.

#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

namespace crm::format {

struct ChartSeries {
  std::string title;                 // "revenue by month, in EUR"
  std::string value_label;           // "revenue" (axis caption)
  std::vector<std::string> labels;   // one per point or bar
  std::vector<double> values;        // same length; may be negative or zero
  bool over_time = false;            // labels are consecutive periods: line chart / sparkline
};

// Horizontal bars in the terminal:
//
//   revenue by month, in EUR                 <- title line (only when the title is set)
//   Ana Popescu    ████████████▍       1250
//   Олена Шевченко ███▌                 350
//   王小明          ▏                      1
//
// - Labels are padded to the widest label by display width (CJK counts 2, marks 0);
//   a label wider than width/3 columns is cut to width/3 with "…". Right-to-left
//   labels are not reordered (the terminal does that, as for tables).
// - Bars use the eighth blocks U+258F..U+2588 and are scaled so that the largest
//   |value| fills the columns left; a value that is not zero gets at least 1/8 of a
//   cell, so it never looks like zero.
// - When a value is negative, a sign column goes before every bar: '-' for negative
//   values (the bar itself has the same blocks, its length is |value|), ' ' otherwise.
// - Values are right-aligned at the end of the line: `value_texts[i]` when
//   `value_texts` is not empty (it then has one text per value), else the number
//   with up to 2 decimals ("1250", "12.5", "-0.25").
// - Every line fits in `width` columns (0 = 80); when it is very narrow the label
//   column shrinks, but value texts are never cut. With `color`, bars are cyan and
//   negative bars red (ANSI escapes, which take no columns).
// - No values: the title line, then "(no data)".
void write_bar_chart(std::ostream& out, const ChartSeries& s, std::size_t width, bool color,
                     const std::vector<std::string>& value_texts = {});

// One character per value from ▁▂▃▄▅▆▇█ (U+2581..U+2588): the minimum is ▁, the
// maximum █, the rest linear in between (rounded to the nearest level), so negative
// values are simply the low end. All values equal: every character is ▄ (the
// middle: nothing goes up or down). NaN and infinities are left out of the scale
// and shown as a space. No values: "".
std::string sparkline(const std::vector<double>& values);

// A series over time in the terminal:
//
//   revenue by month, in EUR                 <- title (when set)
//   ▁▃▅█▆▂                                   <- sparkline, one char per period
//   2026-01 .. 2026-06 (6 periods)           <- first and last label
//   min 120 (2026-01)  max 980 (2026-04)     <- value texts as for the bars
//
//   2026-01 ██▍                    120       <- with at most 12 periods: the bars
//   ...                                         of write_bar_chart, in time order
//
// When there are more periods than `width` columns, only the last `width` ones are
// drawn (the latest periods matter most) and the label line names that range.
// min/max name the first period holding them. No values: title, "(no data)".
void write_time_chart(std::ostream& out, const ChartSeries& s, std::size_t width, bool color,
                      const std::vector<std::string>& value_texts = {});

// A standalone SVG document (xmlns, width, height and viewBox set; font-family
// sans-serif; no scripts, no external references; all text XML-escaped):
// - over_time: a line chart with a dot per period (each with a <title> tooltip),
//   period labels under the x axis thinned to every k-th one (always the last) so
//   they never overlap, a y axis with 4-6 round ticks (steps 1, 2, 2.5 or 5 times a
//   power of ten, zero always included) and grid lines, the value_label above it.
// - otherwise horizontal bars, one <rect class="bar"> per value, labels at the left
//   right-aligned at the bars (labels with Arabic or Hebrew letters get
//   direction="rtl" and unicode-bidi="embed", anchored so their visual right edge
//   stays at the bars), the value at each bar end, an x axis with 4-6 round ticks,
//   vertical grid lines and value_label as its caption. Bars start at zero, so
//   negative values extend to the left of it.
// The label column and the canvas width are estimated from the text (ASCII from a
// table of DejaVu Sans widths, wide CJK characters 1em, other characters 0.75em),
// so long or non-Latin labels are not clipped; labels longer than 40 columns are
// cut with "…". No values: the title and "no data".
std::string svg_chart(const ChartSeries& s);

} // namespace crm::format
