#pragma once
// The resampling parameters geometry stages share: interpolation, border mode and value.
#include <vector>

#include <nlohmann/json.hpp>

#include "augment/core/param_spec.hpp"
#include "augment/image/image.hpp"

namespace augment::image {

/// interpolation (nearest|linear|cubic|area, default linear), border (constant|reflect|
/// reflect_edge|replicate|wrap, default constant; reflect is cv::BORDER_REFLECT_101 = numpy's
/// and torchvision's "reflect", reflect_edge cv::BORDER_REFLECT = numpy's "symmetric"),
/// border_value (number, default 0).
std::vector<ParamSpec> warp_params();
/// Reads those parameters from a stage's validated settings.
WarpSettings warp_settings(const nlohmann::json& settings);
/// cv::BORDER_* from a border name (also used by pad).
int border_code(const std::string& name);

}  // namespace augment::image
