#include <doctest/doctest.h>

#include "augment/core/kind.hpp"

TEST_CASE("kind names round-trip and unknown names are rejected") {
  for (augment::Kind k : augment::all_kinds()) CHECK(augment::parse_kind(augment::to_string(k)) == k);
  CHECK(augment::all_kinds().size() == 8);
  CHECK(augment::to_string(augment::Kind::spectrogram) == "spectrogram");
  CHECK_FALSE(augment::parse_kind("Features").has_value());
  CHECK_FALSE(augment::parse_kind("").has_value());
}
