#include "generate_orders.h"

#include <filesystem>

#include "common/strings.h"

namespace sluice::examples {

Status GenerateOrders(engine::Connection& connection, const std::string& dir, int64_t first_file,
                      int64_t files, int64_t rows_per_file) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) return IOError(dir + ": " + error.message());
  for (int64_t file = first_file; file < first_file + files; ++file) {
    const int64_t first = file * rows_per_file;
    const std::string path = dir + "/orders-" + PadNumber(static_cast<uint64_t>(file), 6) + ".json";
    const std::string sql =
        "COPY (SELECT i AS order_id, "
        "  1 + (i * 7919) % 5000 AS customer_id, "
        "  CASE WHEN i % 200 = 7 THEN -1.0 * (i % 50) "
        "       ELSE round(5 + ((i * 104729) % 50000) / 100.0, 2) END AS amount, "
        "  strftime(TIMESTAMP '2025-01-01' + to_seconds((i * 104729) % 31536000), "
        "           '%Y-%m-%d %H:%M:%S') AS order_ts, "
        "  CASE WHEN i % 100 = 3 THEN 'LOST' "
        "       ELSE ['placed', 'shipped', 'delivered', 'returned'][1 + i % 4] END AS status, "
        "  ['DE', 'FR', 'US', 'JP', 'BR'][1 + (i % 5)] AS country "
        "FROM range(" +
        std::to_string(first) + ", " + std::to_string(first + rows_per_file) + ") t(i)) TO " +
        QuoteLiteral(path) + " (FORMAT json)";
    SLUICE_RETURN_IF_ERROR(connection.Execute(sql));
  }
  return Status::OK();
}

}  // namespace sluice::examples
