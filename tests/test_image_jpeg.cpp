// JPEG decoding through libjpeg-turbo directly: the pixels are cv::imdecode's, byte for byte, for
// every layout a JPEG can have, and data that libjpeg would conceal (grey rows) is an error.
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <jpeglib.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "augment/core/error.hpp"
#include "augment/image/image_codec.hpp"
#include "image_test_helpers.hpp"

using augment::DataError;
using augment::image::decode_image;
using image_test::corpus;
using image_test::read_file;
using image_test::same_pixels;

namespace {

using Bytes = std::vector<std::uint8_t>;

cv::Mat opencv_decode(const Bytes& bytes) {
  return cv::imdecode(cv::Mat(1, static_cast<int>(bytes.size()), CV_8U, const_cast<std::uint8_t*>(bytes.data())),
                      cv::IMREAD_UNCHANGED);
}

/// A smooth but not flat picture (JPEG of noise is mostly quantisation): gradients plus a blur
/// of random pixels, so every block has detail at several frequencies.
cv::Mat photo_like(cv::Size size, int channels) {
  cv::Mat m = image_test::random_pixels(size, CV_8UC(channels), 7);
  cv::GaussianBlur(m, m, {0, 0}, 1.5);
  for (int y = 0; y < m.rows; ++y)
    for (int x = 0; x < m.cols * channels; ++x) m.ptr<std::uint8_t>(y)[x] = cv::saturate_cast<std::uint8_t>(m.ptr<std::uint8_t>(y)[x] / 2 + x + y);
  return m;
}

/// Encodes with libjpeg's own compressor, for the layouts cv::imencode cannot ask for: chroma
/// subsampling other than 4:2:0 (`h0`×`v0` luma sampling factors), CMYK and YCCK.
Bytes libjpeg_encode(const cv::Mat& pixels, J_COLOR_SPACE in, J_COLOR_SPACE stored, int h0, int v0, bool progressive) {
  jpeg_compress_struct c{};
  jpeg_error_mgr err{};
  c.err = jpeg_std_error(&err);
  jpeg_create_compress(&c);
  unsigned char* out = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&c, &out, &size);
  c.image_width = static_cast<JDIMENSION>(pixels.cols);
  c.image_height = static_cast<JDIMENSION>(pixels.rows);
  c.input_components = pixels.channels();
  c.in_color_space = in;
  jpeg_set_defaults(&c);
  jpeg_set_colorspace(&c, stored);
  jpeg_set_quality(&c, 90, TRUE);
  c.comp_info[0].h_samp_factor = h0;
  c.comp_info[0].v_samp_factor = v0;
  for (int i = 1; i < c.num_components; ++i) c.comp_info[i].h_samp_factor = c.comp_info[i].v_samp_factor = 1;
  if (progressive) jpeg_simple_progression(&c);
  jpeg_start_compress(&c, TRUE);
  while (c.next_scanline < c.image_height) {
    JSAMPROW row = const_cast<JSAMPROW>(pixels.ptr<JSAMPLE>(static_cast<int>(c.next_scanline)));
    jpeg_write_scanlines(&c, &row, 1);
  }
  jpeg_finish_compress(&c);
  Bytes bytes(out, out + size);
  std::free(out);
  jpeg_destroy_compress(&c);
  return bytes;
}

std::string decode_error(const Bytes& bytes) {
  try {
    decode_image(bytes);
  } catch (const DataError& e) {
    return e.what();
  }
  FAIL("expected a DataError");
  return {};
}

}  // namespace

TEST_CASE("jpeg: the corpus photos decode to imdecode's pixels, byte for byte") {
  const Bytes plain = read_file(corpus("home.jpg"));
  CHECK(same_pixels(decode_image(plain), opencv_decode(plain)));
  // The EXIF-rotated copy: imdecode(UNCHANGED) leaves the stored orientation, we turn it upright.
  const Bytes rotated = read_file(corpus("home-orientation-6.jpg"));
  CHECK(same_pixels(decode_image(rotated), augment::image::apply_exif_orientation(opencv_decode(rotated), 6)));
}

TEST_CASE("jpeg: every layout cv::imencode writes decodes to imdecode's pixels") {
  for (const int channels : {1, 3}) {
    for (const cv::Size size : {cv::Size(64, 48), cv::Size(37, 23), cv::Size(1, 1)}) {
      for (const auto& params : {std::vector<int>{}, std::vector<int>{cv::IMWRITE_JPEG_PROGRESSIVE, 1},
                                 std::vector<int>{cv::IMWRITE_JPEG_RST_INTERVAL, 2},
                                 std::vector<int>{cv::IMWRITE_JPEG_OPTIMIZE, 1, cv::IMWRITE_JPEG_QUALITY, 40}}) {
        CAPTURE(channels);
        CAPTURE(size);
        CAPTURE(params.size());
        Bytes jpeg;
        REQUIRE(cv::imencode(".jpg", photo_like(size, channels), jpeg, params));
        const cv::Mat ours = decode_image(jpeg);
        CHECK(ours.channels() == channels);
        CHECK(same_pixels(ours, opencv_decode(jpeg)));
      }
    }
  }
}

TEST_CASE("jpeg: 4:4:4, 4:2:2, 4:4:0 and 4:2:0 chroma, baseline and progressive, match imdecode") {
  const cv::Mat bgr = photo_like({53, 41}, 3);
  for (const auto& [h, v] : {std::pair{1, 1}, std::pair{2, 1}, std::pair{1, 2}, std::pair{2, 2}}) {
    for (const bool progressive : {false, true}) {
      CAPTURE(h);
      CAPTURE(v);
      CAPTURE(progressive);
      const Bytes jpeg = libjpeg_encode(bgr, JCS_EXT_BGR, JCS_YCbCr, h, v, progressive);
      CHECK(same_pixels(decode_image(jpeg), opencv_decode(jpeg)));
    }
  }
}

TEST_CASE("jpeg: CMYK and YCCK (Adobe) JPEGs give imdecode's BGR") {
  const cv::Mat cmyk = photo_like({40, 30}, 4);
  for (const J_COLOR_SPACE stored : {JCS_CMYK, JCS_YCCK}) {
    CAPTURE(int(stored));
    const Bytes jpeg = libjpeg_encode(cmyk, JCS_CMYK, stored, 2, 2, false);
    const cv::Mat ours = decode_image(jpeg);
    CHECK(ours.type() == CV_8UC3);
    CHECK(same_pixels(ours, opencv_decode(jpeg)));
  }
}

TEST_CASE("jpeg: a JPEG cut short with an end-of-image marker appended is an error, not grey rows") {
  // imdecode accepts it: libjpeg warns "premature end of data segment" and fills the rest grey.
  for (const bool progressive : {false, true}) {
    CAPTURE(progressive);
    Bytes jpeg;
    REQUIRE(cv::imencode(".jpg", photo_like({96, 96}, 3), jpeg, {cv::IMWRITE_JPEG_PROGRESSIVE, int(progressive)}));
    jpeg.resize(jpeg.size() / 2);
    jpeg.insert(jpeg.end(), {0xFF, 0xD9});
    CHECK_FALSE(opencv_decode(jpeg).empty());
    CHECK(decode_error(jpeg) == "corrupt JPEG data: premature end of data segment");
  }
}

TEST_CASE("jpeg: the corpus photo cut short plus EOI, and stray bytes in the scan, are errors") {
  Bytes jpeg = read_file(corpus("home.jpg"));
  Bytes cut(jpeg.begin(), jpeg.begin() + static_cast<std::ptrdiff_t>(jpeg.size() * 2 / 3));
  cut.insert(cut.end(), {0xFF, 0xD9});
  CHECK(decode_error(cut).find("premature end of data segment") != std::string::npos);
  // A marker that does not belong in the middle of the scan: libjpeg resynchronises silently.
  Bytes marked = jpeg;
  marked[jpeg.size() / 2] = 0xFF;
  marked[jpeg.size() / 2 + 1] = 0xD3;  // RST3 where no restart interval was declared
  CHECK(decode_error(marked).rfind("corrupt JPEG data: ", 0) == 0);
}
