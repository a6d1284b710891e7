#pragma once
// Reads a layer's or a network's JSON settings key by key. Messages name the key by its path
// ("trunk.2.units: must be an integer >= 1, got 0"); keys nobody read are refused, so a typo
// is an error rather than a silently ignored setting.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "augment/core/error.hpp"
#include "augment/core/number_text.hpp"

namespace augment::trainer::detail {

class ConfigReader {
 public:
  ConfigReader(const nlohmann::json& object, std::string path) : object_(object), path_(std::move(path)) {
    if (!object_.is_object())
      throw SpecError((path_.empty() ? "architecture" : path_) + ": must be an object, got " + object_.dump());
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
  const nlohmann::json& at(const std::string& key) {
    if (!has(key)) throw SpecError(where(key) + ": missing");
    return object_.at(key);
  }

  /// A number in [lo, hi] (open at either end when the flag says so).
  double number(const std::string& key, double fallback, double lo, double hi, bool lo_open = false,
                bool hi_open = false) {
    if (!has(key)) return fallback;
    const auto& v = object_.at(key);
    const double x = v.is_number() ? v.get<double>() : NAN;
    const bool ok = std::isfinite(x) && (lo_open ? x > lo : x >= lo) && (hi_open ? x < hi : x <= hi);
    if (!ok)
      fail(key, "must be a number in " + std::string(lo_open ? "(" : "[") + format_number(lo) + ", " +
                    format_number(hi) + (hi_open ? ")" : "]") + ", got " + v.dump());
    return x;
  }

  std::size_t count(const std::string& key, std::size_t min) {
    const auto& v = at(key);
    // Signed JSON integers too: nlohmann stores a C++ int as one.
    if (!v.is_number_integer() || v.get<std::int64_t>() < static_cast<std::int64_t>(min))
      fail(key, "must be an integer >= " + std::to_string(min) + ", got " + v.dump());
    return v.get<std::size_t>();
  }

  std::string choice(const std::string& key, const std::string& fallback, const std::vector<std::string>& allowed) {
    if (!has(key)) return fallback;
    const auto& v = object_.at(key);
    for (const auto& a : allowed)
      if (v.is_string() && v.get<std::string>() == a) return a;
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
    fail(key, "must be one of " + list + ", got " + v.dump());
  }

  /// Throws for a key that no call above asked about.
  void finish() const {
    for (const auto& [key, value] : object_.items())
      if (!read_.count(key)) {
        std::string list;
        for (const auto& k : read_) list += (list.empty() ? "" : ", ") + k;
        throw SpecError(where(key) + ": unknown key (known: " + list + ")");
      }
  }

 private:
  const nlohmann::json& object_;
  std::string path_;
  std::set<std::string> read_;
};

}  // namespace augment::trainer::detail
