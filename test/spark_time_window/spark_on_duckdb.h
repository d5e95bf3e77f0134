// What the time window tests share: a DuckDB connection with the Spark functions installed,
// and a resolver for queries that read no tables.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "common/strings.h"
#include "engine/engine.h"
#include "runtime/spark_functions.h"
#include "spark/translator.h"

namespace sluice {

class NoTables : public spark::RelationResolver {
 public:
  Result<spark::BoundRelation> Resolve(const spark::Relation& relation) override {
    return NotFound("no table " + Join(relation.name, "."));
  }
};

class SparkOnDuckDb : public ::testing::Test {
 protected:
  void SetUp() override {
    auto database = engine::Database::Open();
    ASSERT_TRUE(database.ok()) << database.status().message();
    database_ = std::move(*database);
    auto connection = database_->Connect();
    ASSERT_TRUE(connection.ok()) << connection.status().message();
    connection_ = std::move(*connection);
    ASSERT_TRUE(runtime::InstallSparkFunctions(*connection_).ok());
  }

  std::unique_ptr<engine::Database> database_;
  std::unique_ptr<engine::Connection> connection_;
};

}  // namespace sluice
