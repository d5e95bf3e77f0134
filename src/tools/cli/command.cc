#include "tools/cli/command.h"

#include <cstdio>
#include <iostream>

#include "common/strings.h"

namespace sluice::cli {

CLI::Option* AddFormatOption(CLI::App& command, std::string* format) {
  *format = "table";
  return command.add_option("--format", *format, "Output format: table, csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}))
      ->capture_default_str();
}

void AddVersionOptions(CLI::App& command, std::optional<int64_t>* version,
                       std::optional<std::string>* timestamp) {
  CLI::Option* by_version =
      command.add_option("--version", *version, "Read version N")->check(CLI::NonNegativeNumber);
  CLI::Option* by_time = command.add_option(
      "--timestamp", *timestamp,
      "Read the version current at this time: YYYY-MM-DD[ HH:MM:SS[.fff]], UTC unless an "
      "offset (+HH:MM) is given");
  by_version->excludes(by_time);
}

int Fail(const Status& status) {
  std::cout.flush();
  std::cerr << "error: " << RedactSecrets(status.message()) << std::endl;
  return kExitFailure;
}

std::unique_ptr<Session> OpenSession() {
  Result<std::unique_ptr<Session>> session = Session::Open();
  if (!session.ok()) {
    Fail(session.status());
    return nullptr;
  }
  return std::move(session).value();
}

void Print(const Rows& rows, const std::string& format) {
  std::optional<Format> parsed = ParseFormat(format);
  std::cout << Render(rows, parsed.value_or(Format::kTable));
  std::cout.flush();
}

}  // namespace sluice::cli
