// retail_generate DIR FIRST_FILE FILES ROWS_PER_FILE: writes generated order files.
#include <cstdio>
#include <cstdlib>

#include "generate_orders.h"

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: retail_generate DIR FIRST_FILE FILES ROWS_PER_FILE\n");
    return 2;
  }
  auto database = sluice::engine::Database::Open();
  if (!database.ok()) return 1;
  auto connection = (*database)->Connect();
  if (!connection.ok()) return 1;
  sluice::Status status = sluice::examples::GenerateOrders(
      **connection, argv[1], std::atoll(argv[2]), std::atoll(argv[3]), std::atoll(argv[4]));
  if (!status.ok()) {
    std::fprintf(stderr, "%s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}
