#include "spark/ast.h"

namespace sluice::spark {

SourceLocation SourceText::Locate(const Span& span) const {
  return LocationAt(text, file, span.begin, span.line, span.column);
}

namespace {

void FindWatermarkedRelations(const Query& query, std::vector<const Relation*>* out) {
  switch (query.kind) {
    case QueryKind::kSelect:
      for (const RelationPtr& relation : query.select->from) {
        FindWatermarkedRelations(*relation, out);
      }
      break;
    case QueryKind::kSetOperation:
      FindWatermarkedRelations(*query.left, out);
      FindWatermarkedRelations(*query.right, out);
      break;
    case QueryKind::kTable:
      FindWatermarkedRelations(*query.table, out);
      break;
    case QueryKind::kValues:
      break;
  }
}

}  // namespace

void FindWatermarkedRelations(const Relation& relation, std::vector<const Relation*>* out) {
  if (relation.watermark) out->push_back(&relation);
  if (relation.query) FindWatermarkedRelations(*relation.query, out);
  if (relation.left) FindWatermarkedRelations(*relation.left, out);
  if (relation.right) FindWatermarkedRelations(*relation.right, out);
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
