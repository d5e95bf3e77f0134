// Data file paths in the log (add.path, remove.path, cdc.path): URI-encoded, relative to the
// table root or absolute (PROTOCOL.md "Add File and Remove File"; ../shared/reference/
// delta-protocol.md, section 4). Decode exactly once: a partition directory escaped by Hive
// rules ("time=1970-01-01 00%3A00%3A00") appears in the log encoded again
// ("time=1970-01-01%2000%253A00%253A00"), and its file on disk keeps the "%3A".
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace sluice::delta {

// How Spark writes add.path for a relative path (java.net.URI quoting of a path): letters,
// digits, "-_.!~*'()", ",;$&+=@" and '/' stay; ASCII space, control characters, '%', '#', '?',
// ':' and the other reserved characters become %XX (uppercase hex); non-ASCII UTF-8 stays as is
// except Unicode spaces and C1 controls, which are encoded byte by byte. (Spark never has ':' in
// a relative path; encoding it keeps the result from reading as a URI scheme.)
std::string EncodeAddPath(std::string_view relative_path);

// Percent-decodes once ("%20" -> ' ', "%2520" -> "%20"; '+' stays '+'). A '%' not followed by
// two hex digits is InvalidArgument.
Result<std::string> DecodeAddPath(std::string_view encoded);

// The absolute local file path that `add_path` (as written in the log) names for the table at
// `table_root` (a local directory, or a file: URI). "file:/x", "file:///x",
// "file://localhost/x" and "/x" are the same file; a relative path is appended to the root;
// the path is decoded exactly once and normalized lexically ("a//b/./c" -> "a/b/c"). Used both
// to read files and, as a canonical form, to compare the paths of adds and removes. Other URI
// schemes (s3:, abfss:, hdfs:...) and file URIs naming another host are NotSupported.
Result<std::string> ResolveDataFilePath(std::string_view table_root, std::string_view add_path);

}  // namespace sluice::delta
