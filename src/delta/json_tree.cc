#include "delta/json_tree.h"

#include <simdjson.h>

namespace sluice::delta::json_tree {
namespace {

namespace od = simdjson::ondemand;

// Deeper documents are refused instead of risking the stack; Delta texts nest a few levels.
constexpr int kMaxDepth = 256;

Status JsonError(simdjson::error_code code) {
  return InvalidArgument("invalid JSON: ", simdjson::error_message(code));
}

std::string_view TrimRight(std::string_view token) {
  while (!token.empty() && (token.back() == ' ' || token.back() == '\t' || token.back() == '\n' ||
                            token.back() == '\r')) {
    token.remove_suffix(1);
  }
  return token;
}

// JSON's number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?. Checked here because
// the digits are kept as text (integers beyond 64 bits included) rather than converted.
bool IsJsonNumber(std::string_view text) {
  size_t pos = 0;
  auto digits = [&] {
    size_t start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    return pos - start;
  };
  if (pos < text.size() && text[pos] == '-') ++pos;
  if (pos < text.size() && text[pos] == '0') {
    ++pos;
  } else if (digits() == 0) {
    return false;
  }
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    if (digits() == 0) return false;
  }
  if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
    ++pos;
    if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) ++pos;
    if (digits() == 0) return false;
  }
  return pos == text.size();
}

// Works for both od::value and od::document (the root), which share these members.
template <typename V>
Status BuildScalar(V& value, od::json_type type, Node* out) {
  switch (type) {
    case od::json_type::null: {
      bool is_null = false;
      if (auto error = value.is_null().get(is_null); error) return JsonError(error);
      if (!is_null) return InvalidArgument("invalid JSON: bad literal");
      out->kind = Node::Kind::kNull;
      out->raw = "null";
      return Status::OK();
    }
    case od::json_type::boolean: {
      bool b = false;
      if (auto error = value.get_bool().get(b); error) return JsonError(error);
      out->kind = Node::Kind::kBool;
      out->boolean = b;
      out->raw = b ? "true" : "false";
      return Status::OK();
    }
    case od::json_type::number: {
      out->kind = Node::Kind::kNumber;
      out->raw = std::string(TrimRight(value.raw_json_token()));
      if (!IsJsonNumber(out->raw)) return InvalidArgument("invalid JSON: bad number ", out->raw);
      out->text = out->raw;
      return Status::OK();
    }
    case od::json_type::string: {
      out->kind = Node::Kind::kString;
      out->raw = std::string(TrimRight(value.raw_json_token()));
      std::string_view decoded;
      if (auto error = value.get_string().get(decoded); error) return JsonError(error);
      out->text = std::string(decoded);
      return Status::OK();
    }
    default:
      return InvalidArgument("invalid JSON: unexpected value");
  }
}

Status BuildValue(od::value value, int depth, Node* out);

Status BuildObject(od::object object, int depth, Node* out) {
  out->kind = Node::Kind::kObject;
  for (auto field_result : object) {
    od::field field;
    if (auto error = std::move(field_result).get(field); error) return JsonError(error);
    std::string_view key;
    if (auto error = field.unescaped_key().get(key); error) return JsonError(error);
    std::string key_copy(key);
    Node child;
    SLUICE_RETURN_IF_ERROR(BuildValue(field.value(), depth + 1, &child));
    out->members.emplace_back(std::move(key_copy), std::move(child));
  }
  return Status::OK();
}

Status BuildArray(od::array array, int depth, Node* out) {
  out->kind = Node::Kind::kArray;
  for (auto element_result : array) {
    od::value element;
    if (auto error = std::move(element_result).get(element); error) return JsonError(error);
    Node child;
    SLUICE_RETURN_IF_ERROR(BuildValue(element, depth + 1, &child));
    out->elements.push_back(std::move(child));
  }
  return Status::OK();
}

Status BuildValue(od::value value, int depth, Node* out) {
  if (depth > kMaxDepth) return InvalidArgument("invalid JSON: nested deeper than ", kMaxDepth);
  od::json_type type;
  if (auto error = value.type().get(type); error) return JsonError(error);
  if (type == od::json_type::object) {
    od::object object;
    if (auto error = value.get_object().get(object); error) return JsonError(error);
    return BuildObject(object, depth, out);
  }
  if (type == od::json_type::array) {
    od::array array;
    if (auto error = value.get_array().get(array); error) return JsonError(error);
    return BuildArray(array, depth, out);
  }
  return BuildScalar(value, type, out);
}

void AppendCompact(const Node& node, std::string* out) {
  switch (node.kind) {
    case Node::Kind::kObject: {
      out->push_back('{');
      bool first = true;
      for (const auto& [key, child] : node.members) {
        if (!first) out->push_back(',');
        first = false;
        AppendQuoted(out, key);
        out->push_back(':');
        AppendCompact(child, out);
      }
      out->push_back('}');
      return;
    }
    case Node::Kind::kArray: {
      out->push_back('[');
      bool first = true;
      for (const Node& child : node.elements) {
        if (!first) out->push_back(',');
        first = false;
        AppendCompact(child, out);
      }
      out->push_back(']');
      return;
    }
    default:
      out->append(node.raw);
  }
}

}  // namespace

const Node* Node::Find(std::string_view key) const {
  if (kind != Kind::kObject) return nullptr;
  for (const auto& [name, child] : members) {
    if (name == key) return &child;
  }
  return nullptr;
}

Result<Node> Parse(std::string_view text) {
  simdjson::padded_string padded(text);
  // One parser per thread: it keeps its buffers between documents.
  thread_local od::parser parser;
  od::document document;
  if (auto error = parser.iterate(padded).get(document); error) return JsonError(error);
  od::json_type type;
  if (auto error = document.type().get(type); error) return JsonError(error);
  Node root;
  if (type == od::json_type::object || type == od::json_type::array) {
    od::value value;
    if (auto error = document.get_value().get(value); error) return JsonError(error);
    SLUICE_RETURN_IF_ERROR(BuildValue(value, 0, &root));
    // current_location() fails once every token has been consumed.
    if (!document.current_location().error()) {
      return InvalidArgument("invalid JSON: unexpected text after the value");
    }
    return root;
  }
  SLUICE_RETURN_IF_ERROR(BuildScalar(document, type, &root));
  // A scalar document is one token; anything else around it is trailing text.
  std::string_view whole = text;
  while (!whole.empty() && (whole.front() == ' ' || whole.front() == '\t' ||
                            whole.front() == '\n' || whole.front() == '\r')) {
    whole.remove_prefix(1);
  }
  if (TrimRight(whole) != root.raw) {
    return InvalidArgument("invalid JSON: unexpected text after the value");
  }
  return root;
}

std::string ToCompactJson(const Node& node) {
  std::string out;
  AppendCompact(node, &out);
  return out;
}

void AppendQuoted(std::string* out, std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out->push_back('"');
  for (char c : value) {
    auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        if (u < 0x20) {
          out->append("\\u00");
          out->push_back(kHex[u >> 4]);
          out->push_back(kHex[u & 0xF]);
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

std::string Quote(std::string_view value) {
  std::string out;
  AppendQuoted(&out, value);
  return out;
}

}  // namespace sluice::delta::json_tree
