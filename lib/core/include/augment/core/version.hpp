#pragma once
// The version of augment: the one place it is written. CMake's project(VERSION) reads it from
// here, so `augment --version`, the CMake package (augmentConfigVersion.cmake), augment.pc and
// this header always agree.
namespace augment {

inline constexpr int version_major = 0;
inline constexpr int version_minor = 1;
inline constexpr int version_patch = 0;
inline constexpr const char* version = "0.1.0";

}  // namespace augment
