#include "ingest/text_parser.h"

#include <algorithm>
#include <cstring>

namespace sluice::ingest {
namespace {

constexpr std::string_view kValueName = "value";

// Line breaks (\n, \r\n, lone \r) in data[begin, end), for Record::line when records are
// not lines. A \r is looked at with the byte after it, even past `end`.
int64_t CountLineBreaks(std::string_view data, size_t begin, size_t end) {
  int64_t count = 0;
  for (size_t i = begin; i < end; ++i) {
    if (data[i] == '\n') {
      ++count;
    } else if (data[i] == '\r' && (i + 1 == data.size() || data[i + 1] != '\n')) {
      ++count;
    }
  }
  return count;
}

class TextParser final : public RecordParser {
 public:
  TextParser(std::string_view data, bool whole_text, const std::string& line_sep)
      : data_(data), whole_text_(whole_text), line_sep_(line_sep) {}

  Result<bool> Next(Record& record) override {
    if (pos_ >= data_.size()) return false;
    std::string_view value;
    int64_t line = line_;
    if (whole_text_) {
      value = data_;
      pos_ = data_.size();
    } else if (line_sep_.empty()) {
      value = NextLine();
    } else {
      value = NextBySeparator();
    }
    record.fields.resize(1);
    record.fields[0] = RawField{kValueName, FieldKind::kString, value};
    record.raw = value;
    record.line = line;
    record.malformed = false;
    record.error.clear();
    return true;
  }

 private:
  // The line at pos_ without its ending (\n, \r\n or \r); moves past the ending.
  std::string_view NextLine() {
    const char* begin = data_.data() + pos_;
    const char* end = data_.data() + data_.size();
    const char* p = begin;
    // \n is the common ending: find it with memchr, then look for an earlier lone \r.
    const void* newline = std::memchr(p, '\n', static_cast<size_t>(end - p));
    const char* stop = newline != nullptr ? static_cast<const char*>(newline) : end;
    const void* cr = std::memchr(p, '\r', static_cast<size_t>(stop - p));
    if (cr != nullptr) stop = static_cast<const char*>(cr);
    std::string_view line(begin, static_cast<size_t>(stop - begin));
    if (stop < end) {
      ++line_;
      if (*stop == '\r' && stop + 1 < end && stop[1] == '\n') ++stop;
      ++stop;
    }
    pos_ = static_cast<size_t>(stop - data_.data());
    return line;
  }

  // The text from pos_ to the next `line_sep_` or the end; moves past the separator.
  std::string_view NextBySeparator() {
    const size_t found = data_.find(line_sep_, pos_);
    const size_t stop = found == std::string_view::npos ? data_.size() : found;
    std::string_view value = data_.substr(pos_, stop - pos_);
    const size_t next = found == std::string_view::npos ? data_.size() : found + line_sep_.size();
    line_ += CountLineBreaks(data_, pos_, next);
    pos_ = next;
    return value;
  }

  const std::string_view data_;
  const bool whole_text_;
  const std::string line_sep_;
  size_t pos_ = 0;
  int64_t line_ = 1;  // the line of pos_
};

}  // namespace

std::unique_ptr<RecordParser> MakeTextParser(std::string_view data, bool whole_text,
                                             const std::string& line_sep) {
  return std::make_unique<TextParser>(data, whole_text, line_sep);
}

}  // namespace sluice::ingest
