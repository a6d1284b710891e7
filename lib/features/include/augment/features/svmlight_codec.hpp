#pragma once
// Feature vectors as files, for datasets whose pipelines end in features (a text's bag of words,
// one file per source): one line in the svmlight / LIBSVM format without a label,
//   "3:0.5 17:2 104:0.25\n"
// indices 1-based and increasing, only the non-zero values, each value the shortest text that
// reads back to the same double. Sparse, because such vectors are (a vocabulary of thousands,
// a few dozen words present). The label svmlight puts first is left out (the labels live in the
// run's manifest); `paste -d' ' labels.txt *.svm` makes a file scikit-learn's load_svmlight_file
// reads with zero_based=False. Reading gives a dense vector as long as the largest index (the file does not
// record trailing zeros); a malformed pair, an index out of order or a non-finite value is a
// DataError "PATH: reason".
#include <string>
#include <vector>

#include "augment/core/sample_codec.hpp"

namespace augment::features {

class SvmlightCodec final : public SampleCodec {
 public:
  Kind kind() const override { return Kind::features; }
  /// .svm
  std::vector<std::string> extensions() const override { return {".svm"}; }
  Sample read(const std::filesystem::path& file) const override;
  void write(const Sample& sample, const std::string& extension, std::ostream& out) const override;
};

/// The line write() writes (with its newline).
std::string to_svmlight(const std::vector<double>& values);
/// Parses one line; throws DataError with the bare reason.
std::vector<double> from_svmlight(std::string_view line);

}  // namespace augment::features
