// read_corpus: a text file → word ids, one sentence per line.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "augment/core/error.hpp"
#include "augment/embed/word2vec.hpp"
#include "augment/text/tokenize.hpp"
#include "augment/text/utf8.hpp"
#include "augment/text/normalize.hpp"

namespace augment::embed {
namespace {

constexpr std::size_t kMaxSentence = 10'000;  // longer lines are cut (word2vec.c cuts at 1,000)

struct WordHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view word) const { return std::hash<std::string_view>{}(word); }
};

std::string read_whole(const std::filesystem::path& file) {
  errno = 0;
  std::ifstream in(file, std::ios::binary);
  if (!in) throw DataError(file.string() + ": cannot read: " + (errno ? std::strerror(errno) : "cannot open"));
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw DataError(file.string() + ": cannot read");
  return bytes;
}

}  // namespace

Corpus read_corpus(const std::filesystem::path& file, const Word2VecOptions& options) {
  const std::string where = file.string();
  std::string bytes = read_whole(file);
  if (bytes.starts_with("\xEF\xBB\xBF")) bytes.erase(0, 3);  // a BOM is not text
  if (const auto bad = text::first_invalid_utf8(bytes))
    throw DataError(where + ": invalid UTF-8 at byte " + std::to_string(*bad));

  // First pass: every word gets a provisional id in order of first appearance.
  std::unordered_map<std::string, std::uint32_t, WordHash, std::equal_to<>> provisional;
  std::vector<std::string> seen_words;
  std::vector<std::uint64_t> seen_counts;
  std::vector<std::uint32_t> tokens;
  std::vector<std::size_t> line_ends;  // into tokens
  for (std::size_t start = 0; start < bytes.size();) {
    std::size_t end = bytes.find('\n', start);
    if (end == std::string::npos) end = bytes.size();
    const std::string_view line(bytes.data() + start, end - start);
    start = end + 1;
    if (line.empty()) continue;
    for (const text::Token& piece : text::tokenize(line).pieces) {
      if (!piece.is_word) continue;
      const std::string word = options.lowercase ? text::lower_case(piece.text) : piece.text;
      auto at = provisional.find(word);
      if (at == provisional.end()) {
        at = provisional.emplace(word, static_cast<std::uint32_t>(seen_words.size())).first;
        seen_words.push_back(word);
        seen_counts.push_back(0);
      }
      ++seen_counts[at->second];
      tokens.push_back(at->second);
    }
    if (line_ends.empty() ? !tokens.empty() : line_ends.back() != tokens.size()) line_ends.push_back(tokens.size());
  }
  if (tokens.empty()) throw DataError(where + ": the corpus holds no words");

  // The vocabulary: words seen at least min_count times, most frequent first, ties by bytes.
  const std::uint64_t min_count = std::max<std::size_t>(options.min_count, 1);
  std::vector<std::uint32_t> order;
  for (std::uint32_t i = 0; i < seen_words.size(); ++i)
    if (seen_counts[i] >= min_count) order.push_back(i);
  if (order.empty())
    throw DataError(where + ": no word occurs min_count (" + std::to_string(min_count) + ") times");
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return seen_counts[a] != seen_counts[b] ? seen_counts[a] > seen_counts[b] : seen_words[a] < seen_words[b];
  });
  constexpr std::uint32_t dropped = static_cast<std::uint32_t>(-1);
  std::vector<std::uint32_t> final_id(seen_words.size(), dropped);
  Corpus corpus;
  corpus.tokens_read = tokens.size();
  corpus.words.reserve(order.size());
  corpus.counts.reserve(order.size());
  for (std::uint32_t rank = 0; rank < order.size(); ++rank) {
    final_id[order[rank]] = rank;
    corpus.words.push_back(std::move(seen_words[order[rank]]));
    corpus.counts.push_back(seen_counts[order[rank]]);
  }

  // Sentences of kept words: one per line, cut every kMaxSentence words; empty ones dropped.
  std::size_t line_start = 0;
  for (std::size_t line_end : line_ends) {
    std::size_t in_sentence = 0;
    for (std::size_t t = line_start; t < line_end; ++t) {
      const std::uint32_t id = final_id[tokens[t]];
      if (id == dropped) continue;
      if (in_sentence == 0 || in_sentence == kMaxSentence) {
        corpus.sentence_starts.push_back(corpus.ids.size());
        in_sentence = 0;
      }
      corpus.ids.push_back(id);
      ++in_sentence;
    }
    line_start = line_end;
  }
  return corpus;
}

}  // namespace augment::embed
