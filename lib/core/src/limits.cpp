#include "augment/core/limits.hpp"

#include <atomic>
#include <charconv>
#include <limits>
#include <mutex>

#include "augment/core/error.hpp"

namespace augment {
namespace {

struct Entry {
  const char* name;
  std::uint64_t Limits::*field;
  bool bytes;  // accepts K/M/G suffixes
};

constexpr Entry kEntries[] = {
    {"image_pixels", &Limits::image_pixels, false},
    {"record_bytes", &Limits::record_bytes, true},
    {"json_depth", &Limits::json_depth, false},
    {"allocation_bytes", &Limits::allocation_bytes, true},
    {"audio_samples", &Limits::audio_samples, false},
};

Limits& current() {
  static Limits value;
  return value;
}

const Entry* find(std::string_view name) {
  for (const auto& e : kEntries)
    if (name == e.name) return &e;
  return nullptr;
}

std::string names_list() {
  std::string out;
  for (const auto& e : kEntries) out += (out.empty() ? "" : ", ") + std::string(e.name);
  return out;
}

}  // namespace

// Set once by the CLI before any worker starts; workers only read.
const Limits& limits() { return current(); }
void set_limits(const Limits& value) { current() = value; }

std::vector<std::string> limit_names() {
  std::vector<std::string> out;
  for (const auto& e : kEntries) out.emplace_back(e.name);
  return out;
}

void apply_limit(Limits& limits, std::string_view assignment) {
  const auto eq = assignment.find('=');
  if (eq == std::string_view::npos)
    throw UsageError("--limit takes NAME=VALUE (names: " + names_list() + "), got '" + std::string(assignment) + "'");
  const auto name = assignment.substr(0, eq);
  auto text = assignment.substr(eq + 1);
  const Entry* entry = find(name);
  if (!entry) throw UsageError("--limit: unknown limit '" + std::string(name) + "' (names: " + names_list() + ")");
  std::uint64_t scale = 1;
  if (entry->bytes && !text.empty()) {
    switch (text.back()) {
      case 'K': case 'k': scale = 1ull << 10; break;
      case 'M': case 'm': scale = 1ull << 20; break;
      case 'G': case 'g': scale = 1ull << 30; break;
      default: break;
    }
    if (scale != 1) text.remove_suffix(1);
  }
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value == 0 ||
      value > std::numeric_limits<std::uint64_t>::max() / scale)
    throw UsageError("--limit " + std::string(name) + ": expected a whole number >= 1" +
                     (entry->bytes ? " (K, M or G suffix allowed)" : "") + ", got '" +
                     std::string(assignment.substr(eq + 1)) + "'");
  limits.*(entry->field) = value * scale;
}

std::string over_limit_message(std::string_view name, std::uint64_t value, std::string_view what) {
  const Entry* entry = find(name);
  const std::uint64_t limit = entry ? limits().*(entry->field) : 0;
  return std::string(what) + ": " + std::to_string(value) + " is over the " + std::string(name) + " limit of " +
         std::to_string(limit) + " (raise it with --limit " + std::string(name) + "=N)";
}

namespace {
bool over(std::string_view name, std::uint64_t value) {
  const Entry* entry = find(name);
  if (!entry) throw std::logic_error("unknown limit " + std::string(name));
  return value > limits().*(entry->field);
}
}  // namespace

void check_limit(std::string_view name, std::uint64_t value, std::string_view what) {
  if (over(name, value)) throw DataError(over_limit_message(name, value, what));
}

void check_requested(std::string_view name, std::uint64_t value, std::string_view what) {
  if (over(name, value)) throw SpecError(over_limit_message(name, value, what));
}

}  // namespace augment
