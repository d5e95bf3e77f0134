#include "spark/ast.h"

namespace sluice::spark {

SourceLocation SourceText::Locate(const Span& span) const {
  return LocationAt(text, file, span.begin, span.line, span.column);
}

}  // namespace sluice::spark
