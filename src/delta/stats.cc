#include "delta/stats.h"

#include <cmath>

#include "common/strings.h"
#include "delta/json_tree.h"
#include "delta/partition_values.h"
#include "delta/value_text.h"

namespace sluice::delta {
namespace {

namespace vt = value_text;
using json_tree::Node;

// ---- Parsing ----

std::optional<int64_t> IntegerOf(const Node& node) {
  if (!node.is_number()) return std::nullopt;
  return ParseInt64(node.text);
}

void CollectBounds(const Node& object, ColumnPath* prefix, ColumnValues<StatsValue>* out) {
  for (const auto& [key, value] : object.members) {
    prefix->push_back(key);
    switch (value.kind) {
      case Node::Kind::kObject:
        CollectBounds(value, prefix, out);
        break;
      case Node::Kind::kNumber:
        out->Set(*prefix, StatsValue::Number(value.text));
        break;
      case Node::Kind::kString:
        out->Set(*prefix, StatsValue::String(value.text));
        break;
      case Node::Kind::kBool:
        out->Set(*prefix, StatsValue::Boolean(value.boolean));
        break;
      default:
        break;  // null or array: unknown
    }
    prefix->pop_back();
  }
}

void CollectCounts(const Node& object, ColumnPath* prefix, ColumnValues<int64_t>* out) {
  for (const auto& [key, value] : object.members) {
    prefix->push_back(key);
    if (value.is_object()) {
      CollectCounts(value, prefix, out);
    } else if (auto count = IntegerOf(value)) {
      out->Set(*prefix, *count);
    }
    prefix->pop_back();
  }
}

// ---- Serializing ----

// Entries grouped by path prefix, in the order each group first appears.
template <typename T>
struct Tree {
  std::string key;
  const T* leaf = nullptr;
  std::vector<Tree> children;

  void Insert(const ColumnPath& path, size_t depth, const T* value) {
    if (depth == path.size()) {
      leaf = value;
      return;
    }
    for (Tree& child : children) {
      if (child.key == path[depth]) {
        child.Insert(path, depth + 1, value);
        return;
      }
    }
    children.push_back(Tree{path[depth], nullptr, {}});
    children.back().Insert(path, depth + 1, value);
  }
};

void AppendValue(const StatsValue& value, std::string* out) {
  if (value.kind == StatsValue::Kind::kString) {
    json_tree::AppendQuoted(out, value.text);
  } else {
    out->append(value.text);
  }
}

void AppendValue(int64_t value, std::string* out) { out->append(std::to_string(value)); }

template <typename T>
void AppendTree(const Tree<T>& tree, std::string* out) {
  out->push_back('{');
  bool first = true;
  for (const Tree<T>& child : tree.children) {
    if (!first) out->push_back(',');
    first = false;
    json_tree::AppendQuoted(out, child.key);
    out->push_back(':');
    // A path that is both a leaf and a prefix of others is malformed; the leaf wins.
    if (child.leaf != nullptr) {
      AppendValue(*child.leaf, out);
    } else {
      AppendTree(child, out);
    }
  }
  out->push_back('}');
}

template <typename T>
void AppendSection(std::string_view name, const ColumnValues<T>& values, bool* first,
                   std::string* out) {
  if (values.empty()) return;
  Tree<T> root;
  for (const auto& [path, value] : values.entries()) {
    if (!path.empty()) root.Insert(path, 0, &value);
  }
  if (!*first) out->push_back(',');
  *first = false;
  json_tree::AppendQuoted(out, name);
  out->push_back(':');
  AppendTree(root, out);
}

// ---- Truncation ----

int Utf16Units(uint32_t code_point) { return code_point >= 0x10000 ? 2 : 1; }

// Byte length of the shortest prefix of `value` that covers `prefix_length` UTF-16 units
// (a pair starting at the last unit is kept whole), and its length in units.
std::optional<std::pair<size_t, int>> MinPrefix(std::string_view value, int prefix_length) {
  size_t pos = 0;
  int units = 0;
  while (pos < value.size() && units < prefix_length) {
    uint32_t code_point = 0;
    if (!vt::NextCodePoint(value, &pos, &code_point)) return std::nullopt;
    units += Utf16Units(code_point);
  }
  return std::make_pair(pos, units);
}

std::optional<int> TotalUnits(std::string_view value) {
  size_t pos = 0;
  int units = 0;
  while (pos < value.size()) {
    uint32_t code_point = 0;
    if (!vt::NextCodePoint(value, &pos, &code_point)) return std::nullopt;
    units += Utf16Units(code_point);
  }
  return units;
}

}  // namespace

Result<FileStats> ParseStats(std::string_view json) {
  auto root = json_tree::Parse(json);
  if (!root.ok()) return root.status().WithContext("invalid stats");
  if (!root->is_object()) return InvalidArgument("invalid stats: not a JSON object");
  FileStats stats;
  if (const Node* num_records = root->Find("numRecords")) {
    stats.num_records = IntegerOf(*num_records);
  }
  ColumnPath prefix;
  if (const Node* min_values = root->Find("minValues"); min_values && min_values->is_object()) {
    CollectBounds(*min_values, &prefix, &stats.min_values);
  }
  if (const Node* max_values = root->Find("maxValues"); max_values && max_values->is_object()) {
    CollectBounds(*max_values, &prefix, &stats.max_values);
  }
  if (const Node* null_count = root->Find("nullCount"); null_count && null_count->is_object()) {
    CollectCounts(*null_count, &prefix, &stats.null_count);
  }
  if (const Node* tight_bounds = root->Find("tightBounds");
      tight_bounds && tight_bounds->is_bool()) {
    stats.tight_bounds = tight_bounds->boolean;
  }
  return stats;
}

std::string SerializeStats(const FileStats& stats) {
  std::string out = "{";
  bool first = true;
  if (stats.num_records.has_value()) {
    out += "\"numRecords\":" + std::to_string(*stats.num_records);
    first = false;
  }
  AppendSection("minValues", stats.min_values, &first, &out);
  AppendSection("maxValues", stats.max_values, &first, &out);
  AppendSection("nullCount", stats.null_count, &first, &out);
  if (stats.tight_bounds.has_value()) {
    if (!first) out.push_back(',');
    out += *stats.tight_bounds ? "\"tightBounds\":true" : "\"tightBounds\":false";
  }
  out.push_back('}');
  return out;
}

bool TypeHasMinMax(const DataType& type) {
  switch (type.kind()) {
    case TypeKind::kByte:
    case TypeKind::kShort:
    case TypeKind::kInteger:
    case TypeKind::kLong:
    case TypeKind::kFloat:
    case TypeKind::kDouble:
    case TypeKind::kDecimal:
    case TypeKind::kString:
    case TypeKind::kDate:
    case TypeKind::kTimestamp:
    case TypeKind::kTimestampNtz:
      return true;
    default:
      return false;
  }
}

std::optional<std::string> TruncateMinString(std::string_view value, int prefix_length) {
  auto total = TotalUnits(value);
  if (!total) return std::nullopt;
  if (*total <= prefix_length) return std::string(value);
  if (prefix_length <= 0) return std::nullopt;
  auto prefix = MinPrefix(value, prefix_length);
  if (!prefix) return std::nullopt;
  return std::string(value.substr(0, prefix->first));
}

std::optional<std::string> TruncateMaxString(std::string_view value, int prefix_length) {
  constexpr uint32_t kMaxCodePoint = 0x10FFFF;
  auto total = TotalUnits(value);
  if (!total) return std::nullopt;
  if (*total <= prefix_length) return std::string(value);
  if (prefix_length <= 0) return std::nullopt;
  auto prefix = MinPrefix(value, prefix_length);
  if (!prefix) return std::nullopt;
  size_t pos = prefix->first;
  int units = prefix->second;
  // Past 2 * prefix_length units no upper bound is attempted.
  while (units <= 2 * prefix_length) {
    if (pos >= value.size()) return std::string(value);
    size_t next = pos;
    uint32_t code_point = 0;
    if (!vt::NextCodePoint(value, &next, &code_point)) return std::nullopt;
    if (code_point == kMaxCodePoint) {  // nothing sorts above it: keep it and look further
      pos = next;
      units += 2;
      continue;
    }
    std::string out(value.substr(0, pos));
    vt::AppendUtf8(&out, code_point < 0x7F ? 0x7F : kMaxCodePoint);
    return out;
  }
  return std::nullopt;
}

Result<std::optional<StatsValue>> StatsValueFromEngineText(std::string_view text,
                                                           const DataType& type, StatsBound bound) {
  using Out = std::optional<StatsValue>;
  auto invalid = [&]() {
    return InvalidArgument("invalid ", bound == StatsBound::kMin ? "min" : "max", " value \"", text,
                           "\" from the engine for a column of type ", type.ToString());
  };
  switch (type.kind()) {
    case TypeKind::kByte:
    case TypeKind::kShort:
    case TypeKind::kInteger:
    case TypeKind::kLong: {
      auto value = ParseInt64(text);
      if (!value) return invalid();
      return Out(StatsValue::Int(*value));
    }
    case TypeKind::kFloat:
    case TypeKind::kDouble: {
      auto value = vt::ParseDouble(text);
      if (!value) return invalid();
      // Jackson would write these as quoted strings, which readers do not expect.
      if (!std::isfinite(*value)) return Out();
      if (type.kind() == TypeKind::kFloat) {
        return Out(StatsValue::Number(vt::JavaFloatString(static_cast<float>(*value))));
      }
      return Out(StatsValue::Number(vt::JavaDoubleString(*value)));
    }
    case TypeKind::kDecimal: {
      auto decimal = vt::ParseDecimal(text);
      if (!decimal) return invalid();
      auto plain = vt::DecimalToPlain(*decimal, type.precision(), type.scale());
      if (!plain) return invalid();
      auto at_scale = vt::ParseDecimal(*plain);
      return Out(StatsValue::Number(vt::JavaBigDecimalString(*at_scale)));
    }
    case TypeKind::kDate: {
      auto days = vt::ParseDate(text);
      if (!days) return invalid();
      return Out(StatsValue::String(vt::FormatDate(*days)));
    }
    case TypeKind::kTimestamp:
    case TypeKind::kTimestampNtz: {
      auto timestamp = vt::ParseTimestamp(text);
      bool ntz = type.kind() == TypeKind::kTimestampNtz;
      if (!timestamp || (ntz && timestamp->has_zone)) return invalid();
      return Out(StatsValue::String(
          vt::FormatTimestamp(timestamp->micros, 'T', vt::FractionStyle::kMillis, ntz ? "" : "Z")));
    }
    case TypeKind::kString: {
      auto truncated = bound == StatsBound::kMin ? TruncateMinString(text, kStringPrefixLength)
                                                 : TruncateMaxString(text, kStringPrefixLength);
      if (!truncated) return Out();
      return Out(StatsValue::String(std::move(*truncated)));
    }
    default:
      return Out();
  }
}

Result<std::string> StatsValueToSql(const StatsValue& value, const DataType& type,
                                    std::string_view column_name) {
  constexpr std::string_view kWhat = "statistics value";
  bool fits = false;
  switch (value.kind) {
    case StatsValue::Kind::kBoolean:
      fits = type.kind() == TypeKind::kBoolean;
      break;
    case StatsValue::Kind::kNumber:
      fits = TypeHasMinMax(type) && type.kind() != TypeKind::kString &&
             type.kind() != TypeKind::kDate && type.kind() != TypeKind::kTimestamp &&
             type.kind() != TypeKind::kTimestampNtz;
      break;
    case StatsValue::Kind::kString:
      fits = !type.is_nested();
      break;
  }
  if (!fits) {
    return InvalidArgument("invalid ", kWhat, " ", value.text,
                           column_name.empty() ? "" : StrCat(" for column \"", column_name, "\""),
                           " of type ", type.ToString());
  }
  return DeltaTextToSql(value.text, type, column_name, kWhat);
}

}  // namespace sluice::delta
