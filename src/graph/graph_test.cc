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

// The first line of a definition error: "file:line:col: message".
std::string ErrorLine(const Result<Graph>& graph) {
  EXPECT_FALSE(graph.ok());
  if (graph.ok()) return "";
  const std::string message = graph.status().message();
  return message.substr(0, message.find('\n'));
}

const char* kCdcSources =
    "CREATE STREAMING TABLE raw AS SELECT * FROM STREAM read_files('feed', format => 'json');\n"
    "CREATE MATERIALIZED VIEW snap AS SELECT 1 AS id, 'a' AS name;\n";  // lines 1-2

TEST(GraphAutoCdcTest, FlowReadsItsSourceAndFeedsReaders) {
  auto graph = Build(std::string(kCdcSources) +
                     "CREATE MATERIALIZED VIEW n AS SELECT count(*) FROM users;\n"
                     "CREATE STREAMING TABLE users;\n"
                     "CREATE FLOW users_cdc AS AUTO CDC INTO users FROM STREAM(LIVE.raw)\n"
                     "  KEYS (id) APPLY AS DELETE WHEN op = 'D' SEQUENCE BY struct(ts, seq);\n");
  ASSERT_TRUE(graph.ok()) << graph.status().ToString();
  EXPECT_EQ(FlowNames(*graph), (std::vector<std::string>{"raw", "snap", "users_cdc", "n"}));
  const Flow& flow = *graph->FindFlow("users_cdc");
  EXPECT_EQ(flow.target, "users");
  EXPECT_TRUE(flow.streaming);
  EXPECT_FALSE(flow.implicit);
  ASSERT_TRUE(flow.cdc);
  EXPECT_EQ(flow.cdc->keys, (std::vector<std::string>{"id"}));
  EXPECT_EQ(flow.cdc->sequence_by->text, "struct(ts, seq)");
  EXPECT_EQ(flow.query.text, "SELECT * FROM STREAM(LIVE.raw)");
  ASSERT_EQ(flow.inputs.size(), 1u);
  EXPECT_EQ(flow.inputs[0].dataset, "raw");
  EXPECT_TRUE(flow.inputs[0].streaming);
  EXPECT_EQ(graph->InputDatasets("users_cdc"), (std::vector<std::string>{"raw"}));
  EXPECT_EQ(graph->UpstreamFlows("users_cdc"), (std::vector<std::string>{"raw"}));
  EXPECT_EQ(graph->UpstreamFlows("n"), (std::vector<std::string>{"users_cdc"}));
  EXPECT_EQ(graph->FindDataset("users")->flows, (std::vector<std::string>{"users_cdc"}));
  EXPECT_FALSE(graph->FindFlow("raw")->cdc);
}

TEST(GraphAutoCdcTest, StreamingTableFlowClauseLegacyFormAndSnapshots) {
  auto graph =
      Build(std::string(kCdcSources) +
            "CREATE STREAMING TABLE a (id INT, name STRING, __START_AT BIGINT,\n"
            "  __END_AT BIGINT) FLOW AUTO CDC FROM STREAM raw KEYS (ID) SEQUENCE BY ts\n"
            "  STORED AS SCD TYPE 2 TRACK HISTORY ON * EXCEPT (name);\n"
            "APPLY CHANGES INTO LIVE.b FROM STREAM(LIVE.raw) KEYS (id) SEQUENCE BY ts;\n"
            "CREATE STREAMING TABLE b;\n"
            "CREATE STREAMING TABLE c FLOW AUTO CDC FROM SNAPSHOT snap KEYS (id);\n"
            "CREATE STREAMING TABLE d;\n"
            "CREATE FLOW d1 AS AUTO CDC INTO d FROM STREAM(raw) KEYS (id) SEQUENCE BY ts;\n"
            "CREATE FLOW d2 AS AUTO CDC INTO d FROM STREAM(b) KEYS (id) SEQUENCE BY ts;\n");
  ASSERT_TRUE(graph.ok()) << graph.status().ToString();
  const Flow& a = *graph->FindFlow("a");
  EXPECT_EQ(a.target, "a");
  EXPECT_TRUE(a.streaming);
  EXPECT_EQ(a.cdc->scd_type, 2);
  EXPECT_EQ(graph->FindDataset("a")->flows, (std::vector<std::string>{"a"}));
  EXPECT_FALSE(graph->FindDataset("a")->definition.query);
  const Flow& b = *graph->FindFlow("b");
  EXPECT_EQ(b.target, "b");
  EXPECT_EQ(graph->InputDatasets("b"), (std::vector<std::string>{"raw"}));
  const Flow& c = *graph->FindFlow("c");
  EXPECT_FALSE(c.streaming);
  EXPECT_TRUE(c.cdc->from_snapshot);
  EXPECT_FALSE(c.inputs[0].streaming);
  EXPECT_EQ(graph->UpstreamFlows("c"), (std::vector<std::string>{"snap"}));
  EXPECT_EQ(graph->FindDataset("d")->flows, (std::vector<std::string>{"d1", "d2"}));
  EXPECT_EQ(graph->UpstreamFlows("d2"), (std::vector<std::string>{"b"}));
  const std::vector<std::string> order = FlowNames(*graph);
  EXPECT_LT(std::find(order.begin(), order.end(), "b"),
            std::find(order.begin(), order.end(), "d2"));
}

TEST(GraphAutoCdcTest, TargetMustBeAStreamingTableWithoutAQuery) {
  EXPECT_EQ(ErrorLine(Build(std::string(kCdcSources) +
                            "CREATE STREAMING TABLE users;\n"
                            "CREATE FLOW f AS AUTO CDC INTO userz FROM STREAM(raw) KEYS (id) "
                            "SEQUENCE BY ts;\n")),
            "/p/a.sql:4:13: flow 'f' writes to unknown dataset 'userz'; did you mean 'users'?");
  EXPECT_EQ(ErrorLine(Build(std::string(kCdcSources) +
                            "CREATE FLOW f AS AUTO CDC INTO snap FROM STREAM(raw) KEYS (id) "
                            "SEQUENCE BY ts;\n")),
            "/p/a.sql:3:32: AUTO CDC flow 'f' writes to 'snap', but the target of AUTO CDC must "
            "be a streaming table declared without a query (CREATE STREAMING TABLE snap)");
  auto own_query = Build(std::string(kCdcSources) +
                         "CREATE FLOW f AS AUTO CDC INTO raw FROM STREAM(raw) KEYS (id) "
                         "SEQUENCE BY ts;\n");
  EXPECT_EQ(ErrorLine(own_query),
            "/p/a.sql:3:32: AUTO CDC flow 'f' writes to 'raw', which has a query of its own; "
            "declare the target without AS (CREATE STREAMING TABLE raw) so that only AUTO CDC "
            "flows write it");
  EXPECT_NE(own_query.status().message().find(
                "\n  CREATE FLOW f AS AUTO CDC INTO raw FROM STREAM(raw) KEYS (id) SEQUENCE BY "
                "ts;\n                                 ^"),
            std::string::npos)
      << own_query.status().message();
}

TEST(GraphAutoCdcTest, TargetTakesNoAppendFlows) {
  EXPECT_EQ(ErrorLine(Build(std::string(kCdcSources) +
                            "CREATE STREAMING TABLE t;\n"
                            "CREATE FLOW c AS AUTO CDC INTO t FROM STREAM(raw) KEYS (id) "
                            "SEQUENCE BY ts;\n"
                            "CREATE FLOW a AS INSERT INTO t BY NAME SELECT * FROM STREAM(raw);\n")),
            "/p/a.sql:5:13: flow 'a' appends to 't', which AUTO CDC flow 'c' writes "
            "(/p/a.sql:4); an AUTO CDC target is written by AUTO CDC flows only");
  // Also when the append flow comes first.
  EXPECT_EQ(ErrorLine(Build(std::string(kCdcSources) +
                            "CREATE STREAMING TABLE t;\n"
                            "CREATE FLOW a AS INSERT INTO t BY NAME SELECT * FROM STREAM(raw);\n"
                            "CREATE FLOW c AS AUTO CDC INTO t FROM STREAM(raw) KEYS (id) "
                            "SEQUENCE BY ts;\n")),
            "/p/a.sql:4:13: flow 'a' appends to 't', which AUTO CDC flow 'c' writes "
            "(/p/a.sql:5); an AUTO CDC target is written by AUTO CDC flows only");
}

TEST(GraphAutoCdcTest, FlowsIntoOneTargetMustAgree) {
  EXPECT_EQ(ErrorLine(Build(std::string(kCdcSources) +
                            "CREATE STREAMING TABLE t;\n"
                            "CREATE FLOW c1 AS AUTO CDC INTO t FROM STREAM(raw) KEYS (id) "
                            "SEQUENCE BY ts;\n"
                            "CREATE FLOW c2 AS AUTO CDC INTO t FROM STREAM(raw) KEYS (id, name) "
                            "SEQUENCE BY ts;\n")),
            "/p/a.sql:5:19: AUTO CDC flows 'c1' (FROM STREAM, KEYS (id), SCD TYPE 1) and 'c2' "
            "(FROM STREAM, KEYS (id, name), SCD TYPE 1) both write 't'; AUTO CDC flows into one "
            "table must agree on the source kind, KEYS and SCD type");
  EXPECT_FALSE(Build(std::string(kCdcSources) +
                     "CREATE STREAMING TABLE t;\n"
                     "CREATE FLOW c1 AS AUTO CDC INTO t FROM STREAM(raw) KEYS (id) "
                     "SEQUENCE BY ts;\n"
                     "CREATE FLOW c2 AS AUTO CDC INTO t FROM STREAM(raw) KEYS (id) "
                     "SEQUENCE BY ts STORED AS SCD TYPE 2;\n")
                   .ok());
}

TEST(GraphAutoCdcTest, SourceRules) {
  const std::string head = std::string(kCdcSources) + "CREATE STREAMING TABLE t;\n";
  EXPECT_EQ(ErrorLine(Build(head + "CREATE FLOW f AS AUTO CDC INTO t FROM LIVE.raw KEYS (id) "
                                   "SEQUENCE BY ts;\n")),
            "/p/a.sql:4:39: AUTO CDC flow 'f' must read its source as a stream: write FROM "
            "STREAM(LIVE.raw), or FROM SNAPSHOT LIVE.raw to compare full snapshots");
  EXPECT_EQ(ErrorLine(Build(head + "CREATE FLOW f AS AUTO CDC INTO t FROM SNAPSHOT STREAM(raw) "
                                   "KEYS (id);\n")),
            "/p/a.sql:4:55: AUTO CDC flow 'f' reads a snapshot, which is read in full: remove "
            "STREAM");
  EXPECT_EQ(ErrorLine(Build(head + "CREATE FLOW f AS AUTO CDC INTO t FROM STREAM(rav) KEYS (id) "
                                   "SEQUENCE BY ts;\n")),
            "/p/a.sql:4:46: unknown dataset 'rav'; did you mean 'raw'?");
  EXPECT_EQ(ErrorLine(Build(head + "CREATE FLOW f AS AUTO CDC INTO t FROM STREAM(snap) KEYS (id) "
                                   "SEQUENCE BY ts;\n")),
            "/p/a.sql:4:46: 'f' reads materialized view 'snap' as a stream; a materialized view "
            "can only be read in full (remove STREAM)");
  EXPECT_NE(ErrorLine(Build("CREATE STREAMING TABLE t FLOW AUTO CDC FROM STREAM(t) KEYS (id) "
                            "SEQUENCE BY ts;\n"))
                .find("the pipeline has a cycle: t -> t"),
            std::string::npos);
  // An external Delta table is a source too.
  auto external = Build(head +
                        "CREATE FLOW f AS AUTO CDC INTO t FROM STREAM(delta.`ext/feed`) "
                        "KEYS (id) SEQUENCE BY ts;\n");
  ASSERT_TRUE(external.ok()) << external.status().ToString();
  EXPECT_EQ(external->InputDatasets("f"), (std::vector<std::string>{"/p/ext/feed"}));
}

TEST(GraphAutoCdcTest, ClauseRules) {
  const std::string head = std::string(kCdcSources) + "CREATE STREAMING TABLE t;\n" +
                           "CREATE FLOW f AS AUTO CDC INTO t FROM STREAM(raw) KEYS (id, ID)";
  const std::string snapshot = std::string(kCdcSources) + "CREATE STREAMING TABLE t;\n" +
                               "CREATE FLOW f AS AUTO CDC INTO t FROM SNAPSHOT snap KEYS (id)";
  EXPECT_EQ(ErrorLine(Build(head + " SEQUENCE BY ts;\n")),
            "/p/a.sql:4:61: key 'ID' is listed twice in KEYS");
  const std::string one_key = std::string(kCdcSources) + "CREATE STREAMING TABLE t;\n" +
                              "CREATE FLOW f AS AUTO CDC INTO t FROM STREAM(raw) KEYS (id)";
  EXPECT_EQ(ErrorLine(Build(one_key + " APPLY AS DELETE WHEN op = 'D';\n")),
            "/p/a.sql:4:18: AUTO CDC flow 'f' needs SEQUENCE BY: the column (or struct(...) of "
            "columns) that orders the changes of one key");
  EXPECT_EQ(ErrorLine(Build(one_key + " APPLY AS TRUNCATE WHEN op = 'T' SEQUENCE BY ts\n"
                                      "STORED AS SCD TYPE 2;\n")),
            "/p/a.sql:4:84: APPLY AS TRUNCATE is supported for SCD type 1 only, and flow 'f' is "
            "STORED AS SCD TYPE 2");
  EXPECT_EQ(ErrorLine(Build(one_key + " SEQUENCE BY ts TRACK HISTORY ON name;\n")),
            "/p/a.sql:4:93: TRACK HISTORY ON needs STORED AS SCD TYPE 2; flow 'f' is stored as "
            "SCD type 1, which keeps no history");
  EXPECT_EQ(ErrorLine(Build(snapshot + " SEQUENCE BY ts;\n")),
            "/p/a.sql:4:75: AUTO CDC flow 'f' reads a snapshot, which takes no SEQUENCE BY: rows "
            "are compared by KEYS with the previous snapshot, and missing keys are deletes");
  EXPECT_NE(ErrorLine(Build(snapshot + " APPLY AS DELETE WHEN op = 'D';\n"))
                .find("takes no APPLY AS DELETE"),
            std::string::npos);
  EXPECT_NE(ErrorLine(Build(snapshot + " IGNORE NULL UPDATES;\n")).find("takes no IGNORE NULL"),
            std::string::npos);
  ASSERT_TRUE(Build(snapshot + " STORED AS SCD TYPE 2 TRACK HISTORY ON name;\n").ok());
}

TEST(GraphAutoCdcTest, KeysAndScdTypeChecksApplyToFlowsFromAnyFrontEnd) {
  auto script = sql::ParseScript(std::string(kCdcSources) +
                                     "CREATE STREAMING TABLE t;\n"
                                     "CREATE FLOW f AS AUTO CDC INTO t FROM STREAM(raw) KEYS (id) "
                                     "SEQUENCE BY ts",
                                 "/p/a.sql");
  ASSERT_TRUE(script.ok()) << script.status().ToString();
  auto build = [&](void (*edit)(sql::AutoCdc&)) {
    std::vector<sql::Script> scripts = {*script};
    edit(*std::get<sql::FlowStatement>(scripts[0].statements[3]).cdc);
    return BuildGraph(std::move(scripts), Settings());
  };
  EXPECT_EQ(ErrorLine(build([](sql::AutoCdc& cdc) {
              cdc.keys.clear();
              cdc.key_locations.clear();
            })),
            "/p/a.sql:4:18: AUTO CDC flow 'f' needs KEYS (the columns that identify a row)");
  EXPECT_EQ(ErrorLine(build([](sql::AutoCdc& cdc) { cdc.scd_type = 3; })),
            "/p/a.sql:4:18: AUTO CDC flow 'f' is stored as SCD type 3; the types are 1 and 2");
  EXPECT_TRUE(build([](sql::AutoCdc&) {}).ok());
}

TEST(GraphAutoCdcTest, DeclaredColumnsOfTheTarget) {
  const std::string flow =
      "CREATE FLOW f AS AUTO CDC INTO t FROM STREAM(raw) KEYS (id, nme) SEQUENCE BY ts";
  EXPECT_EQ(ErrorLine(Build(std::string(kCdcSources) +
                            "CREATE STREAMING TABLE t (id BIGINT, name STRING);\n" + flow + ";\n")),
            "/p/a.sql:4:61: key 'nme' is not a declared column of 't' (id, name); did you mean "
            "'name'?");
  const std::string scd2 =
      "CREATE FLOW f AS AUTO CDC INTO t FROM STREAM(raw) KEYS (id) "
      "SEQUENCE BY ts STORED AS SCD TYPE 2;\n";
  auto missing =
      Build(std::string(kCdcSources) +
            "CREATE STREAMING TABLE t (id BIGINT, name STRING, __start_at BIGINT);\n" + scd2);
  EXPECT_EQ(ErrorLine(missing),
            "/p/a.sql:3:24: 't' declares its columns and is stored as SCD type 2 by flow 'f', so "
            "it must also declare __END_AT (typed like the SEQUENCE BY value: each version's "
            "validity range)");
  EXPECT_NE(
      ErrorLine(Build(std::string(kCdcSources) + "CREATE STREAMING TABLE t (id BIGINT);\n" + scd2))
          .find("must also declare __START_AT and __END_AT"),
      std::string::npos);
  EXPECT_TRUE(Build(std::string(kCdcSources) +
                    "CREATE STREAMING TABLE t (id BIGINT, __START_AT BIGINT, __END_AT BIGINT);\n" +
                    scd2)
                  .ok());
  // Without declared columns the target takes the source's (plus __START_AT/__END_AT).
  EXPECT_TRUE(Build(std::string(kCdcSources) + "CREATE STREAMING TABLE t;\n" + scd2).ok());
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
