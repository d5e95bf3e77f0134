// The local web UI (docs/ui.md): an HTTP server serving the pages (HTML, CSS and JavaScript
// modules from the assets folder, with the browser libraries installed beside them) and the
// JSON API over the public C++ API, for the pipelines at a path.
//
// It binds to 127.0.0.1 unless told otherwise. Every request must name the server's own
// address in its Host header (a page of another site that resolves its name to 127.0.0.1
// cannot read the API), and actions need the session's token and, when the browser sends
// one, the UI's own Origin.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"

namespace sluice::ui {

struct UiOptions {
  std::string path = ".";          // a pipeline (settings file or folder), or a folder of them
  std::string host = "127.0.0.1";  // the address to bind
  int port = 8080;                 // 0: any free port
  // The pages; empty: share/sluice/ui beside the folder of the running executable
  // (bin/sluice -> share/sluice/ui).
  std::string assets_dir;
};

class UiServer {
 public:
  // Opens the pipelines, binds the port and serves in a thread of its own.
  static Result<std::unique_ptr<UiServer>> Start(const UiOptions& options);
  ~UiServer();  // Stop()
  UiServer(const UiServer&) = delete;
  UiServer& operator=(const UiServer&) = delete;

  int port() const;
  std::string url() const;  // http://host:port/
  const std::string& token() const;
  // Blocks until Stop() is called (from another thread or a signal handler's thread).
  void Wait();
  // Stops serving; open live connections end; an update the UI started runs to its end.
  void Stop();

  struct Impl;

 private:
  explicit UiServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The default assets folder for the running executable.
std::string DefaultAssetsDir();

}  // namespace sluice::ui
