// Session::Write and Delete, over the Delta layer's writer.
#include <string>

#include "api/session_internal.h"

namespace sluice {

Result<WriteResult> Session::Write(const std::string& path, const std::string& sql,
                                   const WriteRequest& request) {
  SLUICE_ASSIGN_OR_RETURN(std::string root, api::NormalizeTablePath(path));
  if (request.overwrite_schema && request.mode != WriteRequest::Mode::kOverwrite) {
    return InvalidArgument(root, ": overwriting the schema needs the overwrite mode");
  }
  return NotSupported(root, ": writing is not implemented yet");
}

Result<DeleteResult> Session::Delete(const std::string& path, const std::string& where) {
  SLUICE_ASSIGN_OR_RETURN(std::string root, api::NormalizeTablePath(path));
  return NotSupported(root, ": deleting is not implemented yet");
}

}  // namespace sluice
