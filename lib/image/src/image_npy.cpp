#include "image_npy.hpp"

#include <bit>
#include <cstring>

#include "augment/core/error.hpp"
#include "augment/core/npy.hpp"
#include "augment/image/channel_order.hpp"

namespace augment::image::detail {
namespace {

const char* npy_dtype(int depth) {
  switch (depth) {
    case CV_8U: return "|u1";
    case CV_16U: return "<u2";
    case CV_32F: return "<f4";
    default: return nullptr;
  }
}

// Little-endian whatever the host, as every .npy the project writes.
template <class T>
void store_values(std::vector<std::uint8_t>& out, const T* values, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) {
    if constexpr (sizeof(T) == 1) {
      out.push_back(values[i]);
    } else if constexpr (sizeof(T) == 2) {
      out.push_back(static_cast<std::uint8_t>(values[i] & 0xff));
      out.push_back(static_cast<std::uint8_t>(values[i] >> 8));
    } else {
      store_le32(out, std::bit_cast<std::uint32_t>(values[i]));
    }
  }
}

}  // namespace

std::vector<std::uint8_t> encode_pixels_npy(const cv::Mat& pixels) {
  const char* dtype = npy_dtype(pixels.depth());
  if (!dtype) throw DataError("cannot write these pixels as .npy: they are not 8-bit, 16-bit unsigned or 32-bit float");
  const int channels = pixels.channels();
  // B, G, R (, A) → R, G, B (, A), as every RGB default of the project (channel_order.hpp).
  std::vector<int> from_to;
  for (const int c : in_channel_order(std::vector<int>{0, 1, 2, 3}, ChannelOrder::rgb)) {
    if (c >= channels) continue;
    from_to.push_back(c);
    from_to.push_back(static_cast<int>(from_to.size() / 2));
  }
  cv::Mat ordered(pixels.size(), pixels.type());
  cv::mixChannels(&pixels, 1, &ordered, 1, from_to.data(), from_to.size() / 2);

  std::vector<std::uint8_t> out = npy_header(
      dtype, {static_cast<std::size_t>(pixels.rows), static_cast<std::size_t>(pixels.cols),
              static_cast<std::size_t>(channels)});
  const std::size_t row_values = static_cast<std::size_t>(pixels.cols) * static_cast<std::size_t>(channels);
  out.reserve(out.size() + pixels.total() * pixels.elemSize());
  for (int y = 0; y < ordered.rows; ++y) {
    switch (ordered.depth()) {
      case CV_8U: store_values(out, ordered.ptr<std::uint8_t>(y), row_values); break;
      case CV_16U: store_values(out, ordered.ptr<std::uint16_t>(y), row_values); break;
      default: store_values(out, ordered.ptr<float>(y), row_values); break;
    }
  }
  return out;
}

}  // namespace augment::image::detail
