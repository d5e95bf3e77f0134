#include "script_runner.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/strings.h"
#include "sluice/pipeline.h"

namespace sluice::testing {
namespace {

namespace fs = std::filesystem;

struct Record {
  int line = 0;  // of the record's first line
  std::vector<std::string> lines;
};

std::vector<Record> ReadRecords(const std::string& path) {
  std::ifstream in(path);
  std::vector<Record> records;
  Record current;
  std::string line;
  int number = 0;
  auto flush = [&] {
    if (!current.lines.empty()) records.push_back(current);
    current = Record{};
  };
  bool in_body = false;  // inside a file/query body, blank lines and '#' belong to it
  while (std::getline(in, line)) {
    ++number;
    if (line == "====") {
      flush();
      in_body = false;
      continue;
    }
    if (!in_body && (line.empty() || line[0] == '#')) {
      flush();
      continue;
    }
    if (current.lines.empty()) {
      current.line = number;
      // File bodies may hold blank lines and '#'; they end only at '===='.
      in_body = StartsWith(line, "file ") || StartsWith(line, "input ");
    }
    current.lines.push_back(line);
  }
  flush();
  return records;
}

std::vector<std::string> Words(const std::string& line) {
  std::istringstream stream(line);
  std::vector<std::string> words;
  std::string word;
  while (stream >> word) words.push_back(word);
  return words;
}

std::string RowText(const std::vector<Cell>& row) {
  std::vector<std::string> cells;
  for (const Cell& cell : row) cells.push_back(cell.is_null() ? "NULL" : cell.ToString());
  return Join(cells, " | ");
}

class Runner {
 public:
  Runner(std::string file, std::string dir) : file_(std::move(file)), dir_(std::move(dir)) {}

  std::vector<std::string> Run() {
    for (const Record& record : ReadRecords(file_)) Execute(record);
    return failures_;
  }

 private:
  void Fail(int line, const std::string& message) {
    failures_.push_back(file_ + ":" + std::to_string(line) + ": " + message);
  }
  void Execute(const Record& record);
  void RunUpdate(const Record& record, const std::vector<std::string>& words);
  void RunQuery(const Record& record, bool rowsort);
  void CheckError(const Record& record, size_t first, const Status& status);

  std::unique_ptr<Pipeline> Open(int line, const std::vector<std::string>& conf, Status* error) {
    PipelineOptions options;
    options.conf_overrides = conf;
    auto pipeline = Pipeline::Open(dir_, options);
    if (!pipeline.ok()) {
      *error = pipeline.status();
      return nullptr;
    }
    return std::move(*pipeline);
  }

  std::string file_;
  std::string dir_;
  std::vector<std::string> failures_;
};

void Runner::CheckError(const Record& record, size_t first, const Status& status) {
  if (status.ok()) {
    Fail(record.line, "expected an error, but it succeeded");
    return;
  }
  for (size_t i = first; i < record.lines.size(); ++i) {
    const std::string expected = record.lines[i].substr(record.lines[i].find(' ') + 1);
    if (status.message().find(expected) == std::string::npos) {
      Fail(record.line + static_cast<int>(i),
           "error message lacks \"" + expected + "\"; it is:\n" + status.message());
    }
  }
}

void Runner::RunUpdate(const Record& record, const std::vector<std::string>& words) {
  RunOptions options;
  std::vector<std::string> conf;
  for (size_t i = 1; i < words.size(); ++i) {
    const std::string& w = words[i];
    auto next = [&] {
      return i + 1 < words.size() ? Split(words[++i], ',') : std::vector<std::string>{};
    };
    if (w == "--full-refresh-all")
      options.full_refresh_all = true;
    else if (w == "--full-refresh")
      options.full_refresh = next();
    else if (w == "--refresh")
      options.refresh = next();
    else if (w == "--reset-checkpoint")
      options.reset_checkpoint = next();
    else if (w == "--conf")
      conf.push_back(next().front());
    else if (w == "--continuous")
      options.continuous = true;
    else if (w == "--max-cycles")
      options.max_cycles = std::stoi(next().front());
    else
      Fail(record.line, "unknown run option " + w);
  }
  Status error;
  std::unique_ptr<Pipeline> pipeline = Open(record.line, conf, &error);
  Result<UpdateReport> report = pipeline ? pipeline->Run(options) : Result<UpdateReport>(error);
  const bool expects_error = record.lines.size() > 1 && StartsWith(record.lines[1], "error");
  if (expects_error) {
    CheckError(record, 1, report.ok() ? Status::OK() : report.status());
    return;
  }
  if (!report.ok()) {
    Fail(record.line, "run failed: " + report.status().ToString());
    return;
  }
  for (size_t i = 1; i < record.lines.size(); ++i) {
    const int line = record.line + static_cast<int>(i);
    const std::vector<std::string> w = Words(record.lines[i]);
    if (w.empty()) continue;
    if (w[0] == "state" && w.size() == 2) {
      if (report->state != w[1]) {
        std::string errors;
        for (const FlowReport& flow : report->flows) {
          if (!flow.error.empty()) errors += "\n" + flow.error;
        }
        Fail(line, "update state is " + report->state + ", expected " + w[1] + errors);
      }
    } else if (w[0] == "flow" && w.size() >= 3) {
      auto flow = std::find_if(report->flows.begin(), report->flows.end(),
                               [&](const FlowReport& f) { return f.name == w[1]; });
      if (flow == report->flows.end()) {
        Fail(line, "no flow " + w[1]);
        continue;
      }
      if (flow->state != w[2])
        Fail(line, "flow " + w[1] + " is " + flow->state + ", expected " + w[2] +
                       (flow->error.empty() ? "" : ": " + flow->error));
      if (w.size() >= 5 && w[3] == "rows" && std::to_string(flow->output_rows) != w[4]) {
        Fail(line, "flow " + w[1] + " wrote " + std::to_string(flow->output_rows) +
                       " rows, expected " + w[4]);
      }
      if (w.size() >= 7 && w[5] == "dropped" && std::to_string(flow->dropped_records) != w[6]) {
        Fail(line, "flow " + w[1] + " dropped " + std::to_string(flow->dropped_records) +
                       ", expected " + w[6]);
      }
    } else if (w[0] == "flow-error" && w.size() >= 3) {
      const std::string expected =
          record.lines[i].substr(record.lines[i].find(w[1]) + w[1].size() + 1);
      bool found = false;
      for (const FlowReport& flow : report->flows) {
        if (flow.name == w[1] && flow.error.find(expected) != std::string::npos) found = true;
      }
      if (!found) Fail(line, "flow " + w[1] + " has no error containing \"" + expected + "\"");
    } else if (w[0] == "expectation" && w.size() == 7) {
      // expectation FLOW NAME passed N failed M
      bool found = false;
      for (const FlowReport& flow : report->flows) {
        if (flow.name != w[1]) continue;
        for (const ExpectationReport& e : flow.expectations) {
          if (e.name != w[2]) continue;
          found = true;
          const std::string got = "passed " + std::to_string(e.passed_records) + " failed " +
                                  std::to_string(e.failed_records);
          const std::string want = w[3] + " " + w[4] + " " + w[5] + " " + w[6];
          if (got != want) Fail(line, "expectation " + w[2] + ": " + got + ", expected " + want);
        }
      }
      if (!found) Fail(line, "no metrics for expectation " + w[2] + " of flow " + w[1]);
    } else {
      Fail(line, "unknown assertion: " + record.lines[i]);
    }
  }
}

void Runner::RunQuery(const Record& record, bool rowsort) {
  size_t separator = 1;
  while (separator < record.lines.size() && record.lines[separator] != "----") ++separator;
  std::vector<std::string> sql_lines(record.lines.begin() + 1, record.lines.begin() + separator);
  const std::string sql = Join(sql_lines, "\n");
  std::vector<std::string> expected;
  for (size_t i = separator + 1; i < record.lines.size(); ++i) expected.push_back(record.lines[i]);
  Status error;
  std::unique_ptr<Pipeline> pipeline = Open(record.line, {}, &error);
  Result<Rows> rows = pipeline ? pipeline->Query(sql) : Result<Rows>(error);
  if (StartsWith(record.lines[0], "query-error")) {
    Record errors = record;
    errors.lines.assign(record.lines.begin() + separator, record.lines.end());
    errors.line += static_cast<int>(separator);
    CheckError(errors, 1, rows.ok() ? Status::OK() : rows.status());
    return;
  }
  if (!rows.ok()) {
    Fail(record.line, "query failed: " + rows.status().ToString());
    return;
  }
  std::vector<std::string> actual;
  for (const auto& row : rows->rows) actual.push_back(RowText(row));
  if (rowsort) {
    std::sort(actual.begin(), actual.end());
    std::sort(expected.begin(), expected.end());
  }
  if (actual != expected) {
    Fail(record.line,
         "query returned:\n  " + Join(actual, "\n  ") + "\nexpected:\n  " + Join(expected, "\n  "));
  }
}

void Runner::Execute(const Record& record) {
  const std::string& head = record.lines[0];
  const std::vector<std::string> words = Words(head);
  if (words[0] == "file" || words[0] == "input") {
    const fs::path path = fs::path(dir_) / words.at(1);
    fs::create_directories(path.parent_path());
    std::ofstream out(path);
    for (size_t i = 1; i < record.lines.size(); ++i) out << record.lines[i] << "\n";
  } else if (words[0] == "delete") {
    fs::remove_all(fs::path(dir_) / words.at(1));
  } else if (words[0] == "run") {
    RunUpdate(record, words);
  } else if (words[0] == "validate") {
    Status error;
    std::unique_ptr<Pipeline> pipeline = Open(record.line, {}, &error);
    Status status = pipeline ? pipeline->Validate().status() : error;
    if (record.lines.size() > 1) {
      CheckError(record, 1, status);
    } else if (!status.ok()) {
      Fail(record.line, "validate failed: " + status.ToString());
    }
  } else if (words[0] == "query" || words[0] == "query-error") {
    RunQuery(record, words.size() > 1 && words[1] == "rowsort");
  } else if (words[0] == "exists" || words[0] == "missing") {
    const bool exists = fs::exists(fs::path(dir_) / words.at(1));
    if (exists != (words[0] == "exists"))
      Fail(record.line, words[1] + (exists ? " exists" : " does not exist"));
  } else {
    Fail(record.line, "unknown record: " + head);
  }
}

}  // namespace

std::vector<std::string> RunPipelineScript(const std::string& path, const std::string& work_dir) {
  Runner runner(path, work_dir);
  return runner.Run();
}

}  // namespace sluice::testing
