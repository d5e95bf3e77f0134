#include "graph/graph.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "sql/parser.h"

namespace sluice::graph {
namespace {

spec::PipelineSettings Settings() {
  spec::PipelineSettings settings;
  settings.root_dir = "/p";
  settings.storage = "/p/.sluice";
  settings.settings_file = "/p/pipeline.yml";
  return settings;
}

Result<Graph> Build(const std::string& text) {
  auto script = sql::ParseScript(text, "/p/a.sql");
  if (!script.ok()) return script.status();
  std::vector<sql::Script> scripts;
  scripts.push_back(std::move(*script));
  return BuildGraph(std::move(scripts), Settings());
}

std::vector<std::string> FlowNames(const Graph& graph) {
  std::vector<std::string> names;
  for (const Flow& flow : graph.flows()) names.push_back(flow.name);
  return names;
}

TEST(GraphTest, OrdersFlowsAfterWhatTheyRead) {
  auto graph = Build(
      "CREATE MATERIALIZED VIEW gold AS SELECT count(*) FROM silver;\n"
      "CREATE STREAMING TABLE silver AS SELECT * FROM STREAM(bronze);\n"
      "CREATE STREAMING TABLE bronze AS SELECT * FROM STREAM read_files('data', format => "
      "'json');\n");
  ASSERT_TRUE(graph.ok()) << graph.status().ToString();
  EXPECT_EQ(FlowNames(*graph), (std::vector<std::string>{"bronze", "silver", "gold"}));
  EXPECT_EQ(graph->UpstreamFlows("gold"), (std::vector<std::string>{"silver"}));
  EXPECT_EQ(graph->InputDatasets("silver"), (std::vector<std::string>{"bronze"}));
  EXPECT_EQ(graph->FindFlow("bronze")->inputs[0].path, "/p/data");
  EXPECT_TRUE(graph->FindFlow("silver")->streaming);
  EXPECT_FALSE(graph->FindFlow("gold")->streaming);
}

TEST(GraphTest, TemporaryViewsAreInlinedIntoDependencies) {
  auto graph = Build(
      "CREATE MATERIALIZED VIEW gold AS SELECT * FROM v;\n"
      "CREATE TEMPORARY VIEW v AS SELECT * FROM base WHERE x > 0;\n"
      "CREATE MATERIALIZED VIEW base AS SELECT 1 AS x;\n");
  ASSERT_TRUE(graph.ok()) << graph.status().ToString();
  EXPECT_EQ(FlowNames(*graph), (std::vector<std::string>{"base", "gold"}));
  EXPECT_EQ(graph->UpstreamFlows("gold"), (std::vector<std::string>{"base"}));
  EXPECT_TRUE(graph->FindDataset("v")->flows.empty());
  ASSERT_EQ(graph->FindDataset("v")->view_inputs.size(), 1u);
}

TEST(GraphTest, AppendFlowsWriteOneStreamingTable) {
  auto graph = Build(
      "CREATE STREAMING TABLE all_orders;\n"
      "CREATE FLOW east AS INSERT INTO all_orders BY NAME SELECT * FROM STREAM read_files('e');\n"
      "CREATE FLOW west AS INSERT INTO all_orders BY NAME SELECT * FROM STREAM read_files('w');\n"
      "CREATE MATERIALIZED VIEW total AS SELECT count(*) FROM all_orders;\n");
  ASSERT_TRUE(graph.ok()) << graph.status().ToString();
  EXPECT_EQ(graph->FindDataset("all_orders")->flows, (std::vector<std::string>{"east", "west"}));
  EXPECT_EQ(graph->UpstreamFlows("total"), (std::vector<std::string>{"east", "west"}));
}

TEST(GraphTest, NamesMatchCaseInsensitivelyAndLivePrefixIsIgnored) {
  auto graph = Build(
      "CREATE LIVE TABLE Base AS SELECT 1 AS x;\n"
      "CREATE LIVE TABLE top AS SELECT * FROM LIVE.base;\n");
  ASSERT_TRUE(graph.ok()) << graph.status().ToString();
  EXPECT_EQ(graph->FindFlow("top")->inputs[0].dataset, "Base");
}

TEST(GraphTest, UnknownDatasetSuggestsNearestName) {
  auto graph = Build(
      "CREATE MATERIALIZED VIEW orders AS SELECT 1 AS x;\n"
      "CREATE MATERIALIZED VIEW gold AS SELECT * FROM ordrs;\n");
  ASSERT_FALSE(graph.ok());
  const std::string message = graph.status().message();
  EXPECT_NE(message.find("/p/a.sql:2:"), std::string::npos) << message;
  EXPECT_NE(message.find("unknown dataset 'ordrs'"), std::string::npos) << message;
  EXPECT_NE(message.find("did you mean 'orders'"), std::string::npos) << message;
  EXPECT_NE(message.find("^"), std::string::npos) << message;
}

TEST(GraphTest, CycleListsItsMembers) {
  auto graph = Build(
      "CREATE MATERIALIZED VIEW a AS SELECT * FROM c;\n"
      "CREATE MATERIALIZED VIEW b AS SELECT * FROM a;\n"
      "CREATE MATERIALIZED VIEW c AS SELECT * FROM b;\n");
  ASSERT_FALSE(graph.ok());
  const std::string message = graph.status().message();
  EXPECT_NE(message.find("cycle"), std::string::npos) << message;
  const std::string members = message.substr(message.find("cycle: ") + 7);
  const std::string first_line = members.substr(0, members.find('\n'));
  EXPECT_EQ(std::count(first_line.begin(), first_line.end(), '>'), 3) << message;
  for (const char* name : {"a", "b", "c"}) {
    EXPECT_NE(first_line.find(name), std::string::npos) << message;
  }
}

TEST(GraphTest, DuplicateDefinitionNamesTheFirst) {
  auto graph = Build(
      "CREATE MATERIALIZED VIEW a AS SELECT 1;\n"
      "CREATE MATERIALIZED VIEW A AS SELECT 2;\n");
  ASSERT_FALSE(graph.ok());
  EXPECT_NE(graph.status().message().find("already defined at /p/a.sql:1"), std::string::npos)
      << graph.status().message();
}

TEST(GraphTest, StreamingReadOfMaterializedViewIsAnError) {
  auto graph = Build(
      "CREATE MATERIALIZED VIEW mv AS SELECT 1 AS x;\n"
      "CREATE STREAMING TABLE st AS SELECT * FROM STREAM(mv);\n");
  ASSERT_FALSE(graph.ok());
  EXPECT_NE(graph.status().message().find("materialized view 'mv'"), std::string::npos)
      << graph.status().message();
}

TEST(GraphTest, StreamingTableNeedsAStreamingSource) {
  auto graph = Build(
      "CREATE MATERIALIZED VIEW mv AS SELECT 1 AS x;\n"
      "CREATE STREAMING TABLE st AS SELECT * FROM mv;\n");
  ASSERT_FALSE(graph.ok());
  EXPECT_NE(graph.status().message().find("must read at least one source incrementally"),
            std::string::npos)
      << graph.status().message();
}

TEST(GraphTest, FlowIntoUnknownOrNonStreamingTarget) {
  auto unknown = Build(
      "CREATE STREAMING TABLE orders;\n"
      "CREATE FLOW f AS INSERT INTO order BY NAME SELECT * FROM STREAM read_files('x');\n");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("did you mean 'orders'"), std::string::npos)
      << unknown.status().message();
  auto mv = Build(
      "CREATE MATERIALIZED VIEW m AS SELECT 1 AS x;\n"
      "CREATE FLOW f AS INSERT INTO m BY NAME SELECT * FROM STREAM read_files('x');\n");
  ASSERT_FALSE(mv.ok());
  EXPECT_NE(mv.status().message().find("only write streaming tables"), std::string::npos)
      << mv.status().message();
}

TEST(GraphTest, PipelineWithoutTablesIsAnError) {
  auto graph = Build("CREATE TEMPORARY VIEW v AS SELECT 1;\n");
  ASSERT_FALSE(graph.ok());
  EXPECT_NE(graph.status().message().find("defines no tables"), std::string::npos);
}

TEST(SelectionTest, RefreshSelectsAndExcludes) {
  auto graph = Build(
      "CREATE MATERIALIZED VIEW a AS SELECT 1 AS x;\n"
      "CREATE MATERIALIZED VIEW b AS SELECT * FROM a;\n"
      "CREATE MATERIALIZED VIEW c AS SELECT 2 AS y;\n");
  ASSERT_TRUE(graph.ok());
  auto all = SelectFlows(*graph, false, {}, {});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->run.size(), 3u);
  EXPECT_TRUE(all->full_refresh.empty());
  auto some = SelectFlows(*graph, false, {"C"}, {"b"});
  ASSERT_TRUE(some.ok()) << some.status().ToString();
  EXPECT_EQ(some->run, (std::set<std::string>{"b", "c"}));
  EXPECT_EQ(some->excluded, (std::set<std::string>{"a"}));
  EXPECT_EQ(some->full_refresh, (std::set<std::string>{"c"}));
  auto everything = SelectFlows(*graph, true, {}, {});
  ASSERT_TRUE(everything.ok());
  EXPECT_EQ(everything->full_refresh.size(), 3u);
  auto unknown = SelectFlows(*graph, false, {}, {"bb"});
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("did you mean 'b'"), std::string::npos);
  EXPECT_FALSE(SelectFlows(*graph, true, {"a"}, {}).ok());
}

}  // namespace
}  // namespace sluice::graph
