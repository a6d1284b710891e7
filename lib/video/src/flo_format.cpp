// Middlebury .flo reading and writing. Every field is little-endian whatever the host, so bytes
// are assembled by shifts rather than copied from memory.
#include <bit>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "augment/core/error.hpp"
#include "augment/video/optical_flow.hpp"

namespace augment::video {
namespace {

constexpr float kFloMagic = 202021.25F;
constexpr std::size_t kHeaderBytes = 12;
// A side beyond this is a corrupt header, not a flow field (and keeps w·h·8 far from overflow).
constexpr std::int64_t kMaxSide = std::int64_t{1} << 16;

void put_u32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  for (int shift = 0; shift < 32; shift += 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}

std::uint32_t get_u32(std::span<const std::uint8_t> bytes, std::size_t at) {
  return static_cast<std::uint32_t>(bytes[at]) | static_cast<std::uint32_t>(bytes[at + 1]) << 8 |
         static_cast<std::uint32_t>(bytes[at + 2]) << 16 | static_cast<std::uint32_t>(bytes[at + 3]) << 24;
}

}  // namespace

std::vector<std::uint8_t> encode_flo(const cv::Mat& flow) {
  if (flow.type() != CV_32FC2) throw std::invalid_argument("encode_flo: the flow must be CV_32FC2");
  if (flow.empty()) throw std::invalid_argument("encode_flo: the flow is empty");
  if (flow.cols > kMaxSide || flow.rows > kMaxSide)
    throw std::invalid_argument("encode_flo: a flow of " + std::to_string(flow.cols) + "x" + std::to_string(flow.rows) +
                                " is larger than .flo readers accept");
  std::vector<std::uint8_t> out;
  out.reserve(kHeaderBytes + flow.total() * 8);
  put_u32(out, std::bit_cast<std::uint32_t>(kFloMagic));
  put_u32(out, static_cast<std::uint32_t>(flow.cols));
  put_u32(out, static_cast<std::uint32_t>(flow.rows));
  for (int y = 0; y < flow.rows; ++y) {
    const auto* row = flow.ptr<cv::Vec2f>(y);
    for (int x = 0; x < flow.cols; ++x) {
      put_u32(out, std::bit_cast<std::uint32_t>(row[x][0]));
      put_u32(out, std::bit_cast<std::uint32_t>(row[x][1]));
    }
  }
  return out;
}

cv::Mat decode_flo(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < kHeaderBytes)
    throw DataError("too short for a .flo header: " + std::to_string(bytes.size()) + " bytes, the header is 12");
  const float magic = std::bit_cast<float>(get_u32(bytes, 0));
  if (magic != kFloMagic) throw DataError("bad magic number: not a .flo file (expected 202021.25, the bytes \"PIEH\")");
  const auto width = static_cast<std::int32_t>(get_u32(bytes, 4));
  const auto height = static_cast<std::int32_t>(get_u32(bytes, 8));
  if (width <= 0 || height <= 0 || width > kMaxSide || height > kMaxSide)
    throw DataError("absurd size " + std::to_string(width) + "x" + std::to_string(height) +
                    " in the .flo header (each side must be in 1..65536)");
  const auto expected = kHeaderBytes + static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 8;
  if (bytes.size() < expected)
    throw DataError("truncated: a " + std::to_string(width) + "x" + std::to_string(height) + " flow needs " +
                    std::to_string(expected) + " bytes, got " + std::to_string(bytes.size()));
  if (bytes.size() > expected)
    throw DataError("size mismatch: a " + std::to_string(width) + "x" + std::to_string(height) + " flow needs " +
                    std::to_string(expected) + " bytes, got " + std::to_string(bytes.size()) + " (bytes after the field)");
  cv::Mat flow(height, width, CV_32FC2);
  std::size_t at = kHeaderBytes;
  for (int y = 0; y < height; ++y) {
    auto* row = flow.ptr<cv::Vec2f>(y);
    for (int x = 0; x < width; ++x, at += 8) {
      row[x][0] = std::bit_cast<float>(get_u32(bytes, at));
      row[x][1] = std::bit_cast<float>(get_u32(bytes, at + 4));
    }
  }
  return flow;
}

}  // namespace augment::video
