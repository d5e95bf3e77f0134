#include "delta/action_field_reader.h"

#include <cstdint>
#include <limits>
#include <type_traits>

namespace sluice::delta::internal {

Status FieldReader::WrongType(Where w, std::string_view expected,
                              simdjson::error_code error) const {
  if (error != simdjson::INCORRECT_TYPE && error != simdjson::NUMBER_OUT_OF_RANGE) {
    return Fail(
        StrCat("invalid JSON in ", w.action, ".", w.field, ": ", simdjson::error_message(error)));
  }
  return Fail(StrCat(w.action, ".", w.field, ": expected ", expected));
}

Result<bool> FieldReader::IsNull(od::value& v) {
  od::json_type type;
  if (auto error = v.type().get(type)) return InvalidJson(error);
  return type == od::json_type::null;
}

Status FieldReader::Get(od::value& v, Where w, std::optional<std::string>* out) {
  SLUICE_ASSIGN_OR_RETURN(bool is_null, IsNull(v));
  if (is_null) {
    out->reset();
    return Status::OK();
  }
  std::string_view text;
  if (auto error = v.get_string().get(text)) return WrongType(w, "a string", error);
  out->emplace(text);
  return Status::OK();
}

Status FieldReader::Get(od::value& v, Where w, std::optional<int64_t>* out) {
  SLUICE_ASSIGN_OR_RETURN(bool is_null, IsNull(v));
  if (is_null) {
    out->reset();
    return Status::OK();
  }
  int64_t number;
  if (auto error = v.get_int64().get(number)) return WrongType(w, "an integer", error);
  *out = number;
  return Status::OK();
}

Status FieldReader::Get(od::value& v, Where w, std::optional<int32_t>* out) {
  std::optional<int64_t> wide;
  SLUICE_RETURN_IF_ERROR(Get(v, w, &wide));
  if (wide && (*wide < std::numeric_limits<int32_t>::min() ||
               *wide > std::numeric_limits<int32_t>::max())) {
    return Fail(StrCat(w.action, ".", w.field, ": ", *wide, " does not fit in 32 bits"));
  }
  if (wide) {
    *out = static_cast<int32_t>(*wide);
  } else {
    out->reset();
  }
  return Status::OK();
}

Status FieldReader::Get(od::value& v, Where w, std::optional<bool>* out) {
  SLUICE_ASSIGN_OR_RETURN(bool is_null, IsNull(v));
  if (is_null) {
    out->reset();
    return Status::OK();
  }
  bool flag;
  if (auto error = v.get_bool().get(flag)) return WrongType(w, "true or false", error);
  *out = flag;
  return Status::OK();
}

Status FieldReader::Get(od::value& v, Where w, std::optional<std::vector<std::string>>* out) {
  SLUICE_ASSIGN_OR_RETURN(bool is_null, IsNull(v));
  if (is_null) {
    out->reset();
    return Status::OK();
  }
  od::array array;
  if (auto error = v.get_array().get(array)) return WrongType(w, "an array of strings", error);
  std::vector<std::string> list;
  for (auto element_result : array) {
    od::value element;
    if (auto error = element_result.get(element)) return InvalidJson(error);
    std::string_view text;
    if (auto error = element.get_string().get(text)) {
      return WrongType(w, "an array of strings", error);
    }
    list.emplace_back(text);
  }
  *out = std::move(list);
  return Status::OK();
}

template <typename Map>
Status FieldReader::PutMapValue(od::value& v, Where w, std::string key, Map* map) {
  SLUICE_ASSIGN_OR_RETURN(bool is_null, IsNull(v));
  if (is_null) {
    // A null partition value is meaningful; a null tag or property value is dropped.
    if constexpr (std::is_same_v<Map, PartitionValues>) map->insert_or_assign(key, std::nullopt);
    return Status::OK();
  }
  std::string_view text;
  if (auto error = v.get_string().get(text)) {
    return WrongType(w, "an object of strings", error);
  }
  map->insert_or_assign(std::move(key), std::string(text));
  return Status::OK();
}

template <typename Map>
Status FieldReader::GetMap(od::value& v, Where w, std::optional<Map>* out) {
  od::json_type type;
  if (auto error = v.type().get(type)) return InvalidJson(error);
  Map map;
  if (type == od::json_type::null) {
    out->reset();
    return Status::OK();
  }
  if (type == od::json_type::object) {
    SLUICE_RETURN_IF_ERROR(ForEachField(v, w, [&](std::string_view key, od::value& value) {
      return PutMapValue(value, w, std::string(key), &map);
    }));
  } else if (type == od::json_type::array) {
    // [{"key":k,"value":v}, ...]: how some tools render a Parquet MAP as JSON.
    od::array array;
    if (auto error = v.get_array().get(array)) return InvalidJson(error);
    for (auto entry_result : array) {
      od::value entry;
      if (auto error = entry_result.get(entry)) return InvalidJson(error);
      std::optional<std::string> key;
      bool has_value = false;
      SLUICE_RETURN_IF_ERROR(ForEachField(entry, w, [&](std::string_view k, od::value& value) {
        if (k == "key") return Get(value, w, &key);
        if (k == "value") {
          if (!key) return Fail(StrCat(w.action, ".", w.field, ": map entry value before key"));
          has_value = true;
          return PutMapValue(value, w, *key, &map);
        }
        return Status::OK();
      }));
      if (!key) return Fail(StrCat(w.action, ".", w.field, ": map entry without a key"));
      if (!has_value) {
        if constexpr (std::is_same_v<Map, PartitionValues>) {
          map.insert_or_assign(*key, std::nullopt);
        }
      }
    }
  } else {
    return Fail(StrCat(w.action, ".", w.field, ": expected an object"));
  }
  *out = std::move(map);
  return Status::OK();
}

Status FieldReader::Get(od::value& v, Where w, std::optional<StringMap>* out) {
  return GetMap(v, w, out);
}

Status FieldReader::Get(od::value& v, Where w, std::optional<PartitionValues>* out) {
  return GetMap(v, w, out);
}

Status FieldReader::GetObjectText(od::value& v, Where w, std::optional<std::string>* out) {
  SLUICE_ASSIGN_OR_RETURN(bool is_null, IsNull(v));
  if (is_null) {
    out->reset();
    return Status::OK();
  }
  od::object object;
  if (auto error = v.get_object().get(object)) return WrongType(w, "an object", error);
  std::string_view raw;
  if (auto error = object.raw_json().get(raw)) return InvalidJson(error);
  std::string compact(raw.size(), '\0');
  size_t length = 0;
  if (auto error = simdjson::minify(raw.data(), raw.size(), compact.data(), length)) {
    return InvalidJson(error);
  }
  compact.resize(length);
  *out = std::move(compact);
  return Status::OK();
}

Status FieldReader::Get(od::value& v, Where w, std::optional<DeletionVectorDescriptor>* out) {
  SLUICE_ASSIGN_OR_RETURN(bool is_null, IsNull(v));
  if (is_null) {
    out->reset();
    return Status::OK();
  }
  std::string where = StrCat(w.action, ".deletionVector");
  std::optional<std::string> storage_type, path_or_inline_dv;
  std::optional<int32_t> offset, size_in_bytes;
  std::optional<int64_t> cardinality;
  SLUICE_RETURN_IF_ERROR(ForEachField(v, w, [&](std::string_view key, od::value& value) {
    Where f{where, key};
    if (key == "storageType") return Get(value, f, &storage_type);
    if (key == "pathOrInlineDv") return Get(value, f, &path_or_inline_dv);
    if (key == "offset") return Get(value, f, &offset);
    if (key == "sizeInBytes") return Get(value, f, &size_in_bytes);
    if (key == "cardinality") return Get(value, f, &cardinality);
    return Status::OK();
  }));
  if (!storage_type) return Missing(where, "storageType");
  if (!path_or_inline_dv) return Missing(where, "pathOrInlineDv");
  if (!size_in_bytes) return Missing(where, "sizeInBytes");
  if (!cardinality) return Missing(where, "cardinality");
  if (*storage_type != "u" && *storage_type != "i" && *storage_type != "p") {
    return Fail(StrCat(where, ".storageType: '", *storage_type, "' is not u, i or p"));
  }
  DeletionVectorDescriptor dv;
  dv.storage_type = (*storage_type)[0];
  dv.path_or_inline_dv = std::move(*path_or_inline_dv);
  dv.offset = offset;
  dv.size_in_bytes = *size_in_bytes;
  dv.cardinality = *cardinality;
  *out = std::move(dv);
  return Status::OK();
}

}  // namespace sluice::delta::internal
