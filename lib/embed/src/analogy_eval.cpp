#include "augment/embed/analogy_eval.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <functional>
#include <string_view>
#include <unordered_map>

#include "augment/core/error.hpp"
#include "augment/text/normalize.hpp"

namespace augment::embed {
namespace {

struct Question {
  std::size_t section = 0;
  std::array<std::string, 4> words;  // a b c d, folded when lower-casing
  std::array<std::size_t, 4> index{};
};

struct WordHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view word) const { return std::hash<std::string_view>{}(word); }
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

std::vector<std::string_view> split(std::string_view line) {
  std::vector<std::string_view> fields;
  for (std::size_t i = 0; i < line.size();) {
    while (i < line.size() && is_space(line[i])) ++i;
    const std::size_t start = i;
    while (i < line.size() && !is_space(line[i])) ++i;
    if (i > start) fields.push_back(line.substr(start, i - start));
  }
  return fields;
}

}  // namespace

AnalogyReport evaluate_analogies(const Embeddings& vectors, const std::filesystem::path& questions,
                                 AnalogyMethod method, std::size_t restrict_vocab, bool lowercase) {
  const std::string where = questions.string();
  errno = 0;
  std::ifstream in(questions, std::ios::binary);
  if (!in) throw DataError(where + ": cannot read: " + (errno ? std::strerror(errno) : "cannot open"));
  auto fold = [&](std::string_view word) { return lowercase ? text::lower_case(word) : std::string(word); };

  AnalogyReport report;
  std::vector<Question> asked;
  std::string line;
  for (std::size_t line_number = 1; std::getline(in, line); ++line_number) {
    const std::string at = where + ":" + std::to_string(line_number) + ": ";
    const auto fields = split(line);
    if (fields.empty()) continue;
    if (fields[0].starts_with(':')) {
      std::string_view name = std::string_view(line).substr(line.find(':') + 1);
      while (!name.empty() && is_space(name.front())) name.remove_prefix(1);
      while (!name.empty() && is_space(name.back())) name.remove_suffix(1);
      report.sections.push_back({.name = std::string(name)});
      continue;
    }
    if (fields.size() != 4)
      throw DataError(at + "expected four words 'a b c d' or a ': section' line, got " + std::to_string(fields.size()) +
                      " words");
    if (report.sections.empty()) throw DataError(at + "a question before the first ': section' line");
    Question q;
    q.section = report.sections.size() - 1;
    for (std::size_t i = 0; i < 4; ++i) q.words[i] = fold(fields[i]);
    asked.push_back(std::move(q));
  }
  if (in.bad()) throw DataError(where + ": cannot read");

  // The candidates: the `restrict_vocab` most frequent words; a folded form names its most
  // frequent spelling (as gensim's case_insensitive lookup).
  const std::size_t limit = restrict_vocab ? std::min(restrict_vocab, vectors.size()) : vectors.size();
  std::unordered_map<std::string, std::size_t, WordHash, std::equal_to<>> lookup;
  lookup.reserve(limit);
  for (std::size_t i = 0; i < limit; ++i) lookup.emplace(fold(vectors.words()[i]), i);

  std::vector<Question> known;
  for (Question& q : asked) {
    bool all_known = true;
    for (std::size_t i = 0; i < 4; ++i) {
      const auto found = lookup.find(q.words[i]);
      if (found == lookup.end()) {
        all_known = false;
        break;
      }
      q.index[i] = found->second;
    }
    if (all_known)
      known.push_back(std::move(q));
    else
      ++report.sections[q.section].skipped;
  }

  // Each question scans the whole vocabulary; they are independent, so they run in parallel
  // and the result does not depend on the thread count.
  std::vector<char> right(known.size(), 0);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, known.size()), [&](const tbb::blocked_range<std::size_t>& range) {
    for (std::size_t n = range.begin(); n != range.end(); ++n) {
      const Question& q = known[n];
      // A few spare answers: another spelling of a question word (Paris for paris) is passed
      // over, as gensim does.
      for (const Neighbour& answer : vectors.analogy(q.index[0], q.index[1], q.index[2], 8, method, limit)) {
        const std::string folded = fold(answer.word);
        if (folded == q.words[0] || folded == q.words[1] || folded == q.words[2]) continue;
        right[n] = folded == q.words[3];
        break;
      }
    }
  });
  for (std::size_t n = 0; n < known.size(); ++n) {
    SectionScore& section = report.sections[known[n].section];
    ++section.asked;
    section.correct += right[n] ? 1 : 0;
  }
  report.total.name = "total";
  for (const SectionScore& s : report.sections) {
    report.total.correct += s.correct;
    report.total.asked += s.asked;
    report.total.skipped += s.skipped;
  }
  return report;
}

}  // namespace augment::embed
