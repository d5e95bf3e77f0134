// Session::Write and Delete, over the Delta layer's writer.
#include <string>

#include "api/session_internal.h"
#include "delta/write.h"

namespace sluice {
namespace {

delta::WriteMode ToDeltaMode(WriteRequest::Mode mode) {
  switch (mode) {
    case WriteRequest::Mode::kAppend:
      return delta::WriteMode::kAppend;
    case WriteRequest::Mode::kOverwrite:
      return delta::WriteMode::kOverwrite;
    case WriteRequest::Mode::kErrorIfExists:
      return delta::WriteMode::kErrorIfExists;
    case WriteRequest::Mode::kIgnore:
      return delta::WriteMode::kIgnore;
  }
  return delta::WriteMode::kAppend;
}

}  // namespace

Result<WriteResult> Session::Write(const std::string& path, const std::string& sql,
                                   const WriteRequest& request) {
  SLUICE_ASSIGN_OR_RETURN(std::string root, api::NormalizeTablePath(path));
  if (request.overwrite_schema && request.mode != WriteRequest::Mode::kOverwrite) {
    return InvalidArgument(root, ": overwriting the schema needs the overwrite mode");
  }
  delta::WriteOptions options;
  options.mode = ToDeltaMode(request.mode);
  options.partition_by = request.partition_by;
  options.table_properties = request.properties;
  options.merge_schema = request.merge_schema;
  options.overwrite_schema = request.overwrite_schema;
  Result<delta::WriteResult> written = delta::WriteTable(impl_->context, root, sql, options);
  if (!written.ok()) return api::NameTable(written.status(), root);
  WriteResult result;
  result.version = written->version;
  result.rows = written->rows_written;
  result.files_added = written->files_added;
  result.files_removed = written->files_removed;
  return result;
}

Result<DeleteResult> Session::Delete(const std::string& path, const std::string& where) {
  SLUICE_ASSIGN_OR_RETURN(std::string root, api::NormalizeTablePath(path));
  Result<delta::DeleteResult> deleted = delta::DeleteRows(impl_->context, root, where);
  if (!deleted.ok()) return api::NameTable(deleted.status(), root);
  DeleteResult result;
  result.version = deleted->version;
  result.rows_deleted = deleted->rows_deleted;
  result.rows_copied = deleted->rows_copied;
  result.files_removed = deleted->files_removed;
  result.files_added = deleted->files_added;
  return result;
}

}  // namespace sluice
