#pragma once
// A file codec for testing the dataset runner without a media module: a ".vec" file holds one
// features sample as numbers separated by spaces.
#include <fstream>
#include <sstream>

#include "augment/core/error.hpp"
#include "augment/core/number_text.hpp"
#include "augment/core/sample_codec.hpp"
#include "test_ops.hpp"

namespace test_ops {

struct VecCodec final : augment::SampleCodec {
  augment::Kind kind() const override { return augment::Kind::features; }
  std::vector<std::string> extensions() const override { return {".vec"}; }
  augment::Sample read(const std::filesystem::path& file) const override {
    std::ifstream in(file);
    if (!in) throw augment::DataError(file.string() + ": cannot open");
    Row values;
    for (std::string word; in >> word;) {
      const auto v = augment::parse_number(word);
      if (!v) throw augment::DataError(file.string() + ": not a number: '" + word + "'");
      values.push_back(*v);
    }
    if (values.empty()) throw augment::DataError(file.string() + ": empty file");
    return row(std::move(values));
  }
  void write(const augment::Sample& sample, const std::string&, std::ostream& out) const override {
    const Row& values = sample.as<Row>();
    for (std::size_t i = 0; i < values.size(); ++i) out << (i ? " " : "") << augment::format_number(values[i]);
    out << '\n';
  }
};

inline augment::Registry registry_with_codec() {
  augment::Registry r = registry();
  r.add_codec(std::make_shared<VecCodec>());
  return r;
}

}  // namespace test_ops
