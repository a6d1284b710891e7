#include "jpeg_decoder.hpp"

// jpeglib.h needs FILE and size_t declared first.
#include <cctype>
#include <csetjmp>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include <jerror.h>
#include <jpeglib.h>

#include "augment/core/error.hpp"
#include "augment/core/limits.hpp"

namespace augment::image::detail {
namespace {

// libjpeg reports errors (and, through emit_message, warnings) by calling back; the callbacks
// jump back to the setjmp in the step that called into libjpeg. Each step is a small function
// holding no object with a destructor, so the jump skips no C++ cleanup.
struct ErrorManager {
  jpeg_error_mgr pub;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
  bool warning;  // the data is damaged (libjpeg would go on), rather than unreadable
};

[[noreturn]] void stop(j_common_ptr cinfo, bool warning) {
  auto* err = reinterpret_cast<ErrorManager*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, err->message);
  err->warning = warning;
  std::longjmp(err->jump, 1);
}

[[noreturn]] void on_error(j_common_ptr cinfo) { stop(cinfo, false); }

// Level -1 is a warning: corrupt or missing data that libjpeg conceals (grey rows, skipped
// bytes). Those are errors here. Only the JFIF version warning is harmless (a newer minor
// revision of the APP0 header). Levels >= 0 are trace messages.
void on_message(j_common_ptr cinfo, int level) {
  if (level >= 0 || cinfo->err->msg_code == JWRN_JFIF_MAJOR) return;
  stop(cinfo, true);
}

bool read_header(jpeg_decompress_struct* cinfo, ErrorManager* err) {
  if (setjmp(err->jump)) return false;
  jpeg_read_header(cinfo, TRUE);
  return true;
}

bool start(jpeg_decompress_struct* cinfo, ErrorManager* err, J_COLOR_SPACE out) {
  if (setjmp(err->jump)) return false;
  cinfo->out_color_space = out;
  jpeg_start_decompress(cinfo);
  return true;
}

// Reads every row into `rows` (one pointer per output row), then the rest of the file up to EOI.
bool read_rows(jpeg_decompress_struct* cinfo, ErrorManager* err, JSAMPROW* rows) {
  if (setjmp(err->jump)) return false;
  while (cinfo->output_scanline < cinfo->output_height) {
    const JDIMENSION left = cinfo->output_height - cinfo->output_scanline;
    if (jpeg_read_scanlines(cinfo, rows + cinfo->output_scanline, left) == 0) return false;
  }
  jpeg_finish_decompress(cinfo);
  return true;
}

struct Decompressor {
  jpeg_decompress_struct cinfo{};
  ErrorManager err{};
  Decompressor() {
    cinfo.err = jpeg_std_error(&err.pub);
    err.pub.error_exit = on_error;
    err.pub.emit_message = on_message;
    jpeg_create_decompress(&cinfo);  // cannot fail: it only allocates the pools' first block
  }
  ~Decompressor() { jpeg_destroy_decompress(&cinfo); }
  Decompressor(const Decompressor&) = delete;
  Decompressor& operator=(const Decompressor&) = delete;

  // "corrupt JPEG data: premature end of data segment" (libjpeg's own prefix dropped), or
  // "cannot decode the JPEG data: unsupported JPEG data precision 12".
  [[noreturn]] void fail() const {
    std::string reason = err.message;
    if (const std::string prefix = "Corrupt JPEG data: "; reason.starts_with(prefix)) reason.erase(0, prefix.size());
    if (reason.size() > 1 && std::isupper(static_cast<unsigned char>(reason[0])) &&  // "Premature", not "JPEG"
        std::islower(static_cast<unsigned char>(reason[1])))
      reason[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(reason[0])));
    throw DataError((err.warning ? "corrupt JPEG data: " : "cannot decode the JPEG data: ") + reason);
  }
};

// OpenCV's icvCvt_CMYK2BGR_8u_C4C3R: libjpeg gives Adobe's inverted CMYK, and OpenCV takes it
// to BGR this way (not the textbook 255 - c - k); kept so the pixels match imdecode's.
void cmyk_to_bgr(const cv::Mat& cmyk, cv::Mat& bgr) {
  for (int y = 0; y < cmyk.rows; ++y) {
    const std::uint8_t* in = cmyk.ptr<std::uint8_t>(y);
    std::uint8_t* out = bgr.ptr<std::uint8_t>(y);
    for (int x = 0; x < cmyk.cols; ++x, in += 4, out += 3) {
      const int k = in[3];
      const auto ink = [k](int v) { return static_cast<std::uint8_t>(k - ((255 - v) * k >> 8)); };
      out[2] = ink(in[0]);
      out[1] = ink(in[1]);
      out[0] = ink(in[2]);
    }
  }
}

}  // namespace

cv::Mat decode_jpeg(std::span<const std::uint8_t> bytes, const std::function<int(cv::Size stored)>& scale_denominator) {
  Decompressor d;
  jpeg_mem_src(&d.cinfo, bytes.data(), static_cast<unsigned long>(bytes.size()));
  if (!read_header(&d.cinfo, &d.err)) d.fail();

  const std::uint64_t width = d.cinfo.image_width, height = d.cinfo.image_height;
  check_limit("image_pixels", width * height, "image of " + std::to_string(width) + "x" + std::to_string(height));

  if (scale_denominator) {
    d.cinfo.scale_num = 1;
    d.cinfo.scale_denom = static_cast<unsigned int>(
        scale_denominator({static_cast<int>(d.cinfo.image_width), static_cast<int>(d.cinfo.image_height)}));
  }
  // As OpenCV's JpegDecoder with IMREAD_UNCHANGED: one component is gray, four (CMYK, YCCK)
  // are decoded as CMYK and converted, any other count is asked for as BGR.
  const int components = d.cinfo.num_components;
  const J_COLOR_SPACE out = components == 1 ? JCS_GRAYSCALE : components == 4 ? JCS_CMYK : JCS_EXT_BGR;
  if (!start(&d.cinfo, &d.err, out)) d.fail();

  const int rows = static_cast<int>(d.cinfo.output_height), cols = static_cast<int>(d.cinfo.output_width);
  cv::Mat decoded(rows, cols, CV_8UC(d.cinfo.output_components));
  std::vector<JSAMPROW> row_pointers(static_cast<std::size_t>(rows));
  for (int y = 0; y < rows; ++y) row_pointers[static_cast<std::size_t>(y)] = decoded.ptr<JSAMPLE>(y);
  if (!read_rows(&d.cinfo, &d.err, row_pointers.data())) {
    if (d.err.message[0] == '\0') throw DataError("corrupt JPEG data: the decoder stopped before the last row");
    d.fail();
  }
  if (out != JCS_CMYK) return decoded;
  cv::Mat bgr(rows, cols, CV_8UC3);
  cmyk_to_bgr(decoded, bgr);
  return bgr;
}

}  // namespace augment::image::detail
