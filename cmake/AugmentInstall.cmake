# CMake package: find_package(augment) then target_link_libraries(app augment::features).
include(CMakePackageConfigHelpers)
install(EXPORT augmentTargets NAMESPACE augment:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/augment)
configure_package_config_file(cmake/augmentConfig.cmake.in
  ${PROJECT_BINARY_DIR}/augmentConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/augment)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/augmentConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/augmentConfig.cmake ${PROJECT_BINARY_DIR}/augmentConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/augment)
