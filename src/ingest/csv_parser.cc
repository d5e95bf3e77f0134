#include "ingest/csv_parser.h"

#include <cstring>
#include <deque>
#include <map>

#include "common/strings.h"

namespace sluice::ingest {
namespace {

inline unsigned char Byte(char c) { return static_cast<unsigned char>(c); }

// Java's String.trim, which Spark and univocity use for whitespace: every byte up to ' '.
inline bool IsBlank(char c) { return Byte(c) <= ' '; }

// Where a field's text lives: in the file's bytes or in the record's unescape buffer.
// Offsets, not views, because the buffer may grow while later fields of the record are read.
struct FieldSpan {
  size_t offset = 0;
  size_t size = 0;
  bool in_buffer = false;
  bool is_null = false;
};

class CsvParserImpl final : public CsvParser {
 public:
  CsvParserImpl(std::string_view data, const CsvOptions& options);

  Result<bool> Next(Record& record) override;
  const std::vector<std::string>& header() const override { return header_; }

 private:
  // Moves pos_ past empty lines, blank lines and comment lines; false at the end of data.
  bool SkipToRow();
  // Reads the row at pos_ into spans_ and the row_* members and moves pos_ past its line
  // ending. Precondition: SkipToRow() returned true.
  void ReadRow();
  // Reads a quoted field whose opening quote is at `open`. Sets `end` to the byte after
  // the closing quote, or to where the field stopped when it is unclosed (the line ending
  // without multiLine, the end of data with it); returns false when unclosed.
  bool ReadQuoted(const char* open, FieldSpan& span, const char*& end);
  // The end of an unquoted field starting at `p`: the next delimiter, line ending or end.
  const char* ScanUnquoted(const char* p) const;
  bool AtDelimiter(const char* p) const {
    if (delimiter_.size() == 1) return *p == delimiter_[0];
    return static_cast<size_t>(end_ - p) >= delimiter_.size() &&
           std::memcmp(p, delimiter_.data(), delimiter_.size()) == 0;
  }
  // Moves past the line ending at `p` (which is \r or \n) and counts the line.
  const char* SkipLineEnding(const char* p) {
    ++line_;
    if (*p == '\r' && p + 1 < end_ && p[1] == '\n') return p + 2;
    return p + 1;
  }
  void AddUnquoted(const char* begin, const char* end);
  std::string_view NameAt(size_t index);
  std::string_view SpanText(const FieldSpan& span) const {
    return span.in_buffer ? std::string_view(buffer_).substr(span.offset, span.size)
                          : std::string_view(begin_ + span.offset, span.size);
  }

  const char* const begin_;
  const char* const end_;
  const CsvOptions options_;
  const std::string delimiter_;
  // Bytes that stop the scan of an unquoted field, and of a quoted one.
  bool unquoted_stop_[256] = {};
  bool quoted_stop_[256] = {};

  const char* pos_;
  int64_t line_ = 1;  // the line of pos_
  bool header_done_ = false;
  std::vector<std::string> header_;
  // Field names by position: the header's cells, then "_c<i>". A deque, so that names
  // already handed out stay where they are when more are added.
  std::deque<std::string> names_;

  // The row being read; reused from row to row so that parsing does not allocate.
  std::vector<FieldSpan> spans_;
  std::string buffer_;
  const char* row_begin_ = nullptr;
  const char* row_end_ = nullptr;
  int64_t row_line_ = 0;
  bool row_unclosed_ = false;
};

CsvParserImpl::CsvParserImpl(std::string_view data, const CsvOptions& options)
    : begin_(data.data()),
      end_(data.data() + data.size()),
      options_(options),
      delimiter_(options.delimiter.empty() ? std::string(",") : options.delimiter),
      pos_(data.data()) {
  unquoted_stop_[Byte(delimiter_[0])] = true;
  unquoted_stop_[Byte('\r')] = true;
  unquoted_stop_[Byte('\n')] = true;
  quoted_stop_[Byte('\r')] = true;
  quoted_stop_[Byte('\n')] = true;
  if (options_.quote != '\0') quoted_stop_[Byte(options_.quote)] = true;
  if (options_.escape != '\0') quoted_stop_[Byte(options_.escape)] = true;
  spans_.reserve(64);
}

bool CsvParserImpl::SkipToRow() {
  const char* p = pos_;
  while (p < end_) {
    const char c = *p;
    if (c == '\n' || c == '\r') {
      p = SkipLineEnding(p);
      continue;
    }
    if (options_.comment != '\0' && c == options_.comment) {
      while (p < end_ && *p != '\n' && *p != '\r') ++p;
      if (p < end_) p = SkipLineEnding(p);
      continue;
    }
    if (IsBlank(c)) {
      // Spark drops lines that are empty after trimming.
      const char* q = p;
      while (q < end_ && IsBlank(*q) && *q != '\n' && *q != '\r') ++q;
      if (q == end_ || *q == '\n' || *q == '\r') {
        p = q;
        continue;
      }
    }
    pos_ = p;
    return true;
  }
  pos_ = p;
  return false;
}

const char* CsvParserImpl::ScanUnquoted(const char* p) const {
  while (true) {
    while (p < end_ && !unquoted_stop_[Byte(*p)]) ++p;
    if (p == end_ || *p == '\n' || *p == '\r' || AtDelimiter(p)) return p;
    ++p;  // the first byte of a multi-character delimiter, not followed by the rest
  }
}

void CsvParserImpl::AddUnquoted(const char* begin, const char* end) {
  if (options_.ignore_trailing_white_space) {
    while (end > begin && IsBlank(end[-1])) --end;
  }
  FieldSpan span;
  span.offset = static_cast<size_t>(begin - begin_);
  span.size = static_cast<size_t>(end - begin);
  span.is_null = std::string_view(begin, span.size) == options_.null_value;
  spans_.push_back(span);
}

bool CsvParserImpl::ReadQuoted(const char* open, FieldSpan& span, const char*& end) {
  const char quote = options_.quote;
  const char escape = options_.escape;
  const size_t buffer_start = buffer_.size();
  bool copied = false;
  const char* segment = open + 1;  // start of the text not yet copied to buffer_
  const char* p = segment;
  auto finish = [&](const char* stop) {
    if (copied) {
      buffer_.append(segment, stop);
      span.in_buffer = true;
      span.offset = buffer_start;
      span.size = buffer_.size() - buffer_start;
    } else {
      span.offset = static_cast<size_t>(segment - begin_);
      span.size = static_cast<size_t>(stop - segment);
    }
  };
  // Replaces the two bytes at p by `literal`.
  auto unescape = [&](char literal) {
    buffer_.append(segment, p);
    buffer_.push_back(literal);
    copied = true;
    p += 2;
    segment = p;
  };
  while (true) {
    while (p < end_ && !quoted_stop_[Byte(*p)]) ++p;
    if (p == end_) {
      finish(p);
      end = p;
      return false;
    }
    const char c = *p;
    if (c == '\n' || c == '\r') {
      if (!options_.multi_line) {
        finish(p);
        end = p;
        return false;
      }
      p = SkipLineEnding(p);
      continue;
    }
    const bool has_next = p + 1 < end_;
    if (c == escape && escape != quote) {
      // As univocity with Spark's default charToEscapeQuoteEscaping (= escape): the escape
      // makes a following quote or escape literal and is itself kept before anything else.
      if (has_next && (p[1] == quote || p[1] == escape)) {
        unescape(p[1]);
      } else {
        ++p;
      }
      continue;
    }
    if (has_next && p[1] == quote) {  // a doubled quote
      unescape(quote);
      continue;
    }
    finish(p);
    end = p + 1;
    return true;
  }
}

void CsvParserImpl::ReadRow() {
  spans_.clear();
  buffer_.clear();
  row_begin_ = pos_;
  row_line_ = line_;
  row_unclosed_ = false;
  const char* p = pos_;
  while (true) {
    if (options_.ignore_leading_white_space) {
      while (p < end_ && IsBlank(*p) && *p != '\n' && *p != '\r' && !AtDelimiter(p)) ++p;
    }
    if (options_.quote != '\0' && p < end_ && *p == options_.quote) {
      const char* open = p;
      FieldSpan span;
      const char* after;
      if (!ReadQuoted(p, span, after)) {
        spans_.push_back(span);
        row_unclosed_ = true;
        p = after;
        break;
      }
      const char* q = after;
      while (q < end_ && IsBlank(*q) && *q != '\n' && *q != '\r' && !AtDelimiter(q)) ++q;
      if (q == end_ || *q == '\n' || *q == '\r' || AtDelimiter(q)) {
        spans_.push_back(span);
        p = q;
      } else {
        // Text after the closing quote: Spark's STOP_AT_DELIMITER reads the whole field,
        // quotes included, as an unquoted value.
        p = ScanUnquoted(q);
        AddUnquoted(open, p);
      }
    } else {
      const char* field_end = ScanUnquoted(p);
      AddUnquoted(p, field_end);
      p = field_end;
    }
    if (p < end_ && *p != '\n' && *p != '\r') {
      p += delimiter_.size();  // at a delimiter: another field follows
      continue;
    }
    break;
  }
  row_end_ = p;
  pos_ = p < end_ ? SkipLineEnding(p) : p;
}

std::string_view CsvParserImpl::NameAt(size_t index) {
  while (names_.size() <= index) names_.push_back("_c" + std::to_string(names_.size()));
  return names_[index];
}

Result<bool> CsvParserImpl::Next(Record& record) {
  if (!header_done_) {
    header_done_ = true;
    if (options_.header && SkipToRow()) {
      ReadRow();
      for (size_t i = 0; i < spans_.size(); ++i) {
        std::string_view cell = SpanText(spans_[i]);
        header_.push_back(spans_[i].is_null || cell.empty() ? "_c" + std::to_string(i)
                                                            : std::string(cell));
      }
      // As Spark's CSV reader does, names that repeat (ignoring case) get their position
      // appended ("a,A" -> "a0,A1"), so that no cell overwrites another.
      std::map<std::string, int> seen;
      for (const std::string& name : header_) ++seen[ToLower(name)];
      for (size_t i = 0; i < header_.size(); ++i) {
        if (seen[ToLower(header_[i])] > 1) header_[i] += std::to_string(i);
      }
      names_.assign(header_.begin(), header_.end());
    }
  }
  if (!SkipToRow()) return false;
  ReadRow();
  record.fields.resize(spans_.size());
  for (size_t i = 0; i < spans_.size(); ++i) {
    RawField& field = record.fields[i];
    field.name = NameAt(i);
    if (spans_[i].is_null) {
      field.kind = FieldKind::kNull;
      field.text = {};
    } else {
      field.kind = FieldKind::kString;
      field.text = SpanText(spans_[i]);
    }
  }
  record.raw = std::string_view(row_begin_, static_cast<size_t>(row_end_ - row_begin_));
  record.line = row_line_;
  record.malformed = row_unclosed_;
  if (row_unclosed_) {
    record.error = "unclosed quote";
  } else {
    record.error.clear();
  }
  return true;
}

}  // namespace

std::unique_ptr<CsvParser> CsvParser::Make(std::string_view data, const CsvOptions& options) {
  return std::make_unique<CsvParserImpl>(data, options);
}

}  // namespace sluice::ingest
