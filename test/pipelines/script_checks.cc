#include "script_checks.h"

#include <algorithm>

#include "common/strings.h"

namespace sluice::testing {
namespace {

int LineOf(const ScriptRecord& record, size_t body_index) {
  return record.line + 1 + static_cast<int>(body_index);
}

// The text of `line` after its first `words` words, leading spaces kept past the one
// separating space.
std::string RestAfterWords(const std::string& line, int words) {
  size_t pos = 0;
  for (int i = 0; i < words; ++i) {
    pos = line.find_first_not_of(' ', pos);
    pos = line.find(' ', pos);
    if (pos == std::string::npos) return "";
  }
  return line.substr(pos + 1);
}

std::string FlowErrors(const UpdateReport& report) {
  std::string errors;
  for (const FlowReport& flow : report.flows) {
    if (!flow.error.empty()) errors += "\n  flow " + flow.name + ": " + flow.error;
  }
  return errors;
}

std::string FlowStates(const UpdateReport& report) {
  std::vector<std::string> states;
  for (const FlowReport& flow : report.flows) {
    states.push_back(flow.name + " " + flow.state + " rows " + std::to_string(flow.output_rows));
  }
  return Join(states, ", ");
}

const FlowReport* FindFlow(const UpdateReport& report, const std::string& name) {
  for (const FlowReport& flow : report.flows) {
    if (flow.name == name) return &flow;
  }
  return nullptr;
}

bool IsCaretLine(const std::string& text) {
  return text.find('^') != std::string::npos && text.find_first_not_of(" ^~") == std::string::npos;
}

std::string TrimRight(std::string text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.pop_back();
  return text;
}

bool IsFlowField(const std::string& word) { return word == "rows" || word == "dropped"; }

// `flow NAME [STATE] [rows N] [dropped N]` of a run record.
void CheckFlowLine(const std::vector<std::string>& w, int line, const UpdateReport& report,
                   std::vector<ScriptFailure>* failures) {
  const bool has_state = w.size() >= 3 && !IsFlowField(w[2]);
  const size_t fields = has_state ? 3 : 2;
  if (w.size() < 3 || (w.size() - fields) % 2 != 0) {
    failures->push_back({line, "expected: flow NAME [STATE] [rows N] [dropped N]"});
    return;
  }
  const FlowReport* flow = FindFlow(report, w[1]);
  if (flow == nullptr) {
    failures->push_back(
        {line, "the update has no flow '" + w[1] + "'; it has: " + FlowStates(report)});
    return;
  }
  if (has_state && flow->state != w[2]) {
    failures->push_back({line, "flow " + w[1] + " is " + flow->state + ", expected " + w[2] +
                                   (flow->error.empty() ? "" : ": " + flow->error)});
  }
  for (size_t k = fields; k + 1 < w.size(); k += 2) {
    int64_t actual = 0;
    if (w[k] == "rows") {
      actual = flow->output_rows;
    } else if (w[k] == "dropped") {
      actual = flow->dropped_records;
    } else {
      failures->push_back({line, "unknown flow field '" + w[k] + "' (rows, dropped)"});
      continue;
    }
    if (std::to_string(actual) != w[k + 1]) {
      failures->push_back({line, "flow " + w[1] + " " + w[k] + " is " + std::to_string(actual) +
                                     ", expected " + w[k + 1]});
    }
  }
}

// `expectation FLOW NAME passed N failed M`.
void CheckExpectationLine(const std::vector<std::string>& w, int line, const UpdateReport& report,
                          std::vector<ScriptFailure>* failures) {
  if (w.size() != 7 || w[3] != "passed" || w[5] != "failed") {
    failures->push_back({line, "expected: expectation FLOW NAME passed N failed M"});
    return;
  }
  const FlowReport* flow = FindFlow(report, w[1]);
  if (flow == nullptr) {
    failures->push_back({line, "the update has no flow '" + w[1] + "'"});
    return;
  }
  std::vector<std::string> names;
  for (const ExpectationReport& e : flow->expectations) {
    names.push_back(e.name);
    if (e.name != w[2]) continue;
    const std::string actual = "passed " + std::to_string(e.passed_records) + " failed " +
                               std::to_string(e.failed_records);
    const std::string expected = "passed " + w[4] + " failed " + w[6];
    if (actual != expected) {
      failures->push_back({line, "expectation " + w[2] + " of flow " + w[1] + ": " + actual +
                                     ", expected " + expected});
    }
    return;
  }
  failures->push_back({line, "flow " + w[1] + " has no metrics for expectation '" + w[2] +
                                 "'; it has: [" + Join(names, ", ") + "]"});
}

std::string RelativeTo(const std::string& path, const std::string& dir) {
  if (StartsWith(path, dir + "/")) return path.substr(dir.size() + 1);
  return path;
}

}  // namespace

std::vector<std::string> ErrorLines(const ScriptRecord& record) {
  std::vector<std::string> lines;
  for (const std::string& line : record.body) {
    if (line == "error") {
      lines.push_back("");
    } else if (StartsWith(line, "error ")) {
      lines.push_back(line.substr(6));
    }
  }
  return lines;
}

std::string MatchError(const std::vector<std::string>& expected, const std::string& message) {
  const std::vector<std::string> lines = Split(message, '\n');
  size_t from = 0;
  for (const std::string& text : expected) {
    size_t i = from;
    for (; i < lines.size(); ++i) {
      const bool match = IsCaretLine(text) ? TrimRight(lines[i]) == TrimRight(text)
                                           : lines[i].find(text) != std::string::npos;
      if (match) break;
    }
    if (i == lines.size()) {
      return "the error lacks \"" + text + "\"" + (from > 0 ? " (after the lines matched)" : "") +
             "; it is:\n" + message;
    }
    from = i;
  }
  return "";
}

std::vector<std::string> RenderRows(const Rows& rows, const std::string& separator) {
  std::vector<std::string> lines;
  for (const std::vector<Cell>& row : rows.rows) {
    std::vector<std::string> cells;
    for (const Cell& cell : row) cells.push_back(cell.is_null() ? "NULL" : cell.ToString());
    lines.push_back(Join(cells, separator));
  }
  return lines;
}

void CheckWarnings(const ScriptRecord& record, const std::vector<std::string>& warnings,
                   std::vector<ScriptFailure>* failures) {
  for (size_t i = 0; i < record.body.size(); ++i) {
    const std::vector<std::string> w = SplitWords(record.body[i]);
    if (w.empty() || w[0] != "warning") continue;
    const std::string text = RestAfterWords(record.body[i], 1);
    const bool found = std::any_of(warnings.begin(), warnings.end(), [&](const std::string& s) {
      return s.find(text) != std::string::npos;
    });
    if (!found) {
      failures->push_back(
          {LineOf(record, i),
           "no warning contains \"" + text + "\"; the warnings are:\n  " + Join(warnings, "\n  ")});
    }
  }
}

void CheckUpdate(const ScriptRecord& record, const UpdateReport& report,
                 std::vector<ScriptFailure>* failures) {
  for (size_t i = 0; i < record.body.size(); ++i) {
    const int line = LineOf(record, i);
    const std::vector<std::string> w = SplitWords(record.body[i]);
    if (w[0] == "warning") continue;
    if (w[0] == "state" && w.size() == 2) {
      if (report.state != w[1]) {
        failures->push_back({line, "the update is " + report.state + ", expected " + w[1] +
                                       "; flows: " + FlowStates(report) + FlowErrors(report)});
      }
    } else if (w[0] == "flow") {
      CheckFlowLine(w, line, report, failures);
    } else if (w[0] == "flow-error" && w.size() >= 3) {
      const std::string text = RestAfterWords(record.body[i], 2);
      const FlowReport* flow = FindFlow(report, w[1]);
      if (flow == nullptr) {
        failures->push_back({line, "the update has no flow '" + w[1] + "'"});
      } else if (flow->error.find(text) == std::string::npos) {
        failures->push_back(
            {line, "the error of flow " + w[1] + " lacks \"" + text + "\"; it is: " + flow->error});
      }
    } else if (w[0] == "expectation") {
      CheckExpectationLine(w, line, report, failures);
    } else if (w[0] == "updates" && w.size() == 2) {
      if (std::to_string(report.updates) != w[1]) {
        failures->push_back({line, "the run made " + std::to_string(report.updates) +
                                       " update cycles, expected " + w[1]});
      }
    } else {
      failures->push_back({line, "unknown assertion after run: " + record.body[i]});
    }
  }
}

void CheckGraph(const ScriptRecord& record, const PipelineGraph& graph, const std::string& dir,
                std::vector<ScriptFailure>* failures) {
  for (size_t i = 0; i < record.body.size(); ++i) {
    const int line = LineOf(record, i);
    const std::vector<std::string> w = SplitWords(record.body[i]);
    if (w[0] == "warning") continue;
    if (w[0] == "dataset" && w.size() == 3) {
      auto it = std::find_if(graph.datasets.begin(), graph.datasets.end(),
                             [&](const DatasetInfo& d) { return d.name == w[1]; });
      if (it == graph.datasets.end()) {
        failures->push_back({line, "the graph has no dataset '" + w[1] + "'"});
      } else if (it->type != w[2]) {
        failures->push_back({line, "dataset " + w[1] + " is " + it->type + ", expected " + w[2]});
      }
    } else if (w[0] == "flow" && w.size() >= 4 && w[2] == "->") {
      // flow NAME -> TARGET [streaming] [once] [reads A,B]
      auto it = std::find_if(graph.flows.begin(), graph.flows.end(),
                             [&](const FlowInfo& f) { return f.name == w[1]; });
      if (it == graph.flows.end()) {
        failures->push_back({line, "the graph has no flow '" + w[1] + "'"});
        continue;
      }
      std::vector<std::string> inputs;
      for (const std::string& input : it->inputs) inputs.push_back(RelativeTo(input, dir));
      std::string actual = "flow " + it->name + " -> " + it->target;
      if (it->streaming) actual += " streaming";
      if (it->once) actual += " once";
      const std::string reads = inputs.empty() ? "" : " reads " + Join(inputs, ",");
      const bool check_inputs = std::find(w.begin(), w.end(), "reads") != w.end();
      if ((check_inputs ? actual + reads : actual) != Join(w, " ")) {
        failures->push_back({line, "the graph has: " + actual + reads});
      }
    } else {
      failures->push_back({line, "unknown assertion after validate/graph: " + record.body[i]});
    }
  }
}

}  // namespace sluice::testing
