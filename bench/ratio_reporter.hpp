#pragma once
// A console reporter that also keeps each benchmark's CPU time per iteration (the median when
// repeated), so a benchmark binary can print ratios against baselines timed in the same run.
#include <benchmark/benchmark.h>

#include <map>
#include <string>
#include <vector>

namespace augment::bench {

class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& r : runs) {
      const std::string name = r.run_name.str();
      if (r.run_type == Run::RT_Aggregate && r.aggregate_name == "median") cpu_[name] = r.GetAdjustedCPUTime();
      else if (r.run_type == Run::RT_Iteration && !median_seen(name)) cpu_[name] = r.GetAdjustedCPUTime();
      if (r.run_type == Run::RT_Aggregate && r.aggregate_name == "median") medians_[name] = true;
    }
    ConsoleReporter::ReportRuns(runs);
  }
  double cpu(const std::string& name) const {
    const auto it = cpu_.find(name);
    return it == cpu_.end() ? 0.0 : it->second;
  }

 private:
  bool median_seen(const std::string& name) const { return medians_.count(name) > 0; }
  std::map<std::string, double> cpu_;
  std::map<std::string, bool> medians_;
};

}  // namespace augment::bench
