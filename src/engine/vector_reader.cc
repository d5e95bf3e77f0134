#include "engine/vector_reader.h"

#include <cstdio>
#include <cstring>

#include "common/strings.h"
#include "engine/internal.h"

namespace sluice::engine::internal {
namespace {

std::string TakeString(char* text) {
  std::string out = text != nullptr ? text : "";
  if (text != nullptr) duckdb_free(text);
  return out;
}

std::string Int128ToString(__int128 value) {
  if (value == 0) return "0";
  bool negative = value < 0;
  unsigned __int128 magnitude = negative ? static_cast<unsigned __int128>(-(value + 1)) + 1
                                         : static_cast<unsigned __int128>(value);
  std::string digits;
  while (magnitude > 0) {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(magnitude % 10)));
    magnitude /= 10;
  }
  return negative ? "-" + digits : digits;
}

std::string UInt128ToString(unsigned __int128 value) {
  if (value == 0) return "0";
  std::string digits;
  while (value > 0) {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(value % 10)));
    value /= 10;
  }
  return digits;
}

__int128 HugeToInt128(duckdb_hugeint h) {
  return (static_cast<__int128>(h.upper) << 64) | static_cast<__int128>(h.lower);
}

std::string DecimalText(__int128 unscaled, int scale) {
  std::string digits = Int128ToString(unscaled < 0 ? -unscaled : unscaled);
  if (scale > 0) {
    if (static_cast<int>(digits.size()) <= scale) {
      digits.insert(0, scale - digits.size() + 1, '0');
    }
    digits.insert(digits.size() - scale, ".");
  }
  return unscaled < 0 ? "-" + digits : digits;
}

std::string DateText(int32_t days) {
  duckdb_date_struct d = duckdb_from_date(duckdb_date{days});
  char buffer[32];
  if (d.year > 0) {
    std::snprintf(buffer, sizeof(buffer), "%04d-%02d-%02d", d.year, d.month, d.day);
  } else {
    std::snprintf(buffer, sizeof(buffer), "%04d-%02d-%02d (BC)", 1 - d.year, d.month, d.day);
  }
  return buffer;
}

std::string TimeText(int64_t micros) {
  duckdb_time_struct t = duckdb_from_time(duckdb_time{micros});
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%02d:%02d:%02d", t.hour, t.min, t.sec);
  std::string out = buffer;
  if (t.micros != 0) {
    std::snprintf(buffer, sizeof(buffer), ".%06d", t.micros);
    std::string fraction = buffer;
    while (fraction.back() == '0') fraction.pop_back();
    out += fraction;
  }
  return out;
}

std::string TimestampText(int64_t micros) {
  int64_t days = micros / 86400000000LL;
  int64_t rest = micros % 86400000000LL;
  if (rest < 0) {
    rest += 86400000000LL;
    days -= 1;
  }
  return DateText(static_cast<int32_t>(days)) + " " + TimeText(rest);
}

std::string IntervalText(const duckdb_interval& interval) {
  std::string out;
  auto part = [&](int64_t n, const char* unit) {
    if (n == 0) return;
    if (!out.empty()) out += " ";
    out += std::to_string(n) + " " + unit + (n == 1 || n == -1 ? "" : "s");
  };
  part(interval.months / 12, "year");
  part(interval.months % 12, "month");
  part(interval.days, "day");
  if (interval.micros != 0 || out.empty()) {
    if (!out.empty()) out += " ";
    int64_t micros = interval.micros;
    if (micros < 0) {
      out += "-";
      micros = -micros;
    }
    out += TimeText(micros);
  }
  return out;
}

std::string UuidText(duckdb_hugeint h) {
  uint64_t upper = static_cast<uint64_t>(h.upper) ^ (uint64_t{1} << 63);
  char buffer[40];
  std::snprintf(buffer, sizeof(buffer), "%08llx-%04llx-%04llx-%04llx-%012llx",
                static_cast<unsigned long long>(upper >> 32),
                static_cast<unsigned long long>((upper >> 16) & 0xFFFF),
                static_cast<unsigned long long>(upper & 0xFFFF),
                static_cast<unsigned long long>(h.lower >> 48),
                static_cast<unsigned long long>(h.lower & 0xFFFFFFFFFFFFULL));
  return buffer;
}

}  // namespace

ColumnReader::ColumnReader(duckdb_vector vector, duckdb_logical_type type)
    : vector_(vector),
      type_(type),
      id_(duckdb_get_type_id(type)),
      data_(duckdb_vector_get_data(vector)),
      validity_(duckdb_vector_get_validity(vector)) {
  switch (id_) {
    case DUCKDB_TYPE_DECIMAL:
      storage_ = duckdb_decimal_internal_type(type);
      scale_ = duckdb_decimal_scale(type);
      break;
    case DUCKDB_TYPE_ENUM: {
      storage_ = duckdb_enum_internal_type(type);
      uint32_t size = duckdb_enum_dictionary_size(type);
      for (uint32_t i = 0; i < size; ++i) {
        dictionary_.push_back(TakeString(duckdb_enum_dictionary_value(type, i)));
      }
      break;
    }
    case DUCKDB_TYPE_LIST:
    case DUCKDB_TYPE_MAP:
      children_.push_back(std::make_unique<ColumnReader>(duckdb_list_vector_get_child(vector),
                                                         duckdb_list_type_child_type(type)));
      break;
    case DUCKDB_TYPE_ARRAY:
      array_size_ = duckdb_array_type_array_size(type);
      children_.push_back(std::make_unique<ColumnReader>(duckdb_array_vector_get_child(vector),
                                                         duckdb_array_type_child_type(type)));
      break;
    case DUCKDB_TYPE_STRUCT: {
      idx_t count = duckdb_struct_type_child_count(type);
      for (idx_t i = 0; i < count; ++i) {
        child_names_.push_back(TakeString(duckdb_struct_type_child_name(type, i)));
        children_.push_back(std::make_unique<ColumnReader>(
            duckdb_struct_vector_get_child(vector, i), duckdb_struct_type_child_type(type, i)));
      }
      break;
    }
    default:
      break;
  }
}

ColumnReader::~ColumnReader() { duckdb_destroy_logical_type(&type_); }

bool ColumnReader::IsValid(size_t row) const {
  return validity_ == nullptr || duckdb_validity_row_is_valid(validity_, row);
}

template <typename T>
static T At(void* data, size_t row) {
  T value;
  std::memcpy(&value, static_cast<const char*>(data) + row * sizeof(T), sizeof(T));
  return value;
}

Value ColumnReader::Get(size_t row, bool nested_as_json) const {
  if (!IsValid(row)) return Value::Null();
  if (nested_as_json && !children_.empty()) return Value::Text(Json(row));
  switch (id_) {
    case DUCKDB_TYPE_BOOLEAN:
      return Value::Bool(At<bool>(data_, row));
    case DUCKDB_TYPE_TINYINT:
      return Value::Int(At<int8_t>(data_, row));
    case DUCKDB_TYPE_SMALLINT:
      return Value::Int(At<int16_t>(data_, row));
    case DUCKDB_TYPE_INTEGER:
      return Value::Int(At<int32_t>(data_, row));
    case DUCKDB_TYPE_BIGINT:
      return Value::Int(At<int64_t>(data_, row));
    case DUCKDB_TYPE_UTINYINT:
      return Value::Int(At<uint8_t>(data_, row));
    case DUCKDB_TYPE_USMALLINT:
      return Value::Int(At<uint16_t>(data_, row));
    case DUCKDB_TYPE_UINTEGER:
      return Value::Int(At<uint32_t>(data_, row));
    case DUCKDB_TYPE_UBIGINT: {
      uint64_t v = At<uint64_t>(data_, row);
      if (v <= static_cast<uint64_t>(INT64_MAX)) return Value::Int(static_cast<int64_t>(v));
      return Value::Text(std::to_string(v));
    }
    case DUCKDB_TYPE_FLOAT:
      return Value::Double(At<float>(data_, row));
    case DUCKDB_TYPE_DOUBLE:
      return Value::Double(At<double>(data_, row));
    case DUCKDB_TYPE_VARCHAR:
    case DUCKDB_TYPE_BLOB: {
      auto* strings = static_cast<duckdb_string_t*>(data_);
      std::string bytes(duckdb_string_t_data(&strings[row]), duckdb_string_t_length(strings[row]));
      return id_ == DUCKDB_TYPE_BLOB ? Value::Bytes(std::move(bytes))
                                     : Value::Text(std::move(bytes));
    }
    default:
      return Value::Text(Text(row, false));
  }
}

std::string ColumnReader::Text(size_t row, bool nested) const {
  if (!IsValid(row)) return nested ? "NULL" : "";
  switch (id_) {
    case DUCKDB_TYPE_VARCHAR: {
      std::string text = std::get<std::string>(Get(row).data);
      if (!nested) return text;
      std::string out = "'";
      for (char c : text) {
        if (c == '\'') out += '\\';
        out += c;
      }
      return out + "'";
    }
    case DUCKDB_TYPE_BLOB: {
      std::string text = EscapeBlob(std::get<Value::Blob>(Get(row).data).bytes);
      return nested ? "'" + text + "'" : text;
    }
    case DUCKDB_TYPE_HUGEINT:
      return Int128ToString(HugeToInt128(At<duckdb_hugeint>(data_, row)));
    case DUCKDB_TYPE_UHUGEINT: {
      auto h = At<duckdb_uhugeint>(data_, row);
      return UInt128ToString((static_cast<unsigned __int128>(h.upper) << 64) | h.lower);
    }
    case DUCKDB_TYPE_DECIMAL: {
      __int128 unscaled = 0;
      switch (storage_) {
        case DUCKDB_TYPE_SMALLINT:
          unscaled = At<int16_t>(data_, row);
          break;
        case DUCKDB_TYPE_INTEGER:
          unscaled = At<int32_t>(data_, row);
          break;
        case DUCKDB_TYPE_BIGINT:
          unscaled = At<int64_t>(data_, row);
          break;
        default:
          unscaled = HugeToInt128(At<duckdb_hugeint>(data_, row));
          break;
      }
      return DecimalText(unscaled, scale_);
    }
    case DUCKDB_TYPE_DATE:
      return DateText(At<int32_t>(data_, row));
    case DUCKDB_TYPE_TIME:
      return TimeText(At<int64_t>(data_, row));
    case DUCKDB_TYPE_TIMESTAMP:
      return TimestampText(At<int64_t>(data_, row));
    case DUCKDB_TYPE_TIMESTAMP_TZ:
      return TimestampText(At<int64_t>(data_, row)) + "+00";
    case DUCKDB_TYPE_TIMESTAMP_S:
      return TimestampText(At<int64_t>(data_, row) * 1000000);
    case DUCKDB_TYPE_TIMESTAMP_MS:
      return TimestampText(At<int64_t>(data_, row) * 1000);
    case DUCKDB_TYPE_TIMESTAMP_NS: {
      int64_t nanos = At<int64_t>(data_, row);
      std::string text = TimestampText(nanos / 1000);
      int64_t extra = nanos % 1000;
      if (extra != 0) {
        if (text.find('.') == std::string::npos) text += ".000000";
        while (text.size() - text.find('.') < 7) text += '0';
        char buffer[8];
        std::snprintf(buffer, sizeof(buffer), "%03lld",
                      static_cast<long long>(extra < 0 ? -extra : extra));
        text += buffer;
      }
      return text;
    }
    case DUCKDB_TYPE_INTERVAL:
      return IntervalText(At<duckdb_interval>(data_, row));
    case DUCKDB_TYPE_UUID:
      return UuidText(At<duckdb_hugeint>(data_, row));
    case DUCKDB_TYPE_ENUM: {
      size_t index = storage_ == DUCKDB_TYPE_UTINYINT    ? At<uint8_t>(data_, row)
                     : storage_ == DUCKDB_TYPE_USMALLINT ? At<uint16_t>(data_, row)
                                                         : At<uint32_t>(data_, row);
      std::string text = index < dictionary_.size() ? dictionary_[index] : "";
      return nested ? "'" + text + "'" : text;
    }
    case DUCKDB_TYPE_LIST:
    case DUCKDB_TYPE_MAP: {
      auto entry = At<duckdb_list_entry>(data_, row);
      const ColumnReader& child = *children_[0];
      bool is_map = id_ == DUCKDB_TYPE_MAP;
      std::string out = is_map ? "{" : "[";
      for (uint64_t i = 0; i < entry.length; ++i) {
        if (i > 0) out += ", ";
        size_t child_row = entry.offset + i;
        if (is_map) {
          out += child.children_[0]->Text(child_row, true) + "=" +
                 child.children_[1]->Text(child_row, true);
        } else {
          out += child.Text(child_row, true);
        }
      }
      return out + (is_map ? "}" : "]");
    }
    case DUCKDB_TYPE_ARRAY: {
      std::string out = "[";
      for (size_t i = 0; i < array_size_; ++i) {
        if (i > 0) out += ", ";
        out += children_[0]->Text(row * array_size_ + i, true);
      }
      return out + "]";
    }
    case DUCKDB_TYPE_STRUCT: {
      std::string out = "{";
      for (size_t i = 0; i < children_.size(); ++i) {
        if (i > 0) out += ", ";
        out += "'" + child_names_[i] + "': " + children_[i]->Text(row, true);
      }
      return out + "}";
    }
    case DUCKDB_TYPE_SQLNULL:
      return "NULL";
    default:
      return Get(row).ToString();
  }
}

std::string ColumnReader::Json(size_t row) const {
  if (!IsValid(row)) return "null";
  switch (id_) {
    case DUCKDB_TYPE_BOOLEAN:
    case DUCKDB_TYPE_TINYINT:
    case DUCKDB_TYPE_SMALLINT:
    case DUCKDB_TYPE_INTEGER:
    case DUCKDB_TYPE_BIGINT:
    case DUCKDB_TYPE_UTINYINT:
    case DUCKDB_TYPE_USMALLINT:
    case DUCKDB_TYPE_UINTEGER:
    case DUCKDB_TYPE_UBIGINT:
    case DUCKDB_TYPE_HUGEINT:
    case DUCKDB_TYPE_UHUGEINT:
    case DUCKDB_TYPE_DECIMAL:
      return Text(row, false);
    case DUCKDB_TYPE_FLOAT:
    case DUCKDB_TYPE_DOUBLE: {
      std::string text = Get(row).ToString();
      return text == "nan" || text == "inf" || text == "-inf" ? JsonString(text) : text;
    }
    case DUCKDB_TYPE_LIST:
    case DUCKDB_TYPE_MAP: {
      auto entry = At<duckdb_list_entry>(data_, row);
      const ColumnReader& child = *children_[0];
      bool is_map = id_ == DUCKDB_TYPE_MAP;
      std::string out = is_map ? "{" : "[";
      for (uint64_t i = 0; i < entry.length; ++i) {
        if (i > 0) out += ",";
        size_t child_row = entry.offset + i;
        if (is_map) {
          out += JsonString(child.children_[0]->Text(child_row, false)) + ":" +
                 child.children_[1]->Json(child_row);
        } else {
          out += child.Json(child_row);
        }
      }
      return out + (is_map ? "}" : "]");
    }
    case DUCKDB_TYPE_ARRAY: {
      std::string out = "[";
      for (size_t i = 0; i < array_size_; ++i) {
        if (i > 0) out += ",";
        out += children_[0]->Json(row * array_size_ + i);
      }
      return out + "]";
    }
    case DUCKDB_TYPE_STRUCT: {
      std::string out = "{";
      for (size_t i = 0; i < children_.size(); ++i) {
        if (i > 0) out += ",";
        out += JsonString(child_names_[i]) + ":" + children_[i]->Json(row);
      }
      return out + "}";
    }
    case DUCKDB_TYPE_BLOB:
      return JsonString(EscapeBlob(std::get<Value::Blob>(Get(row).data).bytes));
    default:
      return JsonString(Text(row, false));
  }
}

std::vector<std::unique_ptr<ColumnReader>> ChunkReaders(duckdb_data_chunk chunk) {
  std::vector<std::unique_ptr<ColumnReader>> readers;
  const idx_t columns = duckdb_data_chunk_get_column_count(chunk);
  for (idx_t c = 0; c < columns; ++c) {
    duckdb_vector vector = duckdb_data_chunk_get_vector(chunk, c);
    readers.push_back(
        std::make_unique<ColumnReader>(vector, duckdb_vector_get_column_type(vector)));
  }
  return readers;
}

bool ReadRow(const std::vector<std::unique_ptr<ColumnReader>>& readers, size_t row,
             std::vector<Value>& values) {
  bool any_null = false;
  for (size_t c = 0; c < readers.size(); ++c) {
    values[c] = readers[c]->Get(row);
    any_null = any_null || values[c].is_null();
  }
  return any_null;
}

}  // namespace sluice::engine::internal
