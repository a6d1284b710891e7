#pragma once
// Error types. Every message names where the problem is (file and line, or pipeline stage and
// parameter) and what was expected, so the CLI can print it as one line.
#include <stdexcept>
#include <string>

namespace augment {

/// Base of every error the library throws on purpose.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A pipeline spec that cannot be built: unknown op, bad parameter, kinds that do not chain.
/// The message starts with the stage path, e.g. "stage 3 (rotate): degrees must be in [0, 180], got 400".
class SpecError : public Error {
 public:
  using Error::Error;
};

/// Input data that cannot be used: unreadable file, malformed CSV row, NaN where a number is due.
/// The message starts with the file (and line, where there is one).
class DataError : public Error {
 public:
  using Error::Error;
};

/// A transform applied to a sample of a kind it does not take, or used before it was fitted.
class UsageError : public Error {
 public:
  using Error::Error;
};

}  // namespace augment
