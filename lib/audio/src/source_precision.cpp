#include "source_precision.hpp"

#include <sndfile.h>

namespace augment::audio::detail {

bool finer_than_float(int subtype) { return subtype == SF_FORMAT_PCM_32 || subtype == SF_FORMAT_DOUBLE; }

const std::vector<std::vector<double>>* unchanged_source(const Audio& audio) {
  const auto& source = audio.source_channels;
  if (source.empty() || source.size() != audio.channels.size()) return nullptr;
  for (std::size_t c = 0; c < source.size(); ++c) {
    const std::vector<float>& now = audio.channels[c];
    const std::vector<double>& was = source[c];
    if (was.size() != now.size()) return nullptr;
    // One changed sample means an op ran on the audio: then the floats are its values, and
    // mixing in source values (a time shift moves samples) would be wrong.
    bool same = true;
    for (std::size_t i = 0; i < was.size(); ++i) same &= static_cast<float>(was[i]) == now[i];
    if (!same) return nullptr;
  }
  return &source;
}

}  // namespace augment::audio::detail
