// Feature tables (lib/features feature_table.hpp) as `augment run` and `augment fit` read them:
// the bytes become a CSV file whose feature columns are auto-detected from the first data row.
// Byte 0 picks the pipeline: noise only, or a fitted standardize then noise.
#include <cstddef>
#include <cstdint>

#include "augment/core/error.hpp"
#include "augment/core/pipeline.hpp"
#include "augment/features/feature_table.hpp"
#include "augment/features/register_transforms.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace augment;
  fuzz::use_fuzz_limits();
  if (size < 1) return 0;
  const bool fitted = (data[0] & 1) != 0;
  const auto input = fuzz::scratch_file("table.csv", data + 1, size - 1);
  const auto output = fuzz::scratch_path("table.out.csv");
  const nlohmann::json spec = fitted
      ? nlohmann::json::parse(R"({"kind": "features", "stages": [{"op": "standardize"}, {"op": "gaussian_noise"}]})")
      : nlohmann::json::parse(R"({"kind": "features", "stages": [{"op": "gaussian_noise", "sigma": [0, 1]}]})");
  static const Registry registry = make_registry({features::register_transforms});
  try {
    Pipeline pipeline = Pipeline::from_json(spec, registry);
    features::RunOptions options;
    options.jobs = 1;
    options.copies = 2;
    options.on_error = [](const std::string&) {};
    if (fitted) features::fit_table(pipeline, input, options);
    features::run_table(pipeline, input, output, options);
  } catch (const Error&) {
  }
  return 0;
}
