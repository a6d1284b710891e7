#pragma once
// Reading and writing text files: one .txt file is one Text sample.
//
// Reading takes the file's bytes as they are (no newline conversion, no trimming) after two
// checks: a leading UTF-8 byte-order mark (EF BB BF) is dropped — it marks the encoding, it is
// not text, and ops would otherwise see U+FEFF as a first character — and the rest must be valid
// UTF-8 (utf8.hpp), else a DataError "PATH: invalid UTF-8 at byte N", N counted in the file
// (BOM included). A codec made with InvalidUtf8::repair instead replaces each ill-formed
// sequence by U+FFFD; the registered codec rejects. An empty file (or a lone BOM) is a valid,
// empty Text: an empty document is text, unlike an empty image, and the ops all take it.
//
// Text::language comes from a manifest column `language` when there is one, else it is empty.
//
// Writing writes Text::utf8 byte for byte, without a BOM. write() also takes a Tokens sample
// and writes its pieces joined; the codec is registered for Kind::text only, so a pipeline run
// over files ends with `join`.
#include <filesystem>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "augment/core/sample_codec.hpp"
#include "augment/text/text.hpp"

namespace augment::text {

enum class InvalidUtf8 { reject, repair };

/// A Text from a file's bytes, BOM dropped, checked as above. Throws DataError with the bare
/// reason ("invalid UTF-8 at byte N").
Text decode_text(std::string bytes, InvalidUtf8 invalid = InvalidUtf8::reject);

class TextCodec final : public SampleCodec {
 public:
  explicit TextCodec(InvalidUtf8 invalid = InvalidUtf8::reject) : invalid_(invalid) {}
  Kind kind() const override { return Kind::text; }
  /// .txt
  std::vector<std::string> extensions() const override { return {".txt"}; }
  Sample read(const std::filesystem::path& file) const override;
  /// read(), with Text::language from the column `language` when the row has one.
  Sample read_with_columns(const std::filesystem::path& file, const Columns& columns) const override;
  /// Writes a Text's (or a Tokens' joined) bytes; `extension` is not looked at.
  void write(const Sample& sample, const std::string& extension, std::ostream& out) const override;

 private:
  InvalidUtf8 invalid_;
};

}  // namespace augment::text
