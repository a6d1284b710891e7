#pragma once
// Which format encoded image data is in (from its signature, not its name), and the image size
// its header declares, checked against the image_pixels limit before anything is decoded.
#include <cstdint>
#include <span>

namespace augment::image::detail {

enum class ImageFormat { jpeg, png, webp, tiff, bmp, unknown };

ImageFormat sniff_format(std::span<const std::uint8_t> bytes);

/// "JPEG", "PNG", ...; "image" for unknown.
const char* format_name(ImageFormat format);

/// Reads width × height from the header of PNG (IHDR), WebP (VP8, VP8L or VP8X), TIFF (the first
/// directory's ImageWidth and ImageLength) or BMP data and calls check_limit("image_pixels", ...).
/// Throws DataError when the header is too short or malformed to give a size. JPEG's size is
/// checked by the JPEG decoder itself, which parses its header; unknown does nothing.
void check_declared_size(ImageFormat format, std::span<const std::uint8_t> bytes);

}  // namespace augment::image::detail
