#include "ui/ui_server.h"

#include <httplib.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "common/strings.h"
#include "ui/api_json.h"
#include "ui/pipeline_catalog.h"

namespace sluice::ui {
namespace {

using nlohmann::json;

int HttpStatus(const Status& status) {
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kConflict:
      return 409;
    default:
      return 500;
  }
}

void Reply(httplib::Response& res, int code, const json& body) {
  res.status = code;
  res.set_header("Cache-Control", "no-store");
  res.set_content(body.dump(), "application/json; charset=utf-8");
}

void ReplyError(httplib::Response& res, const Status& status) {
  Reply(res, HttpStatus(status), json{{"error", status.message()}});
}

std::string NewToken() {
  std::random_device random;
  std::string token;
  static const char* kHex = "0123456789abcdef";
  for (int i = 0; i < 32; ++i) token += kHex[random() % 16];
  return token;
}

int64_t IntParam(const httplib::Request& req, const char* name, int64_t fallback) {
  if (!req.has_param(name)) return fallback;
  const std::string text = req.get_param_value(name);
  char* end = nullptr;
  const long long value = std::strtoll(text.c_str(), &end, 10);
  return end != text.c_str() && *end == 0 ? value : fallback;
}

std::vector<std::string> Strings(const json& body, const char* key) {
  std::vector<std::string> out;
  if (body.contains(key) && body[key].is_array()) {
    for (const json& item : body[key]) {
      if (item.is_string()) out.push_back(item.get<std::string>());
    }
  }
  return out;
}

}  // namespace

std::string DefaultAssetsDir() {
  std::error_code error;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return "share/sluice/ui";
  return (exe.parent_path().parent_path() / "share" / "sluice" / "ui").string();
}

struct UiServer::Impl {
  UiOptions options;
  std::unique_ptr<PipelineCatalog> catalog;
  httplib::Server server;
  std::thread thread;
  std::string token;
  int port = 0;
  std::mutex mutex;
  std::condition_variable stopped_cv;
  bool stopped = false;
  std::atomic<bool> stopping{false};

  // Whether the request's Host names this server: a page of another site whose name
  // resolves to this machine must not read the API (DNS rebinding).
  bool OwnHost(const httplib::Request& req) const {
    const std::string host = req.get_header_value("Host");
    const std::string port_text = ":" + std::to_string(port);
    if (options.host != "127.0.0.1" && options.host != "localhost") return true;
    return host == "127.0.0.1" + port_text || host == "localhost" + port_text;
  }

  // Actions: the session's token, and the UI's own origin when the browser sends one.
  Status CheckAction(const httplib::Request& req) const {
    if (req.get_header_value("X-Sluice-Token") != token) {
      return InvalidArgument("the X-Sluice-Token header is missing or wrong");
    }
    if (req.has_header("Origin")) {
      const std::string origin = req.get_header_value("Origin");
      const std::string own = "http://" + req.get_header_value("Host");
      if (origin != own) return InvalidArgument("requests from " + origin + " are refused");
    }
    return Status::OK();
  }

  PipelineEntry* Entry(const httplib::Request& req, httplib::Response& res) {
    PipelineEntry* entry = catalog->Find(req.matches[1]);
    if (entry == nullptr) {
      ReplyError(res, NotFound("no pipeline " + std::string(req.matches[1])));
    }
    return entry;
  }

  // The pipeline an action names, once the action is allowed; nullptr when the answer (403
  // or 404) is given.
  PipelineEntry* ActionEntry(const httplib::Request& req, httplib::Response& res) {
    if (Status allowed = CheckAction(req); !allowed.ok()) {
      Reply(res, 403, json{{"error", allowed.message()}});
      return nullptr;
    }
    return Entry(req, res);
  }

  // Answers with the document `build` makes from the entry's reader.
  void Read(const httplib::Request& req, httplib::Response& res,
            const std::function<Result<json>(Pipeline&, Session&, const UpdateIndex&)>& build) {
    PipelineEntry* entry = Entry(req, res);
    if (entry == nullptr) return;
    std::string body;
    Status status = catalog->WithReader(
        *entry, [&](Pipeline& pipeline, Session& session, const UpdateIndex& index) {
          // The generation the index was brought up to date at, read before it was: a change
          // after that makes the next request read again.
          const int64_t generation = entry->index_generation;
          auto cached = entry->documents.find(req.target);
          if (cached != entry->documents.end() && cached->second.first == generation) {
            body = cached->second.second;
            return Status::OK();
          }
          SLUICE_ASSIGN_OR_RETURN(json out, build(pipeline, session, index));
          body = out.dump();
          if (entry->documents.size() > 256) entry->documents.clear();
          entry->documents[req.target] = {generation, body};
          return Status::OK();
        });
    if (!status.ok()) return ReplyError(res, status);
    res.status = 200;
    res.set_header("Cache-Control", "no-store");
    res.set_content(body, "application/json; charset=utf-8");
  }

  void Routes();
};

void UiServer::Impl::Routes() {
  server.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (!OwnHost(req)) {
      Reply(res, 403, json{{"error", "this server answers requests for its own address only"}});
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  server.Get("/api/pipelines", [this](const httplib::Request&, httplib::Response& res) {
    json list = json::array();
    for (const auto& entry : catalog->entries()) {
      list.push_back({{"id", entry->id},
                      {"name", entry->name},
                      {"settings_file", entry->settings_file},
                      {"storage", entry->storage},
                      {"running", entry->running.load()}});
    }
    Reply(res, 200, json{{"pipelines", list}, {"token", token}});
  });
  server.Get(R"(/api/pipelines/([^/]+)/graph)",
             [this](const httplib::Request& req, httplib::Response& res) {
               const std::string update = req.get_param_value("update");
               if (!update.empty() && !IsUpdateId(update)) {
                 return ReplyError(res, InvalidArgument("not an update id: " + update));
               }
               Read(req, res, [&](Pipeline& pipeline, Session&, const UpdateIndex& index) {
                 return GraphJson(pipeline, index, update);
               });
             });
  server.Get(R"(/api/pipelines/([^/]+)/updates)",
             [this](const httplib::Request& req, httplib::Response& res) {
               const int64_t limit = IntParam(req, "limit", 100);
               Read(req, res, [&](Pipeline&, Session&, const UpdateIndex& index) {
                 return UpdatesJson(index, limit);
               });
             });
  server.Get(R"(/api/pipelines/([^/]+)/updates/([^/]+))",
             [this](const httplib::Request& req, httplib::Response& res) {
               const std::string id = req.matches[2];
               Read(req, res, [&](Pipeline& pipeline, Session&, const UpdateIndex& index) {
                 return UpdateJson(pipeline, index, id);
               });
             });
  server.Get(R"(/api/pipelines/([^/]+)/events)",
             [this](const httplib::Request& req, httplib::Response& res) {
               EventFilter filter;
               filter.update_id = req.get_param_value("update");
               filter.type = req.get_param_value("type");
               filter.level = req.get_param_value("level");
               filter.flow = req.get_param_value("flow");
               filter.limit = IntParam(req, "limit", 1000);
               Read(req, res, [&](Pipeline& pipeline, Session&, const UpdateIndex& index) {
                 return EventsJson(pipeline, index, filter);
               });
             });
  server.Get(R"(/api/pipelines/([^/]+)/quality)",
             [this](const httplib::Request& req, httplib::Response& res) {
               const int64_t last = IntParam(req, "last", 20);
               Read(req, res, [&](Pipeline& pipeline, Session&, const UpdateIndex& index) {
                 return QualityJson(pipeline, index, last);
               });
             });
  server.Get(R"(/api/pipelines/([^/]+)/datasets/([^/]+)/rows)",
             [this](const httplib::Request& req, httplib::Response& res) {
               const std::string name = req.matches[2];
               std::optional<int64_t> version;
               if (req.has_param("version")) version = IntParam(req, "version", -1);
               if (version && *version < 0) {
                 return ReplyError(res, InvalidArgument("version must be a number >= 0"));
               }
               const int64_t limit = IntParam(req, "limit", 100);
               Read(req, res, [&](Pipeline& pipeline, Session&, const UpdateIndex&) {
                 return RowsJson(pipeline, name, version, limit);
               });
             });
  server.Get(R"(/api/pipelines/([^/]+)/datasets/([^/]+))",
             [this](const httplib::Request& req, httplib::Response& res) {
               const std::string name = req.matches[2];
               Read(req, res, [&](Pipeline& pipeline, Session& session, const UpdateIndex& index) {
                 return DatasetJson(pipeline, session, index, name);
               });
             });
  server.Get(R"(/api/pipelines/([^/]+)/live)", [this](const httplib::Request& req,
                                                      httplib::Response& res) {
    PipelineEntry* entry = Entry(req, res);
    if (entry == nullptr) return;
    // -1: the first call answers at once, with the state as it is.
    auto seen = std::make_shared<int64_t>(-1);
    res.set_header("Cache-Control", "no-store");
    res.set_chunked_content_provider(
        "text/event-stream", [this, entry, seen](size_t, httplib::DataSink& sink) {
          const int64_t now = *seen < 0 ? entry->watcher->generation()
                                        : entry->watcher->WaitForChange(*seen, 15000);
          if (stopping.load()) return false;
          // A comment now and then finds connections the browser closed.
          std::string message = ": idle\n\n";
          if (now != *seen) {
            *seen = now;
            message = "event: change\ndata: " +
                      json{{"running", entry->running.load()}, {"generation", now}}.dump() + "\n\n";
          }
          return sink.write(message.data(), message.size());
        });
  });
  server.Post(R"(/api/pipelines/([^/]+)/updates)",
              [this](const httplib::Request& req, httplib::Response& res) {
                PipelineEntry* entry = ActionEntry(req, res);
                if (entry == nullptr) return;
                StartRequest request;
                if (!req.body.empty()) {
                  const json body = json::parse(req.body, nullptr, false);
                  if (!body.is_object())
                    return ReplyError(res, InvalidArgument("the body is not a JSON object"));
                  request.full_refresh_all = body.value("full_refresh_all", false);
                  request.full_refresh = Strings(body, "full_refresh");
                  request.refresh = Strings(body, "refresh");
                }
                if (Status started = catalog->StartUpdate(*entry, request); !started.ok()) {
                  return ReplyError(res, started);
                }
                Reply(res, 200, json{{"started", true}});
              });
  server.Post(R"(/api/pipelines/([^/]+)/stop)",
              [this](const httplib::Request& req, httplib::Response& res) {
                PipelineEntry* entry = ActionEntry(req, res);
                if (entry == nullptr) return;
                if (Status stopped = catalog->StopUpdate(*entry); !stopped.ok()) {
                  return ReplyError(res, stopped);
                }
                Reply(res, 200, json{{"stopping", true}});
              });
  server.Get(R"(/api/.*)", [](const httplib::Request& req, httplib::Response& res) {
    ReplyError(res, NotFound("no such API path: " + req.path));
  });
}

UiServer::UiServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
UiServer::~UiServer() { Stop(); }

Result<std::unique_ptr<UiServer>> UiServer::Start(const UiOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  if (impl->options.assets_dir.empty()) impl->options.assets_dir = DefaultAssetsDir();
  SLUICE_ASSIGN_OR_RETURN(impl->catalog, PipelineCatalog::Open(options.path));
  impl->token = NewToken();
  // Live pages hold a connection each: more threads than the library's default.
  impl->server.new_task_queue = [] { return new httplib::ThreadPool(32); };
  if (!std::filesystem::is_directory(impl->options.assets_dir)) {
    return NotFound("the UI's pages are not installed at " + impl->options.assets_dir +
                    " (run scripts/setup.sh and build)");
  }
  impl->server.set_mount_point("/", impl->options.assets_dir);
  impl->Routes();
  if (options.port == 0) {
    impl->port = impl->server.bind_to_any_port(options.host);
  } else if (impl->server.bind_to_port(options.host, options.port)) {
    impl->port = options.port;
  } else {
    impl->port = -1;
  }
  if (impl->port <= 0) {
    return IOError("cannot listen on " + options.host + ":" + std::to_string(options.port) +
                   " (in use, or not an address of this machine)");
  }
  impl->catalog->WarmUp();
  Impl* raw = impl.get();
  impl->thread = std::thread([raw] {
    raw->server.listen_after_bind();
    std::lock_guard<std::mutex> lock(raw->mutex);
    raw->stopped = true;
    raw->stopped_cv.notify_all();
  });
  return std::unique_ptr<UiServer>(new UiServer(std::move(impl)));
}

int UiServer::port() const { return impl_->port; }

std::string UiServer::url() const {
  return "http://" + impl_->options.host + ":" + std::to_string(impl_->port) + "/";
}

const std::string& UiServer::token() const { return impl_->token; }

void UiServer::Wait() {
  std::unique_lock<std::mutex> lock(impl_->mutex);
  impl_->stopped_cv.wait(lock, [this] { return impl_->stopped; });
}

void UiServer::Stop() {
  if (!impl_ || impl_->stopping.exchange(true)) return;
  // Live connections wait on the watchers: wake them so that their threads end.
  for (const auto& entry : impl_->catalog->entries()) entry->watcher->Stop();
  impl_->server.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

}  // namespace sluice::ui
