// sluice graph [PATH] [--format text|dot|mermaid|json]
#include <iostream>

#include "tools/cli/command.h"

namespace sluice::cli {
namespace {

struct GraphArguments {
  PipelineArguments pipeline;
  std::string format = "text";
};

std::string Quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\\\"") : std::string(1, c);
  return out + "\"";
}

std::string Render(const PipelineGraph& graph, const std::string& format) {
  std::string out;
  if (format == "dot") {
    out = "digraph pipeline {\n  rankdir=LR;\n";
    for (const DatasetInfo& d : graph.datasets) {
      const std::string shape = d.type == "STREAMING_TABLE"     ? "box"
                                : d.type == "MATERIALIZED_VIEW" ? "box3d"
                                                                : "ellipse";
      out += "  " + Quoted(d.name) + " [shape=" + shape +
             ", label=" + Quoted(d.name + "\\n" + d.type) + "];\n";
    }
    for (const FlowInfo& f : graph.flows) {
      for (const std::string& input : f.inputs) {
        out += "  " + Quoted(input) + " -> " + Quoted(f.target) +
               (f.streaming ? " [style=bold]" : "") + ";\n";
      }
    }
    return out + "}\n";
  }
  if (format == "mermaid") {
    out = "flowchart LR\n";
    std::map<std::string, std::string> ids;
    auto id = [&](const std::string& name) {
      auto it = ids.find(name);
      if (it != ids.end()) return it->second;
      std::string made = "n" + std::to_string(ids.size());
      ids[name] = made;
      out += "  " + made + "[\"" + name + "\"]\n";
      return made;
    };
    for (const DatasetInfo& d : graph.datasets) id(d.name);
    for (const FlowInfo& f : graph.flows) {
      for (const std::string& input : f.inputs) {
        out += "  " + id(input) + (f.streaming ? " ==> " : " --> ") + id(f.target) + "\n";
      }
    }
    return out;
  }
  if (format == "json") {
    out = "{\"datasets\": [";
    for (size_t i = 0; i < graph.datasets.size(); ++i) {
      const DatasetInfo& d = graph.datasets[i];
      out += std::string(i ? ", " : "") + "{\"name\": " + JsonString(d.name) +
             ", \"type\": " + JsonString(d.type) + ", \"path\": " + JsonString(d.path) + "}";
    }
    out += "], \"flows\": [";
    for (size_t i = 0; i < graph.flows.size(); ++i) {
      const FlowInfo& f = graph.flows[i];
      out += std::string(i ? ", " : "") + "{\"name\": " + JsonString(f.name) +
             ", \"target\": " + JsonString(f.target) +
             ", \"streaming\": " + (f.streaming ? "true" : "false") + ", \"inputs\": [";
      for (size_t k = 0; k < f.inputs.size(); ++k)
        out += std::string(k ? ", " : "") + JsonString(f.inputs[k]);
      out += "]}";
    }
    return out + "]}\n";
  }
  for (const DatasetInfo& d : graph.datasets) {
    out += d.name + " (" + d.type + ")\n";
    for (const FlowInfo& f : graph.flows) {
      if (f.target != d.name) continue;
      for (const std::string& input : f.inputs) {
        out += "  <- " + input + (f.streaming ? " (stream)" : "") +
               (f.name != d.name ? " via flow " + f.name : "") + "\n";
      }
    }
  }
  return out;
}

}  // namespace

void AddGraph(CLI::App& app, Runner* run) {
  auto arguments = std::make_shared<GraphArguments>();
  CLI::App* command = app.add_subcommand("graph", "Print the pipeline's dataflow graph");
  AddPipelineArguments(*command, &arguments->pipeline);
  command->add_option("--format", arguments->format, "text, dot, mermaid or json")
      ->check(CLI::IsMember({"text", "dot", "mermaid", "json"}));
  command->callback([arguments, run] {
    *run = [arguments] {
      int code = kExitOk;
      std::unique_ptr<Pipeline> pipeline = OpenPipeline(arguments->pipeline, &code);
      if (!pipeline) return code;
      auto graph = pipeline->Graph();
      if (!graph.ok()) return DefinitionError(graph.status());
      std::cout << Render(*graph, arguments->format);
      return kExitOk;
    };
  });
}

}  // namespace sluice::cli
