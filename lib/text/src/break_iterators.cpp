#include "break_iterators.hpp"

#include <map>
#include <utility>

#include <unicode/locid.h>

#include "augment/core/error.hpp"

namespace augment::text::detail {
namespace {

struct UTextCloser {
  void operator()(UText* t) const { utext_close(t); }
};

struct Entry {
  std::unique_ptr<icu::BreakIterator> iterator;
  std::unique_ptr<UText, UTextCloser> text;
};

}  // namespace

icu::BreakIterator& break_iterator(BreakKind kind, const std::string& locale, std::string_view utf8) {
  thread_local std::map<std::pair<BreakKind, std::string>, Entry> cache;
  Entry& entry = cache[{kind, locale}];
  UErrorCode status = U_ZERO_ERROR;
  if (!entry.iterator) {
    const icu::Locale loc = locale.empty() ? icu::Locale::getRoot() : icu::Locale(locale.c_str());
    entry.iterator.reset(kind == BreakKind::character ? icu::BreakIterator::createCharacterInstance(loc, status)
                                                      : icu::BreakIterator::createWordInstance(loc, status));
    if (U_FAILURE(status) || !entry.iterator)
      throw Error(std::string("ICU: cannot create a break iterator: ") + u_errorName(status));
  }
  // utext_openUTF8 reuses the UText it is given; its native indexes are byte offsets.
  UText* t = utext_openUTF8(entry.text.release(), utf8.data(), static_cast<int64_t>(utf8.size()), &status);
  entry.text.reset(t);
  if (U_FAILURE(status)) throw Error(std::string("ICU: cannot open text: ") + u_errorName(status));
  entry.iterator->setText(t, status);
  if (U_FAILURE(status)) throw Error(std::string("ICU: cannot set break text: ") + u_errorName(status));
  return *entry.iterator;
}

}  // namespace augment::text::detail
