// sluice's own Python modules (src/python/lib), compiled into the library by
// cmake/EmbedFiles.cmake and served to the embedded interpreter by an import hook.
#pragma once

#include <vector>

namespace sluice::python {

struct EmbeddedSource {
  const char* module;  // dotted name, e.g. "pyspark.sql.functions"
  bool package;        // an __init__.py
  const char* source;  // the file's text
};

const std::vector<EmbeddedSource>& EmbeddedSources();

}  // namespace sluice::python
