#include "run_state.hpp"

#include <fstream>
#include <iterator>

#include "augment/core/atomic_file.hpp"
#include "augment/core/error.hpp"
#include "augment/core/json_text.hpp"

namespace augment::runner {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

[[noreturn]] void untrusted(const fs::path& file, const std::string& reason) {
  const std::string folder = file.parent_path().empty() ? "." : file.parent_path().string();
  throw UsageError(file.string() + ": the run state " + reason +
                   ", so it cannot tell which settings made the outputs in " + folder +
                   "; remove that folder (or this file, to make every output again) and rerun");
}

}  // namespace

std::optional<RunState> read_run_state(const fs::path& file) {
  std::error_code ec;
  if (!fs::exists(file, ec) && !ec) return std::nullopt;
  std::ifstream in(file, std::ios::binary);
  if (!in) untrusted(file, "cannot be read");
  const std::string content{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) untrusted(file, "cannot be read");
  if (content.find_first_not_of(" \t\r\n") == std::string::npos) untrusted(file, "is empty");
  json j;
  try {
    j = parse_json(content, file.string(), JsonSource::data);
  } catch (const DataError& e) {
    // "FILE: not valid JSON: ..." → the reason alone
    std::string reason = e.what();
    if (reason.starts_with(file.string() + ": ")) reason.erase(0, file.string().size() + 2);
    untrusted(file, "is damaged (" + reason + ")");
  }
  if (!j.is_object()) untrusted(file, "is not a JSON object");
  RunState state;
  const auto settings = j.find("settings");
  if (settings == j.end() || !settings->is_object()) untrusted(file, "has no \"settings\" object");
  for (const char* key : {"pipeline", "seed", "copies", "original", "input", "shard"})
    if (!settings->contains(key)) untrusted(file, std::string("lacks the setting \"") + key + "\"");
  const auto complete = j.find("complete");
  if (complete == j.end() || !complete->is_boolean()) untrusted(file, "has no \"complete\" flag");
  const auto rows = j.find("rows");
  if (rows == j.end() || !rows->is_number_unsigned()) untrusted(file, "has no \"rows\" count");
  state.settings = *settings;
  state.complete = complete->get<bool>();
  state.rows = rows->get<std::size_t>();
  return state;
}

void write_run_state(const fs::path& file, const RunState& state) {
  AtomicOutputFile out(file);
  out.stream() << json{{"settings", state.settings}, {"complete", state.complete}, {"rows", state.rows}}.dump() << '\n';
  out.commit();
}

}  // namespace augment::runner
