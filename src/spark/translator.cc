#include "spark/translator.h"

#include "common/strings.h"
#include "spark/coercion.h"
#include "spark/translator_internal.h"

namespace sluice::spark {

Result<Translation> TranslateQuery(const ParsedQuery& query, RelationResolver& resolver,
                                   const TranslateOptions& options) {
  AnsiCoercionScope coercion(options.ansi);
  internal::Translator translator(query.source, &resolver, options);
  internal::PartialSplit split;
  if (options.merge_partials) {
    split.select = options.merge_partials->select;
    split.merge = true;
    translator.partial = &split;
  }
  SLUICE_ASSIGN_OR_RETURN(internal::TranslatedQuery out,
                          translator.TranslateQuery(*query.query, nullptr));
  Translation translation;
  translation.sql = std::move(out.sql);
  translation.columns = std::move(out.columns);
  // DuckDB's names are Spark's but for repeated names; keep Spark's where they differ only
  // in the suffix DuckDB needs (the caller sees Spark's in `columns`).
  return translation;
}

Result<Translation> TranslateRelationRows(const ParsedQuery& query, const Relation& relation,
                                          RelationResolver& resolver,
                                          const TranslateOptions& options) {
  AnsiCoercionScope coercion(options.ansi);
  internal::Translator translator(query.source, &resolver, options);
  SLUICE_ASSIGN_OR_RETURN(internal::TranslatedQuery out,
                          translator.TranslateFromItem(*query.query, relation));
  Translation translation;
  translation.sql = std::move(out.sql);
  translation.columns = std::move(out.columns);
  translation.qualifiers = std::move(out.qualifiers);
  return translation;
}

Result<Translation> TranslateExpression(const ParsedExpression& expression,
                                        const std::vector<Column>& input,
                                        const TranslateOptions& options,
                                        const std::vector<std::string>& source_types) {
  AnsiCoercionScope coercion(options.ansi);
  internal::Translator translator(expression.source, nullptr, options);
  internal::Scope scope;
  internal::ScopeRelation relation;
  for (const Column& column : input) {
    relation.columns.push_back(internal::ScopeColumn{column.name, column.type, column.nullable,
                                                     QuoteIdentifier(column.name)});
  }
  scope.relations.push_back(std::move(relation));
  internal::ExprContext context;
  context.aggregates_allowed = false;
  context.windows_allowed = false;
  SLUICE_ASSIGN_OR_RETURN(internal::Typed value,
                          translator.Translate(*expression.expr, scope, context));
  Translation translation;
  translation.sql = std::move(value.sql);
  translation.columns.push_back(Column{value.name, value.type, value.nullable});
  return translation;
}

}  // namespace sluice::spark
