// The CLI's registry for the fuzz targets, kept apart from fuzz_support.cpp so that targets of
// one module link that module only.
#include "augment/audio/register_transforms.hpp"
#include "augment/embed/register_transforms.hpp"
#include "augment/features/register_transforms.hpp"
#include "augment/image/register_transforms.hpp"
#include "augment/text/register_transforms.hpp"
#include "augment/video/register_transforms.hpp"
#include "fuzz_support.hpp"

namespace augment::fuzz {

const Registry& cli_registry() {
  static const Registry all = [] {
    Registry r;
    features::register_transforms(r);
    image::register_transforms(r);
    audio::register_transforms(r);
    text::register_transforms(r);
    embed::register_transforms(r);
    video::register_transforms(r);  // after image: it lifts the image ops to frames
    return r;
  }();
  return all;
}

}  // namespace augment::fuzz
