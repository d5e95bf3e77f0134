// JSON records with simdjson's On-Demand API, which hands out numbers as the raw text the
// file has (so "1.50" and "1e3" reach the value conversion as written) and accepts integers
// of any size, as Jackson does.
//
// On-Demand checks only what is read, so every value of a record is read, nested ones
// included: a record is well-formed exactly when the whole text is valid JSON. Views into
// a record point into the input (raw text, numbers, compact nested values), into the
// simdjson parser's string buffer (decoded keys and strings), into the reader's `nested_`
// buffer (nested values that had whitespace) or at static "true"/"false"; all of them stay
// put until the next record is read.
#include "ingest/json_parser.h"

#include <simdjson.h>

#include <cstring>
#include <string>
#include <utility>

#include "common/check.h"
#include "ingest/json_text.h"

namespace sluice::ingest {
namespace {

namespace od = simdjson::ondemand;
using simdjson::error_code;

static_assert(kJsonPadding >= simdjson::SIMDJSON_PADDING);

// Deeper nesting is malformed, as Jackson's default nesting limit makes it in Spark.
constexpr int kMaxDepth = 1000;

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

std::string_view SkipBom(std::string_view data) {
  if (data.substr(0, kUtf8Bom.size()) == kUtf8Bom) data.remove_prefix(kUtf8Bom.size());
  return data;
}

std::string_view KindName(od::json_type type) {
  switch (type) {
    case od::json_type::array:
      return "an array";
    case od::json_type::object:
      return "an object";
    case od::json_type::number:
      return "a number";
    case od::json_type::string:
      return "a string";
    case od::json_type::boolean:
      return "a boolean";
    case od::json_type::null:
      return "null";
  }
  return "a value";
}

// get_bool and is_null fail with INCORRECT_TYPE; name the literal that is misspelt instead.
error_code AtomError(std::string_view token) {
  if (!token.empty() && token[0] == 'f') return simdjson::F_ATOM_ERROR;
  if (!token.empty() && token[0] == 'n') return simdjson::N_ATOM_ERROR;
  return simdjson::T_ATOM_ERROR;
}

std::string InvalidJson(error_code error) {
  return std::string("invalid JSON: ") + simdjson::error_message(error);
}

error_code Validate(od::value value, int depth);

error_code ValidateObject(od::object object, int depth) {
  for (auto entry : object) {
    od::field field;
    if (error_code e = std::move(entry).get(field)) return e;
    std::string_view key;
    if (error_code e = field.unescaped_key().get(key)) return e;
    if (error_code e = Validate(field.value(), depth)) return e;
  }
  return simdjson::SUCCESS;
}

error_code ValidateArray(od::array array, int depth) {
  for (auto entry : array) {
    od::value element;
    if (error_code e = std::move(entry).get(element)) return e;
    if (error_code e = Validate(element, depth)) return e;
  }
  return simdjson::SUCCESS;
}

// Reads `value` completely, so that simdjson checks all of it. `depth` is the value's
// nesting level (a record's fields are at 2).
error_code Validate(od::value value, int depth) {
  if (depth > kMaxDepth) return simdjson::DEPTH_ERROR;
  od::json_type type;
  if (error_code e = value.type().get(type)) return e;
  switch (type) {
    case od::json_type::object: {
      od::object object;
      if (error_code e = value.get_object().get(object)) return e;
      return ValidateObject(object, depth + 1);
    }
    case od::json_type::array: {
      od::array array;
      if (error_code e = value.get_array().get(array)) return e;
      return ValidateArray(array, depth + 1);
    }
    case od::json_type::string: {
      std::string_view text;
      return value.get_string().get(text);
    }
    case od::json_type::number:
      return IsJsonNumber(TrimJsonWhitespace(value.raw_json_token())) ? simdjson::SUCCESS
                                                                      : simdjson::NUMBER_ERROR;
    case od::json_type::boolean: {
      const std::string_view token = value.raw_json_token();
      bool flag;
      return value.get_bool().get(flag) ? AtomError(token) : simdjson::SUCCESS;
    }
    case od::json_type::null: {
      bool null = false;
      return value.is_null().get(null) || !null ? simdjson::N_ATOM_ERROR : simdjson::SUCCESS;
    }
  }
  return simdjson::TAPE_ERROR;
}

// After the root value has been read: TRAILING_CONTENT unless the document ends there.
error_code EndOfDocument(od::document& doc) {
  const char* location = nullptr;
  error_code e = doc.current_location().get(location);
  if (e == simdjson::OUT_OF_BOUNDS) return simdjson::SUCCESS;
  return e ? e : simdjson::TRAILING_CONTENT;
}

// Checks a whole document whose root is `type`. `text` is the document's text.
error_code ValidateRoot(od::document& doc, od::json_type type, std::string_view text) {
  switch (type) {
    case od::json_type::object: {
      od::object object;
      if (error_code e = doc.get_object().get(object)) return e;
      if (error_code e = ValidateObject(object, 2)) return e;
      return EndOfDocument(doc);
    }
    case od::json_type::array: {
      od::array array;
      if (error_code e = doc.get_array().get(array)) return e;
      if (error_code e = ValidateArray(array, 2)) return e;
      return EndOfDocument(doc);
    }
    default:
      break;
  }
  // A scalar root: the document's text is the scalar alone.
  const std::string_view scalar = TrimJsonWhitespace(text);
  switch (type) {
    case od::json_type::string: {
      std::string_view decoded;
      if (error_code e = doc.get_string().get(decoded)) return e;
      bool unused = false;
      return JsonValueEnd(scalar, 0, &unused) == scalar.size() ? simdjson::SUCCESS
                                                               : simdjson::TRAILING_CONTENT;
    }
    case od::json_type::number:
      return IsJsonNumber(scalar) ? simdjson::SUCCESS : simdjson::NUMBER_ERROR;
    case od::json_type::boolean:
      return scalar == "true" || scalar == "false" ? simdjson::SUCCESS : AtomError(scalar);
    case od::json_type::null:
      return scalar == "null" ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR;
    default:
      return simdjson::TAPE_ERROR;
  }
}

// Turns one JSON text that should be an object into a Record, owning the buffers the
// record's views point into besides the text itself.
class ObjectReader {
 public:
  void Read(std::string_view text, int64_t line, Record& record) {
    record.fields.clear();
    record.raw = text;
    record.line = line;
    record.malformed = false;
    record.error.clear();
    // Compact nested values are never longer than the text they come from, so with this
    // much room `nested_` never reallocates under the views into it.
    nested_.clear();
    if (nested_.capacity() < text.size()) nested_.reserve(text.size());

    padded_.Assign(text);
    od::document doc;
    error_code e = parser_.iterate(padded_.data(), padded_.size(), padded_.capacity()).get(doc);
    if (!e) e = ReadDocument(doc, text, record);
    if (e) {
      // What was read before the error is dropped: a row is never made of half a line.
      record.fields.clear();
      record.malformed = true;
      record.error = InvalidJson(e);
    }
  }

 private:
  error_code ReadDocument(od::document& doc, std::string_view text, Record& record) {
    od::json_type type;
    if (error_code e = doc.type().get(type)) return e;
    if (type != od::json_type::object) {
      if (error_code e = ValidateRoot(doc, type, text)) return e;
      record.malformed = true;
      record.error = std::string("expected a JSON object, found ") + std::string(KindName(type));
      return simdjson::SUCCESS;
    }
    od::object object;
    if (error_code e = doc.get_object().get(object)) return e;
    for (auto entry : object) {
      od::field field;
      if (error_code e = std::move(entry).get(field)) return e;
      RawField raw_field;
      if (error_code e = field.unescaped_key().get(raw_field.name)) return e;
      if (error_code e = ReadValue(field.value(), text, raw_field)) return e;
      // A repeated key is a field of its own: the reader keeps the first in its column and
      // rescues the others, so that no value is lost.
      record.fields.push_back(raw_field);
    }
    return EndOfDocument(doc);
  }

  error_code ReadValue(od::value value, std::string_view text, RawField& field) {
    od::json_type type;
    if (error_code e = value.type().get(type)) return e;
    switch (type) {
      case od::json_type::string:
        field.kind = FieldKind::kString;
        return value.get_string().get(field.text);
      case od::json_type::number: {
        std::string_view token = TrimJsonWhitespace(value.raw_json_token());
        if (!IsJsonNumber(token)) return simdjson::NUMBER_ERROR;
        field.kind = FieldKind::kNumber;
        field.text = text.substr(token.data() - padded_.data(), token.size());
        return simdjson::SUCCESS;
      }
      case od::json_type::boolean: {
        const std::string_view token = value.raw_json_token();
        bool flag = false;
        if (value.get_bool().get(flag)) return AtomError(token);
        field.kind = FieldKind::kBool;
        field.text = flag ? "true" : "false";
        return simdjson::SUCCESS;
      }
      case od::json_type::null: {
        bool null = false;
        if (value.is_null().get(null) || !null) return simdjson::N_ATOM_ERROR;
        field.kind = FieldKind::kNull;
        field.text = {};
        return simdjson::SUCCESS;
      }
      case od::json_type::object:
      case od::json_type::array: {
        const size_t start = value.raw_json_token().data() - padded_.data();
        if (error_code e = Validate(value, 2)) return e;
        bool has_whitespace = false;
        const size_t end = JsonValueEnd(text, start, &has_whitespace);
        field.kind = type == od::json_type::object ? FieldKind::kObject : FieldKind::kArray;
        field.text = text.substr(start, end - start);
        if (has_whitespace) return Compact(field.text);
        return simdjson::SUCCESS;
      }
    }
    return simdjson::TAPE_ERROR;
  }

  // Replaces `json` (valid JSON in the input) by its copy without whitespace in `nested_`.
  error_code Compact(std::string_view& json) {
    const size_t used = nested_.size();
    SLUICE_DCHECK(used + json.size() <= nested_.capacity());
    nested_.resize(used + json.size());
    size_t written = 0;
    if (error_code e = simdjson::minify(json.data(), json.size(), nested_.data() + used, written)) {
      return e;
    }
    nested_.resize(used + written);
    json = std::string_view(nested_.data() + used, written);
    return simdjson::SUCCESS;
  }

  od::parser parser_;
  PaddedBuffer padded_;
  std::string nested_;
};

// Line breaks are \n, \r\n or a lone \r, as in Spark's (Hadoop's) line reader.
class JsonLinesParser final : public RecordParser {
 public:
  explicit JsonLinesParser(std::string_view data) : data_(SkipBom(data)) {}

  Result<bool> Next(Record& record) override {
    const char* const base = data_.data();
    const size_t size = data_.size();
    while (pos_ < size) {
      const size_t start = pos_;
      const void* newline = std::memchr(base + start, '\n', size - start);
      size_t end = newline ? static_cast<const char*>(newline) - base : size;
      size_t next = newline ? end + 1 : size;
      if (const void* cr = std::memchr(base + start, '\r', end - start)) {
        end = static_cast<const char*>(cr) - base;
        next = end + 1;
        if (next < size && base[next] == '\n') ++next;
      }
      pos_ = next;
      ++line_;
      const std::string_view line = data_.substr(start, end - start);
      if (TrimJsonWhitespace(line).empty()) continue;
      reader_.Read(line, line_, record);
      return true;
    }
    return false;
  }

 private:
  const std::string_view data_;
  size_t pos_ = 0;
  int64_t line_ = 0;
  ObjectReader reader_;
};

// The whole document is checked first, so that a document that turns out invalid near its
// end yields one malformed record instead of some records and then an error. Elements of
// a top-level array are then found by scanning the (now known valid) text and read one by
// one like lines.
class JsonMultiLineParser final : public RecordParser {
 public:
  explicit JsonMultiLineParser(std::string_view data) : data_(SkipBom(data)) {}

  Result<bool> Next(Record& record) override {
    switch (state_) {
      case State::kStart:
        return Start(record);
      case State::kArray:
        return NextElement(record);
      case State::kDone:
        break;
    }
    return false;
  }

 private:
  enum class State { kStart, kArray, kDone };

  bool Start(Record& record) {
    state_ = State::kDone;
    const std::string_view text = TrimJsonWhitespace(data_);
    if (text.empty()) return false;
    od::json_type type = od::json_type::null;
    error_code e = simdjson::SUCCESS;
    {
      // Its own parser and copy: both are as large as the document, and freed right away.
      simdjson::padded_string padded(text);
      od::parser parser;
      od::document doc;
      e = parser.iterate(padded).get(doc);
      if (!e) e = doc.type().get(type);
      if (!e) e = ValidateRoot(doc, type, text);
    }
    const size_t offset = text.data() - data_.data();
    if (e) {
      SetMalformed(record, data_, 1, InvalidJson(e));
      return true;
    }
    if (type == od::json_type::object) {
      reader_.Read(text, LineAt(offset), record);
      return true;
    }
    if (type != od::json_type::array) {
      SetMalformed(record, text, LineAt(offset),
                   std::string("expected a JSON object or an array of objects, found ") +
                       std::string(KindName(type)));
      return true;
    }
    pos_ = offset + 1;  // past '['
    state_ = State::kArray;
    return NextElement(record);
  }

  bool NextElement(Record& record) {
    SkipWhitespace();
    if (pos_ >= data_.size() || data_[pos_] == ']') {
      state_ = State::kDone;
      return false;
    }
    const size_t start = pos_;
    bool has_whitespace = false;
    const size_t end = JsonValueEnd(data_, start, &has_whitespace);
    reader_.Read(data_.substr(start, end - start), LineAt(start), record);
    pos_ = end;
    SkipWhitespace();
    if (pos_ < data_.size() && data_[pos_] == ',') ++pos_;
    return true;
  }

  void SkipWhitespace() {
    while (pos_ < data_.size() && IsJsonWhitespace(data_[pos_])) ++pos_;
  }

  // The 1-based line of data_[offset]; offsets must not decrease from call to call.
  int64_t LineAt(size_t offset) {
    for (; line_offset_ < offset; ++line_offset_) {
      const char c = data_[line_offset_];
      if (c == '\n' ||
          (c == '\r' && (line_offset_ + 1 >= data_.size() || data_[line_offset_ + 1] != '\n'))) {
        ++line_;
      }
    }
    return line_;
  }

  static void SetMalformed(Record& record, std::string_view raw, int64_t line, std::string error) {
    record.fields.clear();
    record.raw = raw;
    record.line = line;
    record.malformed = true;
    record.error = std::move(error);
  }

  const std::string_view data_;
  State state_ = State::kStart;
  size_t pos_ = 0;
  size_t line_offset_ = 0;
  int64_t line_ = 1;
  ObjectReader reader_;
};

}  // namespace

std::unique_ptr<RecordParser> MakeJsonLinesParser(std::string_view data) {
  return std::make_unique<JsonLinesParser>(data);
}

std::unique_ptr<RecordParser> MakeJsonMultiLineParser(std::string_view data) {
  return std::make_unique<JsonMultiLineParser>(data);
}

}  // namespace sluice::ingest
