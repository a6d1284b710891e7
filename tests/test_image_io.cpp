// The image codec: exact round trips, encoder options, EXIF orientation, and one clear
// DataError per kind of bad file.
#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <opencv2/imgcodecs.hpp>

#include "augment/core/error.hpp"
#include "augment/core/limits.hpp"
#include "augment/core/npy.hpp"
#include "augment/image/image.hpp"
#include "augment/image/image_codec.hpp"
#include "image_test_helpers.hpp"

using augment::DataError;
using augment::image::Image;
using augment::image::ImageCodec;
using augment::image::ImageWriteOptions;
using image_test::corpus;
using image_test::random_pixels;
using image_test::read_file;
using image_test::same_pixels;
using image_test::Scratch;
using image_test::write_file;

namespace {

std::vector<std::uint8_t> encode(const ImageCodec& codec, const Image& image, const std::string& ext) {
  std::ostringstream out;
  codec.write(augment::image::make_sample(image), ext, out);
  const std::string s = out.str();
  return {s.begin(), s.end()};
}

/// Writes `pixels` through the codec to `dir/name`, reads the file back.
Image round_trip(const ImageCodec& codec, const cv::Mat& pixels, const Scratch& dir, const std::string& name) {
  const auto path = dir / name;
  write_file(path, encode(codec, Image(pixels), path.extension().string()));
  return augment::image::image_of(codec.read(path));
}

/// The message of the DataError read() throws (fails the test when it throws nothing else).
std::string read_error(const ImageCodec& codec, const std::filesystem::path& path) {
  try {
    codec.read(path);
  } catch (const DataError& e) {
    return e.what();
  } catch (const std::exception& e) {
    FAIL("expected a DataError, got: " << e.what());
  }
  FAIL("expected a DataError reading " << path);
  return {};
}

std::string write_error(const ImageCodec& codec, const cv::Mat& pixels, const std::string& ext) {
  std::ostringstream out;
  try {
    codec.write(augment::image::make_sample(Image(pixels)), ext, out);
  } catch (const DataError& e) {
    CHECK(out.str().empty());
    return e.what();
  }
  FAIL("expected a DataError writing " << ext);
  return {};
}

/// JPEG data with an EXIF APP1 segment holding only Orientation = `orientation`, inserted right
/// after SOI, in little- or big-endian TIFF byte order.
std::vector<std::uint8_t> with_orientation(const std::vector<std::uint8_t>& jpeg, int orientation, bool big_endian) {
  auto u16 = [&](std::vector<std::uint8_t>& v, unsigned x) {
    if (big_endian) v.insert(v.end(), {std::uint8_t(x >> 8), std::uint8_t(x & 0xFF)});
    else v.insert(v.end(), {std::uint8_t(x & 0xFF), std::uint8_t(x >> 8)});
  };
  auto u32 = [&](std::vector<std::uint8_t>& v, unsigned x) {
    if (big_endian) u16(v, x >> 16), u16(v, x & 0xFFFF);
    else u16(v, x & 0xFFFF), u16(v, x >> 16);
  };
  std::vector<std::uint8_t> tiff;
  if (big_endian) tiff = {'M', 'M', 0, 42};
  else tiff = {'I', 'I', 42, 0};
  u32(tiff, 8);              // IFD0 offset
  u16(tiff, 1);              // one entry
  u16(tiff, 0x0112);         // Orientation
  u16(tiff, 3);              // SHORT
  u32(tiff, 1);              // count
  u16(tiff, static_cast<unsigned>(orientation));
  u16(tiff, 0);              // value padding
  u32(tiff, 0);              // no next IFD
  std::vector<std::uint8_t> payload = {'E', 'x', 'i', 'f', 0, 0};
  payload.insert(payload.end(), tiff.begin(), tiff.end());
  const auto length = static_cast<unsigned>(payload.size() + 2);
  std::vector<std::uint8_t> out(jpeg.begin(), jpeg.begin() + 2);  // SOI
  out.insert(out.end(), {0xFF, 0xE1, std::uint8_t(length >> 8), std::uint8_t(length & 0xFF)});
  out.insert(out.end(), payload.begin(), payload.end());
  out.insert(out.end(), jpeg.begin() + 2, jpeg.end());
  return out;
}

cv::Mat opencv_decode(const std::vector<std::uint8_t>& bytes, int flags) {
  return cv::imdecode(cv::Mat(1, static_cast<int>(bytes.size()), CV_8U, const_cast<std::uint8_t*>(bytes.data())),
                      flags);
}

}  // namespace

TEST_CASE("image codec: PNG round trips are exact for 8 and 16 bits, gray, BGR and BGRA") {
  const ImageCodec codec;
  Scratch dir("io_png");
  for (const int type : {CV_8UC1, CV_8UC3, CV_8UC4, CV_16UC1, CV_16UC3, CV_16UC4}) {
    CAPTURE(type);
    const cv::Mat pixels = random_pixels({37, 23}, type, static_cast<std::uint64_t>(type) + 7);
    const Image back = round_trip(codec, pixels, dir, "round.png");
    CHECK(same_pixels(back.pixels_before_geometry(), pixels));
    CHECK(back.source_extension == ".png");
  }
}

TEST_CASE("image codec: TIFF keeps 16-bit and float pixels, BMP and lossless WebP keep 8-bit") {
  Scratch dir("io_other");
  const ImageCodec codec;
  for (const int type : {CV_8UC3, CV_16UC1, CV_32FC1, CV_32FC3}) {
    CAPTURE(type);
    const cv::Mat pixels = random_pixels({19, 11}, type, 3);
    CHECK(same_pixels(round_trip(codec, pixels, dir, "round.tiff").pixels_before_geometry(), pixels));
  }
  const cv::Mat bgr = random_pixels({19, 11}, CV_8UC3, 4);
  CHECK(same_pixels(round_trip(codec, bgr, dir, "round.bmp").pixels_before_geometry(), bgr));
  const ImageCodec lossless_webp(ImageWriteOptions{.webp_quality = 101});  // lossless
  const Image webp = round_trip(lossless_webp, bgr, dir, "round.webp");
  CHECK(same_pixels(webp.pixels_before_geometry(), bgr));
  CHECK(webp.source_extension == ".webp");
}

TEST_CASE("image codec: the corpus images read with their depth, channels and orientation") {
  const ImageCodec codec;
  const Image photo = augment::image::image_of(codec.read(corpus("home.jpg")));
  CHECK(photo.pixels_before_geometry().type() == CV_8UC3);
  CHECK(photo.size() == cv::Size(512, 384));
  CHECK(photo.source_extension == ".jpg");
  const Image logo = augment::image::image_of(codec.read(corpus("opencv-logo-white.png")));
  CHECK(logo.pixels_before_geometry().type() == CV_8UC4);
  CHECK(logo.size() == cv::Size(180, 238));
  const Image gray16 = augment::image::image_of(codec.read(corpus("home-gray16.png")));
  CHECK(gray16.pixels_before_geometry().type() == CV_16UC1);
  CHECK(gray16.size() == cv::Size(128, 96));
}

TEST_CASE("image codec: JPEG quality changes the encoded size and PNG compression does not change pixels") {
  const cv::Mat photo = cv::imread(corpus("home.jpg").string(), cv::IMREAD_UNCHANGED);
  REQUIRE(!photo.empty());
  const auto q50 = encode(ImageCodec(ImageWriteOptions{.jpeg_quality = 50}), Image(photo), ".jpg");
  const auto q95 = encode(ImageCodec(ImageWriteOptions{.jpeg_quality = 95}), Image(photo), ".jpg");
  CHECK(q50.size() < q95.size());
  // The quality actually reached the encoder: the same bytes as OpenCV's encoder at that quality.
  std::vector<std::uint8_t> reference;
  REQUIRE(cv::imencode(".jpg", photo, reference, {cv::IMWRITE_JPEG_QUALITY, 50}));
  CHECK(q50 == reference);

  const auto fast = encode(ImageCodec(ImageWriteOptions{.png_compression = 0}), Image(photo), ".png");
  const auto small = encode(ImageCodec(ImageWriteOptions{.png_compression = 9}), Image(photo), ".png");
  CHECK(small.size() < fast.size());
  CHECK(same_pixels(opencv_decode(fast, cv::IMREAD_UNCHANGED), opencv_decode(small, cv::IMREAD_UNCHANGED)));
  CHECK(encode(ImageCodec(ImageWriteOptions{.webp_quality = 20}), Image(photo), ".webp").size() <
        encode(ImageCodec(ImageWriteOptions{.webp_quality = 90}), Image(photo), ".webp").size());
}

TEST_CASE("image codec: write options out of range are rejected") {
  CHECK_THROWS_AS(ImageCodec(ImageWriteOptions{.jpeg_quality = 101}), std::invalid_argument);
  CHECK_THROWS_AS(ImageCodec(ImageWriteOptions{.png_compression = 10}), std::invalid_argument);
  CHECK_THROWS_AS(ImageCodec(ImageWriteOptions{.webp_quality = 0}), std::invalid_argument);
  CHECK_THROWS_AS(ImageCodec(ImageWriteOptions{.webp_quality = 102}), std::invalid_argument);
  CHECK(ImageCodec().extensions() ==
        std::vector<std::string>{".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff", ".bmp"});
}

TEST_CASE("image codec: EXIF orientation 6 gives the stored image turned 90 degrees clockwise") {
  const ImageCodec codec;
  const cv::Mat stored = cv::imread(corpus("home-orientation-6.jpg").string(), cv::IMREAD_UNCHANGED);
  REQUIRE(stored.size() == cv::Size(512, 384));  // IMREAD_UNCHANGED ignores EXIF in OpenCV 4.6
  cv::Mat turned;
  cv::rotate(stored, turned, cv::ROTATE_90_CLOCKWISE);
  const Image upright = augment::image::image_of(codec.read(corpus("home-orientation-6.jpg")));
  CHECK(upright.size() == cv::Size(384, 512));
  CHECK(same_pixels(upright.pixels_before_geometry(), turned));
  // The same as OpenCV's own handling where it applies it (IMREAD_COLOR).
  CHECK(same_pixels(upright.pixels_before_geometry(),
                    cv::imread(corpus("home-orientation-6.jpg").string(), cv::IMREAD_COLOR)));
  CHECK(augment::image::jpeg_exif_orientation(read_file(corpus("home-orientation-6.jpg"))) == 6);
  CHECK(augment::image::jpeg_exif_orientation(read_file(corpus("home.jpg"))) == 1);
}

TEST_CASE("image codec: all eight EXIF orientations match OpenCV's, in both byte orders") {
  const cv::Mat pixels = random_pixels({40, 24}, CV_8UC3, 11);
  std::vector<std::uint8_t> jpeg;
  REQUIRE(cv::imencode(".jpg", pixels, jpeg, {cv::IMWRITE_JPEG_QUALITY, 90}));
  const cv::Mat stored = opencv_decode(jpeg, cv::IMREAD_UNCHANGED);
  for (const bool big_endian : {false, true}) {
    for (int orientation = 1; orientation <= 8; ++orientation) {
      CAPTURE(big_endian);
      CAPTURE(orientation);
      const auto tagged = with_orientation(jpeg, orientation, big_endian);
      CHECK(augment::image::jpeg_exif_orientation(tagged) == orientation);
      const cv::Mat ours = augment::image::decode_image(tagged);
      CHECK(same_pixels(ours, opencv_decode(tagged, cv::IMREAD_COLOR)));
      CHECK(same_pixels(ours, augment::image::apply_exif_orientation(stored, orientation)));
      CHECK(ours.size() == (orientation >= 5 ? cv::Size(24, 40) : cv::Size(40, 24)));
    }
  }
}

TEST_CASE("image codec: each bad file is a DataError naming the file and the reason") {
  const ImageCodec codec;
  Scratch dir("io_bad");

  SUBCASE("missing") {
    const auto path = dir / "missing.png";
    CHECK(read_error(codec, path) == path.string() + ": no such file");
  }
  SUBCASE("zero bytes") {
    const auto path = dir / "empty.jpg";
    write_file(path, {});
    CHECK(read_error(codec, path) == path.string() + ": empty file");
  }
  SUBCASE("truncated JPEG") {
    auto bytes = read_file(corpus("home.jpg"));
    bytes.resize(bytes.size() / 2);
    const auto path = dir / "half.jpg";
    write_file(path, bytes);
    CHECK(read_error(codec, path) ==
          path.string() + ": truncated JPEG: the data ends before the end-of-image marker");
  }
  SUBCASE("JPEG cut just before its last two bytes (the EOI marker)") {
    auto bytes = read_file(corpus("home.jpg"));
    bytes.resize(bytes.size() - 2);
    const auto path = dir / "no-eoi.jpg";
    write_file(path, bytes);
    CHECK(read_error(codec, path).find("truncated JPEG") != std::string::npos);
  }
  SUBCASE("truncated PNG") {
    auto bytes = read_file(corpus("opencv-logo-white.png"));
    bytes.resize(bytes.size() / 2);
    const auto path = dir / "half.png";
    write_file(path, bytes);
    CHECK(read_error(codec, path) == path.string() + ": truncated PNG: the data ends before the IEND chunk");
  }
  SUBCASE("a text file named .png") {
    const auto path = dir / "notes.png";
    const std::string text = "this is not an image\n";
    write_file(path, {text.begin(), text.end()});
    CHECK(read_error(codec, path) ==
          path.string() + ": not an image: the content is not JPEG, PNG, WebP, TIFF or BMP");
  }
  SUBCASE("a PNG whose compressed data is damaged") {
    auto bytes = read_file(corpus("opencv-logo-white.png"));
    for (std::size_t i = 200; i < 400; ++i) bytes[i] ^= 0x5A;  // inside a chunk: its CRC fails
    const auto path = dir / "damaged.png";
    write_file(path, bytes);
    // Caught before libpng sees it (libpng would print a line of its own on stderr).
    const std::string error = read_error(codec, path);
    CHECK(error.starts_with(path.string() + ": corrupt PNG data: the CRC of chunk "));
    CHECK(error.ends_with(") does not match"));
  }
  SUBCASE("a folder") {
    const auto path = dir / "folder.jpg";
    std::filesystem::create_directories(path);
    CHECK(read_error(codec, path) == path.string() + ": is a directory, not an image file");
  }
}

TEST_CASE("image codec: data after the JPEG end-of-image marker is ignored") {
  auto bytes = read_file(corpus("home.jpg"));
  const cv::Mat plain = augment::image::decode_image(bytes);
  bytes.insert(bytes.end(), 100, 0x00);
  CHECK(same_pixels(augment::image::decode_image(bytes), plain));
}

TEST_CASE("image codec: formats that cannot hold the pixels are DataErrors, not silent conversions") {
  const ImageCodec codec;
  CHECK(write_error(codec, random_pixels({8, 8}, CV_16UC1), ".jpg") ==
        "cannot write 16-bit unsigned pixels as .jpg: JPEG holds 8-bit unsigned only (write .png, .tif or .npy: "
        "augment run --image-format)");
  CHECK(write_error(codec, random_pixels({8, 8}, CV_16UC3), ".webp").find("16-bit") != std::string::npos);
  CHECK(write_error(codec, random_pixels({8, 8}, CV_32FC3), ".png") ==
        "cannot write 32-bit float pixels as .png: PNG holds 8-bit unsigned or 16-bit unsigned only (write .tif "
        "or .npy: augment run --image-format)");
  CHECK(write_error(codec, random_pixels({8, 8}, CV_8UC4), ".jpg") ==
        "cannot write 4 channels (BGRA) as .jpg: JPEG has no alpha channel (write .png, .webp or .tif)");
  CHECK(write_error(codec, random_pixels({8, 8}, CV_8UC3), ".gif").find("not an image format") != std::string::npos);
}

TEST_CASE("image codec: .npy holds H x W x C in R, G, B order, of the pixels' own dtype") {
  const auto check = [](const cv::Mat& pixels, const std::string& dtype, const std::vector<std::uint8_t>& data) {
    const std::vector<std::uint8_t> bytes = augment::image::encode_image(pixels, ".NPY", {});
    const augment::NpyArray array = augment::parse_npy(
        bytes, [](std::string_view d) -> std::size_t { return d == "|u1" ? 1 : d == "<u2" ? 2 : d == "<f4" ? 4 : 0; },
        "'|u1', '<u2' or '<f4'");
    CHECK(array.dtype == dtype);
    CHECK(array.shape == std::vector<std::size_t>{static_cast<std::size_t>(pixels.rows),
                                                  static_cast<std::size_t>(pixels.cols),
                                                  static_cast<std::size_t>(pixels.channels())});
    CHECK(std::vector<std::uint8_t>(array.data.begin(), array.data.end()) == data);
  };
  // Two B, G, R pixels (1, 2, 3) and (4, 5, 6) are written R, G, B: 3 2 1 6 5 4.
  cv::Mat bgr(1, 2, CV_8UC3);
  bgr.at<cv::Vec3b>(0, 0) = {1, 2, 3};
  bgr.at<cv::Vec3b>(0, 1) = {4, 5, 6};
  check(bgr, "|u1", {3, 2, 1, 6, 5, 4});
  // B, G, R, A keeps alpha last; 16-bit values little-endian: 0x0102 is 02 01.
  cv::Mat bgra(1, 1, CV_16UC4, cv::Scalar(0x0102, 0x0304, 0x0506, 0x0708));
  check(bgra, "<u2", {0x06, 0x05, 0x04, 0x03, 0x02, 0x01, 0x08, 0x07});
  // Gray float: one channel; 1.0f is 0x3f800000, -2.0f is 0xc0000000.
  cv::Mat gray(2, 1, CV_32FC1);
  gray.at<float>(0, 0) = 1.0f;
  gray.at<float>(1, 0) = -2.0f;
  check(gray, "<f4", {0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0});
  // The codec writes in its format, whatever the source's; a format it does not know is refused.
  CHECK(ImageCodec({.format = ".NPY"}).output_extension(".jpg") == ".npy");
  CHECK(ImageCodec().output_extension(".jpg") == ".jpg");
  CHECK_THROWS_AS(ImageCodec({.format = ".gif"}), std::invalid_argument);
}

TEST_CASE("image codec: write applies pending geometry first and accepts upper-case extensions") {
  const ImageCodec codec;
  const cv::Mat pixels = random_pixels({21, 13}, CV_8UC3, 5);
  Image image(pixels);
  image.push_affine(cv::Matx33d(-1, 0, 21, 0, 1, 0, 0, 0, 1), {});  // horizontal flip
  const auto bytes = encode(codec, image, ".PNG");
  cv::Mat flipped;
  cv::flip(pixels, flipped, 1);
  CHECK(same_pixels(opencv_decode(bytes, cv::IMREAD_UNCHANGED), flipped));
  CHECK(image.has_pending_geometry());  // the sample itself is left as it was
}

TEST_CASE("image codec: progressive JPEGs and JPEGs with restart markers read completely") {
  const cv::Mat photo = cv::imread(corpus("home.jpg").string(), cv::IMREAD_UNCHANGED);
  REQUIRE(!photo.empty());
  for (const auto& params : {std::vector<int>{cv::IMWRITE_JPEG_PROGRESSIVE, 1},
                             std::vector<int>{cv::IMWRITE_JPEG_RST_INTERVAL, 4},
                             std::vector<int>{cv::IMWRITE_JPEG_OPTIMIZE, 1}}) {
    CAPTURE(params[0]);
    std::vector<std::uint8_t> jpeg;
    REQUIRE(cv::imencode(".jpg", photo, jpeg, params));
    CHECK(same_pixels(augment::image::decode_image(jpeg), opencv_decode(jpeg, cv::IMREAD_UNCHANGED)));
    jpeg.resize(jpeg.size() * 3 / 4);
    CHECK_THROWS_AS(augment::image::decode_image(jpeg), DataError);
  }
}

namespace {

/// PNG's CRC-32 (ISO 3309, reflected 0xEDB88320) over a chunk's type and data.
std::uint32_t png_crc(const std::uint8_t* data, std::size_t size) {
  std::uint32_t crc = 0xFFFFFFFFu;
  for (std::size_t i = 0; i < size; ++i) {
    crc ^= data[i];
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return crc ^ 0xFFFFFFFFu;
}

void put_be32(std::vector<std::uint8_t>& b, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> (24 - 8 * i));
}
void put_le(std::vector<std::uint8_t>& b, std::size_t at, std::uint32_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) b[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> (8 * i));
}
std::uint32_t be32(const std::vector<std::uint8_t>& b, std::size_t at) {
  return std::uint32_t{b[at]} << 24 | std::uint32_t{b[at + 1]} << 16 | std::uint32_t{b[at + 2]} << 8 | b[at + 3];
}
std::uint32_t le(const std::vector<std::uint8_t>& b, std::size_t at, int bytes) {
  std::uint32_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = v << 8 | b[at + static_cast<std::size_t>(i)];
  return v;
}

/// Where the PNG chunk of `type` starts (its length field).
std::size_t png_chunk(const std::vector<std::uint8_t>& png, const char* type) {
  for (std::size_t at = 8; at + 8 <= png.size(); at += 12 + be32(png, at))
    if (std::equal(type, type + 4, png.begin() + static_cast<std::ptrdiff_t>(at + 4))) return at;
  FAIL("no " << type << " chunk");
  return 0;
}

void fix_png_crc(std::vector<std::uint8_t>& png, std::size_t chunk) {
  const std::uint32_t length = be32(png, chunk);
  put_be32(png, chunk + 8 + length, png_crc(png.data() + chunk + 4, 4 + length));
}

std::vector<std::uint8_t> encoded(const std::string& ext, const cv::Mat& pixels, const std::vector<int>& params = {}) {
  std::vector<std::uint8_t> bytes;
  REQUIRE(cv::imencode(ext, pixels, bytes, params));
  return bytes;
}

/// A small image's file with its header patched to declare width × height (the data stays that
/// of the small image, so decoding it would fail for missing data, after allocating).
std::vector<std::uint8_t> declaring(const std::string& ext, std::uint32_t width, std::uint32_t height) {
  const cv::Mat pixels = random_pixels({16, 16}, CV_8UC3, 3);
  if (ext == ".jpg") {
    auto b = encoded(ext, pixels);
    for (std::size_t at = 2; at + 9 < b.size(); ++at)
      if (b[at] == 0xFF && (b[at + 1] == 0xC0 || b[at + 1] == 0xC2)) {  // SOF: length, precision, height, width
        b[at + 5] = static_cast<std::uint8_t>(height >> 8), b[at + 6] = static_cast<std::uint8_t>(height);
        b[at + 7] = static_cast<std::uint8_t>(width >> 8), b[at + 8] = static_cast<std::uint8_t>(width);
        return b;
      }
    FAIL("no SOF marker");
  }
  if (ext == ".png") {
    auto b = encoded(ext, pixels);
    put_be32(b, 16, width);
    put_be32(b, 20, height);
    fix_png_crc(b, 8);
    return b;
  }
  if (ext == ".webp") {  // lossless: VP8L, 14 bits each of width - 1 and height - 1 after 0x2F
    auto b = encoded(ext, pixels, {cv::IMWRITE_WEBP_QUALITY, 101});
    REQUIRE(std::string(b.begin() + 12, b.begin() + 16) == "VP8L");
    const std::uint32_t rest = le(b, 21, 4) & ~0x0FFFFFFFu;
    put_le(b, 21, rest | (width - 1) | (height - 1) << 14, 4);
    return b;
  }
  if (ext == ".bmp") {
    auto b = encoded(ext, pixels);
    put_le(b, 18, width, 4);
    put_le(b, 22, height, 4);
    return b;
  }
  if (ext == ".tif") {  // ImageWidth (256) and ImageLength (257) in the first directory
    auto b = encoded(ext, pixels);
    REQUIRE(b[0] == 'I');
    const std::size_t ifd = le(b, 4, 4);
    for (std::size_t e = 0; e < le(b, ifd, 2); ++e) {
      const std::size_t at = ifd + 2 + 12 * e;
      const std::uint32_t tag = le(b, at, 2), type = le(b, at + 2, 2);
      if (tag == 256 || tag == 257) put_le(b, at + 8, tag == 256 ? width : height, type == 3 ? 2 : 4);
    }
    return b;
  }
  FAIL("no such format " << ext);
  return {};
}

/// Sets the limits for one test and restores the previous ones.
struct LimitsScope {
  augment::Limits saved = augment::limits();
  explicit LimitsScope(std::uint64_t image_pixels) {
    augment::Limits l = saved;
    l.image_pixels = image_pixels;
    augment::set_limits(l);
  }
  ~LimitsScope() { augment::set_limits(saved); }
};

std::string decode_error(const std::vector<std::uint8_t>& bytes) {
  try {
    augment::image::decode_image(bytes);
  } catch (const DataError& e) {
    return e.what();
  }
  FAIL("expected a DataError");
  return {};
}

}  // namespace

TEST_CASE("image codec: a header declaring 30000x30000 is refused before decoding, in every format") {
  // 16384 is the most a WebP side can hold.
  for (const auto& [ext, side] : {std::pair{".jpg", 30000u}, {".png", 30000u}, {".webp", 16384u}, {".bmp", 30000u},
                                  {".tif", 30000u}}) {
    CAPTURE(ext);
    const auto bytes = declaring(ext, side, side);
    const std::string size = std::to_string(side) + "x" + std::to_string(side);
    CHECK(decode_error(bytes) == "image of " + size + ": " + std::to_string(std::uint64_t{side} * side) +
                                     " is over the image_pixels limit of 178956970 (raise it with --limit "
                                     "image_pixels=N)");
  }
}

TEST_CASE("image codec: over a lowered limit a header is refused; raised, the file fails only for its data") {
  for (const char* ext : {".jpg", ".png", ".webp", ".bmp", ".tif"}) {
    CAPTURE(ext);
    const auto bytes = declaring(ext, 3000, 2000);
    {
      const LimitsScope scope(5'000'000);
      CHECK(decode_error(bytes).find("image of 3000x2000: 6000000 is over the image_pixels limit of 5000000") == 0);
    }
    {
      const LimitsScope scope(7'000'000);
      const std::string error = decode_error(bytes);
      CHECK(error.find("image_pixels") == std::string::npos);
      CHECK(error.find("corrupt") != std::string::npos);
    }
  }
  // A whole image exactly at the limit reads.
  const LimitsScope scope(16 * 16);
  CHECK(augment::image::decode_image(declaring(".png", 16, 16)).size() == cv::Size(16, 16));
}

TEST_CASE("image codec: damaged PNG, WebP, TIFF and BMP data are errors, never partial images") {
  const cv::Mat pixels = random_pixels({64, 48}, CV_8UC3, 11);
  const auto png = encoded(".png", pixels);
  const std::size_t idat = png_chunk(png, "IDAT");
  const std::uint32_t idat_length = be32(png, idat);
  SUBCASE("PNG: IDAT's CRC does not match (data intact)") {
    auto b = png;
    b[idat + 8 + idat_length] ^= 0x01;
    CHECK(decode_error(b) == "corrupt PNG data: the CRC of chunk IDAT (at byte " + std::to_string(idat) + ") does not match");
  }
  SUBCASE("PNG: compressed data damaged, CRC recomputed to match") {
    auto b = png;
    for (std::size_t i = idat + 8 + idat_length / 2; i < idat + 8 + idat_length / 2 + 16; ++i) b[i] ^= 0x5A;
    fix_png_crc(b, idat);
    CHECK(decode_error(b) == "corrupt PNG data: OpenCV cannot decode it");
  }
  SUBCASE("PNG: IDAT shortened to half, every chunk well-formed") {
    std::vector<std::uint8_t> b(png.begin(), png.begin() + static_cast<std::ptrdiff_t>(idat + 8 + idat_length / 2));
    put_be32(b, idat, idat_length / 2);
    b.resize(b.size() + 4);
    fix_png_crc(b, idat);
    b.insert(b.end(), png.begin() + static_cast<std::ptrdiff_t>(idat + 12 + idat_length), png.end());
    CHECK(decode_error(b) == "corrupt PNG data: OpenCV cannot decode it");
  }
  SUBCASE("WebP, lossy and lossless: cut short, with RIFF and chunk sizes made to match") {
    for (const int quality : {80, 101}) {
      auto b = encoded(".webp", pixels, {cv::IMWRITE_WEBP_QUALITY, quality});
      b.resize((b.size() * 2 / 3) & ~std::size_t{1});
      put_le(b, 4, static_cast<std::uint32_t>(b.size() - 8), 4);
      put_le(b, 16, static_cast<std::uint32_t>(b.size() - 20), 4);
      CHECK(decode_error(b) == "corrupt WebP data: OpenCV cannot decode it");
    }
  }
  SUBCASE("TIFF, LZW and uncompressed: cut in half (OpenCV writes the directory last)") {
    for (const int compression : {1, 5}) {
      auto b = encoded(".tif", pixels, {cv::IMWRITE_TIFF_COMPRESSION, compression});
      REQUIRE(le(b, 4, 4) > b.size() / 2);
      b.resize(b.size() / 2);
      CHECK(decode_error(b) == "corrupt TIFF header: the first directory lies outside the file");
    }
  }
  SUBCASE("TIFF, 8-bit LZW and uncompressed: every strip's byte count halved") {
    // OpenCV decodes these to an image with rows missing (it ignores TIFFReadRGBAStrip failing);
    // libtiff reports each strip as short.
    for (const auto& [compression, reason] : {std::pair{1, "DumpModeDecode: Not enough data"},
                                              std::pair{5, "LZWDecode: LZWDecode: Strip 0 not terminated"}}) {
      CAPTURE(compression);
      auto b = encoded(".tif", pixels, {cv::IMWRITE_TIFF_COMPRESSION, compression});
      const std::size_t ifd = le(b, 4, 4);
      for (std::size_t e = 0; e < le(b, ifd, 2); ++e) {
        const std::size_t at = ifd + 2 + 12 * e;
        if (le(b, at, 2) != 279) continue;  // StripByteCounts
        const int size = le(b, at + 2, 2) == 4 ? 4 : 2;
        const std::uint32_t count = le(b, at + 4, 4);
        const std::size_t values = count * static_cast<std::uint32_t>(size) <= 4 ? at + 8 : le(b, at + 8, 4);
        for (std::size_t i = 0; i < count; ++i) {
          const std::size_t v = values + i * static_cast<std::size_t>(size);
          put_le(b, v, le(b, v, size) / 2, size);
        }
      }
      CHECK_FALSE(opencv_decode(b, cv::IMREAD_UNCHANGED).empty());
      CHECK(decode_error(b).rfind(std::string("corrupt TIFF data: ") + reason, 0) == 0);
    }
  }
  SUBCASE("BMP cut short") {
    auto b = encoded(".bmp", pixels);
    b.resize(b.size() / 2);
    CHECK(decode_error(b) == "corrupt BMP data: OpenCV cannot decode it");
  }
}

TEST_CASE("image codec: headers too short to give a size are errors (no read past the data)") {
  CHECK(decode_error({'I', 'I', 42, 0}) == "corrupt TIFF header: the data ends inside the header");
  CHECK(decode_error({'I', 'I', 42, 0, 0xFF, 0xFF, 0, 0}) == "corrupt TIFF header: the first directory lies outside the file");
  CHECK(decode_error({'B', 'M', 0, 0}) == "corrupt BMP header: the data ends inside the header");
  CHECK(decode_error({'R', 'I', 'F', 'F', 0x10, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', 'L'}) ==
        "corrupt WebP header: the data ends inside the first chunk's header");
}

TEST_CASE("image codec: content in a format other than the five is refused, not handed to OpenCV") {
  const std::string ppm = "P6\n30000 30000\n255\n";
  CHECK(decode_error({ppm.begin(), ppm.end()}) == "not an image: the content is not JPEG, PNG, WebP, TIFF or BMP");
}

TEST_CASE("image codec: a mask goes through the same checks as an image") {
  const ImageCodec codec;
  Scratch dir("mask_limits");
  write_file(dir / "a.png", encoded(".png", random_pixels({16, 16}, CV_8UC3, 2)));
  write_file(dir / "a.mask.png", declaring(".png", 30000, 30000));
  try {
    codec.read_with_columns(dir / "a.png", {});
    FAIL("expected a DataError");
  } catch (const DataError& e) {
    CHECK(std::string(e.what()) == (dir / "a.mask.png").string() +
                                       ": not a readable mask: image of 30000x30000: 900000000 is over the "
                                       "image_pixels limit of 178956970 (raise it with --limit image_pixels=N)");
  }
}
