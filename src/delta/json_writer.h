// A minimal JSON text builder: keys come out in the order they are written, which is how
// sluice reproduces Spark's key order in log files. No validation beyond comma placement.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::delta {

// Appends `text` as a JSON string literal, quotes included. Control characters and `"`, `\`
// are escaped; all other bytes (UTF-8 included) are copied unchanged, as Jackson does.
void AppendJsonString(std::string* out, std::string_view text);

// Appends JSON to a string. Inside an object, call Key() before each value.
class JsonWriter {
 public:
  explicit JsonWriter(std::string* out) : out_(out) {}

  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view value);
  JsonWriter& Int(int64_t value);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();
  // Appends `json`, which must be one complete JSON value, as the next value.
  JsonWriter& Raw(std::string_view json);

 private:
  void BeforeValue();

  std::string* out_;
  std::vector<bool> first_in_scope_;  // one entry per open object/array
  bool after_key_ = false;
};

}  // namespace sluice::delta
