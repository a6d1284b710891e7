#include "augment/image/channel_norm.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "augment/core/error.hpp"
#include "augment/core/number_text.hpp"
#include "augment/features/column_statistics.hpp"
#include "augment/features/rescale.hpp"
#include "augment/features/statistics_fitter.hpp"
#include "augment/image/channel_order.hpp"
#include "augment/image/image.hpp"
#include "settled_pixels.hpp"

namespace augment::image {
namespace {

using features::ColumnStatistics;

// Each channel's count, mean, M2, min and max over the pixels, as ColumnStatistics with one
// column per channel (as if every pixel were a row).
ColumnStatistics channel_statistics(const cv::Mat& pixels) {
  std::vector<cv::Mat> planes;
  cv::split(pixels, planes);
  const double n = static_cast<double>(pixels.total());
  nlohmann::json mean = nlohmann::json::array(), m2 = nlohmann::json::array(), lo = nlohmann::json::array(),
                 hi = nlohmann::json::array();
  for (const cv::Mat& plane : planes) {
    if (plane.depth() == CV_32F && !cv::checkRange(plane))
      throw DataError("the image has NaN or infinite pixel values");
    double min_value = 0, max_value = 0;
    cv::minMaxLoc(plane, &min_value, &max_value);
    cv::Scalar m, sd;
    double centre = 0;
    if (plane.depth() == CV_32F) {
      // OpenCV accumulates Σx and Σx² for floats, which cancels when the mean dwarfs the spread:
      // shift by the mean first so the second pass sums small deviations.
      centre = cv::mean(plane)[0];
      cv::Mat shifted;
      plane.convertTo(shifted, CV_64F, 1.0, -centre);
      cv::meanStdDev(shifted, m, sd);
    } else {
      cv::meanStdDev(plane, m, sd);  // integer sums for 8- and 16-bit: exact
    }
    mean.push_back(centre + m[0]);
    m2.push_back(std::max(0.0, sd[0] * sd[0] * n));
    lo.push_back(min_value);
    hi.push_back(max_value);
  }
  return ColumnStatistics::from_json(
      {{"count", pixels.total()}, {"mean", mean}, {"m2", m2}, {"min", lo}, {"max", hi}});
}

std::string channels_text(std::size_t n) { return std::to_string(n) + (n == 1 ? " channel" : " channels"); }

// Streams images into per-channel ColumnStatistics; `to_state` turns them into a state.
class ChannelStatisticsFitter final : public Fitter {
 public:
  using ToState = std::function<nlohmann::json(const ColumnStatistics&)>;
  explicit ChannelStatisticsFitter(ToState to_state) : to_state_(std::move(to_state)) {}

  void add(const Sample& sample) override { fold(channel_statistics(detail::settled_pixels(image_of(sample)))); }

  void merge(const Fitter& other) override {
    const auto& theirs = dynamic_cast<const ChannelStatisticsFitter&>(other);
    if (theirs.stats_) fold(*theirs.stats_);
  }

  nlohmann::json state() const override {
    if (!stats_ || stats_->count() == 0) throw std::invalid_argument("no images to fit on");
    return to_state_(*stats_);
  }

 private:
  void fold(const ColumnStatistics& stats) {
    if (!stats_) {
      stats_ = stats;
      return;
    }
    if (stats.columns() != stats_->columns())
      throw DataError("the image has " + channels_text(stats.columns()) + ", earlier images had " +
                      channels_text(stats_->columns()));
    stats_->merge(stats);
  }

  ToState to_state_;
  std::optional<ColumnStatistics> stats_;
};

void check_channels(const cv::Mat& pixels, std::size_t fitted) {
  if (static_cast<std::size_t>(pixels.channels()) != fitted)
    throw UsageError("the image has " + channels_text(static_cast<std::size_t>(pixels.channels())) +
                     ", the stage's state has " + channels_text(fitted));
}

float affine_value(double x, double a, double b, std::optional<std::pair<double, double>> clip) {
  double v = x * a + b;
  if (clip) v = std::clamp(v, clip->first, clip->second);
  return static_cast<float>(v);
}

template <class T>
void affine_rows(const cv::Mat& src, cv::Mat& dst, const std::vector<double>& a, const std::vector<double>& b,
                 std::optional<std::pair<double, double>> clip) {
  const int cn = src.channels();
  const int row_values = src.cols * cn;
  for (int y = 0; y < src.rows; ++y) {
    const T* in = src.ptr<T>(y);
    float* out = dst.ptr<float>(y);
    for (int i = 0, c = 0; i < row_values; ++i) {
      out[i] = affine_value(static_cast<double>(in[i]), a[c], b[c], clip);
      if (++c == cn) c = 0;
    }
  }
}

// 8-bit: a lookup table per channel (256 values each), the same numbers as computing each.
void affine_rows_8u(const cv::Mat& src, cv::Mat& dst, const std::vector<double>& a, const std::vector<double>& b,
                    std::optional<std::pair<double, double>> clip) {
  const int cn = src.channels();
  std::vector<float> table(static_cast<std::size_t>(cn) * 256);
  for (int c = 0; c < cn; ++c)
    for (int x = 0; x < 256; ++x) table[c * 256 + x] = affine_value(x, a[c], b[c], clip);
  const int row_values = src.cols * cn;
  for (int y = 0; y < src.rows; ++y) {
    const std::uint8_t* in = src.ptr<std::uint8_t>(y);
    float* out = dst.ptr<float>(y);
    for (int i = 0, c = 0; i < row_values; ++i) {
      out[i] = table[c * 256 + in[i]];
      if (++c == cn) c = 0;
    }
  }
}

// x·a_c + b_c per channel c, computed in double, stored as float32 in a new buffer (never in
// the source's: cv::Mat copies share pixels). `clip` bounds the result.
cv::Mat affine_per_channel(const cv::Mat& src, const std::vector<double>& a, const std::vector<double>& b,
                           std::optional<std::pair<double, double>> clip = std::nullopt) {
  cv::Mat dst(src.size(), CV_MAKETYPE(CV_32F, src.channels()));
  switch (src.depth()) {
    case CV_8U: affine_rows_8u(src, dst, a, b, clip); break;
    case CV_16U: affine_rows<std::uint16_t>(src, dst, a, b, clip); break;
    case CV_32F: affine_rows<float>(src, dst, a, b, clip); break;
    default: throw UsageError("pixels must be 8-bit, 16-bit unsigned or 32-bit float");
  }
  return dst;
}

// --- rescale ---

class Rescale final : public Transform {
 public:
  Rescale(const OpInfo& info, const nlohmann::json& settings)
      : Transform(info, settings),
        order_(channel_order_of(settings)),
        lo_(settings["min"].get<double>()),
        hi_(settings["max"].get<double>()),
        clip_(settings["clip"].get<bool>()) {}

  void apply(Sample& sample, const nlohmann::json&) const override {
    Image& image = image_of(sample);
    const cv::Mat& pixels = image.pixels();
    check_channels(pixels, scale_.size());
    cv::Mat out = affine_per_channel(pixels, scale_, offset_,
                                     clip_ ? std::optional(std::pair(lo_, hi_)) : std::nullopt);
    image.set_pixels(std::move(out));
  }

  bool needs_fit() const override { return true; }
  bool is_fitted() const override { return !scale_.empty(); }

  std::unique_ptr<Fitter> make_fitter() const override {
    return std::make_unique<ChannelStatisticsFitter>([order = order_](const ColumnStatistics& stats) {
      return nlohmann::json{{"data_min", in_channel_order(stats.min(), order)},
                            {"data_max", in_channel_order(stats.max(), order)},
                            {"count", stats.count()}};
    });
  }

  nlohmann::json state() const override {
    if (!is_fitted()) return nullptr;
    nlohmann::json out = {{"data_min", data_min_}, {"data_max", data_max_}};
    if (count_ > 0) out["count"] = count_;
    return out;
  }

  void set_state(const nlohmann::json& state) override {
    std::vector<double> data_min = features::state_column(state, "data_min");
    std::vector<double> data_max = features::state_column(state, "data_max", data_min.size());
    std::vector<double> scale(data_min.size()), offset(data_min.size());
    for (std::size_t c = 0; c < data_min.size(); ++c) {
      const double range = data_max[c] - data_min[c];
      if (range < 0) throw std::invalid_argument("data_max is below data_min in channel " + std::to_string(c));
      // A (near-)constant channel maps to min (scikit-learn's MinMaxScaler rule, as the features op).
      const bool constant = range < 10 * std::numeric_limits<double>::epsilon();
      scale[c] = (hi_ - lo_) / (constant ? 1.0 : range);
      offset[c] = lo_ - data_min[c] * scale[c];
    }
    count_ = features::fitted_count(state);
    data_min_ = std::move(data_min);
    data_max_ = std::move(data_max);
    scale_ = in_channel_order(std::move(scale), order_);  // the state's order → the pixels' B, G, R
    offset_ = in_channel_order(std::move(offset), order_);
  }

 private:
  ChannelOrder order_;  // of the state's lists
  double lo_, hi_;
  bool clip_;
  std::vector<double> data_min_, data_max_;
  std::uint64_t count_ = 0;  // pixels fitted on (0 when the state was given by hand)
  std::vector<double> scale_, offset_;  // in the pixels' order
};

// --- standardize ---

class Standardize final : public Transform {
 public:
  Standardize(const OpInfo& info, const nlohmann::json& settings)
      : Transform(info, settings),
        order_(channel_order_of(settings)),
        pixel_scale_(settings["pixel_scale"].get<double>()),
        with_mean_(settings["with_mean"].get<bool>()),
        with_std_(settings["with_std"].get<bool>()) {}

  void apply(Sample& sample, const nlohmann::json&) const override {
    Image& image = image_of(sample);
    const cv::Mat& pixels = image.pixels();
    check_channels(pixels, gain_.size());
    cv::Mat out = affine_per_channel(pixels, gain_, offset_);
    image.set_pixels(std::move(out));
  }

  bool needs_fit() const override { return true; }
  bool is_fitted() const override { return !gain_.empty(); }

  std::unique_ptr<Fitter> make_fitter() const override {
    const double s = pixel_scale_;
    return std::make_unique<ChannelStatisticsFitter>([s, order = order_](const ColumnStatistics& stats) {
      // Statistics of x·s: the mean and std scale by s (s > 0).
      std::vector<double> mean = stats.mean(), stddev = stats.stddev();
      for (double& m : mean) m *= s;
      for (double& d : stddev) d *= s;
      return nlohmann::json{{"mean", in_channel_order(std::move(mean), order)},
                            {"std", in_channel_order(std::move(stddev), order)},
                            {"count", stats.count()}};
    });
  }

  nlohmann::json state() const override {
    if (!is_fitted()) return nullptr;
    nlohmann::json out = {{"mean", mean_}, {"std", std_}};
    if (count_ > 0) out["count"] = count_;
    return out;
  }

  void set_state(const nlohmann::json& state) override {
    std::vector<double> mean = features::state_column(state, "mean");
    std::vector<double> stddev = features::state_column(state, "std", mean.size());
    const std::uint64_t count = features::fitted_count(state);
    std::vector<double> scale(mean.size(), 1.0);
    for (std::size_t c = 0; c < mean.size(); ++c) {
      if (stddev[c] < 0) throw std::invalid_argument("std must be >= 0, got a negative value in channel " + std::to_string(c));
      if (with_std_ && !features::is_constant_feature(mean[c], stddev[c], count)) scale[c] = stddev[c];
    }
    // x' = x·gain + offset per channel, in the pixels' order (the state's may be RGB).
    std::vector<double> gain(mean.size()), offset(mean.size());
    for (std::size_t c = 0; c < mean.size(); ++c) {
      gain[c] = pixel_scale_ / scale[c];
      offset[c] = with_mean_ ? -mean[c] / scale[c] : 0.0;
    }
    count_ = count;
    mean_ = std::move(mean);
    std_ = std::move(stddev);
    gain_ = in_channel_order(std::move(gain), order_);
    offset_ = in_channel_order(std::move(offset), order_);
  }

 private:
  ChannelOrder order_;  // of mean_ and std_, as the state lists them
  double pixel_scale_;
  bool with_mean_, with_std_;
  std::vector<double> mean_, std_;
  std::uint64_t count_ = 0;
  std::vector<double> gain_, offset_;  // in the pixels' order; std is replaced by 1 where it is 0 or with_std is off
};

// --- unit_norm ---

class UnitNorm final : public Transform {
 public:
  UnitNorm(const OpInfo& info, const nlohmann::json& settings)
      : Transform(info, settings), norm_type_(norm_code(settings["norm"].get<std::string>())) {}

  void apply(Sample& sample, const nlohmann::json&) const override {
    Image& image = image_of(sample);
    const cv::Mat& pixels = image.pixels();
    const double n = cv::norm(pixels, norm_type_);
    const std::vector<double> a(static_cast<std::size_t>(pixels.channels()), n > 0 ? 1.0 / n : 1.0);
    const std::vector<double> b(a.size(), 0.0);
    cv::Mat out = affine_per_channel(pixels, a, b);
    image.set_pixels(std::move(out));
  }

 private:
  static int norm_code(const std::string& name) {
    if (name == "l1") return cv::NORM_L1;
    if (name == "max") return cv::NORM_INF;
    return cv::NORM_L2;
  }
  int norm_type_;
};

std::vector<ParamSpec> with_channel_order(std::vector<ParamSpec> params, const char* what) {
  params.push_back(channel_order_param(what));
  return params;
}

}  // namespace

OpInfo rescale_op() {
  return {
      .name = "rescale",
      .input = Kind::image,
      .output = Kind::image,
      .doc = "Min-max scale each channel to [min, max] (float32 out); fitted (channel min and max over all pixels), "
             "or give state {data_min, data_max} in RGB order (order).",
      .params = with_channel_order(features::rescale_range_params(), "the state's data_min and data_max"),
      .fittable = true,
      .check = features::check_rescale_range,
      .create = make_transform<Rescale>,
  };
}

OpInfo standardize_op() {
  return {
      .name = "standardize",
      .input = Kind::image,
      .output = Kind::image,
      .doc = "Per-channel (x * pixel_scale - mean) / std (float32 out); fitted, or give state {mean, std} in RGB "
             "order (order), as ImageNet's figures are printed.",
      .params = {{.name = "pixel_scale", .default_value = 1.0, .minimum = 0.0,
                  .doc = "pixels are multiplied by this first (1/255 takes [0, 1] statistics such as ImageNet's)"},
                 {.name = "with_mean", .type = ParamType::boolean, .default_value = true,
                  .doc = "subtract the channel mean"},
                 {.name = "with_std", .type = ParamType::boolean, .default_value = true,
                  .doc = "divide by the channel's population standard deviation"},
                 channel_order_param("the state's mean and std")},
      .fittable = true,
      .check =
          [](const nlohmann::json& s) {
            if (!(s["pixel_scale"].get<double>() > 0))
              throw std::invalid_argument("pixel_scale must be above 0, got " +
                                          format_number(s["pixel_scale"].get<double>()));
          },
      .create = make_transform<Standardize>,
  };
}

OpInfo unit_norm_op() {
  return {
      .name = "unit_norm",
      .input = Kind::image,
      .output = Kind::image,
      .doc = "Divide the image by its L2, L1 or max norm over all pixels and channels (float32 out).",
      .params = {{.name = "norm", .type = ParamType::string, .default_value = "l2", .choices = {"l2", "l1", "max"},
                  .doc = "which norm"}},
      .create = make_transform<UnitNorm>,
  };
}

}  // namespace augment::image
