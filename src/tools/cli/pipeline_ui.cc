// sluice ui [PATH] [--port N] [--host HOST]: the web UI (docs/ui.md) until Ctrl-C.
#include <signal.h>

#include <iostream>

#include "tools/cli/command.h"
#include "ui/ui_server.h"

namespace sluice::cli {
namespace {

struct UiArguments {
  std::string path = ".";
  std::string host = "127.0.0.1";
  int port = 8080;
};

}  // namespace

void AddUi(CLI::App& app, Runner* run) {
  auto arguments = std::make_shared<UiArguments>();
  CLI::App* command = app.add_subcommand(
      "ui", "Serve the web UI of the pipeline at PATH, or of every pipeline under it");
  command->add_option("path", arguments->path,
                      "A pipeline's settings file or folder, or a folder of pipelines");
  command->add_option("--port", arguments->port, "The port (0: any free one)");
  command->add_option("--host", arguments->host,
                      "The address to listen on; anything but 127.0.0.1 exposes the UI");
  command->callback([arguments, run] {
    *run = [arguments] {
      // The signals are taken by this thread (sigwait below), never by the server's.
      sigset_t signals;
      sigemptyset(&signals);
      sigaddset(&signals, SIGINT);
      sigaddset(&signals, SIGTERM);
      pthread_sigmask(SIG_BLOCK, &signals, nullptr);
      ui::UiOptions options;
      options.path = arguments->path;
      options.host = arguments->host;
      options.port = arguments->port;
      auto server = ui::UiServer::Start(options);
      if (!server.ok()) return Fail(server.status());
      if (arguments->host != "127.0.0.1" && arguments->host != "localhost") {
        std::cerr << "warning: the UI listens on " << arguments->host
                  << ": anyone who can reach this port can read the pipelines' data\n";
      }
      std::cout << "sluice ui: " << (*server)->url() << " (Ctrl-C to stop)" << std::endl;
      int received = 0;
      sigwait(&signals, &received);
      (*server)->Stop();
      return kExitOk;
    };
  });
}

}  // namespace sluice::cli
