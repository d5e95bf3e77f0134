// The web UI's JSON API (docs/ui.md) over HTTP, on a pipeline with a successful update and
// a failed one: each endpoint's numbers are checked against the event log and the tables as
// the public API reads them, and the refusals (unknown names, bad ids, other hosts, actions
// without the token or from another origin) against the documented statuses.
#include "ui/ui_server.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "sluice/pipeline.h"
#include "support/temp_dir.h"

namespace sluice::ui {
namespace {

using nlohmann::json;

const char* kPipeline = R"(CREATE STREAMING TABLE orders (
  CONSTRAINT positive_amount EXPECT (amount > 0) ON VIOLATION DROP ROW,
  CONSTRAINT known_status EXPECT (status IN ('new', 'paid'))
) COMMENT 'Orders as they arrive' AS
SELECT * FROM STREAM read_files('data', format => 'json',
  schema => 'id BIGINT, amount DOUBLE, status STRING');

CREATE MATERIALIZED VIEW revenue (
  CONSTRAINT small EXPECT (total < 1000) ON VIOLATION FAIL UPDATE
) AS SELECT status, sum(amount) AS total FROM orders GROUP BY status;
)";

class UiServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::WriteTextFile(dir_.Child("shop/pipeline.yml"), "name: shop\n");
    testing::WriteTextFile(dir_.Child("shop/p.sql"), kPipeline);
    // Update 1: 3 orders, one dropped (amount), one warned (status); revenue succeeds.
    testing::WriteTextFile(dir_.Child("shop/data/0.json"),
                           "{\"id\":1,\"amount\":10,\"status\":\"new\"}\n"
                           "{\"id\":2,\"amount\":-1,\"status\":\"paid\"}\n"
                           "{\"id\":3,\"amount\":5,\"status\":\"odd\"}\n");
    RunUpdate("COMPLETED");
    // Update 2: a large order makes revenue fail its expectation.
    testing::WriteTextFile(dir_.Child("shop/data/1.json"),
                           "{\"id\":4,\"amount\":2000,\"status\":\"paid\"}\n");
    RunUpdate("FAILED");
    testing::WriteTextFile(dir_.Child("assets/index.html"), "<title>sluice</title>\n");
    UiOptions options;
    options.path = dir_.Child("shop");
    options.port = 0;
    options.assets_dir = dir_.Child("assets");
    auto server = UiServer::Start(options);
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(*server);
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
  }

  void RunUpdate(const std::string& state) {
    auto pipeline = Pipeline::Open(dir_.Child("shop"));
    ASSERT_TRUE(pipeline.ok()) << pipeline.status().ToString();
    auto report = (*pipeline)->Run();
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    ASSERT_EQ(report->state, state);
  }

  // The body of a GET, which must answer `status`.
  json Get(const std::string& path, int status = 200) {
    auto res = client_->Get(path.c_str());
    EXPECT_TRUE(res) << path;
    if (!res) return nullptr;
    EXPECT_EQ(res->status, status) << path << ": " << res->body;
    return json::parse(res->body, nullptr, false);
  }

  // A value of the event log, through the public API.
  std::string Scalar(const std::string& sql) {
    auto pipeline = Pipeline::Open(dir_.Child("shop"));
    EXPECT_TRUE(pipeline.ok());
    auto rows = (*pipeline)->Query(sql);
    EXPECT_TRUE(rows.ok()) << sql << ": " << rows.status().ToString();
    if (!rows.ok() || rows->rows.empty()) return "";
    return rows->rows[0][0].ToString();
  }

  std::vector<std::string> UpdateIds() {
    std::vector<std::string> ids;
    const json updates = Get("/api/pipelines/shop/updates");
    for (const json& update : updates["updates"]) {
      ids.push_back(update["update_id"].get<std::string>());
    }
    return ids;
  }

  testing::TempDir dir_;
  std::unique_ptr<UiServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

const json* FindByName(const json& list, const std::string& name) {
  for (const json& item : list) {
    if (item.value("name", std::string()) == name) return &item;
  }
  return nullptr;
}

TEST_F(UiServerTest, ListsThePipelineAndServesThePages) {
  const json list = Get("/api/pipelines");
  ASSERT_EQ(list["pipelines"].size(), 1u);
  EXPECT_EQ(list["pipelines"][0]["id"], "shop");
  EXPECT_EQ(list["pipelines"][0]["running"], false);
  EXPECT_EQ(list["token"], server_->token());
  EXPECT_EQ(server_->token().size(), 32u);
  auto page = client_->Get("/index.html");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("<title>sluice</title>"), std::string::npos);
}

TEST_F(UiServerTest, GraphShowsEachDatasetInTheChosenUpdate) {
  const json graph = Get("/api/pipelines/shop/graph");
  const std::vector<std::string> ids = UpdateIds();
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_EQ(graph["update_id"], ids[0]);  // the latest
  const json& datasets = graph["datasets"];
  ASSERT_EQ(datasets.size(), 3u);  // the data folder, orders, revenue
  EXPECT_EQ(datasets[0]["type"], "EXTERNAL");
  const json* orders = FindByName(datasets, "orders");
  const json* revenue = FindByName(datasets, "revenue");
  ASSERT_TRUE(orders && revenue);
  EXPECT_EQ((*orders)["type"], "STREAMING_TABLE");
  EXPECT_EQ((*orders)["state"], "COMPLETED");
  EXPECT_EQ((*orders)["output_rows"], 1);
  EXPECT_EQ((*revenue)["state"], "FAILED");
  EXPECT_NE((*revenue)["error"].get<std::string>().find("'small'"), std::string::npos);
  EXPECT_EQ((*revenue)["line"], 8);
  EXPECT_EQ(graph["edges"].size(), 2u);
  // The first update: both completed; orders dropped one row and one expectation failed.
  const json first = Get("/api/pipelines/shop/graph?update=" + ids[1]);
  orders = FindByName(first["datasets"], "orders");
  revenue = FindByName(first["datasets"], "revenue");
  EXPECT_EQ((*orders)["output_rows"], 2);
  EXPECT_EQ((*orders)["dropped_records"], 1);
  EXPECT_EQ((*orders)["failed_expectations"], 2);
  EXPECT_EQ((*revenue)["state"], "COMPLETED");
  EXPECT_EQ((*revenue)["output_rows"], 2);
}

TEST_F(UiServerTest, UpdatesAndTheirFlowsMatchTheEventLog) {
  const json updates = Get("/api/pipelines/shop/updates")["updates"];
  ASSERT_EQ(updates.size(), 2u);
  EXPECT_EQ(updates[0]["state"], "FAILED");
  EXPECT_EQ(updates[1]["state"], "COMPLETED");
  EXPECT_EQ(updates[0]["failed_flows"], 1);
  EXPECT_EQ(updates[1]["flows"], 2);
  const std::string id = updates[1]["update_id"];
  const std::string rows = Scalar(
      "SELECT sum(CAST(details:flow_progress.metrics.num_output_rows AS BIGINT)) FROM event_log "
      "WHERE event_type = 'flow_progress' AND details:flow_progress.status = 'COMPLETED' AND "
      "origin.update_id = '" +
      id + "'");
  EXPECT_EQ(std::to_string(updates[1]["output_rows"].get<int64_t>()), rows);
  EXPECT_EQ(Get("/api/pipelines/shop/updates?limit=1")["updates"].size(), 1u);

  const json failed =
      Get("/api/pipelines/shop/updates/" + updates[0]["update_id"].get<std::string>());
  ASSERT_EQ(failed["flows"].size(), 2u);
  const json* revenue = FindByName(failed["flows"], "revenue");
  ASSERT_TRUE(revenue);
  EXPECT_EQ((*revenue)["state"], "FAILED");
  EXPECT_EQ((*revenue)["line"], 8);
  EXPECT_NE((*revenue)["file"].get<std::string>().find("p.sql"), std::string::npos);
  EXPECT_NE((*revenue)["error"].get<std::string>().find("EXPECTATION_VIOLATION"),
            std::string::npos);
  EXPECT_GE((*revenue)["end"].get<std::string>(), (*revenue)["start"].get<std::string>());
  EXPECT_FALSE(failed["events"].empty());
  for (const json& event : failed["events"]) EXPECT_EQ(event["update_id"], failed["update_id"]);
}

TEST_F(UiServerTest, EventsAreFilteredAsAsked) {
  const std::string id = UpdateIds()[0];
  const json events = Get("/api/pipelines/shop/events?update=" + id +
                          "&type=flow_progress&flow=revenue&level=ERROR")["events"];
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["details"]["flow_progress"]["status"], "FAILED");
  EXPECT_FALSE(events[0]["error"].is_null());
  const std::string count = Scalar("SELECT count(*) FROM event_log");
  EXPECT_EQ(std::to_string(Get("/api/pipelines/shop/events")["events"].size()), count);
  const json last = Get("/api/pipelines/shop/events?limit=2")["events"];
  ASSERT_EQ(last.size(), 2u);
  EXPECT_LE(last[0]["timestamp"].get<std::string>(), last[1]["timestamp"].get<std::string>());
}

TEST_F(UiServerTest, QualityHasTheEventLogsCountsPerUpdate) {
  const json quality = Get("/api/pipelines/shop/quality")["expectations"];
  const std::vector<std::string> ids = UpdateIds();
  bool seen_drop = false, seen_warn = false;
  for (const json& e : quality) {
    ASSERT_EQ(e["dataset"], "orders");
    ASSERT_EQ(e["updates"].size(), 2u);
    const json& first = e["updates"][0];  // oldest first
    EXPECT_EQ(first["update_id"], ids[1]);
    EXPECT_EQ(first["passed_records"], 2);
    EXPECT_EQ(first["failed_records"], 1);
    if (e["name"] == "positive_amount") {
      seen_drop = true;
      EXPECT_EQ(e["action"], "drop");
      EXPECT_EQ(first["dropped_records"], 1);
    } else if (e["name"] == "known_status") {
      seen_warn = true;
      EXPECT_EQ(e["action"], "warn");
      EXPECT_EQ(first["dropped_records"], 0);
    }
    EXPECT_EQ(e["updates"][1]["passed_records"], 1);
  }
  EXPECT_TRUE(seen_drop && seen_warn);
}

TEST_F(UiServerTest, DatasetPageAndTimeTravel) {
  const json orders = Get("/api/pipelines/shop/datasets/orders");
  EXPECT_EQ(orders["comment"], "Orders as they arrive");
  ASSERT_EQ(orders["columns"].size(), 3u);
  EXPECT_EQ(orders["columns"][1]["name"], "amount");
  EXPECT_EQ(orders["columns"][1]["type"], "double");
  EXPECT_EQ(orders["version"], 1);
  EXPECT_EQ(orders["history"].size(), 2u);
  EXPECT_EQ(orders["history"][0]["metrics"]["numOutputRows"], "1");  // newest first
  EXPECT_EQ(orders["downstream"], json::array({"revenue"}));
  EXPECT_NE(orders["definition"].get<std::string>().find("read_files"), std::string::npos);
  // The statement as written in p.sql, from its first line to its ';'.
  const std::string sql = kPipeline;
  EXPECT_EQ(orders["source"], sql.substr(0, sql.find(";") + 1));
  EXPECT_EQ(orders["line"], 1);
  ASSERT_EQ(orders["checkpoints"].size(), 1u);
  EXPECT_EQ(orders["checkpoints"][0]["files"], 2);
  // Two batches (0 and 1) read the two files: checkpoint_offsets' numbers.
  EXPECT_EQ(orders["checkpoints"][0]["batch_id"], 1);
  ASSERT_EQ(orders["checkpoints"][0]["sources"].size(), 1u);
  EXPECT_EQ(orders["checkpoints"][0]["sources"][0]["type"], "files");
  EXPECT_EQ(orders["checkpoints"][0]["sources"][0]["files"], 2);
  EXPECT_EQ(orders["checkpoints"][0]["sources"][0]["files"],
            std::stoll(Scalar("SELECT files FROM checkpoint_offsets('orders')")));
  // Version 0 holds the first update's 2 rows, the latest 3.
  EXPECT_EQ(Get("/api/pipelines/shop/datasets/orders/rows?version=0")["rows"].size(), 2u);
  const json latest = Get("/api/pipelines/shop/datasets/orders/rows");
  EXPECT_EQ(latest["rows"].size(), 3u);
  EXPECT_EQ(latest["columns"], json::array({"id", "amount", "status"}));
}

TEST(UiServerPythonTest, DatasetPageShowsThePythonDefinitionAndTheQueryItRuns) {
  testing::TempDir dir;
  testing::WriteTextFile(dir.Child("py/pipeline.yml"), "name: py\n");
  const std::string definition =
      "@dlt.table(\n"
      "    comment=\"numbers\")\n"
      "@dlt.expect(\"small\", \"id < 10\")\n"
      "def numbers():\n"
      "    return spark.range(3)";
  testing::WriteTextFile(dir.Child("py/transformations/p.py"),
                         "import dlt\n\n\n" + definition +
                             "\n\n\n@dlt.view\ndef other():\n"
                             "    return dlt.read(\"numbers\")\n");
  testing::WriteTextFile(dir.Child("assets/index.html"), "<title>sluice</title>\n");
  UiOptions options;
  options.path = dir.Child("py");
  options.port = 0;
  options.assets_dir = dir.Child("assets");
  auto server = UiServer::Start(options);
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  httplib::Client client("127.0.0.1", (*server)->port());
  auto res = client.Get("/api/pipelines/py/datasets/numbers");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  const json numbers = json::parse(res->body);
  EXPECT_EQ(numbers["source"], definition);
  EXPECT_NE(numbers["file"].get<std::string>().find("p.py"), std::string::npos);
}

TEST_F(UiServerTest, RefusesWhatItShould) {
  EXPECT_EQ(Get("/api/pipelines/nope/graph", 404)["error"], "no pipeline nope");
  Get("/api/pipelines/shop/datasets/nope", 404);
  Get("/api/pipelines/shop/datasets/orders/rows?version=9", 404);
  Get("/api/pipelines/shop/updates/00000000-0000-0000-0000-000000000000", 404);
  Get("/api/pipelines/shop/updates/x';DROP", 400);
  Get("/api/pipelines/shop/events?type=nope", 400);
  Get("/api/pipelines/shop/events?flow=nope", 404);
  Get("/api/nothing", 404);
  // Another host name for this address (DNS rebinding) is refused.
  auto other = client_->Get("/api/pipelines", {{"Host", "evil.example"}});
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 403);
  // Actions need the token, and the UI's own origin when one is sent.
  auto no_token = client_->Post("/api/pipelines/shop/updates", "{}", "application/json");
  ASSERT_TRUE(no_token);
  EXPECT_EQ(no_token->status, 403);
  auto origin =
      client_->Post("/api/pipelines/shop/updates",
                    {{"X-Sluice-Token", server_->token()}, {"Origin", "http://evil.example"}}, "{}",
                    "application/json");
  ASSERT_TRUE(origin);
  EXPECT_EQ(origin->status, 403);
  auto stop = client_->Post("/api/pipelines/shop/stop", {{"X-Sluice-Token", server_->token()}},
                            "{}", "application/json");
  ASSERT_TRUE(stop);
  EXPECT_EQ(stop->status, 409);  // nothing running
}

TEST_F(UiServerTest, AnUpdateFromAnotherProcessReplacesWhatThePagesRead) {
  // Documents are reused until the event log changes; an update run elsewhere changes it.
  ASSERT_EQ(Get("/api/pipelines/shop/updates")["updates"].size(), 2u);
  ASSERT_EQ(Get("/api/pipelines/shop/updates")["updates"].size(), 2u);
  RunUpdate("FAILED");
  size_t seen = 0;
  for (int i = 0; i < 50 && seen != 3; ++i) {
    seen = Get("/api/pipelines/shop/updates")["updates"].size();
    if (seen != 3) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(seen, 3u);
}

TEST_F(UiServerTest, AnUpdateStartedFromTheUiIsSeenLive) {
  // Listen for changes first.
  std::atomic<bool> changed{false};
  httplib::Client live("127.0.0.1", server_->port());
  live.set_read_timeout(20, 0);
  std::thread listener([&] {
    live.Get("/api/pipelines/shop/live", [&](const char* data, size_t length) {
      if (std::string(data, length).find("event: change") != std::string::npos) changed = true;
      return !changed.load();
    });
  });
  // A full refresh of revenue.
  auto started = client_->Post("/api/pipelines/shop/updates",
                               {{"X-Sluice-Token", server_->token()},
                                {"Origin", "http://127.0.0.1:" + std::to_string(server_->port())}},
                               R"({"full_refresh": ["revenue"]})", "application/json");
  ASSERT_TRUE(started);
  EXPECT_EQ(started->status, 200) << started->body;
  listener.join();
  EXPECT_TRUE(changed.load());
  // Bounded wait for the update to end.
  for (int i = 0; i < 300 && Get("/api/pipelines")["pipelines"][0]["running"] == true; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  const json updates = Get("/api/pipelines/shop/updates")["updates"];
  ASSERT_EQ(updates.size(), 3u);
  EXPECT_EQ(updates[0]["full_refresh"], false);
  const json update =
      Get("/api/pipelines/shop/updates/" + updates[0]["update_id"].get<std::string>());
  // A selection refreshes only what it names (Databricks' rule): orders is excluded, and
  // revenue, recomputed, fails again.
  const json* orders = FindByName(update["flows"], "orders");
  const json* revenue = FindByName(update["flows"], "revenue");
  ASSERT_TRUE(orders && revenue);
  EXPECT_EQ((*orders)["state"], "EXCLUDED");
  EXPECT_EQ((*revenue)["state"], "FAILED");
  EXPECT_EQ(update["events"][0]["details"]["create_update"]["full_refresh_selection"],
            json::array({"revenue"}));
}

}  // namespace
}  // namespace sluice::ui
