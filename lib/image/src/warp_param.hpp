#pragma once
// One of the shared resampling parameters of warp_params(), by name, for ops that take only some
// of them (resize takes interpolation; pad takes border and border_value). Private to the module.
#include <stdexcept>
#include <string>

#include "augment/image/warp_params.hpp"

namespace augment::image::detail {

inline ParamSpec warp_param(const std::string& name) {
  for (ParamSpec& p : warp_params())
    if (p.name == name) return p;
  throw std::logic_error("warp_params() has no parameter " + name);
}

}  // namespace augment::image::detail
