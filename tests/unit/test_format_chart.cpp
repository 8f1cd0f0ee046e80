#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "format/chart.hpp"
#include "util/text.hpp"

using crm::format::ChartSeries;

namespace {

ChartSeries series(std::vector<std::string> labels, std::vector<double> values,
                   std::string title = {}, bool over_time = false) {
  ChartSeries s;
  s.title = std::move(title);
  s.value_label = "value";
  s.labels = std::move(labels);
  s.values = std::move(values);
  s.over_time = over_time;
  return s;
}

std::string bars(const ChartSeries& s, std::size_t width,
                 const std::vector<std::string>& texts = {}) {
  std::ostringstream out;
  crm::format::write_bar_chart(out, s, width, false, texts);
  return out.str();
}

std::string time_chart(const ChartSeries& s, std::size_t width) {
  std::ostringstream out;
  crm::format::write_time_chart(out, s, width, false);
  return out.str();
}

std::string rep(const std::string& piece, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += piece;
  return out;
}

const std::string full = "\u2588";

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::size_t count(const std::string& hay, const std::string& needle) {
  std::size_t n = 0;
  for (auto p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + 1)) ++n;
  return n;
}

// The text content of every <text class="CLS" ...>.
std::vector<std::string> texts_of_class(const std::string& svg, const std::string& cls) {
  std::vector<std::string> out;
  const std::regex re("<text class=\"" + cls + "\"[^>]*>([^<]*)</text>");
  for (std::sregex_iterator it(svg.begin(), svg.end(), re), end; it != end; ++it)
    out.push_back((*it)[1].str());
  return out;
}

// Ticks are round: evenly spaced by 1, 2, 2.5 or 5 times a power of ten, 0 among them.
void check_round_ticks(const std::vector<double>& ticks) {
  REQUIRE(ticks.size() >= 4);
  REQUIRE(ticks.size() <= 6);
  const double step = ticks[1] - ticks[0];
  const double mag = std::pow(10.0, std::floor(std::log10(step) + 1e-9));
  const double m = step / mag;
  CAPTURE(step);
  CHECK((std::fabs(m - 1) < 1e-9 || std::fabs(m - 2) < 1e-9 || std::fabs(m - 2.5) < 1e-9 ||
         std::fabs(m - 5) < 1e-9));
  bool zero = false;
  for (std::size_t i = 0; i < ticks.size(); ++i) {
    CHECK(std::fabs(ticks[i] - (ticks[0] + step * double(i))) < 1e-9 * std::max(1.0, step));
    CHECK(std::fabs(std::round(ticks[i] / step) * step - ticks[i]) < 1e-9 * std::max(1.0, step));
    if (ticks[i] == 0) zero = true;
  }
  CHECK(zero);
}

double tick_value(const std::string& t) {
  double v = std::stod(t);
  if (t.back() == 'k') v *= 1e3;
  if (t.back() == 'M') v *= 1e6;
  return v;
}

} // namespace

TEST_SUITE_BEGIN("format");

// ------------------------------------------------------------------ terminal bars

TEST_CASE("chart: bars scale to the widest value with partial eighth blocks") {
  // width 20: label 2 + space, value 1 + space -> 15 cells = 120 eighths.
  // 3/8 of 120 = 45 eighths = 5 full blocks and a 5/8 block.
  const auto s = series({"a", "bb"}, {8, 3});
  CHECK(bars(s, 20) == "a  " + rep(full, 15) + " 8\n" +
                           "bb " + rep(full, 5) + "\u258B" + std::string(10, ' ') + "3\n");
}

TEST_CASE("chart: bars print the title line and the given value texts right-aligned") {
  const auto s = series({"a", "bb"}, {8, 3}, "sales & co");
  // Value column 6 wide: 20 - 3 - 1 - 6 = 10 cells; 3/8 of 80 eighths = 30 = 3 full + 6/8.
  CHECK(bars(s, 20, {"€8.00", "€13.00"}) == "sales & co\n"
                                            "a  " + rep(full, 10) + "  €8.00\n"
                                            "bb " + rep(full, 3) + "\u258A" + std::string(7, ' ') + "€13.00\n");
}

TEST_CASE("chart: bar labels align by display width with CJK and Arabic labels") {
  // 王小明 is 6 columns, محمد 4: every bar starts at column 7.
  const auto s = series({"王小明", "محمد", "Ana"}, {4, 2, 1});
  const std::string out = bars(s, 30);
  CHECK(out == "王小明 " + rep(full, 21) + " 4\n" +
                   "محمد   " + rep(full, 10) + "\u258C" + std::string(11, ' ') + "2\n" +
                   "Ana    " + rep(full, 5) + "\u258E" + std::string(16, ' ') + "1\n");
  for (const auto& line : lines_of(out)) CHECK(crm::text::display_width(line) == 30);
}

TEST_CASE("chart: labels wider than a third of the width are cut with an ellipsis") {
  const auto s = series({"Bartholomew Featherstonehaugh", "Bo"}, {5, 5});
  CHECK(bars(s, 30) == "Bartholom… " + rep(full, 17) + " 5\n" +
                           "Bo         " + rep(full, 17) + " 5\n");
}

TEST_CASE("chart: negative values get a '-' in the sign column, the bar shows |value|") {
  const auto s = series({"up", "down"}, {2, -4});
  CHECK(bars(s, 20) == "up    " + rep(full, 5) + "\u258C" + std::string(7, ' ') + "2\n" +
                           "down -" + rep(full, 11) + " -4\n");
}

TEST_CASE("chart: zero has no bar, a tiny value at least 1/8 block, numbers up to 2 decimals") {
  const auto s = series({"big", "tiny", "none"}, {2.5, 0.001, 0});
  const auto out = lines_of(bars(s, 24));
  REQUIRE(out.size() == 3);
  // 24 - 5 (label) - 4 (value) = 15 cells.
  CHECK(out[0] == "big  " + rep(full, 15) + " 2.5");
  CHECK(out[1] == "tiny \u258F" + std::string(17, ' ') + "0");
  CHECK(out[2] == "none" + std::string(19, ' ') + "0");
  CHECK(lines_of(bars(series({"x", "y", "z"}, {1.25, 3.333, -0.004}), 40))[1].ends_with(" 3.33"));
}

TEST_CASE("chart: every bar line fits the width, with color escapes only when asked") {
  const auto s = series({"Олена Шевченко", "王小明王小明王小明王小明王小明", "محمد", "Bob"},
                        {1250.5, -33, 640, 0.5});
  for (std::size_t width : {12u, 20u, 40u, 80u, 120u}) {
    CAPTURE(width);
    const std::string out = bars(s, width);
    CHECK(out.find('\x1b') == std::string::npos);
    for (const auto& line : lines_of(out)) {
      CAPTURE(line);
      CHECK(crm::text::display_width(line) <= width);
    }
  }
  std::ostringstream colored;
  crm::format::write_bar_chart(colored, s, 40, true);
  CHECK(colored.str().find("\x1b[36m") != std::string::npos);
  CHECK(colored.str().find("\x1b[31m-") != std::string::npos);
}

TEST_CASE("chart: no values prints '(no data)' after the title") {
  CHECK(bars(series({}, {}), 40) == "(no data)\n");
  CHECK(bars(series({}, {}, "top customers"), 40) == "top customers\n(no data)\n");
  CHECK(time_chart(series({}, {}, "revenue", true), 40) == "revenue\n(no data)\n");
}

// ------------------------------------------------------------------ sparkline

TEST_CASE("chart: sparkline maps min..max onto the eight blocks") {
  using crm::format::sparkline;
  CHECK(sparkline({1, 2, 3, 4, 5, 6, 7, 8}) == "▁▂▃▄▅▆▇█");
  CHECK(sparkline({8, 1}) == "█▁");
  CHECK(sparkline({-10, 0, 10}) == "▁▅█"); // 3.5 rounds up
  CHECK(sparkline({-3, -2, -1}) == "▁▅█");
  CHECK(sparkline({5, 5, 5}) == "▄▄▄");
  CHECK(sparkline({0}) == "▄");
  CHECK(sparkline({}).empty());
  CHECK(sparkline({1, std::numeric_limits<double>::quiet_NaN(), 3}) == "▁ █");
}

// ------------------------------------------------------------------ time chart

TEST_CASE("chart: time chart with few periods shows sparkline, range, min/max and bars") {
  const auto s = series({"2026-Q1", "2026-Q2", "2026-Q3"}, {3, 7, 5}, "deals won", true);
  // Bars: 32 - 8 - 2 = 22 cells; 3/7 of 176 eighths = 75 (9 full + 3/8), 5/7 -> 126 (15 + 6/8).
  CHECK(time_chart(s, 32) == "deals won\n"
                             "▁█▅\n"
                             "2026-Q1 .. 2026-Q3 (3 periods)\n"
                             "min 3 (2026-Q1)  max 7 (2026-Q2)\n"
                             "\n"
                             "2026-Q1 " + rep(full, 9) + "\u258D" + std::string(13, ' ') + "3\n" +
                             "2026-Q2 " + rep(full, 22) + " 7\n" +
                             "2026-Q3 " + rep(full, 15) + "\u258A" + std::string(7, ' ') + "5\n");
  // Narrower, the min/max line is cut like every other line.
  CHECK(lines_of(time_chart(s, 30))[3] == "min 3 (2026-Q1)  max 7 (2026-…");
}

TEST_CASE("chart: time chart keeps the last periods that fit and no bars when many") {
  ChartSeries s = series({}, {}, "", true);
  for (int i = 1; i <= 30; ++i) {
    s.labels.push_back("p" + std::to_string(i));
    s.values.push_back(i);
  }
  const auto out = lines_of(time_chart(s, 20));
  REQUIRE(out.size() == 3);
  CHECK(out[0] == "▁▁▂▂▂▃▃▄▄▄▅▅▅▆▆▇▇▇██"); // 11..30: round((v - 11) / 19 * 7)
  CHECK(out[1] == "p11 .. p30 (last 20…");
  CHECK(out[2] == "min 11 (p11)  max 3…");
  CHECK(time_chart(series({"2026-01"}, {5}, "", true), 40) ==
        "▄\n2026-01 (1 period)\nmin 5 (2026-01)  max 5 (2026-01)\n\n2026-01 " +
            rep(full, 30) + " 5\n");
}

// ------------------------------------------------------------------ SVG

TEST_CASE("chart: svg bars: one rect per bar, escaped text, round ticks, labels per direction") {
  const auto s = series({"<&>", "Олена Шевченко", "محمد", "王小明", "O'Neil \"Jr\""},
                        {1250, 980.5, 640, 12, 0}, "top <customers> & more");
  const std::string svg = crm::format::svg_chart(s);
  CHECK(svg.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\""));
  CHECK(svg.find("viewBox=\"0 0 ") != std::string::npos);
  CHECK(svg.find("font-family=\"sans-serif\"") != std::string::npos);
  CHECK(svg.find("<script") == std::string::npos);
  CHECK(svg.find("href") == std::string::npos);
  CHECK(count(svg, "<rect") == 5);
  CHECK(count(svg, "<rect class=\"bar\"") == 5);

  CHECK(texts_of_class(svg, "title") == std::vector<std::string>{"top &lt;customers&gt; &amp; more"});
  CHECK(texts_of_class(svg, "label") ==
        std::vector<std::string>{"&lt;&amp;&gt;", "Олена Шевченко", "محمد", "王小明",
                                 "O&apos;Neil &quot;Jr&quot;"});
  CHECK(svg.find("<&>") == std::string::npos);
  CHECK(texts_of_class(svg, "value") == std::vector<std::string>{"1250", "980.5", "640", "12", "0"});
  CHECK(texts_of_class(svg, "caption") == std::vector<std::string>{"value"});
  CHECK(texts_of_class(svg, "tick") == std::vector<std::string>{"0", "250", "500", "750", "1000", "1250"});

  // The Arabic label is right-to-left; its "start" is its right edge, at the bars.
  const std::regex arabic("<text class=\"label\" x=\"([0-9.]+)\"[^>]* text-anchor=\"start\" "
                          "direction=\"rtl\" unicode-bidi=\"embed\">محمد</text>");
  CHECK(std::regex_search(svg, arabic));
  const std::regex cyrillic("<text class=\"label\" x=\"[0-9.]+\"[^>]* text-anchor=\"end\">Олена");
  CHECK(std::regex_search(svg, cyrillic));
  CHECK(count(svg, "direction=\"rtl\"") == 1);
}

TEST_CASE("chart: svg ticks are round for assorted ranges, negatives included") {
  const std::vector<std::vector<double>> cases = {
      {1250, 980.5}, {-150, 1250}, {0.3}, {-2500000, -1000000}, {7}, {0, 0}, {99999}, {0.0042, -0.001}};
  for (const auto& values : cases) {
    ChartSeries s = series(std::vector<std::string>(values.size(), "x"), values);
    for (bool over_time : {false, true}) {
      s.over_time = over_time;
      const std::string svg = crm::format::svg_chart(s);
      std::vector<double> ticks;
      for (const auto& t : texts_of_class(svg, "tick")) ticks.push_back(tick_value(t));
      CAPTURE(svg);
      check_round_ticks(ticks);
      for (double v : values) {
        CHECK(v >= ticks.front());
        CHECK(v <= ticks.back());
      }
    }
  }
  const auto svg = crm::format::svg_chart(series({"a", "b"}, {-2500000, -1000000}));
  CHECK(texts_of_class(svg, "tick") ==
        std::vector<std::string>{"-2.5M", "-2M", "-1.5M", "-1M", "-0.5M", "0"});
}

TEST_CASE("chart: svg line chart: a dot per period, thinned period labels, last one kept") {
  ChartSeries s = series({}, {}, "revenue by day", true);
  for (int i = 0; i < 120; ++i) {
    s.labels.push_back("2026-01-" + std::to_string(100 + i));
    s.values.push_back((i * 37) % 101);
  }
  const std::string svg = crm::format::svg_chart(s);
  CHECK(count(svg, "<circle class=\"point\"") == 120);
  CHECK(count(svg, "<polyline") == 1);
  CHECK(count(svg, "<rect") == 0);
  const auto periods = texts_of_class(svg, "period");
  CHECK(periods.size() > 3);
  CHECK(periods.size() < 20);
  CHECK(periods.back() == "2026-01-219");
  CHECK(texts_of_class(svg, "tick") == std::vector<std::string>{"0", "20", "40", "60", "80", "100"});

  const auto few = crm::format::svg_chart(series({"Jan", "Feb", "Mar"}, {1, 2, 3}, "q", true));
  CHECK(texts_of_class(few, "period") == std::vector<std::string>{"Jan", "Feb", "Mar"});
}

TEST_CASE("chart: svg with no data still has its title, control characters are dropped") {
  const std::string svg = crm::format::svg_chart(series({}, {}, "revenue & <more>"));
  CHECK(svg.starts_with("<?xml"));
  CHECK(svg.find("xmlns=\"http://www.w3.org/2000/svg\"") != std::string::npos);
  CHECK(texts_of_class(svg, "title") == std::vector<std::string>{"revenue &amp; &lt;more&gt;"});
  CHECK(texts_of_class(svg, "nodata") == std::vector<std::string>{"no data"});
  CHECK(count(svg, "<rect") == 0);

  const std::string ctl = crm::format::svg_chart(series({"a\x01" "b\x1f"}, {1}));
  CHECK(texts_of_class(ctl, "label") == std::vector<std::string>{"ab"});
}

TEST_SUITE_END();
