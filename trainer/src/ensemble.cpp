#include "augment/trainer/ensemble.hpp"

#include <fstream>

#include "augment/core/atomic_file.hpp"
#include "augment/core/error.hpp"
#include "augment/core/json_text.hpp"
#include "augment/core/rng.hpp"
#include "augment/trainer/evaluate.hpp"

namespace augment::trainer {

std::vector<std::size_t> bootstrap_rows(std::size_t n, std::uint64_t seed, std::size_t member) {
  Rng rng = Rng::derive(seed, "augment.trainer.bootstrap", member, 0);
  std::vector<std::size_t> rows(n);
  for (auto& r : rows) r = static_cast<std::size_t>(rng.index(n));
  return rows;
}

template <class T>
std::vector<Matrix<T>> average_predictions(const std::vector<std::vector<Matrix<T>>>& members) {
  if (members.empty()) throw UsageError("an ensemble needs at least one member");
  std::vector<Matrix<T>> mean = members.front();
  for (std::size_t m = 1; m < members.size(); ++m) {
    if (members[m].size() != mean.size()) throw UsageError("ensemble members have different heads");
    for (std::size_t h = 0; h < mean.size(); ++h) {
      if (members[m][h].rows() != mean[h].rows() || members[m][h].cols() != mean[h].cols())
        throw UsageError("ensemble members' predictions differ in shape");
      mean[h] += members[m][h];
    }
  }
  for (auto& p : mean) p /= static_cast<T>(members.size());
  return mean;
}

template <class T>
std::vector<Matrix<T>> ensemble_predict(const std::vector<Network<T>*>& members, const Matrix<T>& inputs) {
  std::vector<std::vector<Matrix<T>>> each;
  for (Network<T>* n : members) each.push_back(predict(*n, inputs));
  return average_predictions(each);
}

void save_ensemble_index(const std::filesystem::path& file, const std::vector<std::string>& checkpoints) {
  const nlohmann::json index = {{"format", "augment.trainer.ensemble"}, {"version", 1}, {"members", checkpoints}};
  AtomicOutputFile out(file);
  out.stream() << index.dump(2) << "\n";
  out.commit();
}

std::vector<std::filesystem::path> load_ensemble_index(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw DataError(file.string() + ": cannot open");
  const nlohmann::json index = parse_json(in, file.string(), JsonSource::data);  // depth-limited
  if (!index.is_object() || index.value("format", "") != "augment.trainer.ensemble")
    throw DataError(file.string() + ": not an augment ensemble index");
  if (index.value("version", 0) != 1)
    throw DataError(file.string() + ": ensemble index version " + index.value("version", nlohmann::json()).dump() +
                    "; this build reads version 1");
  std::vector<std::filesystem::path> out;
  for (const auto& m : index.value("members", nlohmann::json::array())) {
    if (!m.is_string()) throw DataError(file.string() + ": members must be paths");
    out.push_back(file.parent_path() / m.get<std::string>());
  }
  if (out.empty()) throw DataError(file.string() + ": no members");
  return out;
}

#define AUGMENT_INSTANTIATE(T)                                                                      \
  template std::vector<Matrix<T>> average_predictions<T>(const std::vector<std::vector<Matrix<T>>>&); \
  template std::vector<Matrix<T>> ensemble_predict<T>(const std::vector<Network<T>*>&, const Matrix<T>&);
AUGMENT_INSTANTIATE(float)
AUGMENT_INSTANTIATE(double)
#undef AUGMENT_INSTANTIATE

}  // namespace augment::trainer
