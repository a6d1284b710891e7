#include "augment/core/paths.hpp"

#include "augment/core/error.hpp"

namespace augment {

void refuse_same_file(const std::filesystem::path& kept, const std::filesystem::path& output, const std::string& what) {
  std::error_code ec;
  const bool same = std::filesystem::equivalent(kept, output, ec) ||
                    std::filesystem::weakly_canonical(kept, ec) == std::filesystem::weakly_canonical(output, ec);
  if (same) throw UsageError(output.string() + ": " + what);
}

}  // namespace augment
