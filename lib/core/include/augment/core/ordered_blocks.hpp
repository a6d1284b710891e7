#pragma once
// The shape of every streaming job here: read blocks in order on one thread, transform them on
// many, and consume the results in the order they were read. Output bytes then never depend on
// the thread count, and at most 2 × threads blocks are in memory at once.
#include <algorithm>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <utility>

namespace augment {

/// Worker threads for `jobs` (0: every core); never more than the cores, since results do not
/// depend on it and oversubscription only adds contention.
std::size_t worker_threads(std::size_t jobs);

/// Runs `work` in a task arena of worker_threads(jobs) threads: parallel code inside it
/// (Pipeline::fit) uses that many.
void with_workers(std::size_t jobs, const std::function<void()>& work);

namespace detail {
using AnyBlock = std::shared_ptr<void>;
void run_ordered_blocks(std::size_t jobs, const std::function<AnyBlock()>& read,
                        const std::function<AnyBlock(const AnyBlock&)>& work,
                        const std::function<void(const AnyBlock&)>& consume);
}  // namespace detail

/// Calls read() until it returns nullopt, work() on each block in parallel (at most
/// worker_threads(jobs) at a time) and consume() on the results in read order, on one thread at
/// a time. An exception from any of them ends the run and is rethrown here.
template <class In, class Out>
void run_ordered_blocks(std::size_t jobs, const std::function<std::optional<In>()>& read,
                        const std::function<Out(In&)>& work, const std::function<void(Out&)>& consume) {
  detail::run_ordered_blocks(
      jobs,
      [&]() -> detail::AnyBlock {
        std::optional<In> block = read();
        return block ? std::make_shared<In>(std::move(*block)) : nullptr;
      },
      [&](const detail::AnyBlock& in) -> detail::AnyBlock {
        return std::make_shared<Out>(work(*std::static_pointer_cast<In>(in)));
      },
      [&](const detail::AnyBlock& out) { consume(*std::static_pointer_cast<Out>(out)); });
}

}  // namespace augment
