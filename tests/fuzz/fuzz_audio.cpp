// The audio decoder (lib/audio audio_codec.hpp decode_audio, from memory) on any bytes. Decoded
// audio must have frames, channels of one length, finite values and a positive rate; small
// results are encoded again as WAV (the writer is the other half of every audio run).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>

#include "augment/audio/audio_codec.hpp"
#include "augment/core/error.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace augment;
  fuzz::use_fuzz_limits();
  try {
    const audio::Audio decoded = audio::decode_audio(std::span<const std::uint8_t>(data, size));
    if (!(decoded.sample_rate > 0)) fuzz::fail("decoded audio with a sample rate <= 0");
    if (decoded.channels.empty() || decoded.frames() == 0) fuzz::fail("decoded audio without channels or frames");
    std::size_t values = 0;
    for (const auto& channel : decoded.channels) {
      if (channel.size() != decoded.frames()) fuzz::fail("decoded channels of different lengths");
      values += channel.size();
      for (float v : channel)
        if (!std::isfinite(v)) fuzz::fail("decoded audio holds a non-finite sample");
    }
    if (values > 0 && values < (1u << 16)) (void)audio::encode_audio(decoded, ".wav");
  } catch (const Error&) {
  }
  return 0;
}
