#include "augment/core/json_text.hpp"

#include <string>

#include "augment/core/error.hpp"
#include "augment/core/limits.hpp"

namespace augment {
namespace {

// Thrown from the parser callback; caught below and turned into the caller's error type.
struct TooDeep {
  std::uint64_t depth;
};


[[noreturn]] void raise(JsonSource source, const std::string& message) {
  if (source == JsonSource::spec) throw SpecError(message);
  throw DataError(message);
}

std::string too_deep_message(std::string_view where) {
  const auto limit = limits().json_depth;
  return std::string(where) + ": JSON nested deeper than " + std::to_string(limit) +
         " levels (raise it with --limit json_depth=N)";
}

// nlohmann's parser is iterative, but what comes after it (our spec builder, dump(), a deep
// copy) recurses: stop at the limit while parsing.
template <class Json, class Input>
Json parse_limited(Input&& input, std::string_view where, JsonSource source) {
  const auto limit = limits().json_depth;
  typename Json::parser_callback_t depth_check = [limit](int depth, typename Json::parse_event_t event, Json&) {
    if ((event == Json::parse_event_t::object_start || event == Json::parse_event_t::array_start) &&
        static_cast<std::uint64_t>(depth) >= limit)
      throw TooDeep{static_cast<std::uint64_t>(depth)};
    return true;
  };
  try {
    return Json::parse(std::forward<Input>(input), depth_check);
  } catch (const TooDeep&) {
    raise(source, too_deep_message(where));

  } catch (const typename Json::exception& e) {
    // nlohmann's messages start with "[json.exception.parse_error.101] "; the rest is the reason.
    std::string reason = e.what();
    if (reason.starts_with("[json.exception.")) reason.erase(0, reason.find("] ") + 2);
    raise(source, std::string(where) + ": not valid JSON: " + reason);
  }
}

}  // namespace

nlohmann::json parse_json(std::string_view text, std::string_view where, JsonSource source) {
  return parse_limited<nlohmann::json>(text, where, source);
}

nlohmann::json parse_json(std::istream& in, std::string_view where, JsonSource source) {
  return parse_limited<nlohmann::json>(in, where, source);
}

nlohmann::ordered_json parse_ordered_json(std::string_view text, std::string_view where, JsonSource source) {
  return parse_limited<nlohmann::ordered_json>(text, where, source);
}

nlohmann::json try_parse_json(std::string_view text, std::string* why) {
  try {
    return parse_json(text, "JSON");
  } catch (const DataError& e) {
    if (why) *why = e.what();
    return nlohmann::json(nlohmann::json::value_t::discarded);
  }
}

}  // namespace augment
