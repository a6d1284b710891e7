#pragma once
// libtiff's errors during one cv::imdecode of TIFF data. OpenCV 4.6 ignores a failed
// TIFFReadRGBAStrip/Tile (its 8-bit path) and returns the image with those rows left as they
// were (uninitialised), and it silences libtiff's messages; libtiff itself reports the damage
// ("LZWDecode: Strip 0 not terminated with EOI code"). This catches those reports.
#include <string>

namespace augment::image::detail {

/// Collects libtiff's error messages raised on this thread while it lives (warnings are not
/// collected: libtiff corrects what they name).
class TiffErrorWatch {
 public:
  TiffErrorWatch();
  ~TiffErrorWatch();
  TiffErrorWatch(const TiffErrorWatch&) = delete;
  TiffErrorWatch& operator=(const TiffErrorWatch&) = delete;

  /// The first error libtiff reported since construction ("module: message"); empty if none.
  const std::string& first_error() const;
};

}  // namespace augment::image::detail
