#pragma once
// How a media module reads and writes its samples as files. The dataset runner walks a folder,
// picks the files a codec of the pipeline's kind accepts (by extension), reads each into a
// Sample, runs the pipeline and writes the result through the same codec.
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "augment/core/atomic_file.hpp"
#include "augment/core/kind.hpp"
#include "augment/core/sample.hpp"

namespace augment {

/// The other columns of a manifest row, by name: what a dataset says of a sample besides its
/// path (labels, an image's boxes and keypoints).
using Columns = std::vector<std::pair<std::string, std::string>>;

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
  /// Finishes work the sample deferred (an image's pending geometry) once, before write(),
  /// output_columns() and write_companions() read it.
  virtual void settle(Sample& /*sample*/) const {}
  /// Encodes `sample` in the format of `extension` onto `out`; throws DataError on failure.
  virtual void write(const Sample& sample, const std::string& extension, std::ostream& out) const = 0;
  /// Encodes `sample` as the file `output` (its bytes go to `out`, which renames onto `output`
  /// once done): write(), unless the codec names files beside the output inside it (a video's
  /// frames manifest lists `<stem>/f000010.png`). The runner calls this one.
  virtual void write_as(const Sample& sample, const std::string& extension, const std::filesystem::path& /*output*/,
                        std::ostream& out) const {
    write(sample, extension, out);
  }
  /// Reads one file with what its manifest row says of it (an image's boxes and keypoints, its
  /// mask beside it); by default the file alone. Throws DataError like read().
  virtual Sample read_with_columns(const std::filesystem::path& file, const Columns& /*columns*/) const {
    return read(file);
  }
  /// Files that belong to another sample (an image's mask beside it): the folder walk skips them.
  virtual bool is_companion(const std::filesystem::path& /*file*/) const { return false; }
  /// Columns whose values the sample now has, for the output manifest (moved boxes...); those
  /// the input manifest also has replace its values.
  virtual Columns output_columns(const Sample& /*sample*/) const { return {}; }
  /// Writes the files that go with an output written at `output` (its mask), atomically. The
  /// runner calls it before the output itself takes its final name, so an output that exists
  /// has all its companions.
  virtual void write_companions(const Sample& /*sample*/, const std::filesystem::path& /*output*/,
                                Durability /*durability*/) const {}
  /// Called once before a parallel run (e.g. to turn a library's own threading off inside workers).
  virtual void prepare_parallel_run() const {}
  /// What makes the samples this codec reads differ from its default reading (an image codec
  /// that decodes JPEGs at reduced size), or empty. The dataset runner keeps it with a run's
  /// settings, so --resume never mixes outputs read two ways.
  virtual std::string read_settings() const { return {}; }
};

}  // namespace augment
