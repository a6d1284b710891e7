// Writes the seed files only this library can make small (tiny images, audio, videos, a
// checkpoint) into corpus/<target>/; run once by hand, the output is committed:
//   cmake --build build --target fuzz_make_seeds && build/bin/fuzz_make_seeds tests/fuzz/corpus
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "augment/audio/audio_codec.hpp"
#include "augment/image/image_codec.hpp"
#include "augment/trainer/checkpoint.hpp"

namespace {

namespace fs = std::filesystem;

template <class Bytes>
void put(const fs::path& file, const Bytes& bytes, const std::string& prefix = "") {
  fs::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary);
  out << prefix;
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

std::vector<std::uint8_t> read(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

cv::Mat pattern(int rows, int cols, int type) {
  cv::Mat m(rows, cols, CV_8UC3);
  for (int y = 0; y < rows; ++y)
    for (int x = 0; x < cols; ++x) m.at<cv::Vec3b>(y, x) = cv::Vec3b(uchar(x * 30), uchar(y * 40), uchar((x + y) * 15));
  cv::Mat out;
  if (type == CV_8UC1) cv::cvtColor(m, out, cv::COLOR_BGR2GRAY);
  else if (type == CV_8UC4) cv::cvtColor(m, out, cv::COLOR_BGR2BGRA);
  else if (type == CV_16UC1) { cv::cvtColor(m, out, cv::COLOR_BGR2GRAY); out.convertTo(out, CV_16U, 257); }
  else out = m;
  return out;
}

void images(const fs::path& dir) {
  using augment::image::encode_image;
  const augment::image::ImageWriteOptions options;
  put(dir / "tiny.jpg", encode_image(pattern(6, 8, CV_8UC3), ".jpg", options));
  put(dir / "tiny-gray.jpg", encode_image(pattern(5, 3, CV_8UC1), ".jpg", options));
  put(dir / "tiny.png", encode_image(pattern(6, 8, CV_8UC3), ".png", options));
  put(dir / "tiny-bgra.png", encode_image(pattern(4, 4, CV_8UC4), ".png", options));
  put(dir / "tiny-gray16.png", encode_image(pattern(4, 5, CV_16UC1), ".png", options));
  put(dir / "tiny.webp", encode_image(pattern(6, 8, CV_8UC3), ".webp", options));
  put(dir / "tiny.tif", encode_image(pattern(3, 3, CV_8UC3), ".tif", options));
  put(dir / "tiny.bmp", encode_image(pattern(2, 3, CV_8UC3), ".bmp", options));
  // A JPEG cut short (end-of-image marker appended): the "silent grey rows" case of issue 16.
  auto jpeg = encode_image(pattern(16, 16, CV_8UC3), ".jpg", options);
  jpeg.resize(jpeg.size() * 2 / 3);
  jpeg.push_back(0xFF);
  jpeg.push_back(0xD9);
  put(dir / "cut-with-eoi.jpg", jpeg);
}

void audio(const fs::path& dir) {
  augment::audio::Audio tone;
  tone.sample_rate = 8000;
  tone.channels.assign(2, std::vector<float>(64));
  for (std::size_t i = 0; i < 64; ++i) {
    tone.channels[0][i] = 0.5f * std::sin(0.3f * static_cast<float>(i));
    tone.channels[1][i] = 0.25f * std::cos(0.1f * static_cast<float>(i));
  }
  for (const char* ext : {".wav", ".flac", ".ogg", ".aiff"})
    put(dir / (std::string("tone") + ext), augment::audio::encode_audio(tone, ext));
}

void videos(const fs::path& dir) {
  // Byte 0 of a video seed picks the scratch file's extension: 0 .avi, 1 .mp4.
  const struct { const char* name; const char* ext; char prefix; int fourcc; } kinds[] = {
      {"mjpg.avi", ".avi", '\x00', cv::VideoWriter::fourcc('M', 'J', 'P', 'G')},
      {"mp4v.mp4", ".mp4", '\x01', cv::VideoWriter::fourcc('m', 'p', '4', 'v')}};
  for (const auto& kind : kinds) {
    const fs::path temp = fs::temp_directory_path() / (std::string("augment-seed") + kind.ext);
    {
      cv::VideoWriter writer(temp.string(), cv::CAP_FFMPEG, kind.fourcc, 10, cv::Size(16, 16));
      for (int f = 0; f < 4; ++f) {
        cv::Mat frame = pattern(16, 16, CV_8UC3);
        frame += cv::Scalar(f * 40, 0, 0);
        writer.write(frame);
      }
    }
    put(dir / kind.name, read(temp), std::string(1, kind.prefix));
    fs::remove(temp);
  }
}

void checkpoints(const fs::path& dir) {
  using namespace augment::trainer;
  const auto architecture = nlohmann::json::parse(R"({"inputs": 3,
    "trunk": [{"type": "dense", "units": 4}, {"type": "relu"}, {"type": "batch_norm"}, {"type": "dropout", "keep": 0.5}],
    "heads": [{"name": "y", "layers": [{"type": "dense", "units": 2}], "loss": "softmax_cross_entropy"}]})");
  auto network = Network<float>::from_json(architecture, 7);
  const std::string file = checkpoint_bytes(network, {{"labels", {"a", "b"}}});
  // Byte 0: bit 0 frames the rest (header \0 data), bit 1 reads as double.
  put(dir / "whole-float.ckpt", file, std::string(1, '\x00'));
  put(dir / "whole-as-double.ckpt", file, std::string(1, '\x02'));
  // The framed form: the header JSON, a NUL, the data (without prefix and checksum).
  std::uint64_t header_length = 0;
  for (int i = 0; i < 8; ++i) header_length |= std::uint64_t(std::uint8_t(file[16 + std::size_t(i)])) << (8 * i);
  const std::string header = file.substr(24, header_length);
  const std::string data = file.substr(24 + header_length, file.size() - 24 - header_length - 8);
  put(dir / "framed.ckpt", header + std::string(1, '\0') + data, std::string(1, '\x01'));
  auto doubled = Network<double>::from_json(architecture, 7);
  put(dir / "whole-double.ckpt", checkpoint_bytes(doubled), std::string(1, '\x02'));
}

}  // namespace

int main(int argc, char** argv) {
  const fs::path root = argc > 1 ? argv[1] : "tests/fuzz/corpus";
  images(root / "image");
  audio(root / "audio");
  videos(root / "video");
  checkpoints(root / "checkpoint");
  return 0;
}
