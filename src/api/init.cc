// sluice::InitPipeline: a new project to start from.
#include <filesystem>
#include <fstream>

#include "io/file_system.h"
#include "runtime/project.h"
#include "sluice/pipeline.h"

namespace sluice {
namespace {

Status Write(const std::filesystem::path& path, const std::string& text) {
  std::error_code error;
  std::filesystem::create_directories(path.parent_path(), error);
  if (error) return IOError(path.parent_path().string() + ": " + error.message());
  std::ofstream out(path);
  out << text;
  if (!out) return IOError(path.string() + ": cannot write");
  return Status::OK();
}

}  // namespace

// The starter project's datasets in SQL or in Python (the same tables).
Status WriteTransformations(const std::filesystem::path& root, bool python) {
  if (python) {
    return Write(
        root / "transformations" / "orders.py",
        "import dlt\n"
        "from pyspark.sql import functions as F\n\n"
        "source_path = spark.conf.get(\"source_path\")\n\n\n"
        "# Bronze: each new JSON file of data/orders, exactly once.\n"
        "@dlt.table\n"
        "def orders_raw():\n"
        "    return spark.readStream.format(\"json\").load(f\"{source_path}/orders\")\n\n\n"
        "# Silver: checked rows. Warn on unknown statuses, drop non-positive amounts.\n"
        "@dlt.table\n"
        "@dlt.expect(\"known_status\", \"status IN ('new', 'paid', 'shipped')\")\n"
        "@dlt.expect_or_drop(\"positive_amount\", \"amount > 0\")\n"
        "def orders():\n"
        "    return dlt.read_stream(\"orders_raw\").select(\n"
        "        \"id\", \"customer\", "
        "F.col(\"amount\").cast(\"decimal(10,2)\").alias(\"amount\"), "
        "\"status\")\n\n\n"
        "# Gold: recomputed when orders change.\n"
        "@dlt.table\n"
        "def orders_by_status():\n"
        "    return (dlt.read(\"orders\").groupBy(\"status\")\n"
        "            .agg(F.count(\"*\").alias(\"orders\"), "
        "F.sum(\"amount\").alias(\"amount\")))\n");
  }
  return Write(root / "transformations" / "orders.sql",
               "-- Bronze: each new JSON file of data/orders, exactly once.\n"
               "CREATE OR REFRESH STREAMING TABLE orders_raw\n"
               "AS SELECT * FROM STREAM read_files('${source_path}/orders', format => 'json');\n\n"
               "-- Silver: checked rows. Warn on unknown statuses, drop non-positive amounts.\n"
               "CREATE OR REFRESH STREAMING TABLE orders (\n"
               "  CONSTRAINT known_status EXPECT (status IN ('new', 'paid', 'shipped')),\n"
               "  CONSTRAINT positive_amount EXPECT (amount > 0) ON VIOLATION DROP ROW\n"
               ")\n"
               "AS SELECT id, customer, CAST(amount AS DECIMAL(10, 2)) AS amount, status\n"
               "FROM STREAM(orders_raw);\n\n"
               "-- Gold: recomputed when orders change.\n"
               "CREATE OR REFRESH MATERIALIZED VIEW orders_by_status\n"
               "AS SELECT status, count(*) AS orders, sum(amount) AS amount FROM orders GROUP BY "
               "status;\n");
}

Status InitPipeline(const std::string& dir, const InitOptions& options) {
  const std::filesystem::path root = std::filesystem::absolute(dir);
  if (runtime::HasSettingsFile(*io::LocalFileSystem(), root.string())) {
    return AlreadyExists(root.string() + ": a pipeline already exists here");
  }
  const std::string name = root.filename().string().empty() ? "pipeline" : root.filename().string();
  SLUICE_RETURN_IF_ERROR(Write(root / "pipeline.yml",
                               "name: " + name +
                                   "\nlibraries:\n  - glob:\n      include: transformations/**\n"
                                   "configuration:\n  source_path: data\n"));
  SLUICE_RETURN_IF_ERROR(WriteTransformations(root, options.python));
  SLUICE_RETURN_IF_ERROR(
      Write(root / "data" / "orders" / "1.json",
            "{\"id\": 1, \"customer\": \"ada\", \"amount\": 12.5, \"status\": \"new\"}\n"
            "{\"id\": 2, \"customer\": \"bob\", \"amount\": 30, \"status\": \"paid\"}\n"
            "{\"id\": 3, \"customer\": \"cy\", \"amount\": -1, \"status\": \"paid\"}\n"));
  SLUICE_RETURN_IF_ERROR(
      Write(root / "data" / "orders" / "2.json",
            "{\"id\": 4, \"customer\": \"ada\", \"amount\": 7, \"status\": \"shipped\"}\n"
            "{\"id\": 5, \"customer\": \"dee\", \"amount\": 99.9, \"status\": \"lost\"}\n"));
  SLUICE_RETURN_IF_ERROR(Write(
      root / "README.md",
      "# " + name +
          "\n\nA sluice pipeline.\n\n```sh\nsluice run\n"
          "sluice query \"SELECT * FROM orders_by_status\"\nsluice events --update latest\n```\n"));
  return Status::OK();
}

}  // namespace sluice
