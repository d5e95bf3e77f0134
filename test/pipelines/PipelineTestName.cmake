# The GoogleTest name of a pipeline test file: its path below the tests' folder with every
# byte other than letters, digits, '_', '.' and '/' replaced by '_', so that
# --gtest_filter=PipelineScript.<name> selects exactly that test ('-', '*', '?' and ':' are
# filter syntax: "a-b.test" would select nothing and pass). pipeline_script_test.cc names
# the tests it registers the same way.
function(pipeline_test_name relative_path out_var)
  string(REGEX REPLACE "[^A-Za-z0-9_./]" "_" name "${relative_path}")
  set(${out_var} "${name}" PARENT_SCOPE)
endfunction()
