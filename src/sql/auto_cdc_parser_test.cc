#include <gtest/gtest.h>

#include "sql/parser.h"

namespace sluice::sql {
namespace {

using Names = std::vector<std::string>;

Script MustParse(const std::string& text) {
  auto script = ParseScript(text, "f.sql");
  EXPECT_TRUE(script.ok()) << script.status().ToString();
  return script.ok() ? *script : Script{};
}

const FlowStatement& FlowAt(const Script& script, size_t i) {
  return std::get<FlowStatement>(script.statements.at(i));
}

// The one flow of `text`, which must parse.
FlowStatement OnlyFlow(const std::string& text) {
  Script script = MustParse(text);
  EXPECT_EQ(script.statements.size(), 1u) << text;
  if (script.statements.size() != 1 || !std::holds_alternative<FlowStatement>(script.statements[0]))
    return FlowStatement{};
  FlowStatement flow = FlowAt(script, 0);
  EXPECT_TRUE(flow.cdc.has_value()) << text;
  return flow;
}

std::string SourceText(const FlowStatement& flow) {
  const Reference& r = flow.query.references.at(0);
  return flow.query.text.substr(r.begin, r.end - r.begin);
}

std::string ErrorOf(const std::string& text) {
  auto script = ParseScript(text, "f.sql");
  EXPECT_FALSE(script.ok()) << text;
  return script.ok() ? "" : script.status().message();
}

TEST(AutoCdcParserTest, CreateFlowWithEveryClause) {
  const FlowStatement flow = OnlyFlow(
      "CREATE FLOW users_cdc COMMENT 'from the CDC feed' AS AUTO CDC INTO users\n"
      "FROM STREAM(users_raw)\n"
      "KEYS (id, `region id`)\n"
      "IGNORE NULL UPDATES ON (name, email)\n"
      "APPLY AS DELETE WHEN op = 'DELETE'\n"
      "APPLY AS TRUNCATE WHEN op = 'TRUNCATE'\n"
      "SEQUENCE BY ts\n"
      "COLUMNS * EXCEPT (op, ts)\n"
      "STORED AS SCD TYPE 1");
  EXPECT_EQ(flow.name, "users_cdc");
  EXPECT_EQ(flow.target, "users");
  EXPECT_EQ(flow.comment, "from the CDC feed");
  EXPECT_FALSE(flow.once);
  EXPECT_EQ(flow.location.line, 1);
  EXPECT_EQ(flow.location.column, 13);
  const AutoCdc& cdc = *flow.cdc;
  EXPECT_EQ(cdc.target, "users");
  EXPECT_EQ(cdc.target_location.column, 68);
  EXPECT_EQ(cdc.location.column, 54);
  EXPECT_FALSE(cdc.from_snapshot);
  EXPECT_EQ(cdc.keys, (Names{"id", "region id"}));
  ASSERT_EQ(cdc.key_locations.size(), 2u);
  EXPECT_EQ(cdc.key_locations[1].line, 3);
  EXPECT_EQ(cdc.key_locations[1].column, 11);
  EXPECT_EQ(cdc.keys_location.line, 3);
  EXPECT_EQ(cdc.keys_location.column, 1);
  EXPECT_TRUE(cdc.ignore_null_updates);
  ASSERT_TRUE(cdc.ignore_null_updates_on);
  EXPECT_EQ(cdc.ignore_null_updates_on->names, (Names{"name", "email"}));
  EXPECT_FALSE(cdc.ignore_null_updates_on->except);
  ASSERT_TRUE(cdc.delete_condition);
  EXPECT_EQ(cdc.delete_condition->text, "op = 'DELETE'");
  EXPECT_EQ(cdc.delete_condition->location.line, 5);
  EXPECT_EQ(cdc.delete_condition->location.column, 22);
  ASSERT_TRUE(cdc.truncate_condition);
  EXPECT_EQ(cdc.truncate_condition->text, "op = 'TRUNCATE'");
  ASSERT_TRUE(cdc.sequence_by);
  EXPECT_EQ(cdc.sequence_by->text, "ts");
  EXPECT_EQ(cdc.sequence_by->location.line, 7);
  EXPECT_EQ(cdc.sequence_by->location.column, 13);
  ASSERT_TRUE(cdc.columns);
  EXPECT_TRUE(cdc.columns->except);
  EXPECT_EQ(cdc.columns->names, (Names{"op", "ts"}));
  EXPECT_EQ(cdc.columns->location.column, 9);
  EXPECT_EQ(cdc.scd_type, 1);
  ASSERT_TRUE(cdc.stored_as_location);
  EXPECT_EQ(cdc.stored_as_location->line, 9);
  EXPECT_FALSE(cdc.track_history);

  // The source as a query of its own, resolved like any other query's references.
  EXPECT_EQ(flow.query.text, "SELECT * FROM STREAM(users_raw)");
  ASSERT_EQ(flow.query.references.size(), 1u);
  const Reference& source = flow.query.references[0];
  EXPECT_EQ(source.kind, ReferenceKind::kDataset);
  EXPECT_EQ(source.name, "users_raw");
  EXPECT_EQ(source.qualifier, "");
  EXPECT_TRUE(source.streaming);
  EXPECT_EQ(source.begin, 14u);
  EXPECT_EQ(source.end, 31u);
  EXPECT_EQ(source.location.line, 2);
  EXPECT_EQ(source.location.column, 13);
  EXPECT_EQ(source.location.line_text, "FROM STREAM(users_raw)");
  EXPECT_EQ(flow.query.location.line, 2);
  EXPECT_EQ(flow.query.location.column, 6);
}

TEST(AutoCdcParserTest, DefaultsWithoutOptionalClauses) {
  const FlowStatement flow =
      OnlyFlow("CREATE FLOW f AS AUTO CDC INTO t FROM STREAM(s) KEYS (id) SEQUENCE BY v");
  const AutoCdc& cdc = *flow.cdc;
  EXPECT_EQ(cdc.keys, (Names{"id"}));
  EXPECT_FALSE(cdc.ignore_null_updates);
  EXPECT_FALSE(cdc.ignore_null_updates_on);
  EXPECT_FALSE(cdc.delete_condition);
  EXPECT_FALSE(cdc.truncate_condition);
  EXPECT_EQ(cdc.sequence_by->text, "v");
  EXPECT_FALSE(cdc.columns);
  EXPECT_EQ(cdc.scd_type, 1);
  EXPECT_FALSE(cdc.stored_as_location);
  EXPECT_FALSE(cdc.track_history);
}

TEST(AutoCdcParserTest, ClausesInAnyOrderLowercaseWithComments) {
  const FlowStatement flow = OnlyFlow(
      "create flow f as auto cdc into t from stream(s) keys (id)\n"
      "  stored as scd type 2 -- history\n"
      "  track history on * except (updated_at)\n"
      "  /* the order of the feed */ sequence by struct(ts, seq)\n"
      "  columns id, name, updated_at\n"
      "  apply as delete when operation = \"DELETE\"\n"
      "  ignore null updates");
  const AutoCdc& cdc = *flow.cdc;
  EXPECT_EQ(cdc.scd_type, 2);
  ASSERT_TRUE(cdc.track_history);
  EXPECT_TRUE(cdc.track_history->except);
  EXPECT_EQ(cdc.track_history->names, (Names{"updated_at"}));
  EXPECT_EQ(cdc.sequence_by->text, "struct(ts, seq)");
  EXPECT_EQ(cdc.sequence_by->location.line, 4);
  EXPECT_EQ(cdc.sequence_by->location.column, 43);
  ASSERT_TRUE(cdc.columns);
  EXPECT_FALSE(cdc.columns->except);
  EXPECT_EQ(cdc.columns->names, (Names{"id", "name", "updated_at"}));
  EXPECT_EQ(cdc.delete_condition->text, "operation = \"DELETE\"");
  EXPECT_TRUE(cdc.ignore_null_updates);
  EXPECT_FALSE(cdc.ignore_null_updates_on);
}

TEST(AutoCdcParserTest, ExpressionsKeepTheirTextAcrossLinesAndKeywords) {
  const FlowStatement flow = OnlyFlow(
      "CREATE FLOW f AS AUTO CDC INTO t FROM STREAM(s) KEYS (id)\n"
      "APPLY AS DELETE WHEN op IN ('D', 'X') AND NOT (deleted IS NULL)\n"
      "  OR CASE WHEN kind = 1 THEN true ELSE false END\n"
      "SEQUENCE BY ts + INTERVAL 1 DAY\n"
      "IGNORE NULL UPDATES ON * EXCEPT (name)");
  const AutoCdc& cdc = *flow.cdc;
  EXPECT_EQ(cdc.delete_condition->text,
            "op IN ('D', 'X') AND NOT (deleted IS NULL)\n"
            "  OR CASE WHEN kind = 1 THEN true ELSE false END");
  EXPECT_EQ(cdc.sequence_by->text, "ts + INTERVAL 1 DAY");
  EXPECT_TRUE(cdc.ignore_null_updates_on->except);
  EXPECT_EQ(cdc.ignore_null_updates_on->names, (Names{"name"}));
}

TEST(AutoCdcParserTest, SourceSpellings) {
  struct Case {
    std::string source;
    std::string name;
    std::string qualifier;
    bool streaming;
    ReferenceKind kind;
  };
  const std::vector<Case> cases = {
      {"STREAM(src)", "src", "", true, ReferenceKind::kDataset},
      {"STREAM src", "src", "", true, ReferenceKind::kDataset},
      {"STREAM(LIVE.src)", "src", "LIVE", true, ReferenceKind::kDataset},
      {"stream( cat.sch.src )", "src", "cat.sch", true, ReferenceKind::kDataset},
      {"LIVE.src", "src", "LIVE", false, ReferenceKind::kDataset},
      {"src", "src", "", false, ReferenceKind::kDataset},
      {"STREAM(delta.`/data/feed`)", "/data/feed", "", true, ReferenceKind::kDeltaPath},
      {"STREAM(src) WITH (skipChangeCommits = true)", "src", "", true, ReferenceKind::kDataset},
  };
  for (const Case& c : cases) {
    const FlowStatement flow =
        OnlyFlow("CREATE FLOW f AS AUTO CDC INTO t FROM " + c.source + " KEYS (id) SEQUENCE BY ts");
    ASSERT_EQ(flow.query.references.size(), 1u) << c.source;
    const Reference& r = flow.query.references[0];
    EXPECT_EQ(flow.query.text, "SELECT * FROM " + c.source);
    EXPECT_EQ(SourceText(flow), c.source);
    EXPECT_EQ(r.name, c.name) << c.source;
    EXPECT_EQ(r.qualifier, c.qualifier) << c.source;
    EXPECT_EQ(r.streaming, c.streaming) << c.source;
    EXPECT_EQ(r.kind, c.kind) << c.source;
    EXPECT_FALSE(flow.cdc->from_snapshot);
  }
  const FlowStatement with_options = OnlyFlow(
      "CREATE FLOW f AS AUTO CDC INTO t FROM STREAM(src) WITH (skipChangeCommits = true) "
      "KEYS (id) SEQUENCE BY ts");
  EXPECT_EQ(with_options.query.references[0].options.at("skipChangeCommits"), "true");

  // A comment inside the source stays in the synthesized text; offsets still line up.
  const FlowStatement commented = OnlyFlow(
      "CREATE FLOW f AS AUTO CDC INTO t FROM STREAM(/* feed */ src)\nKEYS (id) SEQUENCE BY ts");
  EXPECT_EQ(commented.query.text, "SELECT * FROM STREAM(/* feed */ src)");
  EXPECT_EQ(SourceText(commented), "STREAM(/* feed */ src)");
  EXPECT_EQ(commented.query.references[0].location.column, 57);
}

TEST(AutoCdcParserTest, LegacyApplyChanges) {
  Script script = MustParse(
      "CREATE FLOW f AS APPLY CHANGES INTO LIVE.t FROM STREAM(LIVE.s) KEYS (id) SEQUENCE BY ts;\n"
      "APPLY CHANGES INTO LIVE.customers\n"
      "FROM STREAM(LIVE.customers_raw)\n"
      "KEYS (customer_id)\n"
      "APPLY AS DELETE WHEN operation = 'DELETE'\n"
      "SEQUENCE BY sequence_num\n"
      "COLUMNS * EXCEPT (operation, sequence_num)\n"
      "STORED AS SCD TYPE 2;");
  ASSERT_EQ(script.statements.size(), 2u);
  const FlowStatement& named = FlowAt(script, 0);
  EXPECT_EQ(named.name, "f");
  EXPECT_EQ(named.target, "t");
  EXPECT_EQ(named.cdc->location.column, 18);
  EXPECT_EQ(named.query.text, "SELECT * FROM STREAM(LIVE.s)");
  EXPECT_EQ(named.query.references[0].qualifier, "LIVE");

  const FlowStatement& standalone = FlowAt(script, 1);
  EXPECT_EQ(standalone.name, "customers");
  EXPECT_EQ(standalone.target, "customers");
  EXPECT_FALSE(standalone.comment);
  EXPECT_EQ(standalone.location.line, 2);
  EXPECT_EQ(standalone.location.column, 25);
  ASSERT_TRUE(standalone.cdc);
  EXPECT_EQ(standalone.cdc->location.line, 2);
  EXPECT_EQ(standalone.cdc->location.column, 1);
  EXPECT_EQ(standalone.cdc->keys, (Names{"customer_id"}));
  EXPECT_EQ(standalone.cdc->scd_type, 2);
  EXPECT_EQ(standalone.cdc->delete_condition->text, "operation = 'DELETE'");
  EXPECT_EQ(standalone.cdc->columns->names, (Names{"operation", "sequence_num"}));
  EXPECT_EQ(standalone.query.text, "SELECT * FROM STREAM(LIVE.customers_raw)");
  EXPECT_EQ(standalone.query.references[0].name, "customers_raw");
  EXPECT_TRUE(standalone.query.references[0].streaming);
}

TEST(AutoCdcParserTest, StreamingTableWithFlowClause) {
  Script script = MustParse(
      "CREATE OR REFRESH STREAMING TABLE customers (\n"
      "  id BIGINT NOT NULL, name STRING, __START_AT BIGINT, __END_AT BIGINT,\n"
      "  CONSTRAINT has_name EXPECT (name IS NOT NULL)\n"
      ") COMMENT 'current customers' TBLPROPERTIES (pipelines.channel = 'PREVIEW')\n"
      "FLOW AUTO CDC\n"
      "FROM STREAM(customers_cdc)\n"
      "KEYS (id)\n"
      "SEQUENCE BY version\n"
      "STORED AS SCD TYPE 2;\n"
      "CREATE STREAMING TABLE after_it AS SELECT * FROM STREAM(customers)");
  ASSERT_EQ(script.statements.size(), 3u);
  const auto& table = std::get<DatasetStatement>(script.statements[0]);
  EXPECT_EQ(table.name, "customers");
  EXPECT_EQ(table.kind, DatasetKind::kStreamingTable);
  EXPECT_FALSE(table.query);
  EXPECT_EQ(table.columns.size(), 4u);
  EXPECT_EQ(table.expectations.size(), 1u);
  EXPECT_EQ(table.comment, "current customers");
  EXPECT_EQ(table.properties.at("pipelines.channel"), "PREVIEW");
  const FlowStatement& flow = FlowAt(script, 1);
  EXPECT_EQ(flow.name, "customers");
  EXPECT_EQ(flow.target, "customers");
  EXPECT_EQ(flow.location.line, 1);
  EXPECT_EQ(flow.location.column, 35);
  ASSERT_TRUE(flow.cdc);
  EXPECT_EQ(flow.cdc->target, "customers");
  EXPECT_EQ(flow.cdc->target_location.column, 35);
  EXPECT_EQ(flow.cdc->location.line, 5);
  EXPECT_EQ(flow.cdc->location.column, 6);
  EXPECT_EQ(flow.cdc->keys, (Names{"id"}));
  EXPECT_EQ(flow.cdc->sequence_by->text, "version");
  EXPECT_EQ(flow.cdc->scd_type, 2);
  EXPECT_EQ(flow.query.text, "SELECT * FROM STREAM(customers_cdc)");
  EXPECT_EQ(std::get<DatasetStatement>(script.statements[2]).name, "after_it");
}

TEST(AutoCdcParserTest, FromSnapshot) {
  Script script = MustParse(
      "CREATE FLOW f AS AUTO CDC INTO t FROM SNAPSHOT LIVE.daily KEYS (id)\n"
      "  STORED AS SCD TYPE 2 TRACK HISTORY ON name, email;\n"
      "CREATE STREAMING TABLE s FLOW AUTO CDC FROM SNAPSHOT daily KEYS (id);\n"
      "CREATE FLOW g AS AUTO CDC INTO t FROM snapshot KEYS (id) SEQUENCE BY ts;\n");
  ASSERT_EQ(script.statements.size(), 4u);
  const FlowStatement& f = FlowAt(script, 0);
  EXPECT_TRUE(f.cdc->from_snapshot);
  EXPECT_FALSE(f.cdc->sequence_by);
  EXPECT_EQ(f.cdc->scd_type, 2);
  EXPECT_EQ(f.cdc->track_history->names, (Names{"name", "email"}));
  EXPECT_FALSE(f.cdc->track_history->except);
  EXPECT_EQ(f.query.text, "SELECT * FROM LIVE.daily");
  EXPECT_EQ(f.query.references[0].name, "daily");
  EXPECT_FALSE(f.query.references[0].streaming);
  EXPECT_EQ(SourceText(f), "LIVE.daily");

  const FlowStatement& s = FlowAt(script, 2);
  EXPECT_EQ(s.name, "s");
  EXPECT_TRUE(s.cdc->from_snapshot);
  EXPECT_EQ(s.query.text, "SELECT * FROM daily");

  // `snapshot` before KEYS is a dataset's name.
  const FlowStatement& g = FlowAt(script, 3);
  EXPECT_FALSE(g.cdc->from_snapshot);
  EXPECT_EQ(g.query.references[0].name, "snapshot");
}

TEST(AutoCdcParserTest, SyntaxErrorsPointAtTheirToken) {
  const std::string head = "CREATE FLOW f AS AUTO CDC INTO t FROM STREAM(s) KEYS (id) ";  // 58
  // An unknown clause, after a list clause and after an expression.
  std::string message = ErrorOf(head + "SEQUENCE BY ts STORE AS SCD TYPE 2");
  EXPECT_EQ(message.substr(0, message.find('\n')),
            "f.sql:1:74: expected an AUTO CDC clause (IGNORE NULL UPDATES, APPLY AS DELETE WHEN, "
            "APPLY AS TRUNCATE WHEN, SEQUENCE BY, COLUMNS, STORED AS or TRACK HISTORY ON) but "
            "found 'STORE'");
  EXPECT_NE(message.find("\n  " + head + "SEQUENCE BY ts STORE AS SCD TYPE 2\n" +
                         std::string(2 + 73, ' ') + "^"),
            std::string::npos)
      << message;
  message = ErrorOf(head + "SEQUENCE BY ts\nPARTITION BY x");
  EXPECT_EQ(message.substr(0, message.find(" but found")),
            "f.sql:2:1: expected an AUTO CDC clause (IGNORE NULL UPDATES, APPLY AS DELETE WHEN, "
            "APPLY AS TRUNCATE WHEN, SEQUENCE BY, COLUMNS, STORED AS or TRACK HISTORY ON)");
  message = ErrorOf(head + "STORED AS SCD TYPE 2 WHATEVER");
  EXPECT_NE(message.find("f.sql:1:80: expected an AUTO CDC clause"), std::string::npos) << message;

  // Duplicate clauses.
  EXPECT_NE(
      ErrorOf(head + "SEQUENCE BY a SEQUENCE BY b").find("f.sql:1:73: SEQUENCE BY is given twice"),
      std::string::npos);
  EXPECT_NE(ErrorOf(head + "SEQUENCE BY a APPLY AS DELETE WHEN x APPLY AS DELETE WHEN y")
                .find("f.sql:1:96: APPLY AS DELETE is given twice"),
            std::string::npos);
  EXPECT_NE(ErrorOf(head + "STORED AS SCD TYPE 1 STORED AS SCD TYPE 2")
                .find("f.sql:1:80: STORED AS is given twice"),
            std::string::npos);
  EXPECT_NE(ErrorOf(head + "KEYS (x)").find("f.sql:1:59: KEYS is given twice"), std::string::npos);
  for (const char* twice : {"IGNORE NULL UPDATES IGNORE NULL UPDATES", "COLUMNS a COLUMNS b",
                            "TRACK HISTORY ON a TRACK HISTORY ON b",
                            "APPLY AS TRUNCATE WHEN a APPLY AS TRUNCATE WHEN b"}) {
    EXPECT_NE(ErrorOf(head + twice).find("is given twice"), std::string::npos) << twice;
  }

  // Missing or malformed parts.
  EXPECT_NE(ErrorOf("CREATE FLOW f AS AUTO CDC INTO t FROM STREAM(s) SEQUENCE BY ts")
                .find("f.sql:1:49: expected KEYS but found 'SEQUENCE'"),
            std::string::npos);
  EXPECT_NE(ErrorOf("CREATE FLOW f AS AUTO CDC INTO t FROM STREAM(s) KEYS () SEQUENCE BY ts")
                .find("f.sql:1:55: expected a column name but found ')'"),
            std::string::npos);
  EXPECT_NE(ErrorOf("CREATE FLOW f AS AUTO CDC t FROM STREAM(s) KEYS (id)")
                .find("f.sql:1:27: expected INTO but found 't'"),
            std::string::npos);
  EXPECT_NE(ErrorOf("CREATE FLOW f AS AUTO CDC INTO t KEYS (id)")
                .find("f.sql:1:34: expected FROM but found 'KEYS'"),
            std::string::npos);
  EXPECT_NE(ErrorOf("CREATE FLOW f AS AUTO CDC INTO t FROM KEYS (id)")
                .find("f.sql:1:39: expected the source: a dataset name, STREAM(name) or "
                      "delta.`/path` but found 'KEYS'"),
            std::string::npos);
  EXPECT_NE(ErrorOf("CREATE FLOW f AS AUTO CDC INTO t FROM STREAM(s KEYS (id)")
                .find("expected ')' to close STREAM("),
            std::string::npos);
  EXPECT_NE(ErrorOf(head + "SEQUENCE BY")
                .find("f.sql:1:70: expected an expression after "
                      "SEQUENCE BY but found the end of the statement"),
            std::string::npos);
  EXPECT_NE(ErrorOf(head + "SEQUENCE BY STORED AS SCD TYPE 1")
                .find("f.sql:1:71: expected an expression after SEQUENCE BY but found 'STORED'"),
            std::string::npos);
  EXPECT_NE(ErrorOf(head + "APPLY AS UPSERT WHEN x")
                .find("f.sql:1:68: expected DELETE or TRUNCATE but found 'UPSERT'"),
            std::string::npos);
  EXPECT_NE(
      ErrorOf(head + "STORED AS SCD TYPE 3").find("f.sql:1:78: expected 1 or 2 but found '3'"),
      std::string::npos);
  EXPECT_NE(ErrorOf(head + "TRACK HISTORY name").find("expected ON but found 'name'"),
            std::string::npos);
  EXPECT_NE(ErrorOf(head + "COLUMNS * (a)").find("expected EXCEPT but found '('"),
            std::string::npos);
  EXPECT_NE(ErrorOf("CREATE FLOW f AS AUTO CDC INTO t FROM STREAM read_files('x') KEYS (id)")
                .find("f.sql:1:39: an AUTO CDC source is a dataset or delta.`/path`, not "
                      "read_files(...)"),
            std::string::npos);
  EXPECT_NE(ErrorOf("CREATE FLOW f AS MERGE INTO t")
                .find("f.sql:1:18: expected INSERT INTO, "
                      "AUTO CDC or APPLY CHANGES but found "
                      "'MERGE'"),
            std::string::npos);
}

TEST(AutoCdcParserTest, StreamingTableFlowClauseErrors) {
  EXPECT_NE(ErrorOf("CREATE STREAMING TABLE t FLOW AUTO CDC INTO t FROM STREAM(s) KEYS (id)")
                .find("f.sql:1:40: expected FROM but found 'INTO'"),
            std::string::npos);
  EXPECT_NE(ErrorOf("CREATE MATERIALIZED VIEW m FLOW AUTO CDC FROM s KEYS (id)")
                .find("f.sql:1:28: FLOW AUTO CDC is only for streaming tables"),
            std::string::npos);
  auto insert = ParseScript("CREATE STREAMING TABLE t FLOW INSERT BY NAME SELECT 1", "f.sql");
  ASSERT_FALSE(insert.ok());
  EXPECT_EQ(insert.status().code(), StatusCode::kNotSupported);
}

TEST(AutoCdcParserTest, UnsupportedFormsSaySo) {
  const std::string head = "CREATE FLOW f AS AUTO CDC INTO t FROM STREAM(s) KEYS (id) ";
  struct Case {
    std::string text;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"CREATE FLOW f AS AUTO CDC ONCE INTO t FROM s KEYS (id)",
       "f.sql:1:27: AUTO CDC ONCE is not supported"},
      {head + "SEQUENCE BY a SYSTEM SEQUENCE BY b",
       "f.sql:1:73: SYSTEM SEQUENCE BY is not supported"},
      {head + "SEQUENCE BY a STORED AS BITEMPORAL",
       "f.sql:1:83: STORED AS BITEMPORAL is not supported"},
      {head + "SEQUENCE BY a COLUMNS TO UPDATE c",
       "f.sql:1:73: COLUMNS TO UPDATE is not supported"},
  };
  for (const Case& c : cases) {
    auto script = ParseScript(c.text, "f.sql");
    ASSERT_FALSE(script.ok()) << c.text;
    EXPECT_EQ(script.status().code(), StatusCode::kNotSupported) << c.text;
    EXPECT_NE(script.status().message().find(c.message), std::string::npos)
        << script.status().message();
  }
}

TEST(AutoCdcParserTest, RandomClausesNeverCrash) {
  const std::vector<std::string> words = {
      "KEYS",   "(",       ")",       ",",        "SEQUENCE", "BY",       "APPLY",   "AS",
      "DELETE", "WHEN",    "x",       "=",        "'a'",      "STORED",   "SCD",     "TYPE",
      "2",      "TRACK",   "HISTORY", "ON",       "*",        "EXCEPT",   "COLUMNS", "IGNORE",
      "NULL",   "UPDATES", "STREAM",  "SNAPSHOT", "FROM",     "TRUNCATE", "--c\n",   "struct"};
  uint64_t state = 42;
  for (int i = 0; i < 3000; ++i) {
    std::string text = "CREATE FLOW f AS AUTO CDC INTO t FROM ";
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    const int length = static_cast<int>((state >> 33) % 25);
    for (int k = 0; k < length; ++k) {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      text += words[(state >> 33) % words.size()] + " ";
    }
    (void)ParseScript(text, "fuzz.sql");
    (void)ParseScript("APPLY CHANGES INTO t FROM " + text.substr(38), "fuzz.sql");
  }
}

}  // namespace
}  // namespace sluice::sql
