#pragma once
// Resource limits: every size that a file or a parameter can ask for has a ceiling here, so a
// hostile or damaged input gives one clear error instead of exhausting memory, the stack or
// time. The defaults suit ordinary datasets; the CLI raises them with `--limit NAME=VALUE`
// (and the trainer config with a "limits" object). Messages name the limit to raise.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace augment {

struct Limits {
  /// Pixels (width × height) of one decoded image or video frame, checked from the header before
  /// decoding. PIL's MAX_IMAGE_PIXELS error threshold (2 × 89,478,485).
  std::uint64_t image_pixels = 178'956'970;
  /// Bytes of one record: a CSV row, a text line, a JSON Lines record, a whole text file read
  /// as one sample.
  std::uint64_t record_bytes = 16ull << 20;
  /// Nesting depth of any JSON document (specs, configs, records, params).
  std::uint64_t json_depth = 512;
  /// Bytes of one buffer that a parameter asks for (resize to 65536², a layer of 1e9 units,
  /// a spectrogram of a huge n_fft).
  std::uint64_t allocation_bytes = 4ull << 30;
  /// Samples of one decoded audio file, frames × channels (about 3 h of 48 kHz stereo), and per
  /// channel of a resample output.
  std::uint64_t audio_samples = 1ull << 30;
};

/// The limits in force (process-wide; set once at start-up, read from any thread).
const Limits& limits();
void set_limits(const Limits& limits);

/// The names `--limit` accepts, in declaration order: "image_pixels", "record_bytes", ...
std::vector<std::string> limit_names();

/// Applies "NAME=VALUE" (VALUE a whole number, optionally with a K/M/G suffix of powers of 1024
/// for byte limits); throws UsageError naming the bad part.
void apply_limit(Limits& limits, std::string_view assignment);

/// Throws DataError "`what`: N is over the NAME limit of M (raise it with --limit NAME=...)"
/// when `value` exceeds the named limit. `what` says what was measured.
void check_limit(std::string_view name, std::uint64_t value, std::string_view what);

/// The same check for a size that a parameter asks for: throws SpecError instead.
void check_requested(std::string_view name, std::uint64_t value, std::string_view what);

/// The text of the over-limit message, for callers that throw their own error type.
std::string over_limit_message(std::string_view name, std::uint64_t value, std::string_view what);

}  // namespace augment
