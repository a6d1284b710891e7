#pragma once
// Each group of audio ops registers itself; register_transforms calls them all.
#include "augment/core/registry.hpp"

namespace augment::audio::detail {

void register_io_and_basic(Registry& registry);  // audio codec, resample, to_mono, gain, normalize, time_shift, trim_silence
void register_filters(Registry& registry);       // lowpass, highpass, bandpass, bandstop
void register_noise(Registry& registry);         // add_noise
void register_spectrogram(Registry& registry);   // spectrogram codec, stft, spectrogram, mel, db, mfcc, istft, griffin_lim
void register_spec_augment(Registry& registry);  // freq_mask, time_mask, time_warp, spec_augment

}  // namespace augment::audio::detail
