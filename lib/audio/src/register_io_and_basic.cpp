// The audio file codec and the basic audio ops.
#include <memory>

#include "augment/audio/audio_codec.hpp"
#include "augment/audio/gain.hpp"
#include "augment/audio/resample.hpp"
#include "augment/audio/time_shift.hpp"
#include "augment/audio/to_mono.hpp"
#include "augment/audio/trim_silence.hpp"
#include "register_groups.hpp"

namespace augment::audio::detail {

void register_io_and_basic(Registry& registry) {
  registry.add_codec(std::make_shared<AudioCodec>());
  registry.add(resample_op());
  registry.add(to_mono_op());
  registry.add(gain_op());
  registry.add(normalize_op());
  registry.add(time_shift_op());
  registry.add(trim_silence_op());
}

}  // namespace augment::audio::detail
