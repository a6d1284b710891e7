#pragma once
// A sample is a value of one Kind. The payload type belongs to the module that owns the kind
// (features: std::vector<double>; image: cv::Mat plus targets; ...), so core needs none of them.
#include <any>
#include <string>
#include <typeinfo>
#include <utility>

#include "augment/core/error.hpp"
#include "augment/core/kind.hpp"

namespace augment {

class Sample {
 public:
  Sample() = default;
  template <class T>
  Sample(Kind kind, T value) : kind_(kind), payload_(std::move(value)) {}

  Kind kind() const { return kind_; }
  bool has_value() const { return payload_.has_value(); }

  /// The payload as T; throws UsageError when the sample holds something else.
  template <class T>
  T& as() {
    if (auto* p = std::any_cast<T>(&payload_)) return *p;
    throw_wrong_payload(typeid(T));
  }
  template <class T>
  const T& as() const {
    if (const auto* p = std::any_cast<T>(&payload_)) return *p;
    throw_wrong_payload(typeid(T));
  }

 private:
  [[noreturn]] void throw_wrong_payload(const std::type_info& wanted) const;

  Kind kind_ = Kind::features;
  std::any payload_;
};

}  // namespace augment
