#include "augment/image/image_codec.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <string_view>
#include <utility>

#include <zlib.h>

#include <opencv2/core/utility.hpp>
#include <opencv2/imgcodecs.hpp>

#include "augment/core/error.hpp"
#include "augment/core/paths.hpp"
#include "augment/image/image.hpp"
#include "augment/image/reduced_decode.hpp"
#include "image_format.hpp"
#include "image_npy.hpp"
#include "jpeg_decoder.hpp"
#include "tiff_errors.hpp"
#include "pixel_values.hpp"
#include "settled_pixels.hpp"

namespace augment::image {
namespace {

namespace fs = std::filesystem;
using Bytes = std::span<const std::uint8_t>;

bool starts_with(Bytes bytes, std::initializer_list<std::uint8_t> prefix, std::size_t at = 0) {
  if (bytes.size() < at + prefix.size()) return false;
  return std::equal(prefix.begin(), prefix.end(), bytes.begin() + static_cast<std::ptrdiff_t>(at));
}

std::uint32_t read_u16(Bytes b, std::size_t at, bool big_endian) {
  return big_endian ? (std::uint32_t{b[at]} << 8) | b[at + 1] : (std::uint32_t{b[at + 1]} << 8) | b[at];
}

std::uint32_t read_u32(Bytes b, std::size_t at, bool big_endian) {
  return big_endian ? (read_u16(b, at, true) << 16) | read_u16(b, at + 2, true)
                    : (read_u16(b, at + 2, false) << 16) | read_u16(b, at, false);
}

// The Orientation tag (0x0112) of IFD0 in an APP1 "Exif\0\0" payload; 0 when absent or invalid.
int exif_orientation(Bytes app1) {
  if (!starts_with(app1, {'E', 'x', 'i', 'f', 0, 0})) return 0;
  const Bytes tiff = app1.subspan(6);
  if (tiff.size() < 8) return 0;
  bool big_endian;
  if (starts_with(tiff, {'M', 'M', 0, 42})) big_endian = true;
  else if (starts_with(tiff, {'I', 'I', 42, 0})) big_endian = false;
  else return 0;
  const std::size_t ifd = read_u32(tiff, 4, big_endian);
  if (ifd + 2 > tiff.size()) return 0;
  const std::size_t entries = read_u16(tiff, ifd, big_endian);
  for (std::size_t e = 0; e < entries; ++e) {
    const std::size_t at = ifd + 2 + 12 * e;
    if (at + 12 > tiff.size()) return 0;
    if (read_u16(tiff, at, big_endian) != 0x0112) continue;
    if (read_u16(tiff, at + 2, big_endian) != 3) return 0;  // SHORT
    const auto value = static_cast<int>(read_u16(tiff, at + 8, big_endian));
    return value >= 1 && value <= 8 ? value : 0;
  }
  return 0;
}

struct JpegScan {
  bool complete = false;  // the end-of-image marker was reached
  int orientation = 1;
};

// Walks the JPEG's marker segments (skipping each by its length, so bytes inside an EXIF
// thumbnail or ICC profile are never taken for markers) and its entropy-coded scans (where a
// 0xFF data byte is always stuffed as FF 00, and FF D0..D7 are restart markers), until EOI.
// Anything after EOI (padding, appended data) is ignored, as decoders do.
JpegScan scan_jpeg(Bytes b) {
  JpegScan out;
  bool found_orientation = false;
  const std::size_t n = b.size();
  std::size_t i = 2;  // after SOI
  bool in_scan = false;
  while (i < n) {
    if (in_scan) {
      if (b[i] != 0xFF) {
        ++i;
        continue;
      }
      if (i + 1 >= n) break;
      const std::uint8_t next = b[i + 1];
      if (next == 0x00 || (next >= 0xD0 && next <= 0xD7)) {
        i += 2;
        continue;
      }
      in_scan = false;  // a marker: i stays on its 0xFF
      continue;
    }
    if (b[i] != 0xFF) {  // stray bytes between segments: skip to the next marker, as libjpeg does
      ++i;
      continue;
    }
    while (i < n && b[i] == 0xFF) ++i;  // fill bytes
    if (i >= n) break;
    const std::uint8_t code = b[i++];
    if (code == 0xD9) {
      out.complete = true;
      return out;
    }
    if (code == 0x01 || (code >= 0xD0 && code <= 0xD8)) continue;  // markers without a length
    if (i + 2 > n) break;
    const std::size_t length = read_u16(b, i, true);
    if (length < 2 || i + length > n) break;
    if (code == 0xE1 && !found_orientation) {
      if (const int o = exif_orientation(b.subspan(i + 2, length - 2)); o != 0) {
        out.orientation = o;
        found_orientation = true;
      }
    }
    i += length;
    if (code == 0xDA) in_scan = true;  // start of scan: entropy-coded data follows its header
  }
  return out;
}

// Whether the PNG's chunk sequence runs complete up to IEND.
// Walks the PNG's chunks up to IEND, checking each one's CRC, and throws DataError for data
// that ends early or a chunk whose CRC fails. libpng would catch a bad CRC too, but it prints
// its own "libpng error" line on stderr first, which no caller can stop; checked here, the
// damaged file gives our one line only. (zlib's crc32 runs at GB/s: a small cost per file.)
void check_png_chunks(Bytes b) {
  std::size_t i = 8;  // after the signature
  while (i + 8 <= b.size()) {
    const std::size_t length = read_u32(b, i, true);
    if (length > 0x7FFFFFFF || i + 12 + length > b.size()) break;
    const std::string type(reinterpret_cast<const char*>(b.data() + i + 4), 4);
    // The CRC covers the type and the data, not the length.
    const auto crc = ::crc32(::crc32(0L, Z_NULL, 0), b.data() + i + 4, static_cast<uInt>(length + 4));
    if (crc != read_u32(b, i + 8 + length, true))
      throw DataError("corrupt PNG data: the CRC of chunk " + type + " (at byte " + std::to_string(i) + ") does not match");
    if (type == "IEND") return;
    i += 12 + length;
  }
  throw DataError("truncated PNG: the data ends before the IEND chunk");
}



// What each output format can hold.
struct OutputFormat {
  const char* name;
  std::vector<int> depths;
  bool alpha;
};

const OutputFormat* output_format(const std::string& ext) {
  static const OutputFormat jpeg{"JPEG", {CV_8U}, false}, png{"PNG", {CV_8U, CV_16U}, true},
      webp{"WebP", {CV_8U}, true}, tiff{"TIFF", {CV_8U, CV_16U, CV_32F}, true}, bmp{"BMP", {CV_8U}, false};
  if (ext == ".jpg" || ext == ".jpeg") return &jpeg;
  if (ext == ".png") return &png;
  if (ext == ".webp") return &webp;
  if (ext == ".tif" || ext == ".tiff") return &tiff;
  if (ext == ".bmp") return &bmp;
  return nullptr;
}

void check_option(int value, int lo, int hi, const char* name) {
  if (value < lo || value > hi)
    throw std::invalid_argument(std::string(name) + " must be in [" + std::to_string(lo) + ", " +
                                std::to_string(hi) + "], got " + std::to_string(value));
}

}  // namespace

int jpeg_exif_orientation(std::span<const std::uint8_t> bytes) {
  if (detail::sniff_format(bytes) != detail::ImageFormat::jpeg) return 1;
  return scan_jpeg(bytes).orientation;
}

cv::Mat apply_exif_orientation(const cv::Mat& pixels, int orientation) {
  if (orientation <= 1 || orientation > 8) return pixels;
  cv::Mat out;
  switch (orientation) {
    case 2: cv::flip(pixels, out, 1); return out;
    case 3: cv::flip(pixels, out, -1); return out;
    case 4: cv::flip(pixels, out, 0); return out;
    default: break;
  }
  cv::Mat transposed;
  cv::transpose(pixels, transposed);
  switch (orientation) {
    case 5: return transposed;
    case 6: cv::flip(transposed, out, 1); return out;   // = rotate 90° clockwise
    case 7: cv::flip(transposed, out, -1); return out;
    default: cv::flip(transposed, out, 0); return out;  // 8: = rotate 90° counter-clockwise
  }
}

// decode_image(); with `reduce_to`, a JPEG at reduced size (reduced_decode.hpp), its full size
// (upright) then in `reduced_from`.
static cv::Mat decode(Bytes bytes, const std::function<cv::Size(cv::Size)>& reduce_to,
                      std::optional<cv::Size>& reduced_from) {
  using detail::ImageFormat;
  if (bytes.empty()) throw DataError("empty file");
  if (bytes.size() > INT_MAX) throw DataError("file too large for the image decoders (over 2 GiB)");
  const ImageFormat format = detail::sniff_format(bytes);
  // Only the five formats whose headers are checked below reach a decoder: OpenCV would also
  // try PNM, HDR, Sun raster, JPEG 2000, EXR and everything GDAL reads, unchecked.
  if (format == ImageFormat::unknown) throw DataError("not an image: the content is not JPEG, PNG, WebP, TIFF or BMP");
  int orientation = 1;
  cv::Mat pixels;
  if (format == ImageFormat::jpeg) {
    const JpegScan scan = scan_jpeg(bytes);
    if (!scan.complete) throw DataError("truncated JPEG: the data ends before the end-of-image marker");
    orientation = scan.orientation;
    std::function<int(cv::Size)> scale;
    if (reduce_to)
      scale = [&](cv::Size stored) {
        // The pipeline sees the image upright: orientations 5 to 8 swap its sides.
        const cv::Size full = orientation >= 5 ? cv::Size(stored.height, stored.width) : stored;
        const int denominator = reduced_decode_denominator(full, reduce_to(full));
        if (denominator > 1) reduced_from = full;
        return denominator;
      };
    pixels = detail::decode_jpeg(bytes, scale);
  } else {
    if (format == ImageFormat::png) check_png_chunks(bytes);
    detail::check_declared_size(format, bytes);
    // libpng, libwebp, libtiff and OpenCV's BMP reader fail (rather than conceal) on data that
    // is missing or fails a check (PNG's CRCs and zlib's Adler-32); imdecode then gives nothing.
    // libtiff's own error reports cover what OpenCV's TIFF reader lets pass (tiff_errors.hpp).
    const cv::Mat encoded(1, static_cast<int>(bytes.size()), CV_8U, const_cast<std::uint8_t*>(bytes.data()));
    const detail::TiffErrorWatch tiff_errors;
    try {
      pixels = cv::imdecode(encoded, cv::IMREAD_UNCHANGED);
    } catch (const cv::Exception& e) {
      throw DataError(std::string("cannot decode the ") + detail::format_name(format) + " data: " + e.err);
    }
    if (format == ImageFormat::tiff && !tiff_errors.first_error().empty())
      throw DataError("corrupt TIFF data: " + tiff_errors.first_error());
    if (pixels.empty())
      throw DataError(std::string("corrupt ") + detail::format_name(format) + " data: OpenCV cannot decode it");
  }
  const int depth = pixels.depth(), channels = pixels.channels();
  if ((depth != CV_8U && depth != CV_16U && depth != CV_32F) || (channels != 1 && channels != 3 && channels != 4))
    throw DataError("unsupported pixel format: " + std::to_string(channels) + " channel(s) of " +
                    detail::depth_name(depth) + " (image ops take 1, 3 or 4 channels of 8-bit, 16-bit unsigned or "
                    "32-bit float)");
  return apply_exif_orientation(pixels, orientation);
}

cv::Mat decode_image(std::span<const std::uint8_t> bytes) {
  std::optional<cv::Size> unused;
  return decode(bytes, {}, unused);
}

std::vector<std::uint8_t> encode_image(const cv::Mat& pixels, const std::string& extension,
                                       const ImageWriteOptions& options) {
  const std::string ext = ascii_lower(extension);
  if (ext == ".npy") return detail::encode_pixels_npy(pixels);
  const OutputFormat* format = output_format(ext);
  if (!format)
    throw DataError("cannot write '" + extension + "': not an image format (.jpg .jpeg .png .webp .tif .tiff .bmp .npy)");
  if (pixels.empty()) throw DataError("cannot write an empty image");
  if (std::find(format->depths.begin(), format->depths.end(), pixels.depth()) == format->depths.end()) {
    std::string holds;
    for (int d : format->depths) holds += (holds.empty() ? "" : " or ") + detail::depth_name(d);
    throw DataError("cannot write " + detail::depth_name(pixels.depth()) + " pixels as " + ext + ": " + format->name +
                    " holds " + holds + " only (write " +
                    (pixels.depth() == CV_32F ? ".tif or .npy" : ".png, .tif or .npy") +
                    ": augment run --image-format)");
  }
  if (pixels.channels() == 4 && !format->alpha)
    throw DataError(std::string("cannot write 4 channels (BGRA) as ") + ext + ": " + format->name +
                    " has no alpha channel (write .png, .webp or .tif)");
  if (pixels.channels() != 1 && pixels.channels() != 3 && pixels.channels() != 4)
    throw DataError("cannot write " + std::to_string(pixels.channels()) + " channels: images have 1, 3 or 4");

  std::vector<int> params;
  if (ext == ".jpg" || ext == ".jpeg") params = {cv::IMWRITE_JPEG_QUALITY, options.jpeg_quality};
  else if (ext == ".png") params = {cv::IMWRITE_PNG_COMPRESSION, options.png_compression};
  else if (ext == ".webp") params = {cv::IMWRITE_WEBP_QUALITY, options.webp_quality};
  // Without an explicit compression OpenCV 4.6 writes 3-channel float TIFF as lossy SGILOG
  // (LogLuv); LZW (its default for the other types) keeps every value.
  else if (ext == ".tif" || ext == ".tiff") params = {cv::IMWRITE_TIFF_COMPRESSION, 5};
  std::vector<std::uint8_t> out;
  bool ok = false;
  try {
    ok = cv::imencode(ext, pixels, out, params);
  } catch (const cv::Exception& e) {
    throw DataError("cannot encode as " + ext + ": " + e.err);
  }
  if (!ok || out.empty()) throw DataError("cannot encode as " + ext + ": OpenCV's encoder failed");
  return out;
}

ImageCodec::ImageCodec(ImageWriteOptions options) : options_(std::move(options)) {
  check_option(options_.jpeg_quality, 0, 100, "jpeg_quality");
  check_option(options_.png_compression, 0, 9, "png_compression");
  check_option(options_.webp_quality, 1, 101, "webp_quality");
  options_.format = ascii_lower(options_.format);
  if (!options_.format.empty() && options_.format != ".npy" && !output_format(options_.format))
    throw std::invalid_argument("the image format must be one of png, jpg, webp, tif, bmp, npy; got '" +
                                options_.format + "'");
}

std::string ImageCodec::output_extension(const std::string& source_extension) const {
  return options_.format.empty() ? source_extension : options_.format;
}

std::vector<std::string> ImageCodec::extensions() const {
  return {".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff", ".bmp"};
}

Sample ImageCodec::read(const std::filesystem::path& file) const { return read_image(file, true); }

Sample ImageCodec::read_image(const std::filesystem::path& file, bool may_reduce) const {
  cv::Mat pixels;
  std::optional<cv::Size> reduced_from;
  try {
    const std::vector<std::uint8_t> bytes = read_file_bytes(file, "an image file");
    if (bytes.empty()) throw DataError("empty file");
    if (bytes.size() > INT_MAX) throw DataError("file too large for the image decoders (over 2 GiB)");
    pixels = decode(bytes, may_reduce ? read_options_.reduce_to : nullptr, reduced_from);
  } catch (const DataError& e) {
    throw DataError(file.string() + ": " + e.what());
  }
  Image image(std::move(pixels));
  image.set_reduced_from(reduced_from);
  image.source_extension = ascii_lower(file.extension().string());
  return make_sample(std::move(image));
}

void ImageCodec::write(const Sample& sample, const std::string& extension, std::ostream& out) const {
  const cv::Mat pixels = detail::settled_pixels(image_of(sample));
  const std::vector<std::uint8_t> encoded = encode_image(pixels, extension, options_);
  out.write(reinterpret_cast<const char*>(encoded.data()), static_cast<std::streamsize>(encoded.size()));
  if (!out) throw DataError("cannot write the encoded " + ascii_lower(extension) + " data: the output stream failed");
}

void ImageCodec::prepare_parallel_run() const { cv::setNumThreads(0); }

}  // namespace augment::image
