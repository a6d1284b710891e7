#include "augment/core/closest_names.hpp"

#include <algorithm>

namespace augment {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::vector<std::string> closest_names(std::string_view name, const std::vector<std::string>& candidates,
                                       std::size_t max_distance) {
  std::vector<std::string> out;
  const std::size_t limit = std::min(max_distance, name.empty() ? 0 : name.size() - 1);
  std::size_t best = limit;
  for (const auto& candidate : candidates) {
    const std::size_t d = edit_distance(name, candidate);
    if (d > best || d == 0) continue;
    if (d < best || out.empty()) {
      best = d;
      out.clear();
    }
    if (std::find(out.begin(), out.end(), candidate) == out.end()) out.push_back(candidate);
  }
  return out;
}

std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates) {
  std::string out;
  for (const auto& c : closest_names(name, candidates)) out += (out.empty() ? "did you mean '" : " or '") + c + "'";
  return out.empty() ? out : out + "?";
}

}  // namespace augment
