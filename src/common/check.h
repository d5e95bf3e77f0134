// Checks for invariants that only a bug in sluice can break.
//
// Policy: user input, file contents and I/O failures are never CHECKed; they return a
// Status. SLUICE_CHECK stays on in every build and aborts with the condition, the place
// and a message; SLUICE_DCHECK is for checks too costly for release builds.
#pragma once

#include <sstream>

namespace sluice::internal {

// Collects the message of a failed check and aborts when destroyed.
class CheckFailure {
 public:
  CheckFailure(const char* condition, const char* file, int line);
  [[noreturn]] ~CheckFailure();
  template <typename T>
  CheckFailure& operator<<(const T& part) {
    message_ << part;
    return *this;
  }

 private:
  std::ostringstream message_;
};

// Makes `cond ? (void)0 : CheckFailure(...) << ...` well-typed.
struct Voidify {
  void operator&(const CheckFailure&) {}
};

}  // namespace sluice::internal

#define SLUICE_CHECK(condition)                 \
  (condition) ? (void)0                         \
              : ::sluice::internal::Voidify() & \
                    ::sluice::internal::CheckFailure(#condition, __FILE__, __LINE__)

#ifdef NDEBUG
#define SLUICE_DCHECK(condition) \
  while (false) SLUICE_CHECK(condition)
#else
#define SLUICE_DCHECK(condition) SLUICE_CHECK(condition)
#endif
