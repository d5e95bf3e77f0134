// Reading typed fields of one Delta action line with simdjson On-Demand; shared by the action
// parsers. Every error names the source file and line. Internal to src/delta.
#pragma once

#include <simdjson.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "delta/actions.h"

namespace sluice::delta::internal {

namespace od = simdjson::ondemand;

// Names the field being read, for messages such as "add.size: expected an integer".
struct Where {
  std::string_view action;
  std::string_view field;
};

// The typed getters take a field's value and leave `*out` empty for JSON null. They fail with
// Corruption("<source> line <n>: <action>.<field>: expected ...") for a value of another type.
class FieldReader {
 public:
  FieldReader(std::string_view source, size_t line) : source_(source), line_(line) {}

  Status Fail(std::string_view what) const {
    return Corruption(source_, " line ", line_, ": ", what);
  }
  Status InvalidJson(simdjson::error_code error) const {
    return Fail(StrCat("invalid JSON: ", simdjson::error_message(error)));
  }
  Status WrongType(Where w, std::string_view expected, simdjson::error_code error) const;
  Status Missing(std::string_view action, std::string_view field) const {
    return Fail(StrCat(action, " lacks required field '", field, "'"));
  }

  // Calls fn(key, value) for every field of an object; fn returns a Status.
  template <typename Fn>
  Status ForEachField(od::value& v, Where w, Fn&& fn);

  Result<bool> IsNull(od::value& v);
  Status Get(od::value& v, Where w, std::optional<std::string>* out);
  Status Get(od::value& v, Where w, std::optional<int64_t>* out);
  Status Get(od::value& v, Where w, std::optional<int32_t>* out);
  Status Get(od::value& v, Where w, std::optional<bool>* out);
  Status Get(od::value& v, Where w, std::optional<std::vector<std::string>>* out);
  // Maps may also come as [{"key":k,"value":v},...]. A null partition value is kept; a null
  // value in any other map is dropped.
  Status Get(od::value& v, Where w, std::optional<StringMap>* out);
  Status Get(od::value& v, Where w, std::optional<PartitionValues>* out);
  Status Get(od::value& v, Where w, std::optional<DeletionVectorDescriptor>* out);
  // A JSON object kept as compact JSON text.
  Status GetObjectText(od::value& v, Where w, std::optional<std::string>* out);

 private:
  template <typename Map>
  Status GetMap(od::value& v, Where w, std::optional<Map>* out);
  template <typename Map>
  Status PutMapValue(od::value& v, Where w, std::string key, Map* map);

  std::string_view source_;
  size_t line_;
};

template <typename Fn>
Status FieldReader::ForEachField(od::value& v, Where w, Fn&& fn) {
  od::object object;
  if (auto error = v.get_object().get(object)) return WrongType(w, "an object", error);
  for (auto field : object) {
    std::string_view key;
    if (auto error = field.unescaped_key().get(key)) return InvalidJson(error);
    od::value value;
    if (auto error = field.value().get(value)) return InvalidJson(error);
    SLUICE_RETURN_IF_ERROR(fn(key, value));
  }
  return Status::OK();
}

}  // namespace sluice::delta::internal
