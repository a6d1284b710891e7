#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace augment {

/// Throws UsageError "OUTPUT: <what>" when `output` names the same file as `kept` (the same
/// inode, or the same path once normalized, for files that do not exist yet): inputs are never
/// overwritten, and two outputs never share a file.
void refuse_same_file(const std::filesystem::path& kept, const std::filesystem::path& output, const std::string& what);

/// `text` with ASCII letters lower-cased (extensions, format names).
std::string ascii_lower(std::string text);

/// Lower-cased extension with the dot (".JPG" → ".jpg").
std::string lower_extension(const std::filesystem::path& file);

/// The whole file. Throws DataError with the bare reason ("no such file", "is a directory, not
/// <what>", "not a regular file", "cannot open: ...", "read error: ...", or over the limit named
/// `size_limit` (a Limits name, e.g. "record_bytes"; empty: no limit)); the caller adds the path.
std::vector<std::uint8_t> read_file_bytes(const std::filesystem::path& file, std::string_view what,
                                          std::string_view size_limit = {});

}  // namespace augment
