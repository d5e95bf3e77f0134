// Status and Result<T>: how every sluice function reports failure.
//
// No exception crosses a module boundary; a function that can fail returns a Status, or a
// Result<T> holding either a value or a non-OK Status. A message is written for the user:
// it names the file, line or path the problem is about, and a hint where one helps.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "common/check.h"

namespace sluice {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // the caller's input is wrong (bad option, bad SQL, bad schema)
  kNotFound,         // a file, table, column or version does not exist
  kAlreadyExists,    // put-if-absent lost: the object is there already
  kIOError,          // the file system failed
  kCorruption,       // stored data is malformed (truncated log, bad checkpoint)
  kNotSupported,     // valid, but sluice does not implement it (unknown table feature)
  kConflict,         // a concurrent writer committed something that conflicts
  kAborted,          // stopped on purpose (cancellation, injected crash)
  kInternal,         // a bug in sluice
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status OK() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  bool IsNotFound() const { return code_ == StatusCode::kNotFound; }
  bool IsAlreadyExists() const { return code_ == StatusCode::kAlreadyExists; }
  bool IsConflict() const { return code_ == StatusCode::kConflict; }

  // "Corruption: <message>"; "OK" for success.
  std::string ToString() const;

  // Returns a copy whose message is "<context>: <message>", for adding the path or step
  // a lower layer did not know about.
  Status WithContext(std::string_view context) const;

  // Marks a Status as deliberately unused.
  void IgnoreError() const {}

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// Constructors named after codes: InvalidArgument("bad ", x, "!") concatenates its parts.
template <typename... Args>
std::string StrCat(const Args&... parts);

#define SLUICE_STATUS_FACTORY(Name)                       \
  template <typename... Args>                             \
  Status Name(const Args&... parts) {                     \
    return Status(StatusCode::k##Name, StrCat(parts...)); \
  }
SLUICE_STATUS_FACTORY(InvalidArgument)
SLUICE_STATUS_FACTORY(NotFound)
SLUICE_STATUS_FACTORY(AlreadyExists)
SLUICE_STATUS_FACTORY(IOError)
SLUICE_STATUS_FACTORY(Corruption)
SLUICE_STATUS_FACTORY(NotSupported)
SLUICE_STATUS_FACTORY(Conflict)
SLUICE_STATUS_FACTORY(Aborted)
SLUICE_STATUS_FACTORY(Internal)
#undef SLUICE_STATUS_FACTORY

// A value of type T or the Status that explains why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Status status) : state_(std::move(status)) {  // NOLINT: implicit by design
    SLUICE_CHECK(!std::get<Status>(state_).ok()) << "Result built from an OK Status";
  }

  bool ok() const { return std::holds_alternative<T>(state_); }
  Status status() const { return ok() ? Status::OK() : std::get<Status>(state_); }

  const T& value() const& {
    CheckOk();
    return std::get<T>(state_);
  }
  T& value() & {
    CheckOk();
    return std::get<T>(state_);
  }
  T&& value() && {
    CheckOk();
    return std::get<T>(std::move(state_));
  }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

  T ValueOr(T fallback) const& { return ok() ? std::get<T>(state_) : std::move(fallback); }

 private:
  void CheckOk() const {
    SLUICE_CHECK(ok()) << "value() of a failed Result: " << std::get<Status>(state_).ToString();
  }
  std::variant<T, Status> state_;
};

}  // namespace sluice

#include "common/status_inl.h"

#define SLUICE_CONCAT_INNER(a, b) a##b
#define SLUICE_CONCAT(a, b) SLUICE_CONCAT_INNER(a, b)

// Returns the Status from the enclosing function if `expr` (a Status) is not OK.
#define SLUICE_RETURN_IF_ERROR(expr)                 \
  do {                                               \
    ::sluice::Status _sluice_status = (expr);        \
    if (!_sluice_status.ok()) return _sluice_status; \
  } while (false)

// `lhs = value of expr` (a Result<T>), or returns its Status from the enclosing function.
#define SLUICE_ASSIGN_OR_RETURN(lhs, expr) \
  SLUICE_ASSIGN_OR_RETURN_IMPL(SLUICE_CONCAT(_sluice_result_, __LINE__), lhs, expr)
#define SLUICE_ASSIGN_OR_RETURN_IMPL(result, lhs, expr) \
  auto result = (expr);                                 \
  if (!result.ok()) return result.status();             \
  lhs = std::move(result).value()
