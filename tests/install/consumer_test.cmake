# cmake -DPROJECT_BINARY_DIR=... -DPROJECT_SOURCE_DIR=... -DCMAKE_COMMAND=...
#       [-DBUILD_TYPE=...] [-DCMAKE_CXX_COMPILER=...] [-DAUGMENT_SANITIZE=ON|OFF]
#       -P consumer_test.cmake
# 1. cmake --install <build dir> into a scratch prefix under the build dir
# 2. configure examples/consumer with CMAKE_PREFIX_PATH=<prefix> in a fresh build dir
# 3. build it  4. run it
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
