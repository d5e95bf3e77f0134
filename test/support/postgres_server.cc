#include "support/postgres_server.h"

#include <libpq-fe.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace sluice::testing {

namespace {

namespace fs = std::filesystem;

int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t size = sizeof(address);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) == 0) {
    port = ntohs(address.sin_port);
  }
  close(fd);
  return port;
}

// The folder of Debian's PostgreSQL programs (/usr/lib/postgresql/<version>/bin).
std::string BinFolder() {
  std::error_code error;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", error)) {
    if (fs::exists(entry.path() / "bin" / "initdb")) return (entry.path() / "bin").string();
  }
  return "";
}

std::string Connection(int port, const std::string& database) {
  return "host=127.0.0.1 port=" + std::to_string(port) + " dbname=" + database +
         " user=sluice password=" + kPostgresPassword;
}

std::string Exec(const std::string& conninfo, const std::string& sql) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  std::string error;
  if (PQstatus(conn) != CONNECTION_OK) {
    error = PQerrorMessage(conn);
  } else {
    PGresult* result = PQexec(conn, sql.c_str());
    const ExecStatusType status = PQresultStatus(result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      error = PQresultErrorMessage(result);
    }
    PQclear(result);
  }
  PQfinish(conn);
  return error;
}

}  // namespace

std::string PostgresServer::Run(const std::string& command) {
  const std::string line =
      (as_postgres_ ? "runuser -u postgres -- " : "") + command + " >> " + dir_ + "/setup.log 2>&1";
  if (std::system(line.c_str()) != 0) {
    std::ifstream log(dir_ + "/setup.log");
    std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
    return "'" + command + "' failed: " + text.substr(text.size() > 2000 ? text.size() - 2000 : 0);
  }
  return "";
}

PostgresServer::PostgresServer() {
  static std::atomic<int> counter{0};
  bin_ = BinFolder();
  if (bin_.empty()) {
    start_error_ = "PostgreSQL is not installed (Debian package postgresql)";
    return;
  }
  dir_ = (fs::temp_directory_path() /
          ("sluice_pg_" + std::to_string(getpid()) + "_" + std::to_string(counter++)))
             .string();
  fs::remove_all(dir_);
  fs::create_directories(dir_);
  as_postgres_ = geteuid() == 0;
  { std::ofstream(dir_ + "/pw") << kPostgresPassword << "\n"; }
  if (as_postgres_ && std::system(("chown -R postgres " + dir_).c_str()) != 0) {
    start_error_ = "cannot give " + dir_ + " to the postgres user";
    return;
  }
  port_ = FreePort();
  start_error_ = Run(bin_ + "/initdb -D " + dir_ + "/data -U sluice --pwfile=" + dir_ +
                     "/pw --auth=scram-sha-256 -E UTF8 --locale=C --no-sync");
  if (!start_error_.empty()) return;
  start_error_ = Run(bin_ + "/pg_ctl -D " + dir_ + "/data -l " + dir_ + "/server.log -w -o \"-p " +
                     std::to_string(port_) + " -k " + dir_ +
                     " -c listen_addresses=127.0.0.1 -c fsync=off\" start");
  if (!start_error_.empty()) return;
  started_ = true;
  const std::string error = Exec(Connection(port_, "postgres"), "CREATE DATABASE test");
  if (!error.empty()) start_error_ = "CREATE DATABASE test: " + error;
}

PostgresServer::~PostgresServer() {
  if (started_) (void)Run(bin_ + "/pg_ctl -D " + dir_ + "/data -m immediate -w stop");
  if (!dir_.empty()) {
    std::error_code error;
    fs::remove_all(dir_, error);
  }
}

std::string PostgresServer::url() const {
  return "jdbc:postgresql://127.0.0.1:" + std::to_string(port_) + "/test";
}

std::string PostgresServer::Execute(const std::string& sql) {
  if (!start_error_.empty()) return start_error_;
  return Exec(Connection(port_, "test"), sql);
}

}  // namespace sluice::testing
