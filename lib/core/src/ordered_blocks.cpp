#include "augment/core/ordered_blocks.hpp"

#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

namespace augment {

std::size_t worker_threads(std::size_t jobs) {
  const auto cores = static_cast<std::size_t>(tbb::info::default_concurrency());
  return jobs == 0 ? cores : std::min(jobs, cores);
}

void with_workers(std::size_t jobs, const std::function<void()>& work) {
  tbb::task_arena arena(static_cast<int>(worker_threads(jobs)));
  arena.execute(work);
}

namespace detail {

void run_ordered_blocks(std::size_t jobs, const std::function<AnyBlock()>& read,
                        const std::function<AnyBlock(const AnyBlock&)>& work,
                        const std::function<void(const AnyBlock&)>& consume) {
  const std::size_t threads = worker_threads(jobs);
  tbb::task_arena arena(static_cast<int>(threads));
  arena.execute([&] {
    tbb::parallel_pipeline(
        2 * threads,
        tbb::make_filter<void, AnyBlock>(tbb::filter_mode::serial_in_order,
                                         [&](tbb::flow_control& fc) {
                                           AnyBlock block = read();
                                           if (!block) fc.stop();
                                           return block;
                                         }) &
            tbb::make_filter<AnyBlock, AnyBlock>(tbb::filter_mode::parallel, work) &
            tbb::make_filter<AnyBlock, void>(tbb::filter_mode::serial_in_order, consume));
  });
}

}  // namespace detail
}  // namespace augment
