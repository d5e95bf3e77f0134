#include "sql/ast.h"

namespace sluice::sql {

const char* DatasetKindName(DatasetKind kind) {
  switch (kind) {
    case DatasetKind::kStreamingTable:
      return "STREAMING_TABLE";
    case DatasetKind::kMaterializedView:
      return "MATERIALIZED_VIEW";
    case DatasetKind::kTemporaryView:
      return "TEMPORARY_VIEW";
    case DatasetKind::kView:
      return "VIEW";
    case DatasetKind::kSink:
      return "SINK";
  }
  return "UNKNOWN";
}

const char* ViolationActionName(ViolationAction action) {
  switch (action) {
    case ViolationAction::kWarn:
      return "warn";
    case ViolationAction::kDrop:
      return "drop";
    case ViolationAction::kFail:
      return "fail";
  }
  return "warn";
}

}  // namespace sluice::sql
