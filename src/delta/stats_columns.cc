// Which columns get statistics: delta.dataSkippingStatsColumns / dataSkippingNumIndexedCols.

#include "common/strings.h"
#include "delta/stats.h"

namespace sluice::delta {
namespace {

// Parses "a, b.c, `d.e`.`f``g`" into lower-cased paths.
Result<std::vector<ColumnPath>> ParseStatsColumnList(std::string_view text) {
  std::vector<ColumnPath> paths;
  ColumnPath current;
  std::string part;
  bool quoted_part = false;  // the current part came from backticks (may be empty-looking)
  auto fail = [&](std::string_view why) {
    return InvalidArgument("invalid ", kStatsColumnsKey, " \"", text, "\": ", why);
  };
  auto finish_part = [&]() -> Status {
    std::string trimmed = quoted_part ? part : Trim(part);
    if (trimmed.empty() && !quoted_part) return fail("empty column name");
    current.push_back(ToLower(trimmed));
    part.clear();
    quoted_part = false;
    return Status::OK();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '`') {
      if (!Trim(part).empty()) return fail("a backtick inside a name");
      part.clear();
      quoted_part = true;
      ++i;
      while (true) {
        if (i >= text.size()) return fail("unterminated backtick");
        if (text[i] == '`') {
          if (i + 1 < text.size() && text[i + 1] == '`') {
            part += '`';
            i += 2;
            continue;
          }
          break;
        }
        part += text[i++];
      }
      // Only spaces may follow the closing backtick before '.', ',' or the end.
      while (i + 1 < text.size() && text[i + 1] == ' ') ++i;
      if (i + 1 < text.size() && text[i + 1] != '.' && text[i + 1] != ',') {
        return fail("text after a backtick-quoted name");
      }
    } else if (c == '.') {
      SLUICE_RETURN_IF_ERROR(finish_part());
    } else if (c == ',') {
      SLUICE_RETURN_IF_ERROR(finish_part());
      paths.push_back(std::move(current));
      current.clear();
    } else {
      if (quoted_part) return fail("text after a backtick-quoted name");
      part += c;
    }
  }
  if (Trim(text).empty()) return paths;
  SLUICE_RETURN_IF_ERROR(finish_part());
  paths.push_back(std::move(current));
  return paths;
}

struct Walker {
  ColumnMappingMode mode;
  std::vector<StatsColumn>* out;
  int64_t remaining;  // leaves still allowed; negative = unlimited

  void AddLeaf(const ColumnPath& logical, const ColumnPath& physical, const DataTypePtr& type) {
    if (remaining == 0) return;
    if (remaining > 0) --remaining;
    out->push_back(StatsColumn{logical, physical, type, TypeHasMinMax(*type)});
  }

  // Every leaf of `fields`, depth first, until the budget runs out.
  void AddAll(const std::vector<StructField>& fields, ColumnPath* logical, ColumnPath* physical) {
    for (const StructField& field : fields) {
      if (remaining == 0) return;
      logical->push_back(field.name);
      physical->push_back(PhysicalName(field, mode));
      if (field.type->is_struct()) {
        AddAll(field.type->fields(), logical, physical);
      } else {
        AddLeaf(*logical, *physical, field.type);
      }
      logical->pop_back();
      physical->pop_back();
    }
  }

  // The leaves named by `paths` (lower-cased, relative to `fields`), in schema order.
  void AddNamed(const std::vector<StructField>& fields, const std::vector<ColumnPath>& paths,
                ColumnPath* logical, ColumnPath* physical) {
    for (const StructField& field : fields) {
      std::string lower = ToLower(field.name);
      bool whole = false;
      std::vector<ColumnPath> nested;
      for (const ColumnPath& path : paths) {
        if (path.empty() || path.front() != lower) continue;
        if (path.size() == 1) {
          whole = true;
        } else {
          nested.emplace_back(path.begin() + 1, path.end());
        }
      }
      if (!whole && nested.empty()) continue;
      logical->push_back(field.name);
      physical->push_back(PhysicalName(field, mode));
      if (field.type->is_struct()) {
        if (whole) {
          AddAll(field.type->fields(), logical, physical);
        } else {
          AddNamed(field.type->fields(), nested, logical, physical);
        }
      } else if (whole) {
        AddLeaf(*logical, *physical, field.type);
      }
      logical->pop_back();
      physical->pop_back();
    }
  }
};

}  // namespace

Result<std::vector<StatsColumn>> StatsColumnsForWrite(
    const Schema& schema, const std::vector<std::string>& partition_columns,
    const std::map<std::string, std::string>& configuration) {
  SLUICE_ASSIGN_OR_RETURN(ColumnMappingMode mode, ColumnMappingModeFromConfig(configuration));
  std::vector<StructField> data_fields;
  for (const StructField& field : schema.fields()) {
    bool is_partition = false;
    for (const std::string& column : partition_columns) {
      is_partition |= EqualsIgnoreCase(column, field.name);
    }
    if (!is_partition) data_fields.push_back(field);
  }

  std::vector<StatsColumn> out;
  ColumnPath logical;
  ColumnPath physical;
  auto stats_columns = configuration.find(std::string(kStatsColumnsKey));
  if (stats_columns != configuration.end()) {
    SLUICE_ASSIGN_OR_RETURN(auto paths, ParseStatsColumnList(stats_columns->second));
    Walker walker{mode, &out, -1};
    walker.AddNamed(data_fields, paths, &logical, &physical);
    return out;
  }
  int64_t num_indexed = kDefaultNumIndexedCols;
  auto configured = configuration.find(std::string(kNumIndexedColsKey));
  if (configured != configuration.end()) {
    auto value = ParseInt64(Trim(configured->second));
    if (!value || *value < -1) {
      return InvalidArgument("invalid ", kNumIndexedColsKey, " \"", configured->second,
                             "\" (expected -1 for all columns, or a number of columns >= 0)");
    }
    num_indexed = *value;
  }
  Walker walker{mode, &out, num_indexed};
  walker.AddAll(data_fields, &logical, &physical);
  return out;
}

}  // namespace sluice::delta
