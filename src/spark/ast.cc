#include "spark/ast.h"

namespace sluice::spark {

SourceLocation SourceText::Locate(const Span& span) const {
  return LocationAt(text, file, span.begin, span.line, span.column);
}

void SplitConjuncts(const Expr& condition, std::vector<const Expr*>* out) {
  if (condition.kind == ExprKind::kBinary && condition.op == "AND" && condition.args.size() == 2) {
    SplitConjuncts(*condition.args[0], out);
    SplitConjuncts(*condition.args[1], out);
    return;
  }
  out->push_back(&condition);
}

}  // namespace sluice::spark
