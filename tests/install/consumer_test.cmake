# cmake -DPROJECT_BINARY_DIR=... -DPROJECT_SOURCE_DIR=... -DCMAKE_COMMAND=...
#       [-DBUILD_TYPE=...] [-DCMAKE_CXX_COMPILER=...] [-DAUGMENT_SANITIZE=ON|OFF]
#       -P consumer_test.cmake
# 1. cmake --install <build dir> into a scratch prefix under the build dir
# 2. configure examples/consumer with CMAKE_PREFIX_PATH=<prefix> in a fresh build dir
# 3. build it  4. run it
# 5. build and run it again with only the installed augment.pc (pkg-config)
# 6. the versions agree: `augment --version`, the CMake package, augment.pc, augment::version
# Any failing step stops the test with FATAL_ERROR and that step's output.
cmake_minimum_required(VERSION 3.25)

foreach(var PROJECT_BINARY_DIR PROJECT_SOURCE_DIR CMAKE_COMMAND)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "consumer_test.cmake: pass -D${var}=...")
  endif()
endforeach()
if(NOT DEFINED BUILD_TYPE OR BUILD_TYPE STREQUAL "")
  set(BUILD_TYPE Release)
endif()

set(work ${PROJECT_BINARY_DIR}/install-test)
set(prefix ${work}/prefix)
set(consumer_build ${work}/consumer-build)
file(REMOVE_RECURSE ${work})
file(MAKE_DIRECTORY ${work})

function(step name)
  execute_process(COMMAND ${ARGN}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    string(JOIN " " cmdline ${ARGN})
    message(FATAL_ERROR "${name} failed (${rc}):\n  ${cmdline}\n--- stdout\n${out}\n--- stderr\n${err}")
  endif()
  message(STATUS "${name}: ok")
  set(step_output "${out}" PARENT_SCOPE)
endfunction()

step("install"
  ${CMAKE_COMMAND} --install ${PROJECT_BINARY_DIR} --prefix ${prefix} --config ${BUILD_TYPE})

set(consumer_args -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=${BUILD_TYPE}
                  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
if(DEFINED CMAKE_CXX_COMPILER AND NOT CMAKE_CXX_COMPILER STREQUAL "")
  list(APPEND consumer_args -DCMAKE_CXX_COMPILER=${CMAKE_CXX_COMPILER})
endif()
# A sanitized build installs instrumented static libraries; their user must link the
# sanitizer runtimes too.
if(AUGMENT_SANITIZE)
  list(APPEND consumer_args
    "-DCMAKE_CXX_FLAGS=-fsanitize=address,undefined -fno-omit-frame-pointer"
    "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined")
endif()

# The consumer must find the package only through the prefix, never the build tree.
step("configure consumer"
  ${CMAKE_COMMAND} -S ${PROJECT_SOURCE_DIR}/examples/consumer -B ${consumer_build}
    ${consumer_args})

step("build consumer"
  ${CMAKE_COMMAND} --build ${consumer_build} --config ${BUILD_TYPE})

find_program(consumer_exe consumer
  PATHS ${consumer_build} ${consumer_build}/${BUILD_TYPE} NO_DEFAULT_PATH REQUIRED)
step("run consumer" ${consumer_exe})
message(STATUS "consumer printed: ${step_output}")

string(REGEX MATCH "^augment ([0-9.]+)" _ "${step_output}")
set(header_version "${CMAKE_MATCH_1}")

# The same program built with nothing but pkg-config and the compiler.
find_program(PKG_CONFIG_EXECUTABLE pkg-config REQUIRED)
file(GLOB pc_file ${prefix}/lib*/pkgconfig/augment.pc ${prefix}/lib/*/pkgconfig/augment.pc)
if(NOT pc_file)
  message(FATAL_ERROR "no augment.pc installed under ${prefix}")
endif()
get_filename_component(pc_dir "${pc_file}" DIRECTORY)
set(ENV{PKG_CONFIG_PATH} "${pc_dir}")
step("pkg-config flags" ${PKG_CONFIG_EXECUTABLE} --cflags --libs augment)
separate_arguments(pc_flags UNIX_COMMAND "${step_output}")
if(AUGMENT_SANITIZE)
  list(APPEND pc_flags -fsanitize=address,undefined)
endif()
set(compiler ${CMAKE_CXX_COMPILER})
if(NOT compiler)
  set(compiler c++)
endif()
set(consumer_src ${PROJECT_SOURCE_DIR}/examples/consumer)
step("build consumer with pkg-config"
  ${compiler} -std=c++20 -O1 ${consumer_src}/main.cpp ${consumer_src}/image_example.cpp
    ${consumer_src}/trainer_example.cpp -o ${work}/consumer-pc ${pc_flags})
# A shared build's libraries sit in the scratch prefix, outside the loader's path.
get_filename_component(pc_libdir "${pc_dir}" DIRECTORY)
step("run consumer built with pkg-config"
  ${CMAKE_COMMAND} -E env LD_LIBRARY_PATH=${pc_libdir} ${work}/consumer-pc)

# One version everywhere.
step("augment --version" ${prefix}/bin/augment --version)
string(STRIP "${step_output}" cli_version)
step("pkg-config --modversion" ${PKG_CONFIG_EXECUTABLE} --modversion augment)
string(STRIP "${step_output}" pc_version)
file(GLOB config_version_file ${prefix}/lib*/cmake/augment/augmentConfigVersion.cmake
     ${prefix}/lib/*/cmake/augment/augmentConfigVersion.cmake)
file(STRINGS "${config_version_file}" package_line REGEX "set\\(PACKAGE_VERSION \"")
string(REGEX MATCH "\"([0-9.]+)\"" _ "${package_line}")
set(package_version "${CMAKE_MATCH_1}")
if(NOT cli_version STREQUAL "augment ${package_version}" OR NOT pc_version STREQUAL package_version
   OR NOT header_version STREQUAL package_version)
  message(FATAL_ERROR "versions disagree: '${cli_version}', CMake package ${package_version}, augment.pc "
                      "${pc_version}, augment::version ${header_version}")
endif()
message(STATUS "one version everywhere: ${package_version}")
