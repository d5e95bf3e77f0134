#include "script_runner.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <set>
#include <sstream>

#include "common/strings.h"
#include "script.h"
#include "script_checks.h"
#include "script_inputs.h"
#include "sluice/pipeline.h"
#include "support/delta_log_check.h"
#include "support/kafka_broker.h"
#include "support/postgres_server.h"

namespace sluice::testing {
namespace {

namespace fs = std::filesystem;

class ScriptRunner {
 public:
  ScriptRunner(std::string file, std::string dir) : file_(std::move(file)), dir_(std::move(dir)) {}
  // Environment variables the test set are unset again.
  ~ScriptRunner() {
    for (const std::string& name : environment_) unsetenv(name.c_str());
  }

  std::vector<ScriptFailure> Run() {
    std::string error;
    const std::vector<ScriptRecord> records = ReadScript(file_, &error);
    if (!error.empty()) return {{0, error}};
    if (records.empty()) return {{0, "the test has no records"}};
    for (const ScriptRecord& record : records) Execute(record);
    return std::move(failures_);
  }

 private:
  void Fail(int line, std::string message) { failures_.push_back({line, std::move(message)}); }

  void Execute(const ScriptRecord& record);
  void WriteFile(const ScriptRecord& record);
  void RunUpdate(const ScriptRecord& record);
  void DescribeGraph(const ScriptRecord& record, bool validate);
  void CheckCompiled(const ScriptRecord& record);
  void OpenOnly(const ScriptRecord& record);
  void RunQuery(const ScriptRecord& record);
  void RunFailingQuery(const ScriptRecord& record);
  void CheckPath(const ScriptRecord& record);
  void RunKafka(const ScriptRecord& record);
  void RunPostgres(const ScriptRecord& record);

  // Checks a failed (or unexpectedly successful) operation against the record's `error`
  // lines. Returns whether the record expected an error.
  bool ExpectError(const ScriptRecord& record, const Status& status, const std::string& what);

  Result<std::unique_ptr<Pipeline>> Open(const std::vector<std::string>& conf = {}) {
    PipelineOptions options;
    options.conf_overrides = conf;
    return Pipeline::Open(dir_, options);
  }

  // A path of the test folder; relative paths only, so that a test cannot touch
  // anything outside it.
  bool Resolve(const ScriptRecord& record, size_t word, fs::path* path) {
    if (record.words.size() <= word) {
      Fail(record.line, "'" + record.words[0] + "' needs a path");
      return false;
    }
    const fs::path relative(record.words[word]);
    if (relative.is_absolute() || record.words[word].find("..") != std::string::npos) {
      Fail(record.line, "paths are relative to the test folder, without '..'");
      return false;
    }
    *path = fs::path(dir_) / relative;
    return true;
  }

  // The Delta table that holds `path`, if any: the folder above a `_delta_log` in the path,
  // or the nearest enclosing folder with a `_delta_log`.
  std::optional<std::string> EnclosingTable(const fs::path& path) const {
    fs::path table;
    for (const fs::path& part : path) {
      if (part == "_delta_log") return table.lexically_normal().string();
      table /= part;
    }
    for (fs::path at = path.parent_path(); at.string().size() > dir_.size();
         at = at.parent_path()) {
      std::error_code error;
      if (fs::is_directory(at / "_delta_log", error)) return at.lexically_normal().string();
    }
    return std::nullopt;
  }

  // Every Delta table the test's pipelines wrote must have a valid log (delta/log_validator.h),
  // after every update, failed ones included. Tables the test wrote or changed itself
  // (`file`, `input`, `delete` inside them) are its inputs and are not checked.
  void CheckDeltaLogs(int line) {
    for (const std::string& violation : ValidateDeltaLogs(dir_, hand_written_tables_)) {
      Fail(line, "invalid Delta log after this update: " + violation);
    }
  }

  std::string file_;
  std::string dir_;
  std::set<std::string> hand_written_tables_;
  std::vector<ScriptFailure> failures_;
  std::vector<std::string> environment_;
  std::unique_ptr<KafkaBroker> kafka_;        // `kafka start`
  std::unique_ptr<PostgresServer> postgres_;  // `postgres start`
};

bool ScriptRunner::ExpectError(const ScriptRecord& record, const Status& status,
                               const std::string& what) {
  const std::vector<std::string> expected = ErrorLines(record);
  if (expected.empty()) {
    if (!status.ok()) Fail(record.line, what + " failed: " + status.ToString());
    return false;
  }
  if (status.ok()) {
    Fail(record.line, what + " succeeded, but an error was expected");
    return true;
  }
  const std::string mismatch = MatchError(expected, status.message());
  if (!mismatch.empty()) Fail(record.line, mismatch);
  return true;
}

void ScriptRunner::WriteFile(const ScriptRecord& record) {
  fs::path path;
  if (!Resolve(record, 1, &path)) return;
  std::string content;
  for (const std::string& line : record.body) content += line + "\n";
  // {{postgres}}: the JDBC URL of the test's PostgreSQL database.
  for (size_t at = content.find("{{postgres}}"); postgres_ && at != std::string::npos;
       at = content.find("{{postgres}}", at)) {
    content.replace(at, 12, postgres_->url());
  }
  // {{kafka}}: the bootstrap servers of the test's Kafka cluster.
  for (size_t at = content.find("{{kafka}}"); kafka_ && at != std::string::npos;
       at = content.find("{{kafka}}", at)) {
    content.replace(at, 9, kafka_->bootstrap_servers());
  }
  // Modifiers after the path, applied in this order: noeol (no line break after the last
  // line), crlf (\r\n line breaks), latin1 (UTF-8 text written as ISO-8859-1), parquet (the
  // text is CSV with a header, written as a Parquet file with the types DuckDB detects),
  // gzip or zstd (compressed), truncate=N (only the first N bytes written).
  for (size_t i = 2; i < record.words.size(); ++i) {
    const std::string& modifier = record.words[i];
    if (modifier == "noeol") {
      if (!content.empty()) content.pop_back();
    } else if (modifier == "crlf") {
      std::string crlf;
      for (char c : content) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
      content = std::move(crlf);
    } else if (modifier == "latin1") {
      content = Latin1FromUtf8(content);
    } else if (modifier == "gzip") {
      content = GzipCompress(content);
    } else if (modifier == "zstd") {
      content = ZstdCompress(content);
    } else if (modifier == "parquet") {
      std::string error;
      content = ParquetFromCsv(content, &error);
      if (!error.empty()) {
        Fail(record.line, "cannot write the Parquet file: " + error);
        return;
      }
    } else if (StartsWith(modifier, "truncate=")) {
      content.resize(std::min<size_t>(content.size(), std::stoul(modifier.substr(9))));
    } else if (StartsWith(modifier, "mode=")) {
      continue;  // applied once written
    } else {
      Fail(record.line, "unknown input modifier '" + modifier +
                            "' (noeol, crlf, latin1, parquet, gzip, zstd, truncate=N, mode=OCTAL)");
      return;
    }
  }
  std::error_code error;
  fs::create_directories(path.parent_path(), error);
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out) Fail(record.line, path.string() + ": cannot write");
  }
  // mode=600: the file's permission bits.
  for (size_t i = 2; i < record.words.size(); ++i) {
    if (!StartsWith(record.words[i], "mode=")) continue;
    fs::permissions(path, static_cast<fs::perms>(std::stoul(record.words[i].substr(5), nullptr, 8)),
                    error);
    if (error) Fail(record.line, path.string() + ": cannot set its mode: " + error.message());
  }
}

void ScriptRunner::RunUpdate(const ScriptRecord& record) {
  RunOptions options;
  std::vector<std::string> conf;
  const std::vector<std::string>& w = record.words;
  for (size_t i = 1; i < w.size(); ++i) {
    const bool has_value = i + 1 < w.size();
    if (w[i] == "--full-refresh-all") {
      options.full_refresh_all = true;
    } else if (w[i] == "--continuous") {
      options.continuous = true;
    } else if (!has_value) {
      Fail(record.line, "run option " + w[i] + " needs a value or is unknown");
      return;
    } else if (w[i] == "--full-refresh") {
      options.full_refresh = Split(w[++i], ',');
    } else if (w[i] == "--refresh") {
      options.refresh = Split(w[++i], ',');
    } else if (w[i] == "--reset-checkpoint") {
      options.reset_checkpoint = Split(w[++i], ',');
    } else if (w[i] == "--conf") {
      conf.push_back(w[++i]);
    } else if (w[i] == "--max-cycles") {
      const std::optional<int64_t> cycles = ParseInt64(w[++i]);
      if (!cycles || *cycles < 0) {
        Fail(record.line, "--max-cycles needs a number");
        return;
      }
      options.max_cycles = static_cast<int>(*cycles);
    } else {
      Fail(record.line, "unknown run option " + w[i]);
      return;
    }
  }
  auto pipeline = Open(conf);
  if (!pipeline.ok()) {
    ExpectError(record, pipeline.status(), "opening the pipeline");
    return;
  }
  Result<UpdateReport> report = (*pipeline)->Run(options);
  if (ExpectError(record, report.status(), "run")) return;
  if (!report.ok()) return;
  CheckWarnings(record, (*pipeline)->warnings(), &failures_);
  CheckUpdate(record, *report, &failures_);
}

void ScriptRunner::DescribeGraph(const ScriptRecord& record, bool validate) {
  auto pipeline = Open();
  if (!pipeline.ok()) {
    ExpectError(record, pipeline.status(), "opening the pipeline");
    return;
  }
  Result<PipelineGraph> graph = validate ? (*pipeline)->Validate() : (*pipeline)->Graph();
  if (ExpectError(record, graph.status(), record.words[0])) return;
  if (!graph.ok()) return;
  CheckWarnings(record, (*pipeline)->warnings(), &failures_);
  CheckGraph(record, *graph, dir_, &failures_);
}

// `compiled p.py`: the pipeline SQL the Python file compiles to is the body, line by line.
void ScriptRunner::CheckCompiled(const ScriptRecord& record) {
  if (record.words.size() != 2) {
    Fail(record.line, "compiled takes one Python file");
    return;
  }
  auto pipeline = Open();
  if (!pipeline.ok()) {
    ExpectError(record, pipeline.status(), "opening the pipeline");
    return;
  }
  auto compiled = (*pipeline)->Compile();
  if (ExpectError(record, compiled.status(), "compile")) return;
  if (!compiled.ok()) return;
  const std::string wanted = dir_ + "/" + record.words[1];
  for (const auto& [file, text] : *compiled) {
    if (file != wanted) continue;
    std::string expected;
    for (const std::string& line : record.body) expected += (expected.empty() ? "" : "\n") + line;
    if (Trim(text) != Trim(expected)) {
      Fail(record.line, record.words[1] + " compiles to:\n" + text);
    }
    return;
  }
  Fail(record.line, record.words[1] + " is not a Python source of the pipeline");
}

void ScriptRunner::OpenOnly(const ScriptRecord& record) {
  auto pipeline = Open();
  if (ExpectError(record, pipeline.status(), "opening the pipeline")) return;
  if (!pipeline.ok()) return;
  CheckWarnings(record, (*pipeline)->warnings(), &failures_);
  for (size_t i = 0; i < record.body.size(); ++i) {
    if (!StartsWith(record.body[i], "warning")) {
      Fail(record.line + 1 + static_cast<int>(i), "unknown assertion after open");
    }
  }
}

void ScriptRunner::RunQuery(const ScriptRecord& record) {
  bool rowsort = false;
  for (size_t i = 1; i < record.words.size(); ++i) {
    if (record.words[i] == "rowsort") {
      rowsort = true;
    } else if (record.words[i] != "nosort") {
      Fail(record.line, "unknown query mode " + record.words[i] + " (rowsort, nosort)");
      return;
    }
  }
  auto separator = std::find(record.body.begin(), record.body.end(), "----");
  const std::string sql = Join(std::vector<std::string>(record.body.begin(), separator), "\n");
  if (sql.empty()) {
    Fail(record.line, "the query has no SQL");
    return;
  }
  auto pipeline = Open();
  if (!pipeline.ok()) {
    Fail(record.line, "opening the pipeline failed: " + pipeline.status().ToString());
    return;
  }
  Result<Rows> rows = (*pipeline)->Query(sql);
  if (!rows.ok()) {
    Fail(record.line, "the query failed: " + rows.status().ToString());
    return;
  }
  if (separator == record.body.end()) return;  // no expected rows: it only has to run
  std::vector<std::string> expected(separator + 1, record.body.end());
  const bool tabs = std::any_of(expected.begin(), expected.end(), [](const std::string& line) {
    return line.find('\t') != std::string::npos;
  });
  std::vector<std::string> actual = RenderRows(*rows, tabs ? "\t" : " | ");
  if (rowsort) {
    std::sort(actual.begin(), actual.end());
    std::sort(expected.begin(), expected.end());
  }
  if (actual != expected) {
    Fail(record.line, "the query returned " + std::to_string(actual.size()) + " rows:\n" +
                          Join(actual, "\n") + "\nexpected " + std::to_string(expected.size()) +
                          ":\n" + Join(expected, "\n"));
  }
}

void ScriptRunner::RunFailingQuery(const ScriptRecord& record) {
  auto separator = std::find(record.body.begin(), record.body.end(), "----");
  const std::string sql = Join(std::vector<std::string>(record.body.begin(), separator), "\n");
  ScriptRecord errors = record;
  errors.body.assign(separator == record.body.end() ? separator : separator + 1, record.body.end());
  if (ErrorLines(errors).empty()) {
    Fail(record.line, "query-error needs '----' and 'error' lines");
    return;
  }
  auto pipeline = Open();
  if (!pipeline.ok()) {
    Fail(record.line, "opening the pipeline failed: " + pipeline.status().ToString());
    return;
  }
  ExpectError(errors, (*pipeline)->Query(sql).status(), "the query");
}

void ScriptRunner::CheckPath(const ScriptRecord& record) {
  fs::path path;
  if (!Resolve(record, 1, &path)) return;
  const std::string& what = record.words[0];
  const bool exists = fs::exists(path);
  if (what == "exists" && !exists) Fail(record.line, record.words[1] + " does not exist");
  if (what == "missing" && exists) Fail(record.line, record.words[1] + " exists");
  if (what != "contains") return;
  // contains PATH TEXT: the file holds TEXT.
  const size_t at = record.head.find(record.words[1]) + record.words[1].size();
  const std::string text = at < record.head.size() ? record.head.substr(at + 1) : "";
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  if (!exists) {
    Fail(record.line, record.words[1] + " does not exist");
  } else if (content.str().find(text) == std::string::npos) {
    Fail(record.line, record.words[1] + " does not contain \"" + text + "\"; it holds:\n" +
                          content.str().substr(0, 4000));
  }
}

void ScriptRunner::Execute(const ScriptRecord& record) {
  const std::string& kind = record.words[0];
  if (kind == "file" || kind == "input" || kind == "delete") {
    fs::path path;
    if (record.words.size() > 1 && Resolve(record, 1, &path)) {
      if (std::optional<std::string> table = EnclosingTable(path)) {
        hand_written_tables_.insert(*table);
      }
    }
  }
  if (kind == "file" || kind == "input") {
    WriteFile(record);
  } else if (kind == "delete") {
    fs::path path;
    if (Resolve(record, 1, &path) && fs::remove_all(path) == 0) {
      Fail(record.line, record.words[1] + " does not exist");
    }
  } else if (kind == "run") {
    RunUpdate(record);
    CheckDeltaLogs(record.line);
  } else if (kind == "validate" || kind == "graph") {
    DescribeGraph(record, kind == "validate");
  } else if (kind == "env") {
    // env NAME=VALUE: an environment variable for the rest of the test.
    const size_t equals = record.words.size() == 2 ? record.words[1].find('=') : std::string::npos;
    if (equals == std::string::npos || equals == 0) {
      Fail(record.line, "env takes NAME=VALUE");
    } else {
      const std::string name = record.words[1].substr(0, equals);
      // {{dir}}: the test's folder.
      std::string value = record.words[1].substr(equals + 1);
      for (size_t at = value.find("{{dir}}"); at != std::string::npos; at = value.find("{{dir}}")) {
        value.replace(at, 7, dir_);
      }
      setenv(name.c_str(), value.c_str(), 1);
      environment_.push_back(name);
    }
  } else if (kind == "compiled") {
    CheckCompiled(record);
  } else if (kind == "open") {
    OpenOnly(record);
  } else if (kind == "query") {
    RunQuery(record);
  } else if (kind == "query-error") {
    RunFailingQuery(record);
  } else if (kind == "exists" || kind == "missing" || kind == "contains") {
    CheckPath(record);
  } else if (kind == "kafka") {
    RunKafka(record);
  } else if (kind == "postgres") {
    RunPostgres(record);
  } else {
    Fail(record.line,
         "unknown record '" + kind +
             "' (file, input, delete, env, run, validate, graph, compiled, open, query, "
             "query-error, exists, missing, contains, kafka, postgres)");
  }
}

// kafka start [BROKERS] | topic NAME PARTITIONS | produce TOPIC (body: records) |
// produce-many TOPIC PARTITION COUNT PREFIX [BYTES] | error API_KEY COUNT CODE |
// leader TOPIC PARTITION BROKER | down BROKER | up BROKER | stop (docs/testing.md).
void ScriptRunner::RunKafka(const ScriptRecord& record) {
  const std::vector<std::string>& w = record.words;
  const std::string what = w.size() > 1 ? w[1] : "";
  if (what == "start") {
    kafka_ = std::make_unique<KafkaBroker>(w.size() > 2 ? std::atoi(w[2].c_str()) : 1);
    if (!kafka_->start_error().empty()) Fail(record.line, kafka_->start_error());
    return;
  }
  if (what == "stop") {
    kafka_.reset();
    return;
  }
  if (!kafka_) {
    Fail(record.line, "kafka " + what + " before kafka start");
    return;
  }
  std::string error;
  if (what == "topic" && w.size() == 4) {
    error = kafka_->CreateTopic(w[2], std::atoi(w[3].c_str()));
  } else if (what == "produce" && w.size() == 3) {
    // Each line: PARTITION KEY [ts=MS] [h:NAME=VALUE]... VALUE; \N is a null key or value.
    for (const std::string& line : record.body) {
      const std::vector<std::string> words = SplitWords(line);
      if (words.size() < 3) {
        Fail(record.line, "a record line is PARTITION KEY VALUE: " + line);
        return;
      }
      KafkaTestRecord produced;
      produced.partition = std::atoi(words[0].c_str());
      if (words[1] != "\\N") produced.key = words[1];
      size_t next = 2;
      for (; next + 1 < words.size(); ++next) {
        if (words[next].rfind("ts=", 0) == 0) {
          produced.timestamp_ms = std::atoll(words[next].c_str() + 3);
        } else if (words[next].rfind("h:", 0) == 0 && words[next].find('=') != std::string::npos) {
          const size_t equals = words[next].find('=');
          const std::string value = words[next].substr(equals + 1);
          produced.headers.emplace_back(
              words[next].substr(2, equals - 2),
              value == "\\N" ? std::nullopt : std::optional<std::string>(value));
        } else {
          break;
        }
      }
      // The value is the rest of the line from its first word on.
      size_t at = 0;
      for (size_t k = 0; k < next; ++k) {
        at = line.find(words[k], at) + words[k].size();
      }
      at = line.find(words[next], at);
      const std::string value = line.substr(at);
      if (value != "\\N") produced.value = value;
      error = kafka_->Produce(w[2], produced);
      if (!error.empty()) break;
    }
  } else if (what == "produce-many" && (w.size() == 6 || w.size() == 7)) {
    error = kafka_->ProduceMany(w[2], std::atoi(w[3].c_str()), std::atoll(w[4].c_str()), w[5],
                                w.size() == 7 ? std::atoll(w[6].c_str()) : 0);
  } else if (what == "error" && w.size() == 5) {
    error = kafka_->FailRequests(std::atoi(w[2].c_str()), std::atoi(w[3].c_str()),
                                 std::atoi(w[4].c_str()));
  } else if (what == "leader" && w.size() == 5) {
    error = kafka_->SetLeader(w[2], std::atoi(w[3].c_str()), std::atoi(w[4].c_str()));
  } else if ((what == "down" || what == "up") && w.size() == 3) {
    error = kafka_->SetBrokerDown(std::atoi(w[2].c_str()), what == "down");
  } else {
    error = "unknown kafka record: " + record.head;
  }
  if (!error.empty()) Fail(record.line, "kafka " + what + ": " + error);
}

// postgres start | postgres stop | postgres sql (body: SQL run in the database `test`).
void ScriptRunner::RunPostgres(const ScriptRecord& record) {
  const std::string what = record.words.size() > 1 ? record.words[1] : "";
  if (what == "start") {
    postgres_ = std::make_unique<PostgresServer>();
    if (!postgres_->start_error().empty()) Fail(record.line, postgres_->start_error());
  } else if (what == "stop") {
    postgres_.reset();
  } else if (what == "sql" && postgres_) {
    std::string sql;
    for (const std::string& line : record.body) sql += line + "\n";
    const std::string error = postgres_->Execute(sql);
    if (!error.empty()) Fail(record.line, "postgres sql: " + error);
  } else {
    Fail(record.line, "unknown postgres record (or before postgres start): " + record.head);
  }
}

}  // namespace

std::vector<ScriptFailure> RunPipelineScript(const std::string& path, const std::string& work_dir) {
  return ScriptRunner(path, work_dir).Run();
}

}  // namespace sluice::testing
