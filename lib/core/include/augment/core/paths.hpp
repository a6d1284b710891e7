#pragma once
#include <filesystem>
#include <string>

namespace augment {

/// Throws UsageError "OUTPUT: <what>" when `output` names the same file as `kept` (the same
/// inode, or the same path once normalized, for files that do not exist yet): inputs are never
/// overwritten, and two outputs never share a file.
void refuse_same_file(const std::filesystem::path& kept, const std::filesystem::path& output, const std::string& what);

}  // namespace augment
