// The datasets, Delta paths and file sources a query reads: its external relations, as the
// Spark SQL parser found them (spark::AnnotateReferences), described for the graph.
#include "spark/references.h"

#include <cctype>

#include "common/strings.h"
#include "sql/diagnostics.h"
#include "sql/parser.h"
#include "sql/parser_internal.h"

namespace sluice::sql::internal {
namespace {

Status Error(const spark::SourceText& source, const spark::Span& at, std::string_view message) {
  return InvalidArgument(FormatDiagnostic(source.Locate(at), message));
}

// The text of a literal option value: strings decoded, numbers and booleans as written;
// secret('scope', 'key') as its marker.
Result<std::string> OptionValue(const spark::SourceText& source, const spark::Expr& value,
                                std::string_view function) {
  if (value.kind == spark::ExprKind::kLiteral && !value.literal.type.is(spark::TypeId::kNull)) {
    return value.literal.text;
  }
  if (value.kind == spark::ExprKind::kFunction && !value.parts.empty() &&
      EqualsIgnoreCase(value.parts.back(), "secret")) {
    if (value.args.size() != 2 || value.args[0]->kind != spark::ExprKind::kLiteral ||
        value.args[1]->kind != spark::ExprKind::kLiteral ||
        !value.args[0]->literal.type.is(spark::TypeId::kString) ||
        !value.args[1]->literal.type.is(spark::TypeId::kString)) {
      return Error(source, value.span, "secret takes the scope and the key as string literals");
    }
    return SecretOptionMarker(value.args[0]->literal.text, value.args[1]->literal.text);
  }
  return Error(source, value.span,
               std::string(function) + " options are literals (strings, numbers or booleans)");
}

Status ReadFilesOptions(const spark::SourceText& source, const spark::Relation& relation,
                        Reference& reference) {
  bool has_path = false;
  for (const spark::ExprPtr& arg : relation.args) {
    if (arg->kind == spark::ExprKind::kNamedArg) {
      SLUICE_ASSIGN_OR_RETURN(reference.options[arg->name],
                              OptionValue(source, *arg->args[0], "read_files"));
      continue;
    }
    if (!has_path && arg->kind == spark::ExprKind::kLiteral &&
        arg->literal.type.is(spark::TypeId::kString)) {
      reference.name = arg->literal.text;
      has_path = true;
      continue;
    }
    return Error(source, arg->span,
                 "read_files takes a path string and then named options (name => value)");
  }
  if (!has_path)
    return Error(source, relation.span, "read_files needs a path as its first argument");
  return Status::OK();
}

// read_kafka and read_jdbc (option => value, ...): named options only, as Databricks
// requires of read_kafka.
Status NamedOptions(const spark::SourceText& source, const spark::Relation& relation,
                    std::string_view function, std::string_view example, Reference& reference) {
  for (const spark::ExprPtr& arg : relation.args) {
    if (arg->kind != spark::ExprKind::kNamedArg) {
      return Error(
          source, arg->span,
          std::string(function) + " takes named options only (" + std::string(example) + ")");
    }
    SLUICE_ASSIGN_OR_RETURN(reference.options[arg->name],
                            OptionValue(source, *arg->args[0], function));
  }
  return Status::OK();
}

Status ReadJdbcOptions(const spark::SourceText& source, const spark::Relation& relation,
                       Reference& reference) {
  SLUICE_RETURN_IF_ERROR(NamedOptions(source, relation, "read_jdbc",
                                      "url => 'jdbc:postgresql://...', dbtable => '...'",
                                      reference));
  for (const char* what : {"dbtable", "query"}) {
    for (const auto& [key, value] : reference.options) {
      if (EqualsIgnoreCase(key, what) && reference.name.empty()) {
        reference.name = std::string("jdbc:") + what + "=" + value;
      }
    }
  }
  if (reference.name.empty()) {
    return Error(source, relation.span, "read_jdbc needs the option dbtable or query");
  }
  return Status::OK();
}

Status ReadKafkaOptions(const spark::SourceText& source, const spark::Relation& relation,
                        Reference& reference) {
  SLUICE_RETURN_IF_ERROR(NamedOptions(source, relation, "read_kafka",
                                      "bootstrapServers => '...', subscribe => '...'", reference));
  for (const char* subscription : {"subscribe", "subscribePattern", "assign"}) {
    for (const auto& [key, value] : reference.options) {
      if (EqualsIgnoreCase(key, subscription) && reference.name.empty()) {
        reference.name = std::string("kafka:") + subscription + "=" + value;
      }
    }
  }
  if (reference.name.empty()) {
    return Error(source, relation.span,
                 "read_kafka needs one of the options subscribe, subscribePattern or assign");
  }
  return Status::OK();
}

Status CloudFilesOptions(const spark::SourceText& source, const spark::Relation& relation,
                         Reference& reference) {
  // cloud_files('path', 'format' [, map('key', 'value', ...)])
  auto string_at = [&](size_t i, const char* what) -> Result<std::string> {
    if (i >= relation.args.size() || relation.args[i]->kind != spark::ExprKind::kLiteral ||
        !relation.args[i]->literal.type.is(spark::TypeId::kString)) {
      return Error(source, i < relation.args.size() ? relation.args[i]->span : relation.span,
                   std::string("cloud_files expects ") + what);
    }
    return relation.args[i]->literal.text;
  };
  SLUICE_ASSIGN_OR_RETURN(reference.name, string_at(0, "a path string first"));
  SLUICE_ASSIGN_OR_RETURN(reference.options["format"], string_at(1, "a format string second"));
  if (relation.args.size() > 3) {
    return Error(source, relation.args[3]->span, "unexpected argument to cloud_files");
  }
  if (relation.args.size() == 3) {
    const spark::Expr& map = *relation.args[2];
    if (map.kind != spark::ExprKind::kFunction || !EqualsIgnoreCase(map.parts.back(), "map")) {
      return Error(source, map.span,
                   "cloud_files expects map('option', 'value', ...) as its third argument");
    }
    if (map.args.size() % 2 != 0) {
      return Error(source, map.span,
                   "map(...) needs an even number of strings (option, value pairs)");
    }
    for (size_t i = 0; i < map.args.size(); i += 2) {
      for (size_t k = i; k < i + 2; ++k) {
        if (map.args[k]->kind != spark::ExprKind::kLiteral ||
            !map.args[k]->literal.type.is(spark::TypeId::kString)) {
          return Error(source, map.args[k]->span,
                       "cloud_files options are string literals: map('option', 'value', ...)");
        }
      }
      reference.options[map.args[i]->literal.text] = map.args[i + 1]->literal.text;
    }
  }
  return Status::OK();
}

// A path in cloud or remote storage is refused where the query names it, rather than read
// as a folder of that name below the pipeline (which has no files).
Status CheckLocalPath(const spark::SourceText& source, const spark::Relation& relation,
                      const Reference& reference) {
  std::string_view scheme = sql::RemoteStorageScheme(reference.name);
  if (scheme.empty()) return Status::OK();
  spark::Span at = relation.name_span.line > 0 ? relation.name_span : relation.span;
  if (relation.kind == spark::RelationKind::kFunction) {
    for (const spark::ExprPtr& arg : relation.args) {
      if (arg->kind == spark::ExprKind::kLiteral && arg->literal.text == reference.name) {
        at = arg->span;
        break;
      }
    }
  }
  return Error(source, at,
               "cannot read '" + reference.name + "': it is in " + std::string(scheme) +
                   ": storage, and sluice reads local files only; give a local path (or a "
                   "file: URI)");
}

}  // namespace

Result<std::vector<Reference>> ReferencesOf(spark::Query& query, const spark::SourceText& source,
                                            size_t query_offset) {
  std::vector<Reference> out;
  for (spark::Relation* relation : spark::AnnotateReferences(query)) {
    Reference reference;
    reference.streaming = relation->streaming;
    reference.options = relation->options;
    reference.location =
        source.Locate(relation->name_span.line > 0 ? relation->name_span : relation->span);
    reference.begin = relation->span.begin - std::min(query_offset, relation->span.begin);
    reference.end = relation->span.end - std::min(query_offset, relation->span.end);
    if (relation->kind == spark::RelationKind::kFunction &&
        EqualsIgnoreCase(relation->name.back(), "read_kafka")) {
      reference.kind = ReferenceKind::kKafka;
      SLUICE_RETURN_IF_ERROR(ReadKafkaOptions(source, *relation, reference));
    } else if (relation->kind == spark::RelationKind::kFunction &&
               EqualsIgnoreCase(relation->name.back(), "read_jdbc")) {
      reference.kind = ReferenceKind::kJdbc;
      SLUICE_RETURN_IF_ERROR(ReadJdbcOptions(source, *relation, reference));
    } else if (relation->kind == spark::RelationKind::kFunction) {
      reference.kind = ReferenceKind::kReadFiles;
      if (EqualsIgnoreCase(relation->name.back(), "cloud_files")) {
        reference.cloud_files = true;
        reference.streaming = true;  // Auto Loader is a streaming source, STREAM or not
        SLUICE_RETURN_IF_ERROR(CloudFilesOptions(source, *relation, reference));
      } else {
        SLUICE_RETURN_IF_ERROR(ReadFilesOptions(source, *relation, reference));
      }
    } else if (relation->path_table) {
      // format.`path`: delta.`...` is a Delta table; json, csv, parquet, ... read files.
      reference.name = relation->name[1];
      if (EqualsIgnoreCase(relation->name[0], "delta")) {
        reference.kind = ReferenceKind::kDeltaPath;
      } else {
        reference.kind = ReferenceKind::kReadFiles;
        reference.options["format"] = ToLower(relation->name[0]);
      }
    } else {
      reference.kind = ReferenceKind::kDataset;
      reference.name = relation->name.back();
      std::vector<std::string> qualifier(relation->name.begin(), relation->name.end() - 1);
      reference.qualifier = Join(qualifier, ".");
    }
    if (reference.kind == ReferenceKind::kDeltaPath ||
        reference.kind == ReferenceKind::kReadFiles) {
      SLUICE_RETURN_IF_ERROR(CheckLocalPath(source, *relation, reference));
    }
    out.push_back(std::move(reference));
  }
  return out;
}

SourceLocation TokenLocation(std::string_view text, std::string_view file, const Token& token) {
  return LocationAt(text, file, token.offset, token.line, token.column);
}

}  // namespace sluice::sql::internal

namespace sluice::sql {

std::string SecretOptionMarker(const std::string& scope, const std::string& key) {
  return "\x1bsecret\x1f" + scope + "\x1f" + key;
}

bool ParseSecretOptionMarker(const std::string& value, std::string* scope, std::string* key) {
  static const std::string kPrefix = "\x1bsecret\x1f";
  if (value.rfind(kPrefix, 0) != 0) return false;
  const size_t separator = value.find('\x1f', kPrefix.size());
  if (separator == std::string::npos) return false;
  *scope = value.substr(kPrefix.size(), separator - kPrefix.size());
  *key = value.substr(separator + 1);
  return true;
}

std::string_view RemoteStorageScheme(std::string_view path) {
  size_t end = 0;
  while (end < path.size() && (std::isalnum(static_cast<unsigned char>(path[end])) ||
                               path[end] == '+' || path[end] == '-' || path[end] == '.')) {
    ++end;
  }
  if (end < 2 || end == path.size() || path[end] != ':' ||
      !std::isalpha(static_cast<unsigned char>(path[0]))) {
    return {};
  }
  std::string_view scheme = path.substr(0, end);
  return EqualsIgnoreCase(scheme, "file") ? std::string_view() : scheme;
}

}  // namespace sluice::sql
