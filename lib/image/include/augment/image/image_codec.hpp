#pragma once
// Reading and writing image files (JPEG, PNG, WebP, TIFF, BMP) through OpenCV's codecs.
//
// Reading keeps what the file holds: 8- or 16-bit unsigned (or 32-bit float TIFF), gray, BGR or
// BGRA (a gray+alpha PNG becomes BGRA, as OpenCV decodes it). A JPEG's EXIF orientation is
// applied, so the pixels are upright as viewers show them: OpenCV 4.6 applies it only when it
// may also drop alpha and depth (any flag but IMREAD_UNCHANGED), so we decode UNCHANGED and read
// the orientation tag ourselves.
//
// JPEG is decoded with libjpeg-turbo directly (the pixels cv::imdecode gives, byte for byte; or
// at 1/2, 1/4 or 1/8 size when the read options ask for it, reduced_decode.hpp), so that its
// warnings are errors: imdecode hides them and fills what is missing with grey. PNG,
// WebP, TIFF and BMP go through cv::imdecode, whose decoders fail rather than conceal (PNG's
// CRCs and zlib's checksum are checked). Content in any other format is refused: OpenCV would
// also try PNM, HDR, JPEG 2000, EXR and everything GDAL reads, with no size check of ours.
// Every image's width × height is read from its header and checked against the image_pixels
// limit (augment/core/limits.hpp) before any pixel buffer is allocated.
//
// A file that cannot be used is a DataError "PATH: reason": missing, empty, not an image,
// over the image_pixels limit, truncated (a JPEG without its end-of-image marker, a PNG that
// ends before its IEND chunk), corrupt (a JPEG scan cut short or with stray bytes, a PNG failing
// its CRC, data a decoder cannot finish), or of a pixel format the image ops do not take.
// Damage that no check can see (flipped bits in JPEG or WebP data that still decode, where the
// format has no checksum) is not detected.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <ostream>
#include <span>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "augment/core/sample_codec.hpp"

namespace augment::image {

/// Decoder settings used when reading.
struct ImageReadOptions {
  /// Reduced decoding (augment/image/reduced_decode.hpp makes it from a pipeline): when set, it
  /// is called with a JPEG's full size (EXIF orientation applied) and returns the size the
  /// pipeline's first stage, a resize, makes of it. The JPEG is then decoded at 1/2, 1/4 or 1/8
  /// of its size in the DCT, the smallest whose both sides still reach that size, and the Image
  /// records its full size (Image::reduced_from). Images with targets (boxes, keypoints, a mask),
  /// other formats, and images the resize does not shrink by half or more are decoded in full.
  /// The runner calls it from several threads at once. Empty: every image in full.
  std::function<cv::Size(cv::Size full)> reduce_to;
};

/// Encoder settings used when writing.
struct ImageWriteOptions {
  int jpeg_quality = 95;    // 0..100
  int png_compression = 3;  // zlib level 0..9 (lossless at every level; higher is smaller, slower)
  int webp_quality = 95;    // 1..100 lossy; 101 lossless (OpenCV's convention)
  /// The format outputs are written in, as an extension (".png", ".jpg", ".webp", ".tif",
  /// ".bmp", ".npy"); empty: each output keeps its source's format.
  std::string format;
};

class ImageCodec final : public SampleCodec {
 public:
  /// Throws std::invalid_argument when an option is out of its range.
  explicit ImageCodec(ImageWriteOptions options = {});
  /// With read options too (reduced decoding).
  ImageCodec(ImageWriteOptions options, ImageReadOptions read_options);

  Kind kind() const override { return Kind::image; }
  /// .jpg .jpeg .png .webp .tif .tiff .bmp (read and written; .npy is written only)
  std::vector<std::string> extensions() const override;
  /// options().format when set, else the source's extension.
  std::string output_extension(const std::string& source_extension) const override;
  /// An Image with `source_extension` set to the file's extension (lower case); a JPEG at
  /// reduced size when the read options ask for it.
  Sample read(const std::filesystem::path& file) const override;
  /// Encodes the pixels (pending geometry applied first) in the format of `extension`. Throws
  /// DataError when the format cannot hold them: 16-bit or float as JPEG/WebP/BMP, float as PNG,
  /// alpha as JPEG/BMP (rather than silently dropping depth or alpha), or an unknown extension.
  /// ".npy": a NumPy array H × W × C in R, G, B (, A) order, dtype as the pixels (uint8, uint16,
  /// float32), which holds every image the ops make.
  void write(const Sample& sample, const std::string& extension, std::ostream& out) const override;
  /// read(), plus targets: a mask from `<stem>.mask.png` beside the file (one channel, same
  /// size), boxes from a `boxes` column ([[x1, y1, x2, y2], ...] or with a label as a fifth
  /// element) and keypoints from a `keypoints` column ([[x, y], ...] or [x, y, label]), in the
  /// continuous coordinates of image.hpp. A malformed column or mask is a DataError. A sample
  /// with any of them is decoded in full, whatever the read options.
  Sample read_with_columns(const std::filesystem::path& file, const Columns& columns) const override;
  /// Applies pending geometry (one warp for pixels, mask and targets).
  void settle(Sample& sample) const override;
  /// `<stem>.mask.png` files.
  bool is_companion(const std::filesystem::path& file) const override;
  /// `boxes` and `keypoints` as they are after the pipeline, in the read form.
  Columns output_columns(const Sample& sample) const override;
  /// The mask, as `<output stem>.mask.png`.
  void write_companions(const Sample& sample, const std::filesystem::path& output, Durability durability) const override;
  /// cv::setNumThreads(0): OpenCV's documented way to run its functions sequentially, so the
  /// runner's workers do not each start a thread pool.
  void prepare_parallel_run() const override;
  /// "reduced JPEG decode" when the read options reduce, then the write options that are not the
  /// defaults ("written as .npy", "JPEG quality 60"); empty for a default codec.
  std::string read_settings() const override;

  const ImageWriteOptions& options() const { return options_; }
  const ImageReadOptions& read_options() const { return read_options_; }

 private:
  Sample read_image(const std::filesystem::path& file, bool may_reduce) const;

  ImageWriteOptions options_;
  ImageReadOptions read_options_;
};

/// Decodes an encoded image in memory as read() does. Throws DataError with the bare reason
/// ("empty file", "truncated JPEG: ...", "image of 30000x30000: 900000000 is over the
/// image_pixels limit ...").
cv::Mat decode_image(std::span<const std::uint8_t> bytes);

/// Encodes as write() does (extension with the dot, any case; .npy too). Throws DataError with
/// the reason.
std::vector<std::uint8_t> encode_image(const cv::Mat& pixels, const std::string& extension,
                                       const ImageWriteOptions& options);

/// The EXIF orientation (1..8) of JPEG data; 1 when it has none or is not a JPEG.
int jpeg_exif_orientation(std::span<const std::uint8_t> bytes);

/// Turns pixels stored with EXIF orientation `orientation` upright (1: unchanged; 6: the stored
/// image is turned 90° clockwise; the same mapping as OpenCV's ApplyExifOrientation).
cv::Mat apply_exif_orientation(const cv::Mat& pixels, int orientation);

}  // namespace augment::image
