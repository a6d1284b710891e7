#include "augment/text/keyboard_typo.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "augment/core/error.hpp"
#include "augment/text/char_edits.hpp"
#include "augment/text/graphemes.hpp"
#include "augment/text/text.hpp"
#include "augment/text/utf8.hpp"
#include "corpora_data.hpp"

namespace augment::text {
namespace {

// The layout files of corpora/text/keyboards/, compiled in (lib/text/CMakeLists.txt) so the
// library needs no data directory once installed.
constexpr std::string_view en_us_source = corpora::keyboard_en_us;
constexpr std::string_view es_es_source = corpora::keyboard_es_es;

void add_unique(std::vector<std::string>& list, std::string s) {
  if (std::find(list.begin(), list.end(), s) == list.end()) list.push_back(std::move(s));
}

std::string layout_string(const nlohmann::json& v, const std::string& where) {
  if (!v.is_string() || v.get_ref<const std::string&>().empty() || !is_valid_utf8(v.get_ref<const std::string&>()))
    throw std::invalid_argument(where + " must be a non-empty UTF-8 string, got " + v.dump());
  return v.get<std::string>();
}

}  // namespace

KeyboardLayout parse_keyboard_layout(const nlohmann::json& json) {
  KeyboardLayout out;
  if (!json.is_object() || !json.contains("rows") || !json["rows"].is_array())
    throw std::invalid_argument("a keyboard layout needs \"rows\"");
  out.name = json.value("name", std::string());
  for (std::size_t r = 0; r < json["rows"].size(); ++r) {
    const auto& row = json["rows"][r];
    const std::string where = "rows[" + std::to_string(r) + "]";
    if (!row.is_object() || !row.contains("offset") || !row["offset"].is_number() || !row.contains("keys") ||
        !row["keys"].is_array())
      throw std::invalid_argument(where + " needs a number \"offset\" and a list \"keys\"");
    const double offset = row["offset"].get<double>();
    for (std::size_t j = 0; j < row["keys"].size(); ++j) {
      const auto& key = row["keys"][j];
      const std::string key_where = where + ".keys[" + std::to_string(j) + "]";
      if (!key.is_array() || key.empty() || key.size() > 2)
        throw std::invalid_argument(key_where + " must be [base] or [base, shift]");
      KeyboardLayout::Key k{{}, r, offset + static_cast<double>(j) + 0.5};
      for (std::size_t level = 0; level < key.size(); ++level) {
        std::string ch = layout_string(key[level], key_where);
        if (!out.position.emplace(ch, std::pair{out.keys.size(), level}).second)
          throw std::invalid_argument(key_where + ": \"" + ch + "\" is on two keys");
        k.levels.push_back(std::move(ch));
      }
      out.keys.push_back(std::move(k));
    }
  }
  // Adjacent: the next key either side in the row; in the rows above and below, keys whose
  // centres are under one key width apart (the stagger comes from the row offsets).
  out.neighbours.resize(out.keys.size());
  for (std::size_t a = 0; a < out.keys.size(); ++a)
    for (std::size_t b = 0; b < out.keys.size(); ++b) {
      if (a == b) continue;
      const auto &ka = out.keys[a], &kb = out.keys[b];
      const double dx = std::fabs(ka.centre - kb.centre);
      const bool same_row = ka.row == kb.row && dx < 1.5;
      const bool next_row = (ka.row + 1 == kb.row || kb.row + 1 == ka.row) && dx < 1.0 - 1e-9;
      if (same_row || next_row) out.neighbours[a].push_back(b);
    }
  if (json.contains("dead_keys")) {
    if (!json["dead_keys"].is_object()) throw std::invalid_argument("\"dead_keys\" must be an object");
    for (const auto& [dead, table] : json["dead_keys"].items()) {
      if (!out.position.contains(dead)) throw std::invalid_argument("dead key \"" + dead + "\" is on no key");
      if (!table.is_object()) throw std::invalid_argument("dead_keys[\"" + dead + "\"] must be an object");
      for (const auto& [base, result] : table.items()) {
        if (!out.position.contains(base))
          throw std::invalid_argument("dead_keys[\"" + dead + "\"]: \"" + base + "\" is on no key");
        std::string composed = layout_string(result, "dead_keys[\"" + dead + "\"][\"" + base + "\"]");
        out.dead_keys[dead][base] = composed;
        out.composed[composed] = {dead, base};
      }
    }
  }
  const auto neighbour_chars = [&out](const std::string& ch) {
    std::vector<std::string> list;
    const auto [key, level] = out.position.find(ch)->second;
    for (const std::size_t m : out.neighbours[key]) {
      const auto& levels = out.keys[m].levels;
      add_unique(list, levels[std::min(level, levels.size() - 1)]);  // a key without Shift gives its base
    }
    return list;
  };
  for (const auto& [ch, at] : out.position) out.typos[ch].neighbour = neighbour_chars(ch);
  for (const auto& [ch, how] : out.composed) {
    const auto& [dead, base] = how;
    Typos t;
    const auto& table = out.dead_keys[dead];
    for (const std::string& n : neighbour_chars(base)) {
      const auto joined = table.find(n);
      add_unique(t.neighbour, joined != table.end() ? joined->second : dead + n);
    }
    t.dead_key_missed = {base};
    t.dead_key_unjoined = {dead + base};
    out.typos[ch] = std::move(t);
  }
  return out;
}

std::string_view keyboard_layout_source(std::string_view name) {
  if (name == "en-US") return en_us_source;
  if (name == "es-ES") return es_es_source;
  throw UsageError("unknown keyboard layout \"" + std::string(name) + "\" (known: en-US, es-ES)");
}

const KeyboardLayout& keyboard_layout(std::string_view name) {
  static const KeyboardLayout en = parse_keyboard_layout(nlohmann::json::parse(en_us_source));
  static const KeyboardLayout es = parse_keyboard_layout(nlohmann::json::parse(es_es_source));
  if (name == "en-US") return en;
  if (name == "es-ES") return es;
  throw UsageError("unknown keyboard layout \"" + std::string(name) + "\" (known: en-US, es-ES)");
}

std::string_view layout_for_language(std::string_view language) {
  const std::string_view code = language.substr(0, std::min(language.find_first_of("-_"), language.size()));
  return code == "es" || code == "ES" ? "es-ES" : "en-US";
}

const Typos& keyboard_typos(const KeyboardLayout& layout, std::string_view character) {
  static const Typos none;
  const auto it = layout.typos.find(character);
  return it == layout.typos.end() ? none : it->second;
}

KeyboardTypo::KeyboardTypo(const OpInfo& info, const nlohmann::json& settings) : Transform(info, settings) {
  if (settings["layout"].is_string()) layout_ = &keyboard_layout(settings["layout"].get<std::string>());
}

nlohmann::json KeyboardTypo::draw(Rng& rng, const Sample& sample) const {
  const Text& text = text_of(sample);
  require_utf8(text.utf8, info().name);
  const KeyboardLayout& layout = layout_ ? *layout_ : keyboard_layout(layout_for_language(text.language));
  const auto clusters = grapheme_clusters(text.utf8);
  const EditCountOptions options = edit_count_options(settings(), rng);
  const Eligibility el = eligible_clusters(clusters, options);
  std::vector<const Typos*> typos(clusters.size(), nullptr);
  std::vector<std::size_t> units;
  for (std::size_t i = 0; i < clusters.size(); ++i) {
    if (!el.eligible[i]) continue;
    const Typos& t = keyboard_typos(layout, to_nfc(clusters[i]));
    if (t.neighbour.empty() && t.dead_key_missed.empty()) continue;
    typos[i] = &t;
    units.push_back(i);
  }
  const std::size_t count = draw_edit_count(rng, options, units.size());
  const EditProposer propose = [&](std::size_t u, Rng& r) -> std::optional<CharEdit> {
    const Typos& t = *typos[u];
    const std::vector<std::string>* kinds[3];
    std::size_t n = 0;
    for (const auto* list : {&t.neighbour, &t.dead_key_missed, &t.dead_key_unjoined})
      if (!list->empty()) kinds[n++] = list;
    const std::vector<std::string>& list = *kinds[r.index(n)];
    return CharEdit{u, EditOp::substitute, list[r.index(list.size())]};
  };
  return edits_to_json(draw_edits(rng, clusters, std::move(units), count, propose));
}

void KeyboardTypo::apply(Sample& sample, const nlohmann::json& params) const {
  Text& text = text_of(sample);
  text.utf8 = apply_edits(text.utf8, edits_from_json(params), info().name);
}

OpInfo keyboard_typo_op() {
  std::vector<ParamSpec> params = edit_count_params(false);
  params.push_back({.name = "layout", .type = ParamType::string, .choices = {"en-US", "es-ES"},
                    .doc = "the keyboard (default by the text's language: es -> es-ES, else en-US)"});
  return {
      .name = "keyboard_typo",
      .input = Kind::text,
      .output = Kind::text,
      .doc = "Replaces eligible letters with the characters of physically adjacent keys (same level) on a real "
             "layout, and slips dead keys (á -> a, ´a); recorded as [cluster, \"substitute\", typo].",
      .params = std::move(params),
      .random = true,
      .check = check_edit_count,
      .create = make_transform<KeyboardTypo>,
  };
}

}  // namespace augment::text
