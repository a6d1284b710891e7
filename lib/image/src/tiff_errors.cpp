#include "tiff_errors.hpp"

#include <cstdarg>
#include <cstdio>
#include <mutex>

#include <tiffio.h>

namespace augment::image::detail {
namespace {

// Per thread: workers decode in parallel, and libtiff calls back on the decoding thread.
thread_local bool watching = false;
thread_local std::string first;

// The "Ext" handler is called besides the plain one, which OpenCV replaces with its own.
void on_error(thandle_t, const char* module, const char* format, va_list args) {
  if (!watching || !first.empty()) return;
  char text[512];
  std::vsnprintf(text, sizeof text, format, args);
  first = module && *module ? std::string(module) + ": " + text : std::string(text);
}

}  // namespace

TiffErrorWatch::TiffErrorWatch() {
  static std::once_flag installed;
  std::call_once(installed, [] { TIFFSetErrorHandlerExt(on_error); });
  first.clear();
  watching = true;
}

TiffErrorWatch::~TiffErrorWatch() { watching = false; }

const std::string& TiffErrorWatch::first_error() const { return first; }

}  // namespace augment::image::detail
