#pragma once
// keyboard_typo: the slips of a typist on a real keyboard. An eligible letter (edit_count.hpp)
// that is on the layout becomes the character of a physically adjacent key, at the same level
// (base or Shift): on en-US "gato" -> "gsto", "Gato" -> "Fato"; on es-ES "año" -> "alo" or
// "a-o" (ñ sits between l and ´, above . and -). Adjacent keys: the next key left and right in
// the row, and in the rows above and below the keys whose centres are less than one key width
// away, the rows staggered by their offsets in the layout file (q: 1 2 w a; s: w e a d z x).
//
// A letter typed with a dead key (es-ES: á is ´ then a, ü is ¨ then u) slips three ways, each
// as likely: the dead key missed ("canción" -> "cancion"), the dead key not joined
// ("canci´on"), or the letter key's neighbour typed after the dead key, joined when the pair
// composes ("ó" -> "í", ´ + i) and not when it does not ("ó" -> "´p"). A neighbour that is a
// dead key gives its spacing form ("ñ" -> "´").
//
// Layouts: corpora/text/keyboards/{en-US,es-ES}.json, compiled into the library byte for
// byte (keyboard_layout_source; a test compares them). Param `layout` (en-US | es-ES),
// default by the text's language: es -> es-ES, anything else en-US.
// Params are recorded like the char ops': {"edits": [[cluster, "substitute", typo], ...]}.
#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "augment/core/registry.hpp"

namespace augment::text {

struct Typos {
  std::vector<std::string> neighbour;          // adjacent keys (after the dead key, for composed letters)
  std::vector<std::string> dead_key_missed;    // "á" -> "a"
  std::vector<std::string> dead_key_unjoined;  // "á" -> "´a"
};

struct KeyboardLayout {
  struct Key {
    std::vector<std::string> levels;  // [base, shift]
    std::size_t row = 0;
    double centre = 0;  // in key widths from the left edge of the keyboard
  };
  std::string name;
  std::vector<Key> keys;
  /// Per key, the keys physically adjacent to it.
  std::vector<std::vector<std::size_t>> neighbours;
  /// Each character on a key: (key, level).
  std::map<std::string, std::pair<std::size_t, std::size_t>, std::less<>> position;
  /// Dead key's character -> (base character -> composed character).
  std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> dead_keys;
  /// Composed character -> (dead key's character, base character).
  std::map<std::string, std::pair<std::string, std::string>, std::less<>> composed;
  /// Every character that has typos, with them (keyboard_typos).
  std::map<std::string, Typos, std::less<>> typos;
};

/// Reads a layout file's JSON; throws std::invalid_argument naming what is wrong.
KeyboardLayout parse_keyboard_layout(const nlohmann::json& json);
/// The built-in layouts, "en-US" and "es-ES"; throws UsageError for another name.
const KeyboardLayout& keyboard_layout(std::string_view name);
/// The built-in layout's file text (corpora/text/keyboards/NAME.json).
std::string_view keyboard_layout_source(std::string_view name);
/// "es", "es-MX" -> "es-ES"; anything else "en-US".
std::string_view layout_for_language(std::string_view language);

/// Every typo keyboard_typo may make of `character` (one NFC cluster), by kind of slip; all
/// empty when the character is not on the layout.
const Typos& keyboard_typos(const KeyboardLayout& layout, std::string_view character);

class KeyboardTypo final : public Transform {
 public:
  KeyboardTypo(const OpInfo& info, const nlohmann::json& settings);
  nlohmann::json draw(Rng& rng, const Sample& sample) const override;
  void apply(Sample& sample, const nlohmann::json& params) const override;

 private:
  const KeyboardLayout* layout_ = nullptr;  // null: by the text's language
};

OpInfo keyboard_typo_op();

}  // namespace augment::text
