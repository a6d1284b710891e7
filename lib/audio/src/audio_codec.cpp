#include "augment/audio/audio_codec.hpp"

#include <sndfile.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <memory>
#include <mutex>

#include "augment/core/error.hpp"
#include "augment/core/limits.hpp"
#include "augment/core/paths.hpp"
#include "source_precision.hpp"

namespace augment::audio {
namespace {

namespace fs = std::filesystem;


// libsndfile virtual I/O over bytes in memory: a read-only view, or a growing buffer.
struct MemoryFile {
  const std::uint8_t* data = nullptr;  // reading
  std::vector<std::uint8_t>* buffer = nullptr;  // writing
  sf_count_t size = 0;
  sf_count_t position = 0;
};

sf_count_t memory_length(void* user) { return static_cast<MemoryFile*>(user)->size; }

sf_count_t memory_seek(sf_count_t offset, int whence, void* user) {
  auto* f = static_cast<MemoryFile*>(user);
  sf_count_t to = offset;
  if (whence == SEEK_CUR) to += f->position;
  else if (whence == SEEK_END) to += f->size;
  if (to < 0) return -1;
  f->position = to;
  return to;
}

sf_count_t memory_read(void* ptr, sf_count_t count, void* user) {
  auto* f = static_cast<MemoryFile*>(user);
  const sf_count_t n = std::clamp<sf_count_t>(f->size - f->position, 0, count);
  const std::uint8_t* from = f->data ? f->data : f->buffer->data();
  if (n > 0) std::memcpy(ptr, from + f->position, static_cast<std::size_t>(n));
  f->position += n;
  return n;
}

sf_count_t memory_write(const void* ptr, sf_count_t count, void* user) {
  auto* f = static_cast<MemoryFile*>(user);
  if (!f->buffer || count < 0) return 0;
  const auto end = static_cast<std::size_t>(f->position + count);
  if (end > f->buffer->size()) f->buffer->resize(end);
  std::memcpy(f->buffer->data() + f->position, ptr, static_cast<std::size_t>(count));
  f->position += count;
  f->size = std::max(f->size, f->position);
  return count;
}

sf_count_t memory_tell(void* user) { return static_cast<MemoryFile*>(user)->position; }

SF_VIRTUAL_IO memory_io() {
  return {memory_length, memory_seek, memory_read, memory_write, memory_tell};
}

struct SndfileCloser {
  void operator()(SNDFILE* file) const { sf_close(file); }
};
using Sndfile = std::unique_ptr<SNDFILE, SndfileCloser>;

// The decoder's log of the header it parsed, where libsndfile notes what it corrected.
std::string header_log(SNDFILE* file) {
  std::array<char, 4096> log{};
  sf_command(file, SFC_GET_LOG_INFO, log.data(), static_cast<int>(log.size()));
  return std::string(log.data());
}

// libsndfile shortens a WAV or AIFF data chunk that runs past the end of the file to what is
// there, and only logs it ("data : 88200 (should be 1000)"): that is a truncated file.
bool data_chunk_cut_short(SNDFILE* file, int major) {
  if (major != SF_FORMAT_WAV && major != SF_FORMAT_AIFF && major != SF_FORMAT_WAVEX && major != SF_FORMAT_RF64)
    return false;
  const std::string log = header_log(file);
  for (std::size_t at = 0; at < log.size();) {
    std::size_t end = log.find('\n', at);
    if (end == std::string::npos) end = log.size();
    const std::string_view line(log.data() + at, end - at);
    // "data : 88200 (should be 1000)". Not "'data' chunk should be an even number of bytes",
    // which libsndfile notes for a valid odd-sized chunk (8-bit mono, GSM 6.10) without its pad byte.
    if ((line.starts_with("data") || line.starts_with("SSND")) && line.find("(should be ") != std::string_view::npos)
      return true;
    at = end + 1;
  }
  return false;
}

// The sample rate in a RIFF/WAVE file's fmt chunk; -1 when it is not one or has none.
std::int64_t wav_sample_rate(std::span<const std::uint8_t> b) {
  const auto u32 = [&](std::size_t at) {
    return std::uint32_t{b[at]} | std::uint32_t{b[at + 1]} << 8 | std::uint32_t{b[at + 2]} << 16 |
           std::uint32_t{b[at + 3]} << 24;
  };
  if (b.size() < 12 || std::memcmp(b.data(), "RIFF", 4) != 0 || std::memcmp(b.data() + 8, "WAVE", 4) != 0) return -1;
  for (std::size_t at = 12; at + 8 <= b.size();) {
    const std::uint32_t size = u32(at + 4);
    if (std::memcmp(b.data() + at, "fmt ", 4) == 0) return size >= 16 && at + 16 <= b.size() ? u32(at + 12) : -1;
    at += 8 + std::size_t{size} + (size & 1u);  // in size_t: a size near 2^32 must not wrap to a step of 0
  }
  return -1;
}

// Bits of an integer PCM subtype; 0 for float and compressed subtypes.
int integer_bits(int subtype) {
  switch (subtype) {
    case SF_FORMAT_PCM_S8:
    case SF_FORMAT_PCM_U8: return 8;
    case SF_FORMAT_PCM_16: return 16;
    case SF_FORMAT_PCM_24: return 24;
    case SF_FORMAT_PCM_32: return 32;
    default: return 0;
  }
}

int pcm_subtype(int subtype) {
  switch (subtype) {
    case SF_FORMAT_PCM_S8:
    case SF_FORMAT_PCM_U8:
    case SF_FORMAT_PCM_16:
    case SF_FORMAT_PCM_24:
    case SF_FORMAT_PCM_32: return subtype;
    default: return 0;
  }
}

int major_for_extension(const std::string& extension) {
  const std::string ext = ascii_lower(extension);
  if (ext == ".wav") return SF_FORMAT_WAV;
  if (ext == ".flac") return SF_FORMAT_FLAC;
  if (ext == ".ogg") return SF_FORMAT_OGG;
  if (ext == ".aiff" || ext == ".aif") return SF_FORMAT_AIFF;
  return 0;
}

// Ogg's page checksum: CRC-32 with polynomial 0x04C11DB7, not reflected, initial value 0.
std::uint32_t ogg_crc(const std::uint8_t* data, std::size_t size) {
  static const std::array<std::uint32_t, 256> table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t r = i << 24;
      for (int k = 0; k < 8; ++k) r = (r & 0x80000000u) ? (r << 1) ^ 0x04C11DB7u : r << 1;
      t[i] = r;
    }
    return t;
  }();
  std::uint32_t crc = 0;
  for (std::size_t i = 0; i < size; ++i) crc = (crc << 8) ^ table[((crc >> 24) ^ data[i]) & 0xFF];
  return crc;
}

// libsndfile seeds the Ogg stream serial number from the clock; a fixed one makes the bytes
// reproducible. Each page: "OggS", version, flags, granule (8), serial (4) at 14, sequence (4),
// CRC (4) at 22, segment count at 26, segment table, body.
void fix_ogg_serial(std::vector<std::uint8_t>& bytes) {
  constexpr std::uint32_t kSerial = 0x61756731;  // "aug1"
  std::size_t at = 0;
  while (at + 27 <= bytes.size() && std::memcmp(bytes.data() + at, "OggS", 4) == 0) {
    const std::size_t segments = bytes[at + 26];
    if (at + 27 + segments > bytes.size()) return;
    std::size_t body = 0;
    for (std::size_t s = 0; s < segments; ++s) body += bytes[at + 27 + s];
    const std::size_t page = 27 + segments + body;
    if (at + page > bytes.size()) return;
    for (int b = 0; b < 4; ++b) {
      bytes[at + 14 + static_cast<std::size_t>(b)] = static_cast<std::uint8_t>(kSerial >> (8 * b));
      bytes[at + 22 + static_cast<std::size_t>(b)] = 0;
    }
    const std::uint32_t crc = ogg_crc(bytes.data() + at, page);
    for (int b = 0; b < 4; ++b) bytes[at + 22 + static_cast<std::size_t>(b)] = static_cast<std::uint8_t>(crc >> (8 * b));
    at += page;
  }
}

}  // namespace

int output_format(int source_format, const std::string& extension) {
  const int major = major_for_extension(extension);
  if (major == 0) throw DataError("cannot write '" + extension + "': not an audio format (.wav .flac .ogg .aiff .aif)");
  const int source_major = source_format & SF_FORMAT_TYPEMASK;
  const int source_subtype = source_format & SF_FORMAT_SUBMASK;
  if (source_format != 0 && source_major == major) return major | source_subtype;
  const int pcm = pcm_subtype(source_subtype);
  switch (major) {
    case SF_FORMAT_WAV:
    case SF_FORMAT_AIFF:
      if (pcm != 0) return major | (major == SF_FORMAT_WAV && pcm == SF_FORMAT_PCM_S8 ? SF_FORMAT_PCM_U8 : pcm);
      return major | (source_subtype == SF_FORMAT_DOUBLE ? SF_FORMAT_DOUBLE : SF_FORMAT_FLOAT);
    case SF_FORMAT_FLAC:
      if (pcm == SF_FORMAT_PCM_16) return major | SF_FORMAT_PCM_16;
      if (pcm == SF_FORMAT_PCM_S8 || pcm == SF_FORMAT_PCM_U8) return major | SF_FORMAT_PCM_S8;
      return major | SF_FORMAT_PCM_24;
    default: return SF_FORMAT_OGG | SF_FORMAT_VORBIS;
  }
}

// libsndfile keeps the reason a file failed to open in one process-wide slot (sf_strerror(NULL)):
// opening and reading that slot happen under one lock, so parallel workers get their own reason.
std::mutex open_mutex;
thread_local std::string last_open_error;

Sndfile open_virtual(SF_VIRTUAL_IO& io, int mode, SF_INFO& info, MemoryFile& memory) {
  std::lock_guard lock(open_mutex);
  Sndfile file(sf_open_virtual(&io, mode, &info, &memory));
  last_open_error = file ? "" : sf_strerror(nullptr);
  return file;
}

const std::string& open_error() { return last_open_error; }

Audio decode_audio(std::span<const std::uint8_t> bytes) {
  if (bytes.empty()) throw DataError("empty file");
  MemoryFile memory{.data = bytes.data(), .size = static_cast<sf_count_t>(bytes.size())};
  SF_VIRTUAL_IO io = memory_io();
  SF_INFO info{};
  Sndfile file = open_virtual(io, SFM_READ, info, memory);
  if (!file) {
    // libsndfile refuses a zero rate with "SF_INFO struct incomplete"; name the cause instead.
    if (wav_sample_rate(bytes) == 0) throw DataError("sample rate is 0 Hz");
    throw DataError("not an audio file libsndfile reads: " + open_error());
  }
  if (info.samplerate <= 0) throw DataError("sample rate is " + std::to_string(info.samplerate) + " Hz");
  if (info.channels <= 0) throw DataError("the file has no channels");
  if (info.frames <= 0) throw DataError("no audio: the file holds 0 frames");
  const int major = info.format & SF_FORMAT_TYPEMASK;
  if (data_chunk_cut_short(file.get(), major))
    throw DataError("truncated: the header's data chunk is longer than the file (" + std::to_string(info.frames) +
                    " frames are there)");

  const auto channels = static_cast<std::size_t>(info.channels);
  // The header's frame count sizes the buffers below: checked first, so a small file that
  // declares billions of frames is refused instead of allocated. Saturates rather than wraps.
  const auto frames_declared = static_cast<std::uint64_t>(info.frames);
  const std::uint64_t samples = frames_declared > UINT64_MAX / channels ? UINT64_MAX : frames_declared * channels;
  check_limit("audio_samples", samples,
              "audio of " + std::to_string(info.frames) + " frames x " + std::to_string(channels) + " channels");
  // Files finer than float are read in double, kept beside the floats (Audio::source_channels).
  const bool keep_source = detail::finer_than_float(info.format & SF_FORMAT_SUBMASK);
  std::vector<double> interleaved(static_cast<std::size_t>(info.frames) * channels);
  std::vector<float> interleaved_float(keep_source ? 0 : interleaved.size());
  const sf_count_t got = keep_source ? sf_readf_double(file.get(), interleaved.data(), info.frames)
                                     : sf_readf_float(file.get(), interleaved_float.data(), info.frames);
  if (got < info.frames)
    throw DataError("truncated: the header promises " + std::to_string(info.frames) + " frames, the file holds " +
                    std::to_string(std::max<sf_count_t>(got, 0)));

  Audio audio;
  audio.sample_rate = info.samplerate;
  audio.file_format = info.format;
  const auto frames = static_cast<std::size_t>(got);
  audio.channels.assign(channels, std::vector<float>(frames));
  if (keep_source) audio.source_channels.assign(channels, std::vector<double>(frames));
  for (std::size_t i = 0; i < frames; ++i)
    for (std::size_t c = 0; c < channels; ++c) {
      const std::size_t at = i * channels + c;
      const double source = keep_source ? interleaved[at] : 0.0;
      const float v = keep_source ? static_cast<float>(source) : interleaved_float[at];
      if (!std::isfinite(v))
        throw DataError("channel " + std::to_string(c) + " frame " + std::to_string(i) + " is " +
                        (std::isnan(v) ? "NaN" : keep_source && std::isfinite(source) ? "beyond float's range" : "infinite"));
      audio.channels[c][i] = v;
      if (keep_source) audio.source_channels[c][i] = source;
    }
  return audio;
}

std::vector<std::uint8_t> encode_audio(const Audio& audio, const std::string& extension) {
  try {
    check_audio(audio, "cannot write the audio");
  } catch (const UsageError& e) {
    throw DataError(e.what());
  }
  const int format = output_format(audio.file_format, extension);
  SF_INFO info{};
  info.samplerate = audio.sample_rate;
  info.channels = audio.channel_count();
  info.format = format;
  if (!sf_format_check(&info))
    throw DataError("cannot write " + std::to_string(info.channels) + " channel(s) at " +
                    std::to_string(info.samplerate) + " Hz as " + ascii_lower(extension) +
                    " (libsndfile refuses that channel count or rate for the format)");

  std::vector<std::uint8_t> bytes;
  MemoryFile memory{.buffer = &bytes};
  SF_VIRTUAL_IO io = memory_io();
  {
    Sndfile file = open_virtual(io, SFM_WRITE, info, memory);
    if (!file) throw DataError("cannot encode as " + ascii_lower(extension) + ": " + open_error());
    // The PEAK chunk holds the time of writing, which would make equal audio give other bytes.
    sf_command(file.get(), SFC_SET_ADD_PEAK_CHUNK, nullptr, SF_FALSE);
    // Integer formats are quantised here, not by libsndfile: its float-to-int conversion (1.2)
    // truncates toward zero, up to a whole step off, and wraps out-of-range values unless told
    // to clip. Rounding to the nearest of the 2^bits levels of s / 2^(bits-1), clipped, is the
    // exact inverse of reading; the levels go to libsndfile left-aligned in 32 bits, which it
    // shifts down to the file's depth without loss.
    const int subtype = format & SF_FORMAT_SUBMASK;
    const int bits = integer_bits(subtype);
    const double scale = bits ? std::ldexp(1.0, bits - 1) : 1.0;
    const double top = scale - 1, bottom = -scale;
    const int align = 32 - bits;
    // The source's own values while the audio is as read (32-bit integer and float64 sources).
    const std::vector<std::vector<double>>* source = detail::unchanged_source(audio);
    // Float64 files take doubles; other float and compressed subtypes take floats, as before.
    const bool doubles = !bits && subtype == SF_FORMAT_DOUBLE;
    const auto value = [&](std::size_t c, std::size_t i) {
      return source ? (*source)[c][i] : static_cast<double>(audio.channels[c][i]);
    };

    const std::size_t channels = audio.channels.size();
    constexpr std::size_t kBlockFrames = 8192;
    std::vector<float> block(bits || doubles ? 0 : kBlockFrames * channels);
    std::vector<double> double_block(doubles ? kBlockFrames * channels : 0);
    std::vector<int> levels(bits ? kBlockFrames * channels : 0);
    for (std::size_t start = 0; start < audio.frames(); start += kBlockFrames) {
      const std::size_t n = std::min(kBlockFrames, audio.frames() - start);
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t c = 0; c < channels; ++c) {
          if (bits) {
            const double level = std::clamp(std::round(value(c, start + i) * scale), bottom, top);
            levels[i * channels + c] = static_cast<int>(static_cast<std::uint32_t>(static_cast<std::int64_t>(level)) << align);
          } else if (doubles) {
            double_block[i * channels + c] = value(c, start + i);
          } else {
            block[i * channels + c] = audio.channels[c][start + i];
          }
        }
      const auto frames = static_cast<sf_count_t>(n);
      const sf_count_t written = bits      ? sf_writef_int(file.get(), levels.data(), frames)
                                 : doubles ? sf_writef_double(file.get(), double_block.data(), frames)
                                           : sf_writef_float(file.get(), block.data(), frames);
      if (written != frames) throw DataError("cannot encode as " + ascii_lower(extension) + ": " + sf_strerror(file.get()));
    }
    if (sf_close(file.release()) != 0) throw DataError("cannot encode as " + ascii_lower(extension) + ": closing failed");
  }
  if ((format & SF_FORMAT_TYPEMASK) == SF_FORMAT_OGG) fix_ogg_serial(bytes);
  return bytes;
}

std::vector<std::string> AudioCodec::extensions() const { return {".wav", ".flac", ".ogg", ".aiff", ".aif"}; }

Sample AudioCodec::read(const std::filesystem::path& file) const {
  try {
    return make_sample(decode_audio(read_file_bytes(file, "an audio file")));
  } catch (const DataError& e) {
    throw DataError(file.string() + ": " + e.what());
  }
}

void AudioCodec::write(const Sample& sample, const std::string& extension, std::ostream& out) const {
  const std::vector<std::uint8_t> encoded = encode_audio(audio_of(sample), extension);
  out.write(reinterpret_cast<const char*>(encoded.data()), static_cast<std::streamsize>(encoded.size()));
  if (!out) throw DataError("cannot write the encoded " + ascii_lower(extension) + " data: the output stream failed");
}

}  // namespace augment::audio
