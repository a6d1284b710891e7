#include "augment/text/graphemes.hpp"

#include "augment/text/utf8.hpp"
#include "break_iterators.hpp"

namespace augment::text {

std::vector<std::string_view> grapheme_clusters(std::string_view utf8) {
  require_utf8(utf8, "graphemes");
  std::vector<std::string_view> out;
  if (utf8.empty()) return out;
  icu::BreakIterator& it = detail::break_iterator(detail::BreakKind::character, "", utf8);
  std::int32_t start = it.first();
  for (std::int32_t end = it.next(); end != icu::BreakIterator::DONE; start = end, end = it.next())
    out.push_back(utf8.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(end - start)));
  return out;
}

std::size_t grapheme_count(std::string_view utf8) {
  require_utf8(utf8, "graphemes");
  if (utf8.empty()) return 0;
  icu::BreakIterator& it = detail::break_iterator(detail::BreakKind::character, "", utf8);
  std::size_t n = 0;
  it.first();
  while (it.next() != icu::BreakIterator::DONE) ++n;
  return n;
}

}  // namespace augment::text
