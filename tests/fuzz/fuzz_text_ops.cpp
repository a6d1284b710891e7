// The text augmenters and normalisers (lib/text: keyboard_typo, ocr_error, char_*, misspell,
// word_*, synonym, normalize, strip_accents, remove_chars, stem, remove_stopwords, ...) on any
// bytes, each built from the registry the way a spec builds it.
//   byte 0      which op (every text or tokens op of the text module, by name order);
//   bytes 1-2   which value each parameter takes: its default, its maximum, its minimum, or
//               its whole range / another choice (2 bits per parameter);
//   byte 3      the text's language (en, es, none, de, pt-BR);
//   the rest    the text.
// Invariants: valid UTF-8 in gives valid UTF-8 out; replaying the drawn record on the same
// input gives the same output (apply is a pure function of sample and params).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "augment/core/csv.hpp"
#include "augment/core/error.hpp"
#include "augment/core/pipeline.hpp"
#include "augment/core/rng.hpp"
#include "augment/text/register_transforms.hpp"
#include "augment/text/text.hpp"
#include "fuzz_support.hpp"

namespace {

using augment::OpInfo;
using augment::ParamSpec;
using augment::ParamType;
using nlohmann::json;

const augment::Registry& text_registry() {
  static const augment::Registry registry = augment::make_registry({augment::text::register_transforms});
  return registry;
}

// Ops that take text or tokens and give text or tokens, and need no fitting.
const std::vector<const OpInfo*>& text_ops() {
  static const std::vector<const OpInfo*> ops = [] {
    std::vector<const OpInfo*> out;
    for (const OpInfo* op : text_registry().ops()) {
      const auto textual = [](augment::Kind k) { return k == augment::Kind::text || k == augment::Kind::tokens; };
      if (textual(op->input) && textual(op->output) && !op->fittable) out.push_back(op);
    }
    return out;
  }();
  return ops;
}

json param_value(const ParamSpec& param, unsigned choice) {
  switch (param.type) {
    case ParamType::boolean:
      return choice & 1 ? json(!param.default_value.get<bool>()) : param.default_value;
    case ParamType::number:
    case ParamType::integer: {
      const bool integer = param.type == ParamType::integer;
      const auto as_value = [&](double v) { return integer ? json(static_cast<std::int64_t>(v)) : json(v); };
      if (choice == 1 && param.maximum) return as_value(std::min(*param.maximum, 50.0));
      if (choice == 2 && param.minimum) return as_value(*param.minimum);
      if (choice == 3 && param.drawable && param.minimum)
        return json::array({as_value(*param.minimum), as_value(std::min(param.maximum.value_or(50.0), 50.0))});
      return param.default_value;
    }
    case ParamType::string:
      if (!param.choices.empty()) return choice == 0 && !param.default_value.is_null()
                                            ? param.default_value
                                            : json(param.choices[choice % param.choices.size()]);
      if (choice == 1) return "ab";
      if (choice == 2) return "é ñ\xE2\x80\x8B";
      return param.default_value;
    case ParamType::number_list:
      return param.default_value;
  }
  return param.default_value;
}

json spec_for(const OpInfo& op, unsigned selector) {
  json stage = {{"op", op.name}};
  for (std::size_t i = 0; i < op.params.size(); ++i) {
    const ParamSpec& param = op.params[i];
    const json value = param_value(param, (selector >> (2 * (i % 8))) & 3);
    if (!value.is_null()) stage[param.name] = value;
  }
  json stages = json::array();
  if (op.input == augment::Kind::tokens) stages.push_back({{"op", "tokenize"}});
  stages.push_back(stage);
  if (op.output == augment::Kind::tokens) stages.push_back({{"op", "join"}});
  return {{"kind", "text"}, {"stages", stages}};
}

// Pipelines built once per (op, selector): building parses layouts and word lists.
const augment::Pipeline* pipeline_for(const OpInfo& op, unsigned selector) {
  static std::map<std::pair<const OpInfo*, unsigned>, std::unique_ptr<augment::Pipeline>> cache;
  const auto key = std::make_pair(&op, selector);
  if (auto it = cache.find(key); it != cache.end()) return it->second.get();
  std::unique_ptr<augment::Pipeline> built;
  try {
    built = std::make_unique<augment::Pipeline>(augment::Pipeline::from_json(spec_for(op, selector), text_registry()));
  } catch (const augment::Error&) {
    // A combination the op refuses (min > max, a word list path that does not exist):
    // remembered as null.
  }
  return (cache[key] = std::move(built)).get();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace augment;
  fuzz::use_fuzz_limits();
  if (size < 4) return 0;
  const auto& ops = text_ops();
  const OpInfo& op = *ops[data[0] % ops.size()];
  const unsigned selector = static_cast<unsigned>(data[1]) | (static_cast<unsigned>(data[2]) << 8);
  static const char* const languages[] = {"en", "es", "", "de", "pt-BR", "es", "en", "fr"};
  const std::string language = languages[data[3] & 7];
  const std::string input(reinterpret_cast<const char*>(data + 4), size - 4);
  const Pipeline* pipeline = pipeline_for(op, selector);
  if (!pipeline) return 0;

  Sample sample = text::make_sample(text::Text{input, language});
  json record;
  try {
    record = pipeline->run(sample, Rng(hash_key(input)));
  } catch (const Error&) {
    return 0;
  }
  const std::string& output = text::text_of(sample).utf8;
  if (is_valid_utf8(input) && !is_valid_utf8(output))
    fuzz::fail(op.name + " made invalid UTF-8 of valid UTF-8 input (" + spec_for(op, selector).dump() + ")");

  Sample again = text::make_sample(text::Text{input, language});
  try {
    pipeline->replay(again, record);
  } catch (const Error& e) {
    fuzz::fail(op.name + ": replaying its own record failed: " + e.what());
  }
  if (text::text_of(again).utf8 != output) fuzz::fail(op.name + ": replaying its own record gave another text");
  return 0;
}
