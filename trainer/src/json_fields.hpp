#pragma once
// Reading a JSON object of settings field by field, with SpecError messages that name the field
// by its path ("early_stopping.patience: must be an integer in [0, ...], got -1",
// "trunk.2.units: must be an integer >= 1, got 0") and refuse fields nobody reads (a typo would
// otherwise be silently ignored). The training config and the architecture (layers, heads) both
// read through it.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "augment/core/error.hpp"
#include "augment/core/number_text.hpp"

namespace augment::trainer::detail {

class Fields {
 public:
  /// `path` names the object in messages ("" for the top level of a file); `unknown` is what a
  /// field nobody read is called in its message ("field" in the training config, "key" in layer
  /// and network settings).
  Fields(const nlohmann::json& object, std::string path, std::string unknown = "field")
      : object_(object), path_(std::move(path)), unknown_(std::move(unknown)) {
    if (!object_.is_object()) throw SpecError(label() + "must be an object, got " + object_.dump());
  }

  const std::string& path() const { return path_; }

  std::string where(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }
  [[noreturn]] void fail(const std::string& key, const std::string& message) const {
    throw SpecError(where(key) + ": " + message);
  }

  bool has(const std::string& key) {
    read_.insert(key);
    return object_.contains(key) && !object_.at(key).is_null();
  }
  /// The field's value; "PATH.key: missing" when it is absent or null.
  const nlohmann::json& at(const std::string& key) {
    if (!has(key)) fail(key, "missing");
    return object_.at(key);
  }

  /// A number in [lo, hi], or (lo, ...) / (..., hi) when the flag says the end is open.
  double number(const std::string& key, double fallback, double lo = -std::numeric_limits<double>::infinity(),
                double hi = std::numeric_limits<double>::infinity(), bool lo_open = false, bool hi_open = false) {
    if (!has(key)) return fallback;
    const auto& v = object_.at(key);
    const double x = v.is_number() ? v.get<double>() : NAN;
    const bool ok = std::isfinite(x) && (lo_open ? x > lo : x >= lo) && (hi_open ? x < hi : x <= hi);
    if (!ok)
      fail(key, "must be a number in " + std::string(lo_open ? "(" : "[") + format_number(lo) + ", " +
                    format_number(hi) + (hi_open ? ")" : "]") + ", got " + v.dump());
    return x;
  }
  std::optional<double> optional_number(const std::string& key) {
    if (!has(key)) return std::nullopt;
    return number(key, 0);
  }
  std::uint64_t integer(const std::string& key, std::uint64_t fallback, std::uint64_t lo = 0,
                        std::uint64_t hi = std::numeric_limits<std::uint64_t>::max()) {
    if (!has(key)) return fallback;
    const auto& v = object_.at(key);
    const bool ok = v.is_number_unsigned() || (v.is_number_integer() && v.get<std::int64_t>() >= 0);
    if (!ok || v.get<std::uint64_t>() < lo || v.get<std::uint64_t>() > hi)
      fail(key, "must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got " + v.dump());
    return v.get<std::uint64_t>();
  }
  std::size_t count(const std::string& key, std::size_t fallback, std::size_t lo = 0,
                    std::size_t hi = std::numeric_limits<std::uint32_t>::max()) {
    return static_cast<std::size_t>(integer(key, fallback, lo, hi));
  }
  /// A field that must be there: an integer >= min.
  std::size_t required_count(const std::string& key, std::size_t min) {
    const auto& v = at(key);
    // Signed JSON integers too: nlohmann stores a C++ int as one.
    if (!v.is_number_integer() || v.get<std::int64_t>() < static_cast<std::int64_t>(min))
      fail(key, "must be an integer >= " + std::to_string(min) + ", got " + v.dump());
    return v.get<std::size_t>();
  }
  bool flag(const std::string& key, bool fallback) {
    if (!has(key)) return fallback;
    const auto& v = object_.at(key);
    if (!v.is_boolean()) fail(key, "must be true or false, got " + v.dump());
    return v.get<bool>();
  }
  std::string text(const std::string& key, const std::string& fallback, const std::vector<std::string>& allowed = {}) {
    if (!has(key)) return fallback;
    const auto& v = object_.at(key);
    if (!v.is_string()) fail(key, "must be a string, got " + v.dump());
    const auto s = v.get<std::string>();
    if (!allowed.empty()) {
      bool found = false;
      std::string list;
      for (const auto& a : allowed) {
        found = found || a == s;
        list += (list.empty() ? "" : ", ") + a;
      }
      if (!found) fail(key, "must be one of " + list + ", got \"" + s + "\"");
    }
    return s;
  }
  std::vector<std::string> strings(const std::string& key) {
    if (!has(key)) return {};
    const auto& v = object_.at(key);
    if (v.is_string()) return {v.get<std::string>()};
    std::vector<std::string> out;
    if (v.is_array())
      for (const auto& e : v) {
        if (!e.is_string()) break;
        out.push_back(e.get<std::string>());
      }
    if (!v.is_array() || out.size() != v.size()) fail(key, "must be a string or a list of strings, got " + v.dump());
    return out;
  }

  /// Refuses fields that were never asked for.
  void done() const {
    for (const auto& [key, value] : object_.items())
      if (!read_.count(key)) {
        std::string known;
        for (const auto& k : read_) known += (known.empty() ? "" : ", ") + k;
        fail(key, "unknown " + unknown_ + " (known: " + known + ")");
      }
  }

 private:
  std::string label() const { return path_.empty() ? "" : path_ + ": "; }

  const nlohmann::json& object_;
  std::string path_;
  std::string unknown_;
  std::set<std::string> read_;
};

}  // namespace augment::trainer::detail
