#pragma once
// What OpenCV was built with, for the header line benchmarks print (its threading shapes the
// baselines' times).
#include <algorithm>
#include <string>

#include <opencv2/core/utility.hpp>

namespace augment::bench {

/// The "Parallel framework:" line of OpenCV's build information, runs of spaces squeezed.
inline std::string opencv_parallel_framework() {
  const std::string info = cv::getBuildInformation();
  const auto at = info.find("Parallel framework:");
  if (at == std::string::npos) return "parallel framework unknown";
  std::string line = info.substr(at, info.find('\n', at) - at);
  line.erase(std::unique(line.begin(), line.end(), [](char a, char b) { return a == ' ' && b == ' '; }), line.end());
  return line;
}

}  // namespace augment::bench
