#include "augment/core/paths.hpp"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "augment/core/error.hpp"
#include "augment/core/limits.hpp"

namespace augment {

void refuse_same_file(const std::filesystem::path& kept, const std::filesystem::path& output, const std::string& what) {
  std::error_code ec;
  const bool same = std::filesystem::equivalent(kept, output, ec) ||
                    std::filesystem::weakly_canonical(kept, ec) == std::filesystem::weakly_canonical(output, ec);
  if (same) throw UsageError(output.string() + ": " + what);
}

std::string ascii_lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string lower_extension(const std::filesystem::path& file) { return ascii_lower(file.extension().string()); }

std::vector<std::uint8_t> read_file_bytes(const std::filesystem::path& file, std::string_view what,
                                          std::string_view size_limit) {
  std::error_code ec;
  const std::filesystem::file_status status = std::filesystem::status(file, ec);
  if (status.type() == std::filesystem::file_type::not_found) throw DataError("no such file");
  if (std::filesystem::is_directory(status)) throw DataError("is a directory, not " + std::string(what));
  // A FIFO, a device or a socket has no size to read up to (/dev/zero never ends).
  if (!std::filesystem::is_regular_file(status)) throw DataError("not a regular file, not " + std::string(what));
  if (!size_limit.empty()) check_limit(size_limit, std::filesystem::file_size(file, ec), "file size in bytes");
  std::ifstream in(file, std::ios::binary);
  if (!in) throw DataError(std::string("cannot open: ") + std::strerror(errno));
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  in.seekg(0, std::ios::beg);
  if (size < 0) throw DataError("cannot read the file size");
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size));
  in.read(reinterpret_cast<char*>(bytes.data()), size);
  if (in.gcount() != size) throw DataError(std::string("read error: ") + std::strerror(errno));
  return bytes;
}

}  // namespace augment
