#include "augment/trainer/checkpoint.hpp"

#include <bit>
#include <algorithm>
#include <cstring>
#include <limits>
#include <map>

#include "augment/core/atomic_file.hpp"
#include "augment/core/error.hpp"
#include "augment/core/json_text.hpp"
#include "augment/core/paths.hpp"
#include "augment/core/rng.hpp"
#include "size_checks.hpp"

namespace augment::trainer {
namespace {

constexpr char kMagic[8] = {'A', 'U', 'G', 'C', 'K', 'P', 'T', '\n'};
constexpr std::size_t kPrefix = 8 + 4 + 4 + 8;  // magic, version, reserved, header length
constexpr const char* kFormat = "augment.trainer.checkpoint";

void put_u32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
void put_u64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
std::uint64_t get_le(const std::string& in, std::size_t at, int bytes) {
  std::uint64_t v = 0;
  for (int i = 0; i < bytes; ++i)
    v |= static_cast<std::uint64_t>(static_cast<unsigned char>(in[at + static_cast<std::size_t>(i)])) << (8 * i);
  return v;
}

template <class T>
constexpr const char* dtype_name() {
  return sizeof(T) == 4 ? "float32" : "float64";
}

template <class T>
void put_values(std::string& out, const Matrix<T>& m) {
  using Bits = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;
  for (Eigen::Index i = 0; i < m.size(); ++i) {
    const Bits bits = std::bit_cast<Bits>(m.data()[i]);
    for (std::size_t b = 0; b < sizeof(T); ++b) out.push_back(static_cast<char>((bits >> (8 * b)) & 0xFF));
  }
}

template <class Stored, class T>
void get_values(const std::string& in, std::size_t at, Matrix<T>& m) {
  using Bits = std::conditional_t<sizeof(Stored) == 4, std::uint32_t, std::uint64_t>;
  for (Eigen::Index i = 0; i < m.size(); ++i) {
    const auto bits = static_cast<Bits>(get_le(in, at + static_cast<std::size_t>(i) * sizeof(Stored), sizeof(Stored)));
    m.data()[i] = static_cast<T>(std::bit_cast<Stored>(bits));
  }
}

template <class T>
std::vector<std::pair<std::string, std::pair<Matrix<T>*, Parameter<T>*>>> tensors_of(Network<T>& network) {
  std::vector<std::pair<std::string, std::pair<Matrix<T>*, Parameter<T>*>>> out;
  for (Parameter<T>* p : network.parameters()) out.push_back({p->name, {&p->value, p}});
  for (auto& [name, m] : network.buffers()) out.push_back({name, {m, nullptr}});
  return out;
}

// The checked header of a checkpoint's bytes, and where its data starts.
nlohmann::json checked_header(const std::string& bytes, const std::string& name, std::size_t& data_start) {
  if (bytes.size() < 8 || std::memcmp(bytes.data(), kMagic, 8) != 0)
    throw DataError(name + ": not an augment checkpoint (no AUGCKPT signature)");
  if (bytes.size() < kPrefix) throw DataError(name + ": truncated: " + std::to_string(bytes.size()) + " bytes");
  const auto version = static_cast<std::uint32_t>(get_le(bytes, 8, 4));
  if (version != kCheckpointVersion)
    throw DataError(name + ": checkpoint format version " + std::to_string(version) + "; this build reads version " +
                    std::to_string(kCheckpointVersion));
  const std::uint64_t header_length = get_le(bytes, 16, 8);
  if (header_length > bytes.size() - kPrefix)
    throw DataError(name + ": truncated: the header needs " + std::to_string(header_length) + " bytes, the file has " +
                    std::to_string(bytes.size() - kPrefix) + " after the prefix");
  data_start = kPrefix + static_cast<std::size_t>(header_length);
  // A header that is not JSON is either damage or truncation inside it; the hash tells which
  // only if the file is whole, so say what we know. Depth-limited like every JSON we read.
  const nlohmann::json header = parse_json(std::string_view(bytes).substr(kPrefix, data_start - kPrefix),
                                           name + ": corrupt header", JsonSource::data);
  if (!header.is_object() || !header.contains("data_bytes") || !header["data_bytes"].is_number_unsigned())
    throw DataError(name + ": corrupt header: data_bytes is missing or not a whole number");
  const std::uint64_t data_bytes = header["data_bytes"].get<std::uint64_t>();
  // Compared without overflow: data_bytes comes from the file.
  const std::uint64_t room = bytes.size() - data_start;
  const std::uint64_t expected = data_bytes > room ? std::numeric_limits<std::uint64_t>::max() : data_start + data_bytes + 8;
  if (bytes.size() < expected)
    throw DataError(name + ": truncated: " + std::to_string(bytes.size()) + " bytes, the header says " +
                    (data_bytes > room ? std::to_string(data_bytes) + " bytes of values after " + std::to_string(data_start)
                                       : std::to_string(expected)));
  if (bytes.size() > expected)
    throw DataError(name + ": corrupt: " + std::to_string(bytes.size() - expected) + " unexpected bytes at the end");
  const std::uint64_t stored = get_le(bytes, static_cast<std::size_t>(expected - 8), 8);
  if (hash_key(std::string_view(bytes.data(), static_cast<std::size_t>(expected - 8))) != stored)
    throw DataError(name + ": corrupt: the checksum does not match the contents");
  if (!header.is_object() || header.value("format", "") != kFormat || !header.contains("architecture") ||
      !header.contains("tensors") || !header["tensors"].is_array())
    throw DataError(name + ": corrupt header: not a " + std::string(kFormat) + " header");
  return header;
}

// The fewest values (parameters and buffers) an architecture's layers hold, from its JSON and
// before anything is built: a forged or damaged header declaring a layer of 1e9 units is refused
// against the values the file actually holds instead of being allocated. Exact for dense and
// batch_norm after layers of known width; a layer whose width this walk does not know (a
// convolution) makes the next dense count its bias and one weight per unit only.
std::uint64_t minimum_values(const nlohmann::json& architecture) {
  using detail::saturating_product;
  const auto add = [](std::uint64_t a, std::uint64_t b) {
    return a > std::numeric_limits<std::uint64_t>::max() - b ? std::numeric_limits<std::uint64_t>::max() : a + b;
  };
  const auto natural = [](const nlohmann::json& j, const char* key) -> std::uint64_t {
    return j.is_object() && j.contains(key) && j[key].is_number_unsigned() ? j[key].get<std::uint64_t>() : 0;
  };
  std::uint64_t total = 0;
  // `width` 0: unknown.
  const auto walk = [&](const nlohmann::json& layers, std::uint64_t width) {
    if (!layers.is_array()) return width;
    for (const auto& layer : layers) {
      const std::string type = layer.is_object() && layer.contains("type") && layer["type"].is_string()
                                   ? layer["type"].get<std::string>() : "";
      if (type == "dense") {
        const std::uint64_t units = natural(layer, "units");
        total = add(total, add(saturating_product(std::max<std::uint64_t>(width, 1), units), units));
        width = units;
      } else if (type == "batch_norm") {
        total = add(total, saturating_product(width, 4));  // gamma, beta, running mean and variance
      } else if (type != "relu" && type != "leaky_relu" && type != "tanh" && type != "sigmoid" &&
                 type != "softmax" && type != "dropout") {
        width = 0;
      }
    }
    return width;
  };
  const std::uint64_t trunk = walk(architecture.is_object() ? architecture.value("trunk", nlohmann::json()) : nlohmann::json(),
                                   natural(architecture, "inputs"));
  if (architecture.is_object() && architecture.contains("heads") && architecture["heads"].is_array())
    for (const auto& head : architecture["heads"])
      if (head.is_object() && head.contains("layers")) walk(head["layers"], trunk);
  return total;
}

}  // namespace

template <class T>
std::string checkpoint_bytes(Network<T>& network, const nlohmann::json& metadata) {
  nlohmann::json tensors = nlohmann::json::array();
  std::string data;
  for (const auto& [name, entry] : tensors_of(network)) {
    const Matrix<T>& m = *entry.first;
    tensors.push_back({{"name", name},
                       {"role", entry.second ? "parameter" : "buffer"},
                       {"rows", m.rows()},
                       {"cols", m.cols()},
                       {"offset", data.size()},
                       {"frozen", entry.second ? entry.second->frozen : false}});
    put_values(data, m);
  }
  const nlohmann::json header = {{"format", kFormat},           {"dtype", dtype_name<T>()},
                                 {"architecture", network.architecture()}, {"metadata", metadata},
                                 {"tensors", tensors},          {"data_bytes", data.size()}};
  const std::string header_text = header.dump();
  std::string out(kMagic, 8);
  put_u32(out, kCheckpointVersion);
  put_u32(out, 0);
  put_u64(out, header_text.size());
  out += header_text;
  out += data;
  put_u64(out, hash_key(out));
  return out;
}

template <class T>
void save_checkpoint(const std::filesystem::path& file, Network<T>& network, const nlohmann::json& metadata) {
  const std::string bytes = checkpoint_bytes(network, metadata);
  AtomicOutputFile out(file);
  out.stream().write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.commit();
}

template <class T>
LoadedCheckpoint<T> parse_checkpoint(const std::string& bytes, const std::string& name) {
  std::size_t data_start = 0;
  const nlohmann::json header = checked_header(bytes, name, data_start);
  const std::string dtype = header.value("dtype", "");
  if (dtype != "float32" && dtype != "float64") throw DataError(name + ": unknown dtype \"" + dtype + "\"");
  const std::size_t width = dtype == "float32" ? 4 : 8;
  const std::uint64_t data_bytes = header["data_bytes"].get<std::uint64_t>();
  if (const std::uint64_t needed = minimum_values(header["architecture"]); needed > data_bytes / width)
    throw DataError(name + ": corrupt header: its architecture holds at least " + std::to_string(needed) +
                    " values, the file " + std::to_string(data_bytes / width));

  Network<T> network = [&] {
    try {
      return Network<T>::from_json(header["architecture"], 0);
    } catch (const SpecError& e) {
      throw DataError(name + ": bad architecture: " + e.what());
    }
  }();
  std::map<std::string, const nlohmann::json*> stored;
  for (const auto& t : header["tensors"]) {
    if (!t.is_object() || !t.contains("name") || !t["name"].is_string())
      throw DataError(name + ": corrupt header: a tensor without a name");
    stored[t["name"].get<std::string>()] = &t;
  }
  const auto targets = tensors_of(network);
  if (stored.size() != targets.size())
    throw DataError(name + ": holds " + std::to_string(stored.size()) + " tensors, its architecture makes " +
                    std::to_string(targets.size()));
  for (const auto& [tensor_name, entry] : targets) {
    const auto it = stored.find(tensor_name);
    if (it == stored.end()) throw DataError(name + ": no values for '" + tensor_name + "'");
    const nlohmann::json& t = *it->second;
    Matrix<T>& m = *entry.first;
    try {
      const auto rows = t.at("rows").get<Eigen::Index>(), cols = t.at("cols").get<Eigen::Index>();
      const auto offset = t.at("offset").get<std::uint64_t>();
      if (rows != m.rows() || cols != m.cols())
        throw DataError(name + ": '" + tensor_name + "' is " + std::to_string(rows) + "×" + std::to_string(cols) +
                        " in the file, the architecture makes it " + std::to_string(m.rows()) + "×" +
                        std::to_string(m.cols()));
      if (offset + static_cast<std::uint64_t>(m.size()) * width > data_bytes)
        throw DataError(name + ": corrupt header: '" + tensor_name + "' lies outside the data");
      if (width == 4)
        get_values<float>(bytes, data_start + static_cast<std::size_t>(offset), m);
      else
        get_values<double>(bytes, data_start + static_cast<std::size_t>(offset), m);
      if (entry.second) entry.second->frozen = t.value("frozen", false);
    } catch (const nlohmann::json::exception& e) {
      throw DataError(name + ": corrupt header: tensor '" + tensor_name + "': " + e.what());
    }
  }
  return {std::move(network), header.value("metadata", nlohmann::json::object())};
}

template <class T>
LoadedCheckpoint<T> load_checkpoint(const std::filesystem::path& file) {
  std::vector<std::uint8_t> raw;
  try {
    raw = read_file_bytes(file, "a checkpoint");
  } catch (const DataError& e) {
    throw DataError(file.string() + ": " + e.what());
  }
  return parse_checkpoint<T>(std::string(raw.begin(), raw.end()), file.string());
}

nlohmann::json read_checkpoint_header(const std::filesystem::path& file) {
  std::vector<std::uint8_t> raw;
  try {
    raw = read_file_bytes(file, "a checkpoint");
  } catch (const DataError& e) {
    throw DataError(file.string() + ": " + e.what());
  }
  std::size_t data_start = 0;
  return checked_header(std::string(raw.begin(), raw.end()), file.string(), data_start);
}

template <class T>
WeightSnapshot<T> snapshot_weights(Network<T>& network) {
  WeightSnapshot<T> s;
  for (const auto& [name, entry] : tensors_of(network)) s.values.emplace_back(name, *entry.first);
  return s;
}

template <class T>
void restore_weights(Network<T>& network, const WeightSnapshot<T>& snapshot) {
  const auto targets = tensors_of(network);
  if (targets.size() != snapshot.values.size()) throw UsageError("restore_weights: the snapshot is of another network");
  for (std::size_t i = 0; i < targets.size(); ++i) {
    if (targets[i].first != snapshot.values[i].first ||
        targets[i].second.first->rows() != snapshot.values[i].second.rows() ||
        targets[i].second.first->cols() != snapshot.values[i].second.cols())
      throw UsageError("restore_weights: the snapshot is of another network ('" + snapshot.values[i].first + "')");
    *targets[i].second.first = snapshot.values[i].second;
  }
}

#define AUGMENT_INSTANTIATE(T)                                                                     \
  template std::string checkpoint_bytes<T>(Network<T>&, const nlohmann::json&);                  \
  template void save_checkpoint<T>(const std::filesystem::path&, Network<T>&, const nlohmann::json&); \
  template LoadedCheckpoint<T> parse_checkpoint<T>(const std::string&, const std::string&);      \
  template LoadedCheckpoint<T> load_checkpoint<T>(const std::filesystem::path&);                 \
  template WeightSnapshot<T> snapshot_weights<T>(Network<T>&);                                   \
  template void restore_weights<T>(Network<T>&, const WeightSnapshot<T>&);
AUGMENT_INSTANTIATE(float)
AUGMENT_INSTANTIATE(double)
#undef AUGMENT_INSTANTIATE

}  // namespace augment::trainer
