#include "spark/references.h"

#include <algorithm>
#include <set>
#include <string>

#include "common/strings.h"

namespace sluice::spark {

bool IsFileSourceFunction(std::string_view name) {
  return EqualsIgnoreCase(name, "read_files") || EqualsIgnoreCase(name, "cloud_files");
}

bool IsSourceFunction(std::string_view name) {
  return IsFileSourceFunction(name) || EqualsIgnoreCase(name, "read_kafka") ||
         EqualsIgnoreCase(name, "read_jdbc");
}

namespace {

class ReferenceWalker {
 public:
  void WalkQuery(Query& query) {
    const size_t scope = ctes_.size();
    for (Cte& cte : query.ctes) {
      // A CTE sees the ones before it (and not itself: WITH RECURSIVE is not supported).
      WalkQuery(*cte.query);
      ctes_.push_back(ToLower(cte.name));
    }
    switch (query.kind) {
      case QueryKind::kSelect:
        WalkSelect(*query.select);
        break;
      case QueryKind::kSetOperation:
        WalkQuery(*query.left);
        WalkQuery(*query.right);
        break;
      case QueryKind::kValues:
        for (auto& row : query.rows) {
          for (ExprPtr& e : row) WalkExpr(e.get());
        }
        break;
      case QueryKind::kTable:
        WalkRelation(*query.table);
        break;
    }
    for (SortItem& item : query.order_by) WalkExpr(item.expr.get());
    WalkExpr(query.limit.get());
    WalkExpr(query.offset.get());
    ctes_.resize(scope);
  }

  std::vector<Relation*> found;

 private:
  bool IsCte(const std::vector<std::string>& name) const {
    if (name.size() != 1) return false;
    return std::find(ctes_.begin(), ctes_.end(), ToLower(name[0])) != ctes_.end();
  }

  void WalkSelect(SelectBody& body) {
    for (RelationPtr& relation : body.from) WalkRelation(*relation);
    for (LateralView& view : body.lateral_views) WalkExpr(view.generator.get());
    for (SelectItem& item : body.items) WalkExpr(item.expr.get());
    WalkExpr(body.where.get());
    for (GroupingElement& element : body.group_by) {
      WalkExpr(element.expr.get());
      for (auto& set : element.sets) {
        for (ExprPtr& e : set) WalkExpr(e.get());
      }
    }
    WalkExpr(body.having.get());
    WalkExpr(body.qualify.get());
  }

  void WalkRelation(Relation& relation) {
    switch (relation.kind) {
      case RelationKind::kTable:
        if (relation.path_table || !IsCte(relation.name)) found.push_back(&relation);
        WalkExpr(relation.version_as_of.get());
        WalkExpr(relation.timestamp_as_of.get());
        break;
      case RelationKind::kFunction:
        if (relation.name.size() == 1 && IsSourceFunction(relation.name[0])) {
          found.push_back(&relation);
        }
        for (ExprPtr& arg : relation.args) WalkExpr(arg.get());
        break;
      case RelationKind::kSubquery:
      case RelationKind::kValues:
        WalkQuery(*relation.query);
        break;
      case RelationKind::kJoin:
        WalkRelation(*relation.left);
        WalkRelation(*relation.right);
        WalkExpr(relation.condition.get());
        break;
      case RelationKind::kPivot:
      case RelationKind::kUnpivot:
        WalkRelation(*relation.left);
        for (PivotAggregate& aggregate : relation.pivot_aggregates) {
          WalkExpr(aggregate.aggregate.get());
        }
        break;
    }
  }

  void WalkExpr(Expr* expr) {
    if (expr == nullptr) return;
    for (ExprPtr& arg : expr->args) WalkExpr(arg.get());
    WalkExpr(expr->filter.get());
    WalkExpr(expr->escape.get());
    if (expr->window) {
      for (ExprPtr& e : expr->window->partition_by) WalkExpr(e.get());
      for (SortItem& item : expr->window->order_by) WalkExpr(item.expr.get());
    }
    for (SortItem& item : expr->within_group) WalkExpr(item.expr.get());
    if (expr->subquery) WalkQuery(*expr->subquery);
  }

  std::vector<std::string> ctes_;
};

}  // namespace

std::vector<Relation*> AnnotateReferences(Query& query) {
  ReferenceWalker walker;
  walker.WalkQuery(query);
  std::vector<Relation*> found = std::move(walker.found);
  std::stable_sort(found.begin(), found.end(), [](const Relation* a, const Relation* b) {
    return a->span.begin < b->span.begin;
  });
  for (size_t i = 0; i < found.size(); ++i) found[i]->reference = static_cast<int>(i);
  return found;
}

}  // namespace sluice::spark
