// Spark's number format strings (to_char / to_varchar, to_number / try_to_number):
// 0 and 9 digits, . or D, , or G, $, S, MI, PR.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace sluice::spark::internal {

class NumberFormat {
 public:
  // Reads and checks a format string (Spark's rules: one decimal point, digits around each
  // separator, tokens in the order [MI|S] [$] digits [.] digits [$] [PR|MI|S]).
  static Result<NumberFormat> Parse(std::string_view format);

  int precision() const { return precision_; }
  int scale() const { return scale_; }

  // to_char of a decimal written as plain text ("-12.50"); digits the format has no room
  // for become '#'.
  std::string Format(std::string_view decimal) const;
  // to_number: the decimal text with the format's scale, or nullopt when the input does
  // not match the format.
  std::optional<std::string> ParseNumber(std::string_view input) const;

  enum class Kind {
    kExactDigits,
    kAtMostDigits,
    kDecimalPoint,
    kSeparator,
    kGroups,
    kDollar,
    kPlusMinus,
    kMinus,
    kOpenBracket,
    kCloseBracket,
    kInvalid,
  };
  struct Token {
    Kind kind;
    int digits = 0;
    std::vector<Token> group;  // kGroups: its digits and separators, right to left
  };

 private:
  std::string format_;
  std::vector<Token> tokens_;
  int precision_ = 0;
  int scale_ = 0;
};

}  // namespace sluice::spark::internal
