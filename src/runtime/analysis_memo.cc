#include "runtime/analysis_memo.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "common/strings.h"
#include "engine/engine.h"
#include "spark/macros.h"
#include "spark/native.h"

namespace sluice::runtime {
namespace {

// Bumped when what analysis does with an entry changes.
constexpr const char* kMemoVersion = "sluice-analysis-1";

// FNV-1a, 64 bits, from `basis`: a hash defined the same on every build.
uint64_t Fnv1a(const std::string& text, uint64_t basis) {
  uint64_t hash = basis;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

std::string Hash128(const std::string& text) {
  char buffer[33];
  std::snprintf(buffer, sizeof(buffer), "%016llx%016llx",
                static_cast<unsigned long long>(Fnv1a(text, 0xcbf29ce484222325ULL)),
                static_cast<unsigned long long>(Fnv1a(text, 0x84222325cbf29ce4ULL)));
  return buffer;
}

// What binding depends on besides the query and its inputs: the DuckDB version and the
// SQL functions sluice installs (their definitions and signatures).
const std::string& Environment() {
  static const std::string* environment = [] {
    std::string text = std::string(kMemoVersion) + "\n" + engine::EngineVersion() + "\n";
    for (const std::string& macro : spark::SparkMacroDefinitions()) text += macro + "\n";
    auto signature = [&](const std::string& name, const std::vector<std::string>& parameters,
                         const std::string& result) {
      text += name + "(" + Join(parameters, ",") + ")" + result + "\n";
    };
    for (const auto& native : spark::NativeFunctions()) {
      signature(native.name, native.parameter_types, native.return_type);
    }
    for (const auto& native : spark::NativeRawFunctions()) {
      signature(native.name, native.parameter_types, "BIGINT");
    }
    for (const auto& native : spark::NativeAggregates()) {
      signature(native.name, native.parameter_types, native.return_type);
    }
    return new std::string(Hash128(text));
  }();
  return *environment;
}

}  // namespace

AnalysisMemo AnalysisMemo::Load(io::FileSystem& fs, std::string path) {
  AnalysisMemo memo;
  memo.fs_ = &fs;
  memo.path_ = std::move(path);
  auto text = fs.ReadFile(memo.path_);
  if (!text.ok()) return memo;
  const nlohmann::json doc = nlohmann::json::parse(*text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("entries") ||
      !doc["entries"].is_object()) {
    return memo;
  }
  for (const auto& [key, columns] : doc["entries"].items()) {
    if (!columns.is_array()) continue;
    DescribedColumns described;
    bool valid = true;
    for (const auto& column : columns) {
      if (!column.is_array() || column.size() != 2 || !column[0].is_string() ||
          !column[1].is_string()) {
        valid = false;
        break;
      }
      described.emplace_back(column[0].get<std::string>(), column[1].get<std::string>());
    }
    if (valid) memo.loaded_[key] = std::move(described);
  }
  return memo;
}

std::string AnalysisMemo::Key(const std::string& sql,
                              const std::vector<spark::BoundRelation>& inputs) {
  std::string text = Environment() + "\n" + sql + "\n";
  for (const spark::BoundRelation& input : inputs) {
    text += "input " + input.sql + "\n";
    for (size_t i = 0; i < input.columns.size(); ++i) {
      text += input.columns[i].name + "\t" + input.columns[i].type.Sql() + "\t" +
              (i < input.source_types.size() ? input.source_types[i] : "") + "\n";
    }
  }
  return Hash128(text);
}

const DescribedColumns* AnalysisMemo::Find(const std::string& key) {
  if (auto used = used_.find(key); used != used_.end()) return &used->second;
  auto it = loaded_.find(key);
  if (it == loaded_.end()) return nullptr;
  return &(used_[key] = it->second);
}

void AnalysisMemo::Remember(const std::string& key, DescribedColumns columns) {
  used_[key] = std::move(columns);
}

Status AnalysisMemo::Save() {
  if (fs_ == nullptr || used_ == loaded_) return Status::OK();
  nlohmann::ordered_json entries = nlohmann::ordered_json::object();
  for (const auto& [key, columns] : used_) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& [name, type] : columns) list.push_back({name, type});
    entries[key] = std::move(list);
  }
  nlohmann::ordered_json doc;
  doc["entries"] = std::move(entries);
  return fs_->WriteFile(path_, doc.dump() + "\n");
}

}  // namespace sluice::runtime
