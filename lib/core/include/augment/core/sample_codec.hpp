#pragma once
// How a media module reads and writes its samples as files. The dataset runner walks a folder,
// picks the files a codec of the pipeline's kind accepts (by extension), reads each into a
// Sample, runs the pipeline and writes the result through the same codec.
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "augment/core/kind.hpp"
#include "augment/core/sample.hpp"

namespace augment {

class SampleCodec {
 public:
  virtual ~SampleCodec() = default;
  virtual Kind kind() const = 0;
  /// File extensions it reads, lower case with the dot (".png").
  virtual std::vector<std::string> extensions() const = 0;
  /// Reads one file; throws DataError "PATH: reason" when it is unreadable, corrupt, empty or
  /// not of this kind.
  virtual Sample read(const std::filesystem::path& file) const = 0;
  /// The extension an output gets when its source had `source_extension` (the same, by default).
  virtual std::string output_extension(const std::string& source_extension) const { return source_extension; }
  /// Encodes `sample` in the format of `extension` onto `out`; throws DataError on failure.
  virtual void write(const Sample& sample, const std::string& extension, std::ostream& out) const = 0;
  /// Called once before a parallel run (e.g. to turn a library's own threading off inside workers).
  virtual void prepare_parallel_run() const {}
};

}  // namespace augment
