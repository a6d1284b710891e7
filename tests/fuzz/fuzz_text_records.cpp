// The text record readers (lib/text text_records.hpp) as `augment run` drives them on a .txt,
// .csv or .jsonl file. Byte 0 picks the format (bits 0-1), whether invalid UTF-8 is repaired
// (bit 2) and whether a key column is read (bit 3); the rest is the file. Every record goes
// through a keyboard_typo pipeline and is written out again.
#include <cstddef>
#include <cstdint>
#include <string>

#include "augment/core/error.hpp"
#include "augment/core/pipeline.hpp"
#include "augment/text/register_transforms.hpp"
#include "augment/text/text_records.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace augment;
  fuzz::use_fuzz_limits();
  if (size < 1) return 0;
  static const char* const extensions[] = {".txt", ".csv", ".jsonl", ".txt"};
  const std::string extension = extensions[data[0] & 3];
  const auto input = fuzz::scratch_file("records" + extension, data + 1, size - 1);
  const auto output = fuzz::scratch_path("records.out" + extension);
  static const Registry registry = make_registry({text::register_transforms});
  static const Pipeline pipeline = Pipeline::from_json(
      nlohmann::json::parse(R"({"kind": "text", "stages": [{"op": "keyboard_typo", "unit_p": 0.5}]})"),
      registry);
  text::TextRunOptions options;
  options.format = text::record_format(input);
  options.invalid_utf8 = (data[0] & 4) ? text::InvalidUtf8::repair : text::InvalidUtf8::reject;
  if (data[0] & 8) options.key_column = "id";
  options.jobs = 1;
  options.copies = 2;
  options.seed = data[0];
  options.on_error = [](const std::string&) {};
  try {
    text::run_text_records(pipeline, input, output, options);
  } catch (const Error&) {
  }
  return 0;
}
