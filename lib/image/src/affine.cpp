#include "augment/image/affine.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

#include "augment/core/error.hpp"
#include "augment/core/number_text.hpp"
#include "augment/image/image.hpp"
#include "augment/image/warp_params.hpp"

namespace augment::image {
namespace {

// Shear angles are kept below this; tan(89°) ≈ 57 is already a degenerate picture.
constexpr double kMaxShear = 89.0;
constexpr double kMinScale = 0.01, kMaxScale = 100.0;

cv::Matx33d about_centre(const cv::Matx33d& m, cv::Size size) {
  const double cx = size.width / 2.0, cy = size.height / 2.0;
  return translation_matrix(cx, cy) * m * translation_matrix(-cx, -cy);
}

// cos and sin of `degrees`, exact (0, ±1) at multiples of 90° so quarter turns stay exact.
std::pair<double, double> cos_sin(double degrees) {
  double r = std::fmod(degrees, 360.0);
  if (r < 0) r += 360.0;
  if (r == 0.0) return {1.0, 0.0};
  if (r == 90.0) return {0.0, 1.0};
  if (r == 180.0) return {-1.0, 0.0};
  if (r == 270.0) return {0.0, -1.0};
  const double a = degrees * std::numbers::pi / 180.0;
  return {std::cos(a), std::sin(a)};
}

double tan_degrees(double degrees) { return std::tan(degrees * std::numbers::pi / 180.0); }

// A number from drawn params; throws UsageError naming it when it is missing or not a number.
double param(const nlohmann::json& params, const char* key) {
  const auto it = params.find(key);
  if (it == params.end() || !it->is_number())
    throw UsageError(std::string("params need a number '") + key + "', got " + params.dump());
  const double v = it->get<double>();
  if (!std::isfinite(v)) throw UsageError(std::string("param '") + key + "' must be finite, got " + params.dump());
  return v;
}

// The largest |value| a validated drawable setting can take.
double max_abs(const nlohmann::json& value) {
  if (value.is_array()) return std::max(std::fabs(value[0].get<double>()), std::fabs(value[1].get<double>()));
  return std::fabs(value.get<double>());
}

void check_shear(double max_x, double max_y, const std::string& names) {
  if (max_x + max_y >= 90.0)
    throw std::invalid_argument(names + " must keep |x| + |y| below 90 degrees (the shear folds the image flat at 90), got up to " +
                                format_number(max_x) + " + " + format_number(max_y));
}

void check_shear_params(double x, double y) {
  if (std::fabs(x) + std::fabs(y) >= 90.0)
    throw UsageError("shear must keep |x| + |y| below 90 degrees, got " + format_number(x) + ", " + format_number(y));
}

void check_scale_params(double sx, double sy) {
  if (!(sx > 0) || !(sy > 0))
    throw UsageError("scale factors must be positive, got " + format_number(sx) + ", " + format_number(sy));
}

// Scale settings: either `iso` (a factor for both axes) or `x_name` / `y_name`, not both.
void check_scale_choice(const nlohmann::json& s, const char* iso, const char* x_name, const char* y_name) {
  if (!s[iso].is_null() && (!s[x_name].is_null() || !s[y_name].is_null()))
    throw std::invalid_argument(std::string("give ") + iso + " (both axes) or " + x_name + "/" + y_name + ", not both");
}

// Draws (sx, sy) from `iso` or `x_name` / `y_name`; a missing axis stays 1.
std::pair<double, double> draw_scale(const nlohmann::json& s, Rng& rng, const char* iso, const char* x_name,
                                     const char* y_name) {
  if (!s[iso].is_null()) {
    const double f = draw_number(s[iso], rng);
    return {f, f};
  }
  const double sx = s[x_name].is_null() ? 1.0 : draw_number(s[x_name], rng);
  const double sy = s[y_name].is_null() ? 1.0 : draw_number(s[y_name], rng);
  return {sx, sy};
}

void push(Sample& sample, const cv::Matx33d& m, const nlohmann::json& settings) {
  image_of(sample).push_affine(m, warp_settings(settings));
}

std::vector<ParamSpec> with_warp(std::vector<ParamSpec> params) {
  for (ParamSpec& p : warp_params()) params.push_back(std::move(p));
  return params;
}

ParamSpec fraction(const char* name, const char* doc) {
  return {.name = name, .default_value = 0.0, .drawable = true, .minimum = -1.0, .maximum = 1.0, .doc = doc};
}

ParamSpec scale_factor(const char* name, const char* doc) {
  return {.name = name, .default_value = nullptr, .drawable = true, .minimum = kMinScale, .maximum = kMaxScale, .doc = doc};
}

ParamSpec shear_angle(const char* name, const char* doc) {
  return {.name = name, .default_value = 0.0, .drawable = true, .minimum = -kMaxShear, .maximum = kMaxShear, .doc = doc};
}

ParamSpec rotation_angle(const char* name, bool required, const char* doc) {
  return {.name = name,
          .default_value = required ? nlohmann::json(nullptr) : nlohmann::json(0.0),
          .required = required,
          .drawable = true,
          .minimum = -360.0,
          .maximum = 360.0,
          .doc = doc};
}

}  // namespace

// --- matrices ---

cv::Matx33d translation_matrix(double dx, double dy) { return {1, 0, dx, 0, 1, dy, 0, 0, 1}; }

cv::Matx33d scale_matrix(double sx, double sy, cv::Size size) {
  return about_centre({sx, 0, 0, 0, sy, 0, 0, 0, 1}, size);
}

cv::Matx33d rotation_matrix(double degrees, cv::Size size) {
  const auto [c, s] = cos_sin(degrees);
  return about_centre({c, s, 0, -s, c, 0, 0, 0, 1}, size);
}

cv::Matx33d shear_matrix(double x_degrees, double y_degrees, cv::Size size) {
  return about_centre({1, tan_degrees(x_degrees), 0, tan_degrees(y_degrees), 1, 0, 0, 0, 1}, size);
}

cv::Matx33d hflip_matrix(cv::Size size) { return {-1, 0, double(size.width), 0, 1, 0, 0, 0, 1}; }

cv::Matx33d vflip_matrix(cv::Size size) { return {1, 0, 0, 0, -1, double(size.height), 0, 0, 1}; }

cv::Matx33d affine_matrix(double tx, double ty, double sx, double sy, double degrees, double shear_x,
                          double shear_y, cv::Size size) {
  const auto [c, s] = cos_sin(degrees);
  const cv::Matx33d r{c, s, 0, -s, c, 0, 0, 0, 1};
  const cv::Matx33d sh{1, tan_degrees(shear_x), 0, tan_degrees(shear_y), 1, 0, 0, 0, 1};
  const cv::Matx33d sc{sx, 0, 0, 0, sy, 0, 0, 0, 1};
  return translation_matrix(tx * size.width, ty * size.height) * about_centre(r * sh * sc, size);
}

// --- translate ---

nlohmann::json Translate::draw(Rng& rng, const Sample&) const {
  const double x = draw_number(settings()["x"], rng);
  const double y = draw_number(settings()["y"], rng);
  return {{"x", x}, {"y", y}};
}

void Translate::apply(Sample& sample, const nlohmann::json& params) const {
  const cv::Size size = image_of(sample).size();
  push(sample, translation_matrix(param(params, "x") * size.width, param(params, "y") * size.height), settings());
}

OpInfo translate_op() {
  return {
      .name = "translate",
      .input = Kind::image,
      .output = Kind::image,
      .doc = "Shift the image by x·width, y·height (positive: right, down); the border fills the gap.",
      .params = with_warp({fraction("x", "horizontal shift as a fraction of the width, or [lo, hi] to draw it"),
                           fraction("y", "vertical shift as a fraction of the height, or [lo, hi] to draw it")}),
      .random = true,
      .create = make_transform<Translate>,
  };
}

// --- scale ---

nlohmann::json Scale::draw(Rng& rng, const Sample&) const {
  const auto [sx, sy] = draw_scale(settings(), rng, "factor", "x", "y");
  return {{"x", sx}, {"y", sy}};
}

void Scale::apply(Sample& sample, const nlohmann::json& params) const {
  const double sx = param(params, "x"), sy = param(params, "y");
  check_scale_params(sx, sy);
  push(sample, scale_matrix(sx, sy, image_of(sample).size()), settings());
}

OpInfo scale_op() {
  return {
      .name = "scale",
      .input = Kind::image,
      .output = Kind::image,
      .doc = "Scale the content about the centre (> 1 zooms in), keeping the image size; isotropic `factor` "
             "or per-axis `x`/`y`.",
      .params = with_warp({scale_factor("factor", "scale of both axes, or [lo, hi] to draw it (one draw for both)"),
                           scale_factor("x", "horizontal scale (instead of factor), or [lo, hi]; 1 when only y is given"),
                           scale_factor("y", "vertical scale (instead of factor), or [lo, hi]; 1 when only x is given")}),
      .random = true,
      .check =
          [](const nlohmann::json& s) {
            check_scale_choice(s, "factor", "x", "y");
            if (s["factor"].is_null() && s["x"].is_null() && s["y"].is_null())
              throw std::invalid_argument("give factor, or x and/or y");
          },
      .create = make_transform<Scale>,
  };
}

// --- flips ---

Flip::Flip(const OpInfo& info, const nlohmann::json& settings)
    : Transform(info, settings), horizontal_(info.name == "hflip") {}

void Flip::apply(Sample& sample, const nlohmann::json&) const {
  Image& image = image_of(sample);
  image.push_affine(horizontal_ ? hflip_matrix(image.size()) : vflip_matrix(image.size()));
}

OpInfo hflip_op() {
  return {
      .name = "hflip",
      .input = Kind::image,
      .output = Kind::image,
      .doc = "Mirror left-right (exact; give p for a random flip).",
      .create = make_transform<Flip>,
  };
}

OpInfo vflip_op() {
  return {
      .name = "vflip",
      .input = Kind::image,
      .output = Kind::image,
      .doc = "Mirror top-bottom (exact; give p for a random flip).",
      .create = make_transform<Flip>,
  };
}

// --- rotate ---

nlohmann::json Rotate::draw(Rng& rng, const Sample&) const {
  return {{"degrees", draw_number(settings()["degrees"], rng)}};
}

void Rotate::apply(Sample& sample, const nlohmann::json& params) const {
  push(sample, rotation_matrix(param(params, "degrees"), image_of(sample).size()), settings());
}

OpInfo rotate_op() {
  return {
      .name = "rotate",
      .input = Kind::image,
      .output = Kind::image,
      .doc = "Rotate about the centre, positive degrees counter-clockwise on screen; keeps the size (corners are cut).",
      .params = with_warp({rotation_angle("degrees", true, "angle in degrees, or [lo, hi] to draw it")}),
      .random = true,
      .create = make_transform<Rotate>,
  };
}

// --- shear ---

nlohmann::json Shear::draw(Rng& rng, const Sample&) const {
  const double x = draw_number(settings()["x"], rng);
  const double y = draw_number(settings()["y"], rng);
  return {{"x", x}, {"y", y}};
}

void Shear::apply(Sample& sample, const nlohmann::json& params) const {
  const double x = param(params, "x"), y = param(params, "y");
  check_shear_params(x, y);
  push(sample, shear_matrix(x, y, image_of(sample).size()), settings());
}

OpInfo shear_op() {
  return {
      .name = "shear",
      .input = Kind::image,
      .output = Kind::image,
      .doc = "Shear about the centre by angles in degrees: x slides lower rows right, y slides right columns down.",
      .params = with_warp({shear_angle("x", "horizontal shear angle, or [lo, hi] to draw it"),
                           shear_angle("y", "vertical shear angle, or [lo, hi] to draw it")}),
      .random = true,
      .check = [](const nlohmann::json& s) { check_shear(max_abs(s["x"]), max_abs(s["y"]), "shear x and y"); },
      .create = make_transform<Shear>,
  };
}

// --- affine ---

nlohmann::json Affine::draw(Rng& rng, const Sample&) const {
  const nlohmann::json& s = settings();
  const double tx = draw_number(s["translate_x"], rng);
  const double ty = draw_number(s["translate_y"], rng);
  const auto [sx, sy] = draw_scale(s, rng, "scale", "scale_x", "scale_y");
  const double degrees = draw_number(s["rotate"], rng);
  const double shear_x = draw_number(s["shear_x"], rng);
  const double shear_y = draw_number(s["shear_y"], rng);
  return {{"translate_x", tx}, {"translate_y", ty}, {"scale_x", sx},      {"scale_y", sy},
          {"rotate", degrees}, {"shear_x", shear_x}, {"shear_y", shear_y}};
}

void Affine::apply(Sample& sample, const nlohmann::json& params) const {
  const double sx = param(params, "scale_x"), sy = param(params, "scale_y");
  const double shear_x = param(params, "shear_x"), shear_y = param(params, "shear_y");
  check_scale_params(sx, sy);
  check_shear_params(shear_x, shear_y);
  const cv::Matx33d m = affine_matrix(param(params, "translate_x"), param(params, "translate_y"), sx, sy,
                                      param(params, "rotate"), shear_x, shear_y, image_of(sample).size());
  push(sample, m, settings());
}

OpInfo affine_op() {
  return {
      .name = "affine",
      .input = Kind::image,
      .output = Kind::image,
      .doc = "Scale, shear, rotate, then translate, about the centre, in one stage (same as those four stages in "
             "that order).",
      .params = with_warp({fraction("translate_x", "horizontal shift as a fraction of the width, or [lo, hi]"),
                           fraction("translate_y", "vertical shift as a fraction of the height, or [lo, hi]"),
                           scale_factor("scale", "scale of both axes, or [lo, hi] (one draw for both); default 1"),
                           scale_factor("scale_x", "horizontal scale (instead of scale), or [lo, hi]"),
                           scale_factor("scale_y", "vertical scale (instead of scale), or [lo, hi]"),
                           rotation_angle("rotate", false, "rotation in degrees, counter-clockwise, or [lo, hi]"),
                           shear_angle("shear_x", "horizontal shear angle in degrees, or [lo, hi]"),
                           shear_angle("shear_y", "vertical shear angle in degrees, or [lo, hi]")}),
      .random = true,
      .check =
          [](const nlohmann::json& s) {
            check_scale_choice(s, "scale", "scale_x", "scale_y");
            check_shear(max_abs(s["shear_x"]), max_abs(s["shear_y"]), "shear_x and shear_y");
          },
      .create = make_transform<Affine>,
  };
}

}  // namespace augment::image
