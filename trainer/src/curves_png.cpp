// Training curves as a PNG, drawn with OpenCV: a panel for losses, one for accuracies.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "augment/core/atomic_file.hpp"
#include "augment/core/error.hpp"
#include "augment/trainer/metrics_log.hpp"

namespace augment::trainer {
namespace {

constexpr int kPanelWidth = 560, kPanelHeight = 400, kTitleHeight = 34;
constexpr int kLeft = 72, kRight = 18, kTop = 30, kBottom = 48;
const cv::Scalar kInk(40, 40, 40), kGrid(225, 225, 225), kWhite(255, 255, 255);
// Colour per metric family (BGR): blue, orange, green, red, purple, brown.
const cv::Scalar kPalette[] = {{180, 119, 31}, {14, 127, 255}, {44, 160, 44}, {40, 39, 214}, {189, 103, 148}, {75, 86, 140}};

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

enum class Style { solid, dashed, dotted };

struct Series {
  std::string name;
  Style style = Style::solid;
  cv::Scalar colour;
  std::vector<std::pair<double, double>> points;  // (epoch, value)
};

std::string strip_split(const std::string& name, Style& style) {
  if (name.rfind("val_", 0) == 0) {
    style = Style::dashed;
    return name.substr(4);
  }
  if (name.rfind("test_", 0) == 0) {
    style = Style::dotted;
    return name.substr(5);
  }
  style = Style::solid;
  return name;
}

std::vector<Series> series_ending(const std::vector<MetricsRow>& rows, const std::string& suffix) {
  std::vector<Series> out;
  std::map<std::string, std::size_t> family;  // base name → colour index
  for (const auto& row : rows)
    for (const auto& [name, value] : row.metrics.values) {
      if (!ends_with(name, suffix) || !std::isfinite(value)) continue;
      // An init-capture, not [&]: clang before 16 cannot capture a structured binding.
      auto it = std::find_if(out.begin(), out.end(), [&key = name](const Series& s) { return s.name == key; });
      if (it == out.end()) {
        Series s;
        s.name = name;
        const std::string base = strip_split(name, s.style);
        const auto f = family.emplace(base, family.size()).first->second;
        s.colour = kPalette[f % std::size(kPalette)];
        out.push_back(s);
        it = out.end() - 1;
      }
      it->points.emplace_back(static_cast<double>(row.epoch), value);
    }
  return out;
}

double nice_step(double range, int target) {
  const double raw = range / target;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * magnitude >= raw) return m * magnitude;
  return 10 * magnitude;
}

std::string short_number(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4g", std::abs(v) < 1e-12 ? 0.0 : v);
  return buffer;
}

void text(cv::Mat& image, const std::string& s, cv::Point at, double scale = 0.42, int align = -1) {
  int base = 0;
  const cv::Size size = cv::getTextSize(s, cv::FONT_HERSHEY_SIMPLEX, scale, 1, &base);
  if (align == 0) at.x -= size.width / 2;
  if (align == 1) at.x -= size.width;
  cv::putText(image, s, at, cv::FONT_HERSHEY_SIMPLEX, scale, kInk, 1, cv::LINE_AA);
}

// A polyline with dashes that continue across its segments.
void draw_line(cv::Mat& image, const std::vector<cv::Point2d>& pts, const cv::Scalar& colour, Style style) {
  if (pts.size() == 1) cv::circle(image, pts[0], 3, colour, cv::FILLED, cv::LINE_AA);
  const double on = style == Style::dashed ? 9 : 2.5, off = style == Style::dashed ? 5 : 4;
  double phase = 0;
  for (std::size_t i = 1; i < pts.size(); ++i) {
    const cv::Point2d a = pts[i - 1], b = pts[i];
    if (style == Style::solid) {
      cv::line(image, a, b, colour, 2, cv::LINE_AA);
      continue;
    }
    const double length = std::hypot(b.x - a.x, b.y - a.y);
    double t = 0;
    while (t < length) {
      const double period_pos = std::fmod(phase, on + off);
      const bool drawing = period_pos < on;
      const double step = std::min(length - t, drawing ? on - period_pos : on + off - period_pos);
      if (drawing && length > 0) {
        const cv::Point2d p = a + (b - a) * (t / length), q = a + (b - a) * ((t + step) / length);
        cv::line(image, p, q, colour, 2, cv::LINE_AA);
      }
      t += step;
      phase += step;
    }
  }
}

void draw_panel(cv::Mat& image, cv::Rect area, const std::vector<Series>& series, const std::string& label,
                std::size_t last_epoch) {
  const cv::Rect plot(area.x + kLeft, area.y + kTop, area.width - kLeft - kRight, area.height - kTop - kBottom);
  double lo = INFINITY, hi = -INFINITY;
  for (const auto& s : series)
    for (const auto& [x, y] : s.points) {
      lo = std::min(lo, y);
      hi = std::max(hi, y);
    }
  if (hi - lo < 1e-12) {
    lo -= 0.5;
    hi += 0.5;
  }
  const double pad = 0.05 * (hi - lo);
  lo -= pad;
  hi += pad;
  const double x_lo = 1, x_hi = std::max<double>(2, static_cast<double>(last_epoch));
  auto to_px = [&](double x, double y) {
    return cv::Point2d(plot.x + (x - x_lo) / (x_hi - x_lo) * plot.width, plot.y + (hi - y) / (hi - lo) * plot.height);
  };
  // Grid and ticks.
  const double ystep = nice_step(hi - lo, 6);
  for (double y = std::ceil(lo / ystep) * ystep; y <= hi; y += ystep) {
    const int py = static_cast<int>(std::lround(to_px(x_lo, y).y));
    cv::line(image, {plot.x, py}, {plot.x + plot.width, py}, kGrid, 1);
    text(image, short_number(y), {plot.x - 6, py + 4}, 0.4, 1);
  }
  const double xstep = std::max(1.0, nice_step(x_hi - x_lo, 8));
  for (double x = std::ceil(x_lo / xstep) * xstep; x <= x_hi + 1e-9; x += xstep) {
    const int px = static_cast<int>(std::lround(to_px(x, lo).x));
    cv::line(image, {px, plot.y}, {px, plot.y + plot.height}, kGrid, 1);
    text(image, short_number(x), {px, plot.y + plot.height + 16}, 0.4, 0);
  }
  cv::rectangle(image, plot, kInk, 1);
  text(image, "epoch", {plot.x + plot.width / 2, plot.y + plot.height + 36}, 0.45, 0);
  text(image, label, {plot.x, plot.y - 10}, 0.5);
  // Curves, then the legend on top of them.
  for (const auto& s : series) {
    std::vector<cv::Point2d> pts;
    for (const auto& [x, y] : s.points) pts.push_back(to_px(x, y));
    draw_line(image, pts, s.colour, s.style);
  }
  int ly = plot.y + 16;
  int width = 0;
  for (const auto& s : series) {
    int base = 0;
    width = std::max(width, cv::getTextSize(s.name, cv::FONT_HERSHEY_SIMPLEX, 0.4, 1, &base).width);
  }
  // The legend goes in the right-hand corner the curves' last points stay away from.
  double late = 0, count = 0;
  for (const auto& s : series)
    for (std::size_t i = s.points.size() / 2; i < s.points.size(); ++i, ++count) late += s.points[i].second;
  const bool low_curves = count > 0 && late / count < (lo + hi) / 2;
  const int box_height = 18 * static_cast<int>(series.size()) + 6;
  const int top = low_curves ? plot.y + 4 : plot.y + plot.height - box_height - 4;
  ly = top + 12;
  const int lx = plot.x + plot.width - width - 44;
  cv::rectangle(image, cv::Rect(lx - 6, top, width + 48, box_height), kWhite, cv::FILLED);
  cv::rectangle(image, cv::Rect(lx - 6, top, width + 48, box_height), kGrid, 1);
  for (const auto& s : series) {
    draw_line(image, {cv::Point2d(lx, ly - 4), cv::Point2d(lx + 30, ly - 4)}, s.colour, s.style);
    text(image, s.name, {lx + 36, ly});
    ly += 18;
  }
}

}  // namespace

std::vector<unsigned char> curves_png(const std::vector<MetricsRow>& rows, const std::string& title) {
  std::vector<std::pair<std::vector<Series>, std::string>> panels;
  for (const char* suffix : {"loss", "accuracy"})
    if (auto s = series_ending(rows, suffix); !s.empty()) panels.emplace_back(std::move(s), suffix);
  const int count = std::max<int>(1, static_cast<int>(panels.size()));
  cv::Mat image(kTitleHeight + kPanelHeight, count * kPanelWidth, CV_8UC3, kWhite);
  text(image, title.empty() ? std::string("training curves") : title, {image.cols / 2, 22}, 0.55, 0);
  const std::size_t last_epoch = rows.empty() ? 1 : rows.back().epoch;
  for (std::size_t i = 0; i < panels.size(); ++i)
    draw_panel(image, cv::Rect(static_cast<int>(i) * kPanelWidth, kTitleHeight, kPanelWidth, kPanelHeight),
               panels[i].first, panels[i].second, last_epoch);
  std::vector<unsigned char> bytes;
  cv::imencode(".png", image, bytes);
  return bytes;
}

void write_curves_png(const std::filesystem::path& png, const std::vector<MetricsRow>& rows, const std::string& title) {
  const auto bytes = curves_png(rows, title);
  AtomicOutputFile out(png, Durability::atomic_only);
  out.stream().write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  out.commit();
}

}  // namespace augment::trainer
