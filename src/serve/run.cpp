// run.cpp — see run.hpp.
#include "serve/run.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>

#include <filesystem>

#include "core/text.hpp"

namespace intransit::serve {
namespace asio = boost::asio;

namespace {

std::shared_ptr<asio::ssl::context> server_tls(const ServeConfig& c, std::string& error) {
  if (c.tls_cert.empty()) return nullptr;
  auto ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
  ctx->set_options(asio::ssl::context::no_sslv2 | asio::ssl::context::no_sslv3 |
                   asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
  boost::system::error_code ec;
  ctx->use_certificate_chain_file(c.tls_cert, ec);
  if (!ec) ctx->use_private_key_file(c.tls_key, asio::ssl::context::pem, ec);
  if (ec) {
    error = "TLS certificate or key (" + c.tls_cert + ", " + c.tls_key + "): " + ec.message();
    return nullptr;
  }
  return ctx;
}

}  // namespace

int run_server(const ServeConfig& config, std::ostream& log) {
  std::error_code fs_error;
  std::filesystem::create_directories(config.data_dir, fs_error);
  std::unique_ptr<Store> store;
  try {
    store = std::make_unique<Store>(config.data_dir);
  } catch (const std::exception& e) {
    log << "intransit serve: " << text::printable(e.what()) << "\n";
    return kServeSetupError;
  }
  asio::io_context io;
  std::string error;
  auto engine = check::Engine::create(io.get_executor(), config.engine, error);
  if (!engine) {
    log << "intransit serve: " << text::printable(error) << "\n";
    return kServeSetupError;
  }
  auto tls = server_tls(config, error);
  if (!error.empty()) {
    log << "intransit serve: " << text::printable(error) << "\n";
    return kServeSetupError;
  }
  Metrics metrics;
  Checker checker(io.get_executor(), *engine, *store, metrics, config.checker);
  Monitor monitor(io.get_executor(), checker, *store, metrics, config.monitor);
  ServiceOptions service_options = config.service;
  service_options.tlsrpt_store =
      (std::filesystem::path(config.data_dir) / "tlsrpt.sqlite").string();
  std::unique_ptr<Service> service;
  try {
    service = std::make_unique<Service>(service_options, checker, *store, metrics, &monitor);
  } catch (const std::exception& e) {
    log << "intransit serve: " << text::printable(e.what()) << "\n";
    return kServeSetupError;
  }
  HttpServer server(io, tls, config.limits, *service);
  if (!server.listen(config.listen, error)) {
    log << "intransit serve: " << text::printable(error) << "\n";
    return kServeSetupError;
  }
  monitor.start();
  const auto at = server.local_endpoint();
  log << "intransit serve: listening on " << (tls ? "https://" : "http://")
      << (at.address().is_v6() ? "[" + at.address().to_string() + "]" : at.address().to_string())
      << ":" << at.port() << "/ (data in " << text::printable(config.data_dir) << ")" << std::endl;
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int) {
    log << "intransit serve: stopping" << std::endl;
    server.stop();
    monitor.stop();
    io.stop();
  });
  io.run();
  return kServeStopped;
}

}  // namespace intransit::serve
