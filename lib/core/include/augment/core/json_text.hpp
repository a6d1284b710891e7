#pragma once
// JSON parsing with the nesting depth limited (limits().json_depth): a document nested deeper is
// refused with a message before anything recursive (our spec builder, a dump) can overflow the
// stack. Use these instead of nlohmann::json::parse for anything that comes from a file.
#include <istream>
#include <string_view>

#include <nlohmann/json.hpp>

namespace augment {

/// Which error a bad document raises: DataError for data files, SpecError for specs and configs.
enum class JsonSource { data, spec };

/// Parses `text`; throws "`where`: not valid JSON: ..." or "`where`: JSON nested deeper than N
/// levels (raise it with --limit json_depth=...)", as DataError or SpecError after `source`.
nlohmann::json parse_json(std::string_view text, std::string_view where, JsonSource source = JsonSource::data);
nlohmann::json parse_json(std::istream& in, std::string_view where, JsonSource source = JsonSource::data);
nlohmann::ordered_json parse_ordered_json(std::string_view text, std::string_view where,
                                          JsonSource source = JsonSource::data);

/// The same checks, but returns a discarded value (is_discarded()) instead of throwing, with the
/// reason in `*why` when given.
nlohmann::json try_parse_json(std::string_view text, std::string* why = nullptr);

}  // namespace augment
