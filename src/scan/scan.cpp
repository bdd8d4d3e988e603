// scan.cpp — see scan.hpp. Coroutines are free functions taking what they use as parameters
// (a lambda's captures would die before the coroutine runs); all run on one event-loop thread.
#include "scan/scan.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <filesystem>
#include <thread>

#include "core/limits.hpp"
#include "report/check_report.hpp"
#include "scan/input.hpp"
#include "scan/progress.hpp"

namespace intransit::scan {
namespace asio = boost::asio;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

// What the workers share.
struct Run {
  InputReader* input = nullptr;
  check::Engine* engine = nullptr;
  const ExcludeList* exclude = nullptr;
  LineWriter* writer = nullptr;
  std::unordered_set<std::uint64_t> done;  // domains already in the file (--resume)
  Tally tally;
  std::size_t in_flight = 0;
  std::size_t workers = 0;      // running now: `concurrency`, plus one per parked domain
  std::size_t concurrency = 1;  // domains at work at once (--dns-concurrency)
  bool stopping = false;        // a signal: take no new domain
  bool interrupted = false;     // stopped before the input's end
  bool write_failed = false;
  asio::signal_set* signals = nullptr;
  asio::steady_timer* ticker = nullptr;
};

void record(Run& run, const json& line, const std::string& verdict) {
  if (!run.writer->write(line)) {
    run.write_failed = true;
    run.stopping = true;
    return;
  }
  run.tally.add(verdict);
}

asio::awaitable<void> audit_one(Run& run, std::string domain) {
  ++run.in_flight;
  try {
    const check::DomainReport report = co_await run.engine->audit(domain);
    json doc = report::check_to_json(report.facts, report.assessment);
    const std::string verdict = doc.value("verdict", "?");
    record(run, doc, verdict);
  } catch (const std::exception&) {  // an audit that failed inside: counted, never fatal
    ++run.tally.errors;
  }
  --run.in_flight;
}

asio::awaitable<void> worker(Run& run) {
  while (!run.stopping) {
    // A parked domain came back: the extra worker that took its place retires.
    if (run.workers > run.concurrency + run.engine->parked()) break;
    auto domain = run.input->next();
    if (!domain) break;
    if (run.done.count(fnv1a64(*domain)) > 0) continue;  // --resume: already there
    if (run.exclude != nullptr && run.exclude->excludes_domain(*domain)) {
      record(run, skipped_json(*domain, "excluded"), "skipped");
      continue;
    }
    co_await audit_one(run, std::move(*domain));
  }
  if (run.stopping) run.interrupted = true;
  if (--run.workers == 0) {  // the last one out ends the signal wait and the progress line
    boost::system::error_code ignored;
    run.signals->cancel(ignored);
    run.ticker->cancel();
  }
}

asio::awaitable<void> ticker(Run& run, ProgressLine& line, bool enabled) {
  while (run.workers > 0) {
    run.ticker->expires_after(std::chrono::seconds(1));
    boost::system::error_code ec;
    co_await run.ticker->async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (enabled) line.show(run.tally, run.in_flight);
  }
  if (enabled) line.finish(run.tally);
}

void on_signal(Run& run, std::ostream& out, const boost::system::error_code& ec, int) {
  if (ec) return;
  run.stopping = true;
  out << "intransit scan: stopping: " << run.in_flight
      << " domain(s) in flight finish within their deadlines, then the footer is written\n";
}

// --resume: what the file holds, checked against this run (same input, options and shard).
bool resume_from(const ScanConfig& config, const json& header, Run& run, std::int64_t& keep,
                 std::string& error) {
  keep = -1;
  if (!config.resume || config.output == "-" || !std::filesystem::exists(config.output)) {
    return true;
  }
  auto file = read_scan_file(config.output, error);
  if (!file) return false;
  for (const char* field : {"input_sha256", "options", "shard"}) {
    if ((*file->header)[field] != header[field]) {
      error = config.output + " was written with another " + field +
              " (--resume continues the same scan only)";
      return false;
    }
  }
  run.done = std::move(file->done);
  run.tally = file->tally;
  keep = static_cast<std::int64_t>(file->keep_bytes);
  return true;
}

}  // namespace

json options_json(const ScanConfig& config, const check::EngineOptions& engine) {
  return {{"column", config.column},
          {"sweep", engine.sweep},
          {"helo", engine.helo_name},
          {"contact", config.contact},
          {"timeout_seconds", std::chrono::duration<double>(engine.deadlines.total).count()},
          {"dns_timeout_seconds", std::chrono::duration<double>(engine.dns.deadline).count()},
          {"per_address", config.politeness.per_address},
          {"rate", config.politeness.rate},
          {"max_connections", config.politeness.max_connections},
          {"dns_concurrency", config.concurrency},
          {"exclude", !config.exclude.empty()}};
}

ScanResult run_scan(const ScanConfig& config, check::EngineOptions engine_options,
                    std::ostream& progress_out) {
  ScanResult result;
  const auto fail = [&result](std::string error) {
    result.status = ScanStatus::bad_setup;
    result.error = std::move(error);
    return result;
  };
  std::shared_ptr<const ExcludeList> exclude;
  if (!config.exclude.empty()) {
    auto list = ExcludeList::load(config.exclude, result.error);
    if (!list) return fail(result.error);
    exclude = std::make_shared<const ExcludeList>(std::move(*list));
  }
  auto input = InputReader::open(config.input, config.column, config.shard, result.error);
  if (!input) return fail(result.error);
  const std::string started = utc_now();
  const json header = header_json(options_json(config, engine_options), input->stats().sha256,
                                  started, config.shard);
  Run run;
  std::int64_t keep = -1;
  if (!resume_from(config, header, run, keep, result.error)) return fail(result.error);

  asio::io_context io;
  engine_options.max_audits_in_flight = std::max<std::size_t>(config.concurrency, 1);
  engine_options.probe_cache_entries = std::max<std::size_t>(config.probe_cache_entries, 1);
  // DNSSEC validation is a scan's bottleneck: one validating context per core (bench/README.md
  // scan section), and no QNAME minimisation (one query less per domain: resolver.hpp).
  engine_options.dns.contexts = std::max(1U, std::thread::hardware_concurrency());
  engine_options.dns.qname_minimisation = false;
  const auto gate = std::make_shared<PoliteGate>(io.get_executor(), config.politeness, exclude);
  engine_options.gate = gate;
  auto engine = check::Engine::create(io.get_executor(), engine_options, result.error);
  if (!engine) return fail(result.error);
  LineWriter writer;
  if (!writer.open(config.output, keep, result.error)) return fail(result.error);
  if (keep < 0 && !writer.write(header)) return fail(writer.error());

  run.input = input.get();
  run.engine = engine.get();
  run.exclude = exclude.get();
  run.writer = &writer;
  asio::signal_set signals(io, SIGINT, SIGTERM);
  asio::steady_timer tick(io);
  run.signals = &signals;
  run.ticker = &tick;
  signals.async_wait([&run, &progress_out](const boost::system::error_code& ec, int n) {
    on_signal(run, progress_out, ec, n);
  });
  const auto begun = Clock::now();
  run.concurrency = std::max<std::size_t>(config.concurrency, 1);
  run.workers = run.concurrency;
  for (std::size_t i = 0, n = run.workers; i < n; ++i) {
    asio::co_spawn(io, worker(run), asio::detached);
  }
  // A domain waiting for a slow server's shared probe gives its audit slot up (Engine::parked):
  // another worker takes it, up to kScanParkedDomains more, so a tarpit does not stall the rest.
  engine->on_park([&run, &io] {
    if (!run.stopping && run.workers < run.concurrency + limits::kScanParkedDomains) {
      ++run.workers;
      asio::co_spawn(io, worker(run), asio::detached);
    }
  });
  ProgressLine line(progress_out, input->stats().in_shard, run.done.size());
  asio::co_spawn(io, ticker(run, line, config.progress), asio::detached);
  io.run();

  run.tally.errors = input->invalid();
  const double elapsed = std::chrono::duration<double>(Clock::now() - begun).count();
  const bool complete = !run.interrupted && !run.write_failed;
  json footer = footer_json(run.tally, elapsed, utc_now(), complete);
  const auto* cache = engine->probe_cache();
  result.connections = cache != nullptr ? cache->probes_run() : 0;
  footer["probes"] = {{"connections", result.connections},
                      {"shared", cache != nullptr ? cache->shared() : 0}};
  footer["backoff"] = {{"pauses", gate->backoff_pauses()}, {"waits", gate->backoff_waits()}};
  if (!run.write_failed && !writer.write(footer)) run.write_failed = true;
  result.tally = run.tally;
  if (run.write_failed) {
    result.status = ScanStatus::write_failed;
    result.error = writer.error();
  } else if (!complete) {
    result.status = ScanStatus::interrupted;
  }
  return result;
}

}  // namespace intransit::scan
