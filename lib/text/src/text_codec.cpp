#include "augment/text/text_codec.hpp"

#include "augment/core/error.hpp"
#include "augment/core/paths.hpp"
#include "augment/text/utf8.hpp"

namespace augment::text {

Text decode_text(std::string bytes, InvalidUtf8 invalid) {
  constexpr std::string_view bom = "\xEF\xBB\xBF";
  const std::size_t skip = std::string_view(bytes).starts_with(bom) ? bom.size() : 0;
  if (const auto bad = first_invalid_utf8(std::string_view(bytes).substr(skip))) {
    if (invalid == InvalidUtf8::reject)
      throw DataError("invalid UTF-8 at byte " + std::to_string(*bad + skip));
    return Text{repair_utf8(std::string_view(bytes).substr(skip)), {}};
  }
  bytes.erase(0, skip);
  return Text{std::move(bytes), {}};
}

Sample TextCodec::read(const std::filesystem::path& file) const { return read_with_columns(file, {}); }

Sample TextCodec::read_with_columns(const std::filesystem::path& file, const Columns& columns) const {
  Text text;
  try {
    const std::vector<std::uint8_t> bytes = read_file_bytes(file, "a text file", "record_bytes");
    text = decode_text(std::string(bytes.begin(), bytes.end()), invalid_);
  } catch (const DataError& e) {
    throw DataError(file.string() + ": " + e.what());
  }
  for (const auto& [name, value] : columns)
    if (name == "language") text.language = value;
  return make_sample(std::move(text));
}

void TextCodec::write(const Sample& sample, const std::string&, std::ostream& out) const {
  const std::string bytes = sample.kind() == Kind::tokens ? tokens_of(sample).join() : text_of(sample).utf8;
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw DataError("cannot write the text");
}

}  // namespace augment::text
