#pragma once
// Private: keeping what float cannot hold. Samples are float (24 significant bits): exact for
// 8/16/24-bit integer and float32 files, but a 32-bit integer file has 31 bits and a sign, and a
// float64 file 53. For those the codec keeps the values as read in Audio::source_channels and
// writes them back while the audio is unchanged.
#include <vector>

#include "augment/audio/audio.hpp"

namespace augment::audio::detail {

/// Whether a libsndfile subtype holds values float rounds: PCM_32 and DOUBLE.
bool finer_than_float(int subtype);

/// audio.source_channels when the audio is as read: the same channel count and lengths, and each
/// float sample equal to its source value rounded to float. Else nullptr: the floats are the audio.
const std::vector<std::vector<double>>* unchanged_source(const Audio& audio);

}  // namespace augment::audio::detail
