#pragma once
// "Did you mean" for names a spec gets wrong (an op, a parameter, a key): the known names
// nearest by edit distance, close enough to be a slip rather than another word.
#include <string>
#include <string_view>
#include <vector>

namespace augment {

/// Levenshtein distance (insertions, deletions, substitutions of one byte each).
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidates nearest to `name`, in their order, duplicates dropped: those at the smallest
/// distance, when it is at most `max_distance` and shorter than `name` (so a two-letter slip
/// does not match every two-letter name). Empty when none is that close.
std::vector<std::string> closest_names(std::string_view name, const std::vector<std::string>& candidates,
                                       std::size_t max_distance = 2);

/// "did you mean 'mel'?" or "did you mean 'a' or 'b'?" for the closest names; "" when none.
std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace augment
