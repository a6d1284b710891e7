#include <memory>

#include "augment/audio/decibels.hpp"
#include "augment/audio/griffin_lim.hpp"
#include "augment/audio/mel.hpp"
#include "augment/audio/mfcc.hpp"
#include "augment/audio/spectrogram_codec.hpp"
#include "augment/audio/spectrogram_to_tensor.hpp"
#include "augment/audio/stft.hpp"
#include "register_groups.hpp"

namespace augment::audio::detail {

void register_spectrogram(Registry& registry) {
  registry.add_codec(std::make_shared<SpectrogramCodec>());
  registry.add(stft_op());
  registry.add(spectrogram_op());
  registry.add(mel_op());
  registry.add(db_op());
  registry.add(spectrogram_to_tensor_op());
  registry.add(mfcc_op());
  registry.add(istft_op());
  registry.add(griffin_lim_op());
}

}  // namespace augment::audio::detail
