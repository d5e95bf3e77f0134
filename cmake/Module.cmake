# sluice_module(NAME DEPS <public deps...> PRIVATE_DEPS <private deps...>)
#
# One static library per module, sluice_NAME, built from src/NAME/*.cc except *_test.cc.
# Its unit tests, src/NAME/*_test.cc, form one GoogleTest binary NAME_test whose cases are
# registered with CTest one by one.
function(sluice_module name)
  cmake_parse_arguments(ARG "" "" "DEPS;PRIVATE_DEPS" ${ARGN})
  set(dir "${CMAKE_SOURCE_DIR}/src/${name}")
  file(GLOB_RECURSE all_sources CONFIGURE_DEPENDS "${dir}/*.cc")
  set(sources ${all_sources})
  list(FILTER sources EXCLUDE REGEX "_test\\.cc$")
  list(FILTER sources EXCLUDE REGEX "_fuzz\\.cc$")
  set(tests ${all_sources})
  list(FILTER tests INCLUDE REGEX "_test\\.cc$")

  if(sources)
    add_library(sluice_${name} STATIC ${sources})
    target_include_directories(sluice_${name} PUBLIC "${CMAKE_SOURCE_DIR}/src" "${CMAKE_SOURCE_DIR}/include")
    target_link_libraries(sluice_${name} PUBLIC ${ARG_DEPS} Threads::Threads
                          PRIVATE ${ARG_PRIVATE_DEPS})
  else()  # headers only
    add_library(sluice_${name} INTERFACE)
    target_include_directories(sluice_${name} INTERFACE "${CMAKE_SOURCE_DIR}/src" "${CMAKE_SOURCE_DIR}/include")
    target_link_libraries(sluice_${name} INTERFACE ${ARG_DEPS} Threads::Threads)
  endif()

  if(SLUICE_BUILD_TESTS AND tests)
    add_executable(${name}_test ${tests})
    target_link_libraries(${name}_test PRIVATE sluice_${name} sluice_testing ${ARG_PRIVATE_DEPS}
                          GTest::gtest GTest::gmock GTest::gtest_main)
    target_compile_definitions(${name}_test PRIVATE
      SLUICE_SOURCE_DIR="${CMAKE_SOURCE_DIR}"
      SLUICE_CONFORMANCE_DIR="${CMAKE_SOURCE_DIR}/../shared/conformance")
    gtest_discover_tests(${name}_test DISCOVERY_MODE PRE_TEST
                         WORKING_DIRECTORY "${CMAKE_BINARY_DIR}"
                         PROPERTIES LABELS "${name}")
  endif()
endfunction()
