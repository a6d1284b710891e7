#include "augment/audio/to_mono.hpp"

namespace augment::audio {

Audio to_mono(const Audio& audio) {
  check_audio(audio, "to_mono");
  if (audio.channels.size() == 1) return audio;
  Audio out;
  out.sample_rate = audio.sample_rate;
  out.file_format = audio.file_format;
  std::vector<double> sum(audio.frames(), 0.0);  // double: the mean of many channels stays exact
  for (const auto& channel : audio.channels)
    for (std::size_t i = 0; i < channel.size(); ++i) sum[i] += channel[i];
  const double count = static_cast<double>(audio.channels.size());
  std::vector<float> mono(sum.size());
  for (std::size_t i = 0; i < sum.size(); ++i) mono[i] = static_cast<float>(sum[i] / count);
  out.channels.push_back(std::move(mono));
  return out;
}

void ToMono::apply(Sample& sample, const nlohmann::json&) const {
  Audio& audio = audio_of(sample);
  audio = to_mono(audio);
}

OpInfo to_mono_op() {
  return {
      .name = "to_mono",
      .input = Kind::audio,
      .output = Kind::audio,
      .doc = "One channel, the average of all channels (mono audio unchanged).",
      .random = false,
      .create = make_transform<ToMono>,
  };
}

}  // namespace augment::audio
