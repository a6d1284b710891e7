#pragma once
// Shared by the fuzz targets: process-wide limits small enough for a fuzzer's memory budget, a
// scratch file for readers that only take paths, and the abort used when an invariant breaks
// (libFuzzer and the replay driver both report an abort as a finding).
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "augment/core/registry.hpp"

namespace augment::fuzz {

/// Lowers the resource limits once (pixels, samples, record bytes) so that an input that is
/// merely large gives the library's limit error instead of the fuzzer's out-of-memory report.
void use_fuzz_limits();

/// Writes `data` to a file named `name` (e.g. "input.csv") in this process's scratch folder,
/// removed at exit; returns its path. Overwrites the previous input of that name.
std::filesystem::path scratch_file(std::string_view name, const std::uint8_t* data, std::size_t size);
/// A path in the scratch folder, for outputs.
std::filesystem::path scratch_path(std::string_view name);

/// Prints "fuzz invariant broken: WHAT" and aborts.
[[noreturn]] void fail(std::string_view what);

/// The CLI's registry: every module's ops and codecs (tools/cli_common.cpp make_cli_registry);
/// in fuzz_registry.cpp, which links every module.
const Registry& cli_registry();

}  // namespace augment::fuzz
