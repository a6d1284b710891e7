#pragma once
// Records of text with labels, read whole: what a trainer learns from (one sample per record).
// The records are those run_text_records reads (text_records.hpp: CSV with a text column, or
// JSON Lines with a text field), keyed the same way, so a record's random draws in training are
// those `augment run` makes for it.
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "augment/text/text.hpp"
#include "augment/text/text_records.hpp"

namespace augment::text {

struct LabelledRecord {
  std::size_t line = 0;             // the file's line where the record starts
  std::string key;                  // what its random numbers derive from
  Text text;
  std::vector<std::string> labels;  // one per label column, in the order asked
};

/// Every record of `file` (csv or jsonl, as options.format says) with the values of
/// `label_columns`: a CSV field as it is, a JSON string as it is and any other JSON value as
/// JSON text (3, true). Training does not go on with part of its data, so the first bad record
/// — invalid UTF-8, a malformed row or line, a missing text or label field — is a DataError
/// "FILE:LINE: reason"; a CSV without a label column is "FILE: no column 'x'". UsageError for
/// the lines format (it has no columns to hold labels).
std::vector<LabelledRecord> read_labelled_records(const std::filesystem::path& file, const TextRecordOptions& options,
                                                  const std::vector<std::string>& label_columns);

}  // namespace augment::text
