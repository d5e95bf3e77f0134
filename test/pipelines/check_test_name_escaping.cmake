# A pipeline test file whose name needs escaping is selected by the filter CTest gives
# it: a failing test named "a-b c.test" must make pipeline_test fail, not pass by running
# nothing; and two files whose names escape alike fail. Run with
# -DPIPELINE_TEST=<binary> -DWORK_DIR=<folder it may replace>.
include("${CMAKE_CURRENT_LIST_DIR}/PipelineTestName.cmake")
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
file(WRITE "${WORK_DIR}/a-b c.test" "# Fails on purpose.\nexists no-such-file\n")
pipeline_test_name("a-b c.test" name)
execute_process(
  COMMAND "${CMAKE_COMMAND}" -E env "SLUICE_PIPELINE_TESTS=${WORK_DIR}"
          "${PIPELINE_TEST}" "--gtest_filter=PipelineScript.${name}"
  RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(result EQUAL 0)
  message(FATAL_ERROR "the filter for 'a-b c.test' selected no failing test:\n${output}")
endif()
if(NOT output MATCHES "no-such-file does not exist")
  message(FATAL_ERROR "the test did not run as expected:\n${output}")
endif()

# Two files whose names escape alike ("c-d.test", "c_d.test") fail under either's filter.
file(WRITE "${WORK_DIR}/c-d.test" "missing no-such-file\n")
file(WRITE "${WORK_DIR}/c_d.test" "missing no-such-file\n")
pipeline_test_name("c-d.test" name)
execute_process(
  COMMAND "${CMAKE_COMMAND}" -E env "SLUICE_PIPELINE_TESTS=${WORK_DIR}"
          "${PIPELINE_TEST}" "--gtest_filter=PipelineScript.${name}"
  RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(result EQUAL 0 OR NOT output MATCHES "have the same test name once escaped")
  message(FATAL_ERROR "'c-d.test' and 'c_d.test' did not fail as a collision:\n${output}")
endif()
file(REMOVE_RECURSE "${WORK_DIR}")
