#pragma once
// Private: ICU break iterators over UTF-8 text, one per thread and locale (creating one loads
// rule data, far dearer than a clone or reuse).
#include <memory>
#include <string>
#include <string_view>

#include <unicode/brkiter.h>
#include <unicode/utext.h>

namespace augment::text::detail {

enum class BreakKind { character, word };

/// This thread's iterator of `kind` for `locale` ("" = root), already set on `utf8` (byte
/// offsets). The text must stay alive while the iterator is used, and must be valid UTF-8.
icu::BreakIterator& break_iterator(BreakKind kind, const std::string& locale, std::string_view utf8);

}  // namespace augment::text::detail
