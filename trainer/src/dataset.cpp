#include "augment/trainer/dataset.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "augment/core/csv.hpp"
#include "augment/core/error.hpp"
#include "augment/core/number_text.hpp"

namespace augment::trainer {
namespace {

// Numeric order when every label is a number ("2" before "10"), else byte order.
void sort_labels(std::vector<std::string>& labels) {
  const bool numeric = std::all_of(labels.begin(), labels.end(), [](const std::string& s) {
    const auto v = parse_number(s);
    return v && std::isfinite(*v);
  });
  if (numeric)
    std::stable_sort(labels.begin(), labels.end(),
                     [](const std::string& a, const std::string& b) { return *parse_number(a) < *parse_number(b); });
  else
    std::sort(labels.begin(), labels.end());
}

double parse_value(const std::string& text, const std::string& where) {
  const auto v = parse_number(text);
  if (!v) throw DataError(where + (text.empty() ? "empty value" : "not a number: '" + text + "'"));
  if (!std::isfinite(*v)) throw DataError(where + "NaN and infinity are not accepted, got '" + text + "'");
  return *v;
}

}  // namespace

nlohmann::json TargetColumn::to_json() const {
  nlohmann::json j = {{"column", column}, {"type", type == TargetType::class_label ? "class" : "value"}};
  if (type == TargetType::class_label) j["labels"] = labels;
  return j;
}

TargetColumn TargetColumn::from_json(const nlohmann::json& j, const std::string& what) {
  TargetColumn t;
  if (!j.is_object() || !j.contains("column") || !j["column"].is_string() || !j.contains("type") ||
      !j["type"].is_string())
    throw DataError(what + ": a target needs a \"column\" and a \"type\", got " + j.dump());
  t.column = j["column"].get<std::string>();
  const auto type = j["type"].get<std::string>();
  if (type == "class") {
    t.type = TargetType::class_label;
    if (!j.contains("labels") || !j["labels"].is_array() || j["labels"].empty())
      throw DataError(what + ": class target '" + t.column + "' lacks its labels");
    for (const auto& l : j["labels"]) {
      if (!l.is_string()) throw DataError(what + ": class target '" + t.column + "': labels must be strings");
      t.labels.push_back(l.get<std::string>());
    }
  } else if (type == "value") {
    t.type = TargetType::value;
  } else {
    throw DataError(what + ": target type must be \"class\" or \"value\", got \"" + type + "\"");
  }
  return t;
}

Dataset Dataset::read_csv(const TableSpec& spec) {
  CsvReader reader(spec.file);
  Dataset d;
  d.name_ = reader.name();
  const auto& header = reader.header();

  std::vector<std::size_t> target_index;
  std::set<std::size_t> reserved;
  for (const auto& t : spec.targets) {
    target_index.push_back(reader.column_index(t.column));
    reserved.insert(target_index.back());
  }
  std::optional<std::size_t> key_index;
  if (!spec.key_column.empty()) {
    key_index = reader.column_index(spec.key_column);
    reserved.insert(*key_index);
  }

  std::vector<CsvRow> rows;
  CsvRow row;
  while (reader.next(row)) rows.push_back(row);
  if (rows.empty()) throw DataError(d.name_ + ": no data rows");

  std::vector<std::size_t> feature_index;
  if (!spec.features.empty()) {
    for (const auto& name : spec.features) {
      feature_index.push_back(reader.column_index(name));
      if (reserved.count(feature_index.back()))
        throw DataError(d.name_ + ": column '" + name + "' cannot be both a feature and a target or key");
    }
  } else {
    for (std::size_t j = 0; j < header.size(); ++j)
      if (const auto v = parse_number(rows.front().fields[j]); v && std::isfinite(*v) && !reserved.count(j))
        feature_index.push_back(j);
    if (feature_index.empty())
      throw DataError(d.name_ + ": no numeric column besides the targets in the first data row; name the features");
  }
  for (auto j : feature_index) d.feature_names_.push_back(header[j]);

  d.features_.reserve(rows.size());
  std::vector<std::vector<std::string>> texts(rows.size());
  std::vector<std::string> where(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    const std::string at = d.name_ + ":" + std::to_string(r.line) + ": column '";
    std::vector<double> values(feature_index.size());
    for (std::size_t k = 0; k < feature_index.size(); ++k)
      values[k] = parse_value(r.fields[feature_index[k]], at + header[feature_index[k]] + "': ");
    d.features_.push_back(std::move(values));
    for (std::size_t t = 0; t < spec.targets.size(); ++t) texts[i].push_back(r.fields[target_index[t]]);
    where[i] = d.name_ + ":" + std::to_string(r.line);
    d.keys_.push_back(key_index ? r.fields[*key_index] : std::to_string(i + 1));
    d.lines_.push_back(r.line);
  }
  d.targets_ = spec.targets;
  d.encode_targets(texts, where);
  return d;
}

// Class labels: given, or the distinct values of the column over the whole file (sorted).
void Dataset::encode_targets(const std::vector<std::vector<std::string>>& texts, const std::vector<std::string>& where) {
  std::size_t offset = 0;
  std::vector<std::map<std::string, std::size_t>> label_index(targets_.size());
  for (std::size_t t = 0; t < targets_.size(); ++t) {
    auto& target = targets_[t];
    if (target.type == TargetType::class_label && target.labels.empty()) {
      std::set<std::string> seen;
      for (const auto& row : texts) seen.insert(row[t]);
      target.labels.assign(seen.begin(), seen.end());
      sort_labels(target.labels);
    }
    for (std::size_t k = 0; k < target.labels.size(); ++k) label_index[t][target.labels[k]] = k;
    target.offset = offset;
    offset += target.width();
  }
  target_matrix_ = Matrix<double>::Zero(static_cast<Eigen::Index>(texts.size()), static_cast<Eigen::Index>(offset));
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const auto i_row = static_cast<Eigen::Index>(i);
    for (std::size_t t = 0; t < targets_.size(); ++t) {
      const auto& target = targets_[t];
      const std::string& text = texts[i][t];
      const std::string at = where[i] + ": column '" + target.column + "': ";
      if (target.type == TargetType::value) {
        target_matrix_(i_row, static_cast<Eigen::Index>(target.offset)) = parse_value(text, at);
      } else {
        const auto it = label_index[t].find(text);
        if (it == label_index[t].end())
          throw DataError(at + "label '" + text + "' is not one of the model's " + std::to_string(target.labels.size()) +
                          " labels");
        target_matrix_(i_row, static_cast<Eigen::Index>(target.offset + it->second)) = 1;
      }
    }
  }
}

std::size_t Dataset::target_width() const { return static_cast<std::size_t>(target_matrix_.cols()); }

const TargetColumn* Dataset::target(const std::string& name) const {
  for (const auto& t : targets_)
    if (t.column == name) return &t;
  return nullptr;
}

Dataset Dataset::subset(const std::vector<std::size_t>& rows) const {
  Dataset d;
  d.name_ = name_;
  d.feature_names_ = feature_names_;
  d.targets_ = targets_;
  d.applied_stages_ = applied_stages_;
  d.input_shape_ = input_shape_;
  d.input_width_ = input_width_;
  d.target_matrix_.resize(static_cast<Eigen::Index>(rows.size()), target_matrix_.cols());
  std::map<std::size_t, std::size_t> repeats;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (!features_.empty()) d.features_.push_back(features_.at(rows[i]));
    if (!samples_.empty()) d.samples_.push_back(samples_.at(rows[i]));
    d.target_matrix_.row(static_cast<Eigen::Index>(i)) = target_matrix_.row(static_cast<Eigen::Index>(rows[i]));
    const std::size_t repeat = repeats[rows[i]]++;
    d.keys_.push_back(repeat == 0 ? keys_[rows[i]] : keys_[rows[i]] + "#" + std::to_string(repeat));
    d.lines_.push_back(lines_[rows[i]]);
  }
  return d;
}

}  // namespace augment::trainer
