#pragma once
// The transform catalogue: each transform declares, in one place, its name, kinds, parameters
// and a one-line doc. The spec reader, the validator and `augment list` all read it from here.
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "augment/core/kind.hpp"
#include "augment/core/param_spec.hpp"
#include "augment/core/sample_codec.hpp"
#include "augment/core/transform.hpp"

namespace augment {

struct OpInfo {
  std::string name;
  Kind input = Kind::features;
  Kind output = Kind::features;
  std::string doc;
  std::vector<ParamSpec> params;
  /// Draws random parameters (an augmentation): skipped while fitting later stages. A
  /// transform may decide per its settings (Transform::is_random).
  bool random = false;
  /// May learn state from data through `augment fit`.
  bool fittable = false;
  /// Set on an op that applies an op of this other kind piecewise (an image op on each frame of
  /// a video): the catalogue then lists it once, under the op it lifts.
  std::optional<Kind> lifted_from;
  /// Checks relations between parameters (e.g. min < max) after each was validated on its own;
  /// throws std::invalid_argument with the message.
  std::function<void(const nlohmann::json& settings)> check;
  std::function<std::unique_ptr<Transform>(const OpInfo& info, const nlohmann::json& settings)> create;

  const ParamSpec* find_param(std::string_view param) const;
  /// Validates user-given parameters, fills defaults, runs `check`. Throws std::invalid_argument.
  nlohmann::json resolve(const nlohmann::json& given) const;
  nlohmann::json describe() const;
};

class Registry {
 public:
  /// Adds an op; throws std::logic_error when an op of that name already takes that kind (a
  /// programming error). Ops of different input kinds may share a name (image and features
  /// both have `rescale`).
  void add(OpInfo info);
  /// The op called `name` that takes `kind`.
  const OpInfo* find(std::string_view name, Kind kind) const;
  /// The first op called `name`, whatever it takes.
  const OpInfo* find(std::string_view name) const;
  /// Every op, by name then kind; only those taking `kind` when it is given.
  std::vector<const OpInfo*> ops(std::optional<Kind> kind = std::nullopt) const;
  /// The op names nearest to `name` (closest_names: edit distance <= 2), for "did you mean".
  std::vector<std::string> suggest(std::string_view name) const;

  /// Adds a file codec; throws std::logic_error when another codec of its kind has an extension.
  void add_codec(std::shared_ptr<const SampleCodec> codec);
  /// Puts `codec` in place of the codecs of its kind that read its extensions (a text codec
  /// that repairs invalid UTF-8 instead of rejecting it).
  void replace_codec(std::shared_ptr<const SampleCodec> codec);
  /// The codec reading `extension` (lower case, with the dot) into samples of `kind`, or null.
  const SampleCodec* codec_for(Kind kind, std::string_view extension) const;
  /// Every codec of `kind`.
  std::vector<const SampleCodec*> codecs(Kind kind) const;

 private:
  std::multimap<std::string, std::unique_ptr<OpInfo>, std::less<>> ops_;
  std::vector<std::shared_ptr<const SampleCodec>> codecs_;
};

/// A registry with what each of `modules` adds, e.g. make_registry({text::register_transforms}).
Registry make_registry(std::initializer_list<void (*)(Registry&)> modules);

/// The usual `create` for a transform class constructed from (info, settings).
template <class T>
inline std::unique_ptr<Transform> make_transform(const OpInfo& info, const nlohmann::json& settings) {
  return std::make_unique<T>(info, settings);
}

}  // namespace augment
