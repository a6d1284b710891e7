#include "image_format.hpp"

#include <algorithm>
#include <cstdlib>
#include <initializer_list>
#include <string>

#include "augment/core/error.hpp"
#include "augment/core/limits.hpp"

namespace augment::image::detail {
namespace {

using Bytes = std::span<const std::uint8_t>;

bool starts_with(Bytes bytes, std::initializer_list<std::uint8_t> prefix, std::size_t at = 0) {
  if (bytes.size() < at + prefix.size()) return false;
  return std::equal(prefix.begin(), prefix.end(), bytes.begin() + static_cast<std::ptrdiff_t>(at));
}

std::uint32_t u16(Bytes b, std::size_t at, bool big_endian) {
  return big_endian ? (std::uint32_t{b[at]} << 8) | b[at + 1] : (std::uint32_t{b[at + 1]} << 8) | b[at];
}

std::uint32_t u32(Bytes b, std::size_t at, bool big_endian) {
  return big_endian ? (u16(b, at, true) << 16) | u16(b, at + 2, true) : (u16(b, at + 2, false) << 16) | u16(b, at, false);
}

struct Size {
  std::uint64_t width = 0, height = 0;
};

[[noreturn]] void bad_header(ImageFormat format, const std::string& why) {
  throw DataError(std::string("corrupt ") + format_name(format) + " header: " + why);
}

Size png_size(Bytes b) {
  // Signature (8), then the first chunk: length (4), "IHDR", width (4), height (4), ...
  if (b.size() < 24 || !starts_with(b, {'I', 'H', 'D', 'R'}, 12)) bad_header(ImageFormat::png, "the first chunk is not IHDR");
  return {u32(b, 16, true), u32(b, 20, true)};
}

Size webp_size(Bytes b) {
  // "RIFF", size, "WEBP", then the first chunk's tag and size; its payload starts at 20.
  const auto need = [&](std::size_t n) {
    if (b.size() < n) bad_header(ImageFormat::webp, "the data ends inside the first chunk's header");
  };
  need(20);
  if (starts_with(b, {'V', 'P', '8', ' '}, 12)) {  // lossy: frame tag (3), start code (3), 14-bit sizes
    need(30);
    if (!starts_with(b, {0x9D, 0x01, 0x2A}, 23)) bad_header(ImageFormat::webp, "no VP8 start code");
    return {u16(b, 26, false) & 0x3FFF, u16(b, 28, false) & 0x3FFF};
  }
  if (starts_with(b, {'V', 'P', '8', 'L'}, 12)) {  // lossless: signature byte, then 14 bits each of size - 1
    need(25);
    if (b[20] != 0x2F) bad_header(ImageFormat::webp, "no VP8L signature");
    const std::uint32_t bits = u32(b, 21, false);
    return {(bits & 0x3FFF) + 1u, ((bits >> 14) & 0x3FFF) + 1u};
  }
  if (starts_with(b, {'V', 'P', '8', 'X'}, 12)) {  // extended: flags (4), 24-bit canvas sizes - 1
    need(30);
    const auto u24 = [&](std::size_t at) { return std::uint64_t{b[at]} | std::uint64_t{b[at + 1]} << 8 | std::uint64_t{b[at + 2]} << 16; };
    return {u24(24) + 1, u24(27) + 1};
  }
  bad_header(ImageFormat::webp, "the first chunk is not VP8, VP8L or VP8X");
}

Size tiff_size(Bytes b) {
  if (b.size() < 8) bad_header(ImageFormat::tiff, "the data ends inside the header");
  const bool big_endian = b[0] == 'M';
  const std::size_t ifd = u32(b, 4, big_endian);
  if (ifd < 8 || ifd + 2 > b.size()) bad_header(ImageFormat::tiff, "the first directory lies outside the file");
  const std::size_t entries = u16(b, ifd, big_endian);
  Size size;
  bool width = false, height = false;
  for (std::size_t e = 0; e < entries; ++e) {
    const std::size_t at = ifd + 2 + 12 * e;
    if (at + 12 > b.size()) bad_header(ImageFormat::tiff, "the first directory runs past the end of the file");
    const std::uint32_t tag = u16(b, at, big_endian), type = u16(b, at + 2, big_endian);
    if (tag != 256 && tag != 257) continue;  // ImageWidth, ImageLength
    std::uint64_t value;
    if (type == 3) value = u16(b, at + 8, big_endian);  // SHORT, left-aligned in the value field
    else if (type == 4) value = u32(b, at + 8, big_endian);  // LONG
    else bad_header(ImageFormat::tiff, "ImageWidth or ImageLength is neither SHORT nor LONG");
    (tag == 256 ? size.width : size.height) = value;
    (tag == 256 ? width : height) = true;
  }
  if (!width || !height) bad_header(ImageFormat::tiff, "the first directory gives no ImageWidth or ImageLength");
  return size;
}

Size bmp_size(Bytes b) {
  // File header (14), then the DIB header, whose first field is its own size.
  if (b.size() < 26) bad_header(ImageFormat::bmp, "the data ends inside the header");
  if (u32(b, 14, false) == 12) return {u16(b, 18, false), u16(b, 20, false)};  // OS/2 BITMAPCOREHEADER
  const auto width = static_cast<std::int32_t>(u32(b, 18, false));
  const auto height = static_cast<std::int32_t>(u32(b, 22, false));  // negative: rows stored top-down
  return {static_cast<std::uint64_t>(std::abs(static_cast<std::int64_t>(width))),
          static_cast<std::uint64_t>(std::abs(static_cast<std::int64_t>(height)))};
}

}  // namespace

ImageFormat sniff_format(Bytes b) {
  if (starts_with(b, {0xFF, 0xD8, 0xFF})) return ImageFormat::jpeg;
  if (starts_with(b, {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A})) return ImageFormat::png;
  if (starts_with(b, {'R', 'I', 'F', 'F'}) && starts_with(b, {'W', 'E', 'B', 'P'}, 8)) return ImageFormat::webp;
  if (starts_with(b, {'I', 'I', 42, 0}) || starts_with(b, {'M', 'M', 0, 42})) return ImageFormat::tiff;
  if (starts_with(b, {'B', 'M'})) return ImageFormat::bmp;
  return ImageFormat::unknown;
}

const char* format_name(ImageFormat f) {
  switch (f) {
    case ImageFormat::jpeg: return "JPEG";
    case ImageFormat::png: return "PNG";
    case ImageFormat::webp: return "WebP";
    case ImageFormat::tiff: return "TIFF";
    case ImageFormat::bmp: return "BMP";
    case ImageFormat::unknown: break;
  }
  return "image";
}

void check_declared_size(ImageFormat format, Bytes bytes) {
  Size size;
  switch (format) {
    case ImageFormat::png: size = png_size(bytes); break;
    case ImageFormat::webp: size = webp_size(bytes); break;
    case ImageFormat::tiff: size = tiff_size(bytes); break;
    case ImageFormat::bmp: size = bmp_size(bytes); break;
    case ImageFormat::jpeg:
    case ImageFormat::unknown: return;
  }
  check_limit("image_pixels", size.width * size.height,
              "image of " + std::to_string(size.width) + "x" + std::to_string(size.height));
}

}  // namespace augment::image::detail
