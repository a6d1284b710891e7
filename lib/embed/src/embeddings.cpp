#include "augment/embed/embeddings.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "augment/core/error.hpp"
#include "vector_math.hpp"

namespace augment::embed {
namespace {

bool is_ascii_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'; }

std::string shown(std::string_view word) { return "'" + std::string(word.substr(0, 60)) + (word.size() > 60 ? "...'" : "'"); }

/// The k best of scores over indices [0, limit), best first; equal scores keep the lower index
/// (the more frequent word), since indices arrive in increasing order and only a strictly
/// better score displaces a kept one.
template <class ScoreOf>
std::vector<std::pair<double, std::size_t>> top_k(std::size_t limit, std::size_t k, const std::vector<std::size_t>& exclude,
                                                  ScoreOf score_of) {
  std::vector<std::pair<double, std::size_t>> best;
  if (k == 0) return best;
  best.reserve(k + 1);
  for (std::size_t i = 0; i < limit; ++i) {
    const double score = score_of(i);
    if (best.size() == k && !(score > best.back().first)) continue;
    // Checked only for candidates that would enter the list: rare once it is full.
    if (std::find(exclude.begin(), exclude.end(), i) != exclude.end()) continue;
    auto at = std::upper_bound(best.begin(), best.end(), score,
                               [](double s, const std::pair<double, std::size_t>& kept) { return s > kept.first; });
    best.insert(at, {score, i});
    if (best.size() > k) best.pop_back();
  }
  return best;
}

}  // namespace

Embeddings::Embeddings(std::vector<std::string> words, std::size_t dims, std::vector<float> vectors)
    : words_(std::move(words)), dims_(dims), vectors_(std::move(vectors)) {
  if (!words_.empty() && dims_ == 0) throw UsageError("Embeddings: dims must be > 0");
  if (vectors_.size() != words_.size() * dims_)
    throw UsageError("Embeddings: " + std::to_string(words_.size()) + " words of " + std::to_string(dims_) +
                     " dims need " + std::to_string(words_.size() * dims_) + " values, got " +
                     std::to_string(vectors_.size()));
  index_.reserve(words_.size());
  for (std::size_t i = 0; i < words_.size(); ++i) {
    const std::string& word = words_[i];
    if (word.empty()) throw UsageError("Embeddings: word " + std::to_string(i + 1) + " is empty");
    if (std::any_of(word.begin(), word.end(), is_ascii_space))
      throw UsageError("Embeddings: word " + std::to_string(i + 1) + " " + shown(word) + " contains whitespace");
    const auto [at, added] = index_.emplace(word, i);
    if (!added)
      throw UsageError("Embeddings: word " + shown(word) + " appears twice (words " + std::to_string(at->second + 1) +
                       " and " + std::to_string(i + 1) + ")");
  }
  unit_vectors_.resize(vectors_.size());
  for (std::size_t i = 0; i < words_.size(); ++i) {
    const float* row = vectors_.data() + i * dims_;
    double squares = 0;
    for (std::size_t j = 0; j < dims_; ++j) {
      if (!std::isfinite(row[j]))
        throw UsageError("Embeddings: word " + shown(words_[i]) + " has a non-finite value");
      squares += static_cast<double>(row[j]) * row[j];
    }
    if (squares == 0) continue;  // a zero row stays zero: similar to nothing
    const double inverse_norm = 1.0 / std::sqrt(squares);
    for (std::size_t j = 0; j < dims_; ++j)
      unit_vectors_[i * dims_ + j] = static_cast<float>(row[j] * inverse_norm);
  }
}

std::span<const float> Embeddings::vector(std::size_t index) const {
  if (index >= words_.size())
    throw UsageError("Embeddings: index " + std::to_string(index) + " out of range (" + std::to_string(words_.size()) +
                     " words)");
  return {vectors_.data() + index * dims_, dims_};
}

std::size_t Embeddings::find(std::string_view word) const {
  const auto at = index_.find(word);
  return at == index_.end() ? npos : at->second;
}

std::vector<Neighbour> Embeddings::nearest(std::string_view word, std::size_t k) const {
  const std::size_t index = find(word);
  if (index == npos) throw UsageError("nearest: " + shown(word) + " is not in the vocabulary");
  return nearest(std::span<const float>(unit_vectors_.data() + index * dims_, dims_), k, {index});
}

std::vector<Neighbour> Embeddings::nearest(std::span<const float> vector, std::size_t k,
                                           const std::vector<std::size_t>& exclude) const {
  if (vector.size() != dims_)
    throw UsageError("nearest: the vector has " + std::to_string(vector.size()) + " values, the embeddings " +
                     std::to_string(dims_) + " dims");
  double squares = 0;
  for (float v : vector) squares += static_cast<double>(v) * v;
  std::vector<float> query(dims_, 0.0f);
  if (squares > 0) {
    const double inverse_norm = 1.0 / std::sqrt(squares);
    for (std::size_t j = 0; j < dims_; ++j) query[j] = static_cast<float>(vector[j] * inverse_norm);
  }
  const float* units = unit_vectors_.data();
  const auto best = top_k(words_.size(), k, exclude,
                          [&](std::size_t i) { return detail::dot(units + i * dims_, query.data(), dims_); });
  std::vector<Neighbour> out;
  out.reserve(best.size());
  for (const auto& [score, i] : best) out.push_back({words_[i], score});
  return out;
}

std::vector<Neighbour> Embeddings::analogy(std::string_view a, std::string_view b, std::string_view c, std::size_t k,
                                           AnalogyMethod method) const {
  std::size_t index[3];
  const std::string_view words[3] = {a, b, c};
  for (int i = 0; i < 3; ++i) {
    index[i] = find(words[i]);
    if (index[i] == npos) throw UsageError("analogy: " + shown(words[i]) + " is not in the vocabulary");
  }
  return analogy(index[0], index[1], index[2], k, method);
}

std::vector<Neighbour> Embeddings::analogy(std::size_t a, std::size_t b, std::size_t c, std::size_t k,
                                           AnalogyMethod method, std::size_t candidates) const {
  for (std::size_t i : {a, b, c})
    if (i >= words_.size()) throw UsageError("analogy: word index " + std::to_string(i) + " out of range");
  const std::size_t limit = candidates == 0 ? words_.size() : std::min(candidates, words_.size());
  const std::vector<std::size_t> exclude = {a, b, c};
  const float* units = unit_vectors_.data();
  const float* ua = units + a * dims_;
  const float* ub = units + b * dims_;
  const float* uc = units + c * dims_;
  std::vector<std::pair<double, std::size_t>> best;
  if (method == AnalogyMethod::add) {
    std::vector<float> target(dims_);
    double squares = 0;
    for (std::size_t j = 0; j < dims_; ++j) {
      target[j] = ub[j] - ua[j] + uc[j];
      squares += static_cast<double>(target[j]) * target[j];
    }
    if (squares > 0) {
      const double inverse_norm = 1.0 / std::sqrt(squares);
      for (float& v : target) v = static_cast<float>(v * inverse_norm);
    }
    best = top_k(limit, k, exclude, [&](std::size_t i) { return detail::dot(units + i * dims_, target.data(), dims_); });
  } else {
    constexpr double epsilon = 1e-3;  // Levy & Goldberg (2014), keeps a near −1 cosine from dividing by 0
    best = top_k(limit, k, exclude, [&](std::size_t i) {
      const float* d = units + i * dims_;
      const double to_a = (1.0 + detail::dot(d, ua, dims_)) / 2;
      const double to_b = (1.0 + detail::dot(d, ub, dims_)) / 2;
      const double to_c = (1.0 + detail::dot(d, uc, dims_)) / 2;
      return to_b * to_c / (to_a + epsilon);
    });
  }
  std::vector<Neighbour> out;
  out.reserve(best.size());
  for (const auto& [score, i] : best) out.push_back({words_[i], score});
  return out;
}

}  // namespace augment::embed
