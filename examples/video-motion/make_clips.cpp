// Synthetic clips for examples/video-motion: a bright square moving left, right, up or down
// over a still, textured background, written as MJPEG AVI files in class folders:
//   make-moving-squares OUTPUT_DIR [TRAIN_PER_CLASS [TEST_PER_CLASS]]
// gives OUTPUT_DIR/{train,test}/{left,right,up,down}/clip-NNNN.avi (defaults 60 and 40).
// Every clip is 12 frames of 32×32 BGR at 10 fps. The square's start, size (5–9 px), speed
// (1–2 px a frame) and brightness, and the background, are drawn from a seeded generator, so
// the same command writes the same bytes. Only the direction of motion tells the classes apart:
// a single frame says nothing, as a clip classifier must learn.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <string>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

namespace {

constexpr int kSize = 32, kFrames = 12;
const char* const kClasses[] = {"left", "right", "up", "down"};

// Integers in [lo, hi] from the raw generator output: the same on every standard library
// (std::uniform_int_distribution's algorithm is not specified).
int draw(std::mt19937_64& rng, int lo, int hi) {
  return lo + static_cast<int>(rng() % static_cast<std::uint64_t>(hi - lo + 1));
}

void write_clip(const std::filesystem::path& path, int direction, std::mt19937_64& rng) {
  cv::Mat background(kSize, kSize, CV_8UC3);
  for (int y = 0; y < kSize; ++y)
    for (int x = 0; x < kSize; ++x) {
      const auto level = static_cast<unsigned char>(draw(rng, 20, 90));
      background.at<cv::Vec3b>(y, x) = {level, static_cast<unsigned char>(level / 2 + 10), level};
    }
  cv::GaussianBlur(background, background, {3, 3}, 0);
  const int side = draw(rng, 5, 9), speed = draw(rng, 1, 2);
  const int travel = speed * (kFrames - 1);
  const cv::Scalar colour(draw(rng, 170, 255), draw(rng, 170, 255), draw(rng, 170, 255));
  // Start where the whole path stays inside the frame.
  const int dx = direction == 0 ? -speed : direction == 1 ? speed : 0;
  const int dy = direction == 2 ? -speed : direction == 3 ? speed : 0;
  const int x0 = dx < 0 ? draw(rng, travel, kSize - side) : dx > 0 ? draw(rng, 0, kSize - side - travel) : draw(rng, 0, kSize - side);
  const int y0 = dy < 0 ? draw(rng, travel, kSize - side) : dy > 0 ? draw(rng, 0, kSize - side - travel) : draw(rng, 0, kSize - side);

  cv::VideoWriter writer(path.string(), cv::CAP_OPENCV_MJPEG, cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 10.0,
                         {kSize, kSize}, true);
  if (!writer.isOpened()) throw std::runtime_error(path.string() + ": cannot write");
  for (int t = 0; t < kFrames; ++t) {
    cv::Mat frame = background.clone();
    const int x = x0 + dx * t, y = y0 + dy * t;
    cv::rectangle(frame, {x, y, side, side}, colour, cv::FILLED);
    writer.write(frame);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 4) {
    std::fprintf(stderr, "usage: make-moving-squares OUTPUT_DIR [TRAIN_PER_CLASS [TEST_PER_CLASS]]\n");
    return 2;
  }
  const std::filesystem::path out = argv[1];
  const int per_split[] = {argc > 2 ? std::stoi(argv[2]) : 60, argc > 3 ? std::stoi(argv[3]) : 40};
  const char* const splits[] = {"train", "test"};
  try {
    for (int s = 0; s < 2; ++s) {
      std::mt19937_64 rng(1000 + static_cast<std::uint64_t>(s));  // the test clips are other draws
      for (int i = 0; i < per_split[s]; ++i)
        for (int c = 0; c < 4; ++c) {
          const auto folder = out / splits[s] / kClasses[c];
          std::filesystem::create_directories(folder);
          char name[32];
          std::snprintf(name, sizeof name, "clip-%04d.avi", i);
          write_clip(folder / name, c, rng);
        }
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "make-moving-squares: %s\n", e.what());
    return 1;
  }
  return 0;
}
