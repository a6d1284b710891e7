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

# pkg-config: augment.pc lists every module, each after the modules it uses (the order they were
# added in, reversed), as static linking needs. The prefix is found from the file's own place, so
# `cmake --install --prefix` anywhere gives a working file. Static archives need their
# dependencies on every link line, so a static build puts them in Requires/Libs, not in the
# .private fields (whose --static expansion would also ask for OpenCV's own static codec libraries).
get_property(augment_modules GLOBAL PROPERTY AUGMENT_MODULES)
list(REVERSE augment_modules)
set(AUGMENT_PC_LIBS "")
foreach(module IN LISTS augment_modules)
  string(APPEND AUGMENT_PC_LIBS " -laugment_${module}")
endforeach()
set(augment_pc_public nlohmann_json opencv4 eigen3)  # what the public headers include
set(augment_pc_private tbb fftw3f sndfile soxr icu-uc icu-i18n libjpeg libtiff-4 zlib openblas)
set(augment_pc_private_libs "-lstemmer -lpthread")
if(BUILD_SHARED_LIBS)
  list(JOIN augment_pc_public " " AUGMENT_PC_REQUIRES)
  list(JOIN augment_pc_private " " AUGMENT_PC_REQUIRES_PRIVATE)
  set(AUGMENT_PC_LIBS_PRIVATE "${augment_pc_private_libs}")
else()
  list(JOIN augment_pc_public " " AUGMENT_PC_REQUIRES)
  list(JOIN augment_pc_private " " augment_pc_private_text)
  string(APPEND AUGMENT_PC_REQUIRES " ${augment_pc_private_text}")
  set(AUGMENT_PC_REQUIRES_PRIVATE "")
  string(APPEND AUGMENT_PC_LIBS " ${augment_pc_private_libs}")
  set(AUGMENT_PC_LIBS_PRIVATE "")
endif()
string(STRIP "${AUGMENT_PC_LIBS}" AUGMENT_PC_LIBS)
file(RELATIVE_PATH AUGMENT_PC_PREFIX_FROM_PCDIR /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
configure_file(cmake/augment.pc.in ${PROJECT_BINARY_DIR}/augment.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/augment.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
