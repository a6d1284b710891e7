#include "augment/image/to_tensor.hpp"

#include <opencv2/core.hpp>

#include "augment/core/error.hpp"

namespace augment::image {
namespace {

class ToTensor final : public Transform {
 public:
  ToTensor(const OpInfo& info, const nlohmann::json& settings)
      : Transform(info, settings),
        order_(channel_order_of(settings)),
        unit_scale_(settings["scale"] == "unit") {}

  void apply(Sample& sample, const nlohmann::json&) const override {
    Tensor tensor = image_to_tensor(image_of(sample), order_, unit_scale_);
    sample = make_sample(std::move(tensor));
  }

 private:
  ChannelOrder order_;
  bool unit_scale_;
};

}  // namespace

Tensor image_to_tensor(Image& image, ChannelOrder order, bool unit_scale) {
  const cv::Mat& pixels = image.pixels();
  const int channels = pixels.channels();
  double scale = 1.0;
  if (unit_scale && pixels.depth() == CV_8U) scale = 1.0 / 255.0;
  if (unit_scale && pixels.depth() == CV_16U) scale = 1.0 / 65535.0;
  cv::Mat values;
  pixels.convertTo(values, CV_32F, scale);
  std::vector<cv::Mat> planes;
  cv::split(values, planes);
  planes = in_channel_order(std::move(planes), order);  // alpha stays last
  Tensor tensor;
  tensor.shape = {static_cast<std::size_t>(channels), static_cast<std::size_t>(pixels.rows),
                  static_cast<std::size_t>(pixels.cols)};
  tensor.values.resize(tensor.element_count());
  const std::size_t plane_size = static_cast<std::size_t>(pixels.rows) * static_cast<std::size_t>(pixels.cols);
  for (int c = 0; c < channels; ++c) {
    float* out = tensor.values.data() + static_cast<std::size_t>(c) * plane_size;
    for (int y = 0; y < pixels.rows; ++y) {
      const float* row = planes[static_cast<std::size_t>(c)].ptr<float>(y);
      std::copy(row, row + pixels.cols, out + static_cast<std::size_t>(y) * static_cast<std::size_t>(pixels.cols));
    }
  }
  return tensor;
}

OpInfo to_tensor_op() {
  return {
      .name = "to_tensor",
      .input = Kind::image,
      .output = Kind::tensor,
      .doc = "Image → float32 C×H×W tensor (PyTorch's layout): RGB order and [0, 1] levels by default, as "
             "torchvision's ToTensor.",
      .params = {channel_order_param("the tensor's planes"),
                 {.name = "scale", .type = ParamType::string, .default_value = "unit", .choices = {"unit", "none"},
                  .doc = "unit: 8-bit / 255, 16-bit / 65535, float kept; none: levels as they are"}},
      .create = make_transform<ToTensor>,
  };
}

}  // namespace augment::image
