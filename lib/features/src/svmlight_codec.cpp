#include "augment/features/svmlight_codec.hpp"

#include <cmath>
#include <fstream>
#include <sstream>

#include "augment/core/error.hpp"
#include "augment/core/number_text.hpp"
#include "augment/features/feature_vector.hpp"

namespace augment::features {

std::string to_svmlight(const std::vector<double>& values) {
  std::string line;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (values[i] == 0) continue;
    if (!std::isfinite(values[i])) throw DataError("feature " + std::to_string(i + 1) + " is not finite");
    if (!line.empty()) line += ' ';
    line += std::to_string(i + 1) + ':' + format_number(values[i]);
  }
  return line + '\n';
}

std::vector<double> from_svmlight(std::string_view line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  std::vector<double> values;
  std::istringstream pairs{std::string(line)};
  std::size_t previous = 0;
  for (std::string pair; pairs >> pair;) {
    const std::size_t colon = pair.find(':');
    const auto index = colon == std::string::npos ? std::nullopt : parse_number(pair.substr(0, colon));
    const auto value = colon == std::string::npos ? std::nullopt : parse_number(pair.substr(colon + 1));
    if (!index || !value || *index < 1 || *index != std::floor(*index) || *index > 1e9)
      throw DataError("expected index:value with an index >= 1, got '" + pair + "'");
    if (!std::isfinite(*value)) throw DataError("'" + pair + "': the value is not finite");
    const auto i = static_cast<std::size_t>(*index);
    if (i <= previous) throw DataError("'" + pair + "': indices must increase");
    previous = i;
    values.resize(i, 0.0);
    values[i - 1] = *value;
  }
  return values;
}

Sample SvmlightCodec::read(const std::filesystem::path& file) const {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw DataError(file.string() + ": cannot open");
  std::string line;
  std::getline(in, line);
  try {
    return make_sample(from_svmlight(line));
  } catch (const DataError& e) {
    throw DataError(file.string() + ": " + e.what());
  }
}

void SvmlightCodec::write(const Sample& sample, const std::string&, std::ostream& out) const {
  out << to_svmlight(values_of(sample));
  if (!out) throw DataError("cannot write the .svm line: the output stream failed");
}

}  // namespace augment::features
