#include "augment/core/sample.hpp"

namespace augment {

void Sample::throw_wrong_payload(const std::type_info& wanted) const {
  throw UsageError("sample of kind " + std::string(to_string(kind_)) + " holds " +
                   (payload_.has_value() ? payload_.type().name() : "nothing") + ", not " +
                   wanted.name());
}

}  // namespace augment
