#include "augment/audio/spectrogram_to_tensor.hpp"

#include "augment/audio/spectrogram.hpp"
#include "augment/core/error.hpp"
#include "augment/core/tensor.hpp"

namespace augment::audio {
namespace {

class ToTensor final : public Transform {
 public:
  ToTensor(const OpInfo& info, const nlohmann::json& settings)
      : Transform(info, settings), drop_channels_(settings["layout"] == "bins_frames") {}

  void apply(Sample& sample, const nlohmann::json&) const override {
    Spectrogram& s = spectrogram_of(sample);
    if (s.is_complex())
      throw UsageError("a complex STFT has no real values to give; use spectrogram (power 1 or 2) or take a magnitude first");
    if (drop_channels_ && s.channels != 1)
      throw DataError("layout bins_frames takes a mono spectrogram, got " + std::to_string(s.channels) + " channels");
    Tensor tensor;
    if (drop_channels_) tensor.shape = {static_cast<std::size_t>(s.bins), static_cast<std::size_t>(s.frames)};
    else tensor.shape = {static_cast<std::size_t>(s.channels), static_cast<std::size_t>(s.bins), static_cast<std::size_t>(s.frames)};
    tensor.values = std::move(s.values);
    sample = make_sample(std::move(tensor));
  }

 private:
  bool drop_channels_;
};

}  // namespace

OpInfo spectrogram_to_tensor_op() {
  return {
      .name = "to_tensor",
      .input = Kind::spectrogram,
      .output = Kind::tensor,
      .doc = "Spectrogram → float32 tensor C×F×T (channels, bins, frames), or F×T for a mono one (conv1d over "
             "frames with bins as channels).",
      .params = {{.name = "layout", .type = ParamType::string, .default_value = "channels_bins_frames",
                  .choices = {"channels_bins_frames", "bins_frames"},
                  .doc = "C×F×T for conv2d, or F×T (mono only) for conv1d"}},
      .create = make_transform<ToTensor>,
  };
}

}  // namespace augment::audio
