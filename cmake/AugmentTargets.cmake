# augment_library(<module> SOURCES ... [PUBLIC_DEPS ...] [PRIVATE_DEPS ...])
# Declares the target augment_<module>, its alias augment::<module>, its public header folder
# lib/<module>/include and the project's warning flags, and marks it for installation/export.
set(AUGMENT_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
    -Wno-missing-field-initializers)  # designated initializers leave defaults on purpose

# GCC 12 warns -Wrestrict inside libstdc++'s own `"literal" + std::string` at -O2 (GCC bug
# 105329/105651, fixed in 13): a false positive that would bury real warnings.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  list(APPEND AUGMENT_WARNINGS -Wno-restrict)
endif()

function(augment_warnings target)
  target_compile_options(${target} PRIVATE ${AUGMENT_WARNINGS})
endfunction()

function(augment_library module)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  set(target augment_${module})
  add_library(${target} ${ARG_SOURCES})
  add_library(augment::${module} ALIAS ${target})
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${module} OUTPUT_NAME augment_${module})
  target_include_directories(${target} PUBLIC
    $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  target_compile_features(${target} PUBLIC cxx_std_20)
  target_link_libraries(${target} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  augment_warnings(${target})
  set_property(GLOBAL APPEND PROPERTY AUGMENT_MODULES ${module})
  install(TARGETS ${target} EXPORT augmentTargets
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
    RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  install(DIRECTORY include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
endfunction()
