// Pipeline specs, read as the CLI reads them (parse_json with the depth limit, then
// Pipeline::from_json over every module's ops). A spec that builds must also round-trip:
// from_json(to_json()) builds and gives the same JSON again (DESIGN.md: spec → pipeline → spec).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "augment/core/error.hpp"
#include "augment/core/json_text.hpp"
#include "augment/core/pipeline.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace augment;
  fuzz::use_fuzz_limits();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  nlohmann::json first;
  try {
    const nlohmann::json spec = parse_json(text, "fuzz.json", JsonSource::spec);
    first = Pipeline::from_json(spec, fuzz::cli_registry()).to_json();
  } catch (const Error&) {
    return 0;
  }
  try {
    const nlohmann::json second = Pipeline::from_json(first, fuzz::cli_registry()).to_json();
    if (second != first) fuzz::fail("to_json of the rebuilt pipeline differs: " + first.dump() + " vs " + second.dump());
  } catch (const Error& e) {
    fuzz::fail(std::string("a pipeline's own to_json does not build again: ") + e.what() + " in " + first.dump());
  }
  return 0;
}
