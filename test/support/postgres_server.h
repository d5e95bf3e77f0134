// Tests' PostgreSQL: a server of Debian's postgresql package in a temporary folder,
// listening on 127.0.0.1 on a free port, started by the constructor and stopped by the
// destructor. When the tests run as root the server runs as the `postgres` user (PostgreSQL
// refuses to run as root). It has a database `test` and a user `sluice` whose password is
// kPostgresPassword (password authentication, scram-sha-256).
#pragma once

#include <string>

namespace sluice::testing {

inline constexpr const char* kPostgresPassword = "sluice-pg-pw-1";

class PostgresServer {
 public:
  PostgresServer();
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // Empty when the server is up; else why it is not.
  const std::string& start_error() const { return start_error_; }
  int port() const { return port_; }
  // jdbc:postgresql://127.0.0.1:<port>/test
  std::string url() const;
  // Runs SQL (several statements) in the database `test`; "" or the error.
  std::string Execute(const std::string& sql);

 private:
  std::string dir_;
  std::string bin_;
  bool as_postgres_ = false;
  int port_ = 0;
  bool started_ = false;
  std::string start_error_;
  std::string Run(const std::string& command);
};

}  // namespace sluice::testing
