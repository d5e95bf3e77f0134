#include "spark/stateful_operator.h"

#include <vector>

#include "common/strings.h"
#include "spark/diagnostics.h"
#include "spark/translator_internal.h"

namespace sluice::spark {
namespace {

bool ContainsAggregate(const Expr& expr) {
  if (expr.kind == ExprKind::kFunction && expr.parts.size() == 1 && !expr.window) {
    const auto& functions = internal::Functions();
    auto it = functions.find(ToLower(expr.parts[0]));
    if (it != functions.end() && it->second.kind == internal::FunctionKind::kAggregate) {
      return true;
    }
  }
  // Subqueries aggregate on their own.
  if (expr.kind == ExprKind::kSubquery || expr.kind == ExprKind::kExists) return false;
  for (const ExprPtr& arg : expr.args) {
    if (arg && ContainsAggregate(*arg)) return true;
  }
  return false;
}

bool Aggregates(const SelectBody& body) {
  if (!body.group_by.empty() || body.group_by_all) return true;
  for (const SelectItem& item : body.items) {
    if (ContainsAggregate(*item.expr)) return true;
  }
  return body.having != nullptr;
}

bool QueryReadsStream(const Query& query) {
  switch (query.kind) {
    case QueryKind::kSelect:
      for (const RelationPtr& relation : query.select->from) {
        if (ReadsStream(*relation)) return true;
      }
      return false;
    case QueryKind::kSetOperation:
      return QueryReadsStream(*query.left) || QueryReadsStream(*query.right);
    case QueryKind::kTable:
      return ReadsStream(*query.table);
    case QueryKind::kValues:
      return false;
  }
  return false;
}

// Whether `relation` is, or has in its chain of SELECTs and joins, a join of two streams.
bool ContainsStreamJoin(const Relation& relation) {
  if (relation.kind == RelationKind::kJoin && relation.left && relation.right &&
      ReadsStream(*relation.left) && ReadsStream(*relation.right)) {
    return true;
  }
  if (relation.kind == RelationKind::kJoin) {
    return (relation.left && ContainsStreamJoin(*relation.left)) ||
           (relation.right && ContainsStreamJoin(*relation.right));
  }
  if (relation.query && relation.query->kind == QueryKind::kSelect) {
    for (const RelationPtr& from : relation.query->select->from) {
      if (ContainsStreamJoin(*from)) return true;
    }
  }
  return false;
}

std::string WatermarkColumn(const Watermark& watermark) {
  if (!watermark.name.empty()) return watermark.name;
  return watermark.expr->parts.back();
}

// Whether a grouping expression is the event-time column, or a time window of it.
bool GroupsByEventTime(const Expr& expr, const std::string& event_time) {
  const Expr* time = &expr;
  if (expr.kind == ExprKind::kFunction && expr.parts.size() == 1 && !expr.args.empty() &&
      (EqualsIgnoreCase(expr.parts[0], "window") ||
       EqualsIgnoreCase(expr.parts[0], "session_window"))) {
    time = expr.args[0].get();
  }
  return time->kind == ExprKind::kColumn && EqualsIgnoreCase(time->parts.back(), event_time);
}

constexpr const char* kDedupAlias = "__sluice_dedup";
constexpr const char* kWithinWatermarkAlias = "__sluice_dedup_within_watermark";

// The alias of a deduplication compiled from Python (stateful_operator.h), or "".
std::string DeduplicationAlias(const SelectBody& body) {
  if (body.items.size() != 1 || !body.items[0].alias || body.group_by.empty()) return "";
  const std::string& alias = *body.items[0].alias;
  if (alias != kDedupAlias && alias != kWithinWatermarkAlias) return "";
  const Expr& expr = *body.items[0].expr;
  if (expr.kind != ExprKind::kFunction || expr.parts.size() != 1 ||
      !EqualsIgnoreCase(expr.parts[0], "first")) {
    return "";
  }
  return alias;
}

class Finder {
 public:
  explicit Finder(const SourceText& source) : source_(source) {}

  Status Error(const Span& at, std::string_view message) const {
    if (at.line == 0) return InvalidArgument(std::string(message));
    return InvalidArgument(FormatDiagnostic(source_.Locate(at), message));
  }

  // `chain`: the query is the FROM of stateless SELECTs up to the root (or the root).
  Status Visit(const Query& query, bool chain) {
    for (const Cte& cte : query.ctes) SLUICE_RETURN_IF_ERROR(Visit(*cte.query, false));
    switch (query.kind) {
      case QueryKind::kSelect:
        return VisitSelect(query, *query.select, chain);
      case QueryKind::kSetOperation:
        SLUICE_RETURN_IF_ERROR(Visit(*query.left, false));
        return Visit(*query.right, false);
      case QueryKind::kTable:
        return VisitRelation(*query.table, false, false);
      case QueryKind::kValues:
        return Status::OK();
    }
    return Status::OK();
  }

  // `chain` as for Visit; `join_chain`: the relation is reached from the main chain through
  // joins only, where a join of two streams may be.
  Status VisitRelation(const Relation& relation, bool chain, bool join_chain) {
    if (relation.kind == RelationKind::kJoin && relation.left && relation.right &&
        ReadsStream(*relation.left) && ReadsStream(*relation.right)) {
      SLUICE_RETURN_IF_ERROR(FoundJoin(relation, join_chain));
    }
    if (relation.query) SLUICE_RETURN_IF_ERROR(Visit(*relation.query, chain));
    const bool join = relation.kind == RelationKind::kJoin;
    if (relation.left)
      SLUICE_RETURN_IF_ERROR(VisitRelation(*relation.left, false, join && join_chain));
    if (relation.right) {
      SLUICE_RETURN_IF_ERROR(VisitRelation(*relation.right, false, join && join_chain));
    }
    return Status::OK();
  }

  Status FoundJoin(const Relation& relation, bool join_chain) {
    ++count_;
    ++joins_;
    if (counting_) return Status::OK();
    if (found_.kind == StatefulOperator::Kind::kAggregation && under_aggregation_ && joins_ == 1 &&
        total_ - total_joins_ == 1) {
      // Spark 3.4+ chains stateful operators: the aggregation reads the join's rows.
      if (!join_chain) {
        return Error(relation.span,
                     "a join of two streams under an aggregation is supported in the "
                     "aggregation's chain of SELECTs and joins, not inside a set operation, a "
                     "CTE or an expression subquery");
      }
      SLUICE_ASSIGN_OR_RETURN(found_.stream_join, AnalyzeStreamJoin(relation, source_));
      found_.over_join = true;
      return Status::OK();
    }
    if (found_.kind != StatefulOperator::Kind::kNone || total_ > 1) {
      return Error(relation.span,
                   "a join of two streams cannot be combined with another stateful operator "
                   "(an aggregation, a deduplication or another join of streams) in one "
                   "streaming table; write the join to its own streaming table and read that "
                   "with STREAM");
    }
    if (!join_chain) {
      return Error(relation.span,
                   "a join of two streams is supported in the query's main chain of SELECTs "
                   "and joins, not inside a set operation, a CTE or an expression subquery");
    }
    SLUICE_ASSIGN_OR_RETURN(found_.stream_join, AnalyzeStreamJoin(relation, source_));
    found_.kind = StatefulOperator::Kind::kJoin;
    found_.input = &relation;
    found_.span = relation.span;
    return Status::OK();
  }

  Status VisitSelect(const Query& query, const SelectBody& body, bool chain) {
    bool streaming = false;
    for (const RelationPtr& relation : body.from) streaming = streaming || ReadsStream(*relation);
    const bool stateful = streaming && (Aggregates(body) || body.distinct);
    if (stateful) SLUICE_RETURN_IF_ERROR(Found(query, body, chain));
    // Below an aggregation of the main chain, a join of two streams may feed it.
    const bool aggregation = stateful && !counting_ && &body == found_.select &&
                             found_.kind == StatefulOperator::Kind::kAggregation;
    const bool single = body.from.size() == 1 && (!stateful || aggregation);
    const bool was_under = under_aggregation_;
    under_aggregation_ = under_aggregation_ || aggregation;
    for (const RelationPtr& relation : body.from) {
      SLUICE_RETURN_IF_ERROR(VisitRelation(*relation, chain && single, chain && single));
    }
    under_aggregation_ = was_under;
    return Status::OK();
  }

  Status Found(const Query& query, const SelectBody& body, bool chain) {
    ++count_;
    if (counting_) return Status::OK();
    const bool over_join = total_joins_ == 1 && found_.kind == StatefulOperator::Kind::kNone &&
                           body.from.size() == 1 && ContainsStreamJoin(*body.from[0]);
    if (found_.kind == StatefulOperator::Kind::kJoin || (total_joins_ > 0 && !over_join) ||
        (over_join && (!Aggregates(body) || !DeduplicationAlias(body).empty()))) {
      return Error(query.span,
                   "a deduplication of a join of two streams, or an aggregation of a join "
                   "that is not its FROM item, is not supported; write the join to its own "
                   "streaming table and read that with STREAM");
    }
    if (found_.kind != StatefulOperator::Kind::kNone || total_ - (over_join ? 1 : 0) > 1) {
      return Error(query.span,
                   "Multiple streaming aggregations are not supported with streaming "
                   "DataFrames/Datasets: a streaming table's query may aggregate (or "
                   "deduplicate) its stream once");
    }
    if (!chain) {
      return Error(query.span,
                   "an aggregation (or deduplication) of a stream is supported in the query's "
                   "main chain of SELECTs, not inside a join, a set operation, a CTE or an "
                   "expression subquery");
    }
    if (body.from.size() != 1) {
      return Error(query.span,
                   "an aggregation of a stream reads one FROM item (join the relations with "
                   "JOIN instead of a comma list)");
    }
    found_.kind =
        Aggregates(body) ? StatefulOperator::Kind::kAggregation : StatefulOperator::Kind::kDistinct;
    const std::string dedup = DeduplicationAlias(body);
    if (!dedup.empty()) {
      found_.kind = StatefulOperator::Kind::kDeduplicate;
      found_.within_watermark = dedup == kWithinWatermarkAlias;
      for (const GroupingElement& element : body.group_by) {
        if (!element.expr || element.expr->kind != ExprKind::kColumn) {
          return Error(query.span, "deduplication keys must be columns");
        }
        found_.keys.push_back(element.expr->parts.back());
      }
    }
    found_.select = &body;
    found_.input = body.from[0].get();
    found_.span = query.span;
    std::vector<const Relation*> watermarked;
    FindWatermarkedRelations(*found_.input, &watermarked);
    for (const Relation* relation : watermarked) {
      const Watermark& watermark = *relation->watermark;
      if (over_join) {
        // Each side of the join defines its event time; the aggregation uses the one it
        // groups by (its rows carry the join's output watermark).
        for (const GroupingElement& element : body.group_by) {
          if (found_.watermark == nullptr && element.expr &&
              GroupsByEventTime(*element.expr, WatermarkColumn(watermark))) {
            found_.watermark = &watermark;
            found_.event_time = WatermarkColumn(watermark);
          }
        }
        found_.watermarked_inputs.push_back(relation);
        continue;
      }
      if (found_.watermark == nullptr) {
        found_.watermark = &watermark;
        found_.event_time = WatermarkColumn(watermark);
      } else if (!EqualsIgnoreCase(WatermarkColumn(watermark), found_.event_time)) {
        // Spark's union keeps the first input's event-time column.
        return Error(watermark.span,
                     "the watermarked inputs of one aggregation define different event-time "
                     "columns ('" +
                         found_.event_time + "' and '" + WatermarkColumn(watermark) +
                         "'); name them alike (WATERMARK expr AS name)");
      }
      found_.watermarked_inputs.push_back(relation);
    }
    if (found_.kind == StatefulOperator::Kind::kDeduplicate && found_.within_watermark &&
        !found_.watermark) {
      return Error(query.span,
                   "dropDuplicatesWithinWatermark is not supported with streaming "
                   "DataFrames/DataSets without watermark; call withWatermark() first");
    }
    if (found_.kind != StatefulOperator::Kind::kAggregation) return Status::OK();
    bool grouped_by_time = false;
    for (const GroupingElement& element : body.group_by) {
      if (element.expr && found_.watermark && GroupsByEventTime(*element.expr, found_.event_time)) {
        grouped_by_time = true;
      }
    }
    if (!grouped_by_time) {
      const std::string reason =
          found_.watermark
              ? "the aggregation does not group by the watermark's column '" + found_.event_time +
                    "' or a window of it, so no group is ever complete"
              : "the stream has no watermark, so no group is ever complete";
      return Error(query.span,
                   "Append output mode not supported when there are streaming aggregations on "
                   "streaming DataFrames/DataSets without watermark (" +
                       reason +
                       "). Add a watermark to the stream (SQL: STREAM src WATERMARK ts DELAY OF "
                       "INTERVAL 10 MINUTES; Python: .withWatermark(\"ts\", \"10 minutes\")) and "
                       "group by a window of it (window(ts, '5 minutes')), or define the "
                       "dataset as a materialized view, which aggregates all rows");
    }
    return Status::OK();
  }

  StatefulOperator found_;
  bool under_aggregation_ = false;  // visiting the FROM item of found_'s aggregation
  // A first pass only counts the stateful SELECTs, so that several are refused as such
  // rather than for the first one's shape.
  bool counting_ = false;
  int count_ = 0;
  int total_ = 0;
  int joins_ = 0;        // joins of two streams among count_
  int total_joins_ = 0;  // joins_ of the counting pass

 private:
  const SourceText& source_;
};

}  // namespace

bool ReadsStream(const Relation& relation) {
  if (relation.streaming) return true;
  if (relation.query && QueryReadsStream(*relation.query)) return true;
  if (relation.left && ReadsStream(*relation.left)) return true;
  return relation.right && ReadsStream(*relation.right);
}

Result<StatefulOperator> FindStatefulOperator(const ParsedQuery& query) {
  Finder counter(*query.source);
  counter.counting_ = true;
  SLUICE_RETURN_IF_ERROR(counter.Visit(*query.query, true));
  Finder finder(*query.source);
  finder.total_ = counter.count_;
  finder.total_joins_ = counter.joins_;
  SLUICE_RETURN_IF_ERROR(finder.Visit(*query.query, true));
  return finder.found_;
}

}  // namespace sluice::spark
