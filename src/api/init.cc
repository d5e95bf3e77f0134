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

Status InitPipeline(const std::string& dir) {
  const std::filesystem::path root = std::filesystem::absolute(dir);
  if (runtime::HasSettingsFile(*io::LocalFileSystem(), root.string())) {
    return AlreadyExists(root.string() + ": a pipeline already exists here");
  }
  const std::string name = root.filename().string().empty() ? "pipeline" : root.filename().string();
  SLUICE_RETURN_IF_ERROR(Write(root / "pipeline.yml",
                               "name: " + name +
                                   "\nlibraries:\n  - glob:\n      include: transformations/**\n"
                                   "configuration:\n  source_path: data\n"));
  SLUICE_RETURN_IF_ERROR(
      Write(root / "transformations" / "orders.sql",
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
            "status;\n"));
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
