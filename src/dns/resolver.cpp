// resolver.cpp — see resolver.hpp. libunbound's asynchronous API (ub_resolve_async, ub_fd,
// ub_process, ub_cancel) driven from an Asio coroutine; callbacks run inside ub_process, on the
// event loop's thread, and only wake the waiting lookup.
#include "dns/resolver.hpp"

#include <unbound.h>
#include <unistd.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <map>
#include <sstream>

#include "core/text.hpp"

namespace intransit::dns {
namespace asio = boost::asio;

std::string_view to_string(RrType type) {
  switch (type) {
    case RrType::a: return "A";
    case RrType::ns: return "NS";
    case RrType::mx: return "MX";
    case RrType::txt: return "TXT";
    case RrType::aaaa: return "AAAA";
    case RrType::srv: return "SRV";
    case RrType::tlsa: return "TLSA";
    case RrType::smimea: return "SMIMEA";
    case RrType::openpgpkey: return "OPENPGPKEY";
  }
  return "?";
}

std::string_view to_string(Status status) {
  switch (status) {
    case Status::answer: return "answer";
    case Status::nodata: return "nodata";
    case Status::nxdomain: return "nxdomain";
    case Status::servfail: return "servfail";
    case Status::timeout: return "timeout";
    case Status::error: return "error";
  }
  return "?";
}

std::string_view to_string(Security security) {
  switch (security) {
    case Security::secure: return "secure";
    case Security::insecure: return "insecure";
    case Security::bogus: return "bogus";
    case Security::unknown: return "unknown";
  }
  return "?";
}

namespace {

constexpr int kRcodeServfail = 2;
// Validating contexts one process runs at most (each a libunbound thread with its own cache):
// past the cores of any machine a scan runs on, more only multiply the cache memory.
constexpr unsigned kMaxContexts = 16;
constexpr int kClassIn = 1;

bool is_loopback(const std::string& ip) {
  return ip.rfind("127.", 0) == 0 || ip == "::1";
}

// Turns libunbound's result into an Answer, applying the record and byte caps.
Answer to_answer(const std::string& name, RrType type, int err, ub_result* r) {
  Answer a;
  a.name = name;
  a.type = type;
  if (err != 0 || r == nullptr) {
    a.status = Status::error;
    a.why = ub_strerror(err);
    return a;
  }
  if (r->bogus != 0) {
    a.security = Security::bogus;
    a.why = r->why_bogus != nullptr ? r->why_bogus : "DNSSEC validation failed";
  } else if (r->secure != 0) {
    a.security = Security::secure;
  } else {
    a.security = Security::insecure;
  }
  if (r->canonname != nullptr && r->qname != nullptr) {
    const std::string canon(text::strip_trailing_dot(r->canonname));
    if (text::lower(canon) != text::lower(text::strip_trailing_dot(r->qname)))
      a.canonical_name = canon;
  }
  if (r->havedata != 0) {
    a.status = Status::answer;
    std::size_t bytes = 0;
    for (int i = 0; r->data[i] != nullptr; ++i) {
      bytes += static_cast<std::size_t>(r->len[i]);
      if (a.rdata.size() >= limits::kDnsRecordsPerAnswer || bytes > limits::kDnsAnswerBytes) {
        a.status = Status::error;
        a.why = "answer over the limit of " + std::to_string(limits::kDnsRecordsPerAnswer) +
                " records or " + std::to_string(limits::kDnsAnswerBytes) + " bytes";
        a.rdata.clear();
        break;
      }
      const auto* p = reinterpret_cast<const std::uint8_t*>(r->data[i]);
      a.rdata.emplace_back(p, p + r->len[i]);
    }
  } else if (r->nxdomain != 0) {
    a.status = Status::nxdomain;
  } else if (r->rcode == 0) {
    a.status = Status::nodata;
  } else if (r->rcode == kRcodeServfail) {
    a.status = Status::servfail;
    if (a.why.empty()) a.why = "SERVFAIL";
  } else {
    a.status = Status::error;
    a.why = "rcode " + std::to_string(r->rcode);
  }
  // A failed lookup (SERVFAIL without a validation failure, REFUSED, over a cap) says nothing
  // about DNSSEC: "unknown", never "insecure" (RFC 4035 §4.3 indeterminate; RELIABILITY item 58).
  if (a.status == Status::servfail || a.status == Status::error) {
    if (a.security != Security::bogus) a.security = Security::unknown;
  }
  ub_resolve_free(r);
  return a;
}

class UnboundResolver final : public Resolver {
 public:
  UnboundResolver(const asio::any_io_executor& ex, ub_ctx* ctx, std::chrono::milliseconds deadline)
      : ex_(ex), ctx_(ctx), fd_(ex), deadline_(deadline) {}

  ~UnboundResolver() override {
    for (auto& [id, pending] : pending_) ub_cancel(ctx_, id);
    if (fd_.is_open()) fd_.release();  // the descriptor belongs to libunbound
    ub_ctx_delete(ctx_);
  }

  asio::awaitable<Answer> lookup(std::string name, RrType type) override {
    return lookup_within(std::move(name), type, deadline_);
  }

  asio::awaitable<Answer> lookup_within(std::string name, RrType type,
                                        std::chrono::milliseconds deadline) override {
    Pending pending(ex_);
    pending.name = name;
    pending.type = type;
    int id = 0;
    ++lookups_;
    const int err = ub_resolve_async(ctx_, name.c_str(), static_cast<int>(type), kClassIn, &pending,
                                     &UnboundResolver::on_result, &id);
    if (err != 0) {
      Answer a;
      a.name = name;
      a.type = type;
      a.why = ub_strerror(err);
      co_return a;
    }
    pending_.emplace(id, &pending);
    start_pump();
    pending.timer.expires_after(deadline);
    boost::system::error_code ec;
    co_await pending.timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    pending_.erase(id);
    // The pump waits on libunbound's descriptor only while lookups are outstanding; without
    // this its wait would keep the io_context running after the last answer.
    if (pending_.empty()) fd_.cancel();
    if (!pending.done) {
      ub_cancel(ctx_, id);  // the callback will not run after this
      Answer a;
      a.name = name;
      a.type = type;
      a.status = Status::timeout;
      a.why = "no answer within " + std::to_string(deadline.count()) + " ms";
      co_return a;
    }
    co_return std::move(pending.answer);
  }

  std::size_t lookups() const override { return lookups_; }

  bool open_fd(std::string& error) {
    const int fd = ub_fd(ctx_);
    if (fd < 0) {
      error = "libunbound gave no descriptor";
      return false;
    }
    fd_.assign(fd);
    return true;
  }

 private:
  struct Pending {
    explicit Pending(const asio::any_io_executor& ex) : timer(ex) {}
    std::string name;
    RrType type = RrType::a;
    asio::steady_timer timer;
    bool done = false;
    Answer answer;
  };

  static void on_result(void* data, int err, ub_result* result) {
    auto* pending = static_cast<Pending*>(data);
    pending->answer = to_answer(pending->name, pending->type, err, result);
    pending->done = true;
    pending->timer.cancel();
  }

  void start_pump() {
    if (pumping_) return;
    pumping_ = true;
    asio::co_spawn(ex_, pump(this), asio::detached);
  }

  // Waits for libunbound's descriptor while lookups are outstanding and lets it deliver.
  static asio::awaitable<void> pump(UnboundResolver* self) {
    while (!self->pending_.empty()) {
      boost::system::error_code ec;
      co_await self->fd_.async_wait(asio::posix::stream_descriptor::wait_read,
                                    asio::redirect_error(asio::use_awaitable, ec));
      // A cancel from a lookup that ended as the last one may arrive after the next lookup
      // began (it found this pump still running and started none): the loop's condition decides,
      // else that lookup's answer would wait on a descriptor nobody watches until its deadline.
      if (ec == asio::error::operation_aborted) continue;
      if (ec) break;
      ub_process(self->ctx_);
    }
    self->pumping_ = false;
  }

  asio::any_io_executor ex_;
  ub_ctx* ctx_;
  asio::posix::stream_descriptor fd_;
  std::chrono::milliseconds deadline_;
  std::map<int, Pending*> pending_;
  bool pumping_ = false;
  std::size_t lookups_ = 0;
};

// The name without its leading underscore labels: _mta-sts.D, _smtp._tls.D and _25._tcp.D
// belong with D.
std::string_view owner_of(std::string_view name) {
  while (name.starts_with('_')) {
    const auto dot = name.find('.');
    if (dot == std::string_view::npos) break;
    name.remove_prefix(dot + 1);
  }
  return name;
}

// Several contexts behind one Resolver: a lookup goes to the context its owner name hashes to,
// so each context's cache holds its own share of the names (the zones' keys are learnt by
// each). A domain's lookups meet in one cache: the NSEC record that denies _mta-sts.D usually
// denies _smtp._tls.D too, and unbound neither asks again for what it can deny from a
// validated NSEC (RFC 8198) nor verifies an RRset's signature twice.
class PooledResolver final : public Resolver {
 public:
  explicit PooledResolver(std::vector<std::unique_ptr<Resolver>> contexts)
      : contexts_(std::move(contexts)) {}

  // The context is picked in a statement of its own: GCC 12 moved `name` into the argument
  // before evaluating pick(name) in `co_await pick(name).lookup(std::move(name), ...)`, so every
  // lookup hashed the empty name and went to the first context.
  asio::awaitable<Answer> lookup(std::string name, RrType type) override {
    Resolver& context = pick(name);
    Answer answer = co_await context.lookup(std::move(name), type);
    co_return answer;
  }

  asio::awaitable<Answer> lookup_within(std::string name, RrType type,
                                        std::chrono::milliseconds deadline) override {
    Resolver& context = pick(name);
    Answer answer = co_await context.lookup_within(std::move(name), type, deadline);
    co_return answer;
  }

  std::size_t lookups() const override {
    std::size_t n = 0;
    for (const auto& c : contexts_) n += c->lookups();
    return n;
  }

 private:
  Resolver& pick(const std::string& name) {
    const auto key = text::lower(owner_of(name));
    return *contexts_[std::hash<std::string>{}(key) % contexts_.size()];
  }
  std::vector<std::unique_ptr<Resolver>> contexts_;
};

// True when `path` holds at least one record of one of `types` (zone-file syntax, ";" comments):
// an empty or garbage file is a usage error, not a silent fallback. libunbound would replace
// root hints without an NS record by the real root servers' addresses (issue 14 item 12).
bool holds_record(const std::string& path, std::initializer_list<std::string_view> types) {
  std::ifstream in(path);
  std::string line;
  for (std::size_t n = 0; n < 100000 && std::getline(in, line); ++n) {
    line = line.substr(0, line.find(';'));
    std::istringstream words(line);
    std::string word;
    while (words >> word) {
      for (auto t : types) {
        if (text::equals_lower(word, t)) return true;
      }
    }
  }
  return false;
}

bool set(ub_ctx* ctx, const char* option, const std::string& value, std::string& error) {
  const int err = ub_ctx_set_option(ctx, option, value.c_str());
  if (err != 0)
    error = std::string("resolver option ") + option + " " + value + ": " + ub_strerror(err);
  return err == 0;
}

}  // namespace

namespace {

std::unique_ptr<Resolver> create_context(const asio::any_io_executor& ex,
                                         const ResolverOptions& options, std::string& error) {
  ub_ctx* ctx = ub_ctx_create();
  if (ctx == nullptr) {
    error = "libunbound could not create a context";
    return nullptr;
  }
  auto resolver = std::make_unique<UnboundResolver>(ex, ctx, options.deadline);
  // Threads, not a forked process: results arrive on ub_fd either way.
  int err = ub_ctx_async(ctx, 1);
  // libunbound reads the hints only at the first lookup; a bad path is a usage error now.
  if (!options.root_hints.empty() && access(options.root_hints.c_str(), R_OK) != 0) {
    error = "root hints " + options.root_hints + " are not readable";
    return nullptr;
  }
  if (!options.root_hints.empty() && !holds_record(options.root_hints, {"ns"})) {
    error = "root hints " + options.root_hints + " hold no NS record";
    return nullptr;
  }
  if (err == 0 && !options.root_hints.empty())
    err = ub_ctx_set_option(ctx, "root-hints:", options.root_hints.c_str());
  if (err != 0) {
    error = "root hints " + options.root_hints + ": " + ub_strerror(err);
    return nullptr;
  }
  // A private root (root hints) or a forwarder on this host live on loopback, which unbound
  // refuses to query by default.
  const bool local = !options.root_hints.empty() || is_loopback(options.forward);
  if (local && !set(ctx, "do-not-query-localhost:", "no", error)) return nullptr;
  if (!options.qname_minimisation && !set(ctx, "qname-minimisation:", "no", error)) return nullptr;
  if (!options.forward.empty()) {
    err = ub_ctx_set_fwd(ctx, options.forward.c_str());
    if (err != 0) {
      error = "resolver " + options.forward + ": " + ub_strerror(err);
      return nullptr;
    }
  }
  const std::string anchor =
      options.trust_anchor.empty() ? kDefaultTrustAnchor : options.trust_anchor;
  if (access(anchor.c_str(), R_OK) != 0) {
    error = "trust anchor " + anchor + " is not readable";
    return nullptr;
  }
  if (!holds_record(anchor, {"ds", "dnskey"})) {
    error = "trust anchor " + anchor + " holds no DS or DNSKEY record";
    return nullptr;
  }
  err = ub_ctx_add_ta_file(ctx, anchor.c_str());
  // libunbound reads the anchor when it sets itself up, at the first lookup or zone change;
  // removing a zone that does not exist makes it do so now, so a file it cannot parse is a
  // usage error here and not a failure of every lookup later.
  if (err == 0) err = ub_ctx_zone_remove(ctx, "intransit-setup-check.invalid.");
  if (err != 0) {
    error = "trust anchor " + anchor +
            (options.root_hints.empty() ? "" : " or root hints " + options.root_hints) +
            " not usable: " + ub_strerror(err);
    return nullptr;
  }
  // With a private root or a forwarder, RFC 6761 names such as .test may be real zones there;
  // unbound would otherwise answer them locally with NXDOMAIN.
  if (!options.root_hints.empty() || !options.forward.empty()) {
    for (const char* zone : {"test.", "invalid."}) {
      err = ub_ctx_zone_add(ctx, zone, "nodefault");
      if (err != 0) {
        error = std::string("resolver zone ") + zone + ": " + ub_strerror(err);
        return nullptr;
      }
    }
  }
  if (!resolver->open_fd(error)) return nullptr;
  return resolver;
}

}  // namespace

std::unique_ptr<Resolver> Resolver::create(const asio::any_io_executor& ex,
                                           const ResolverOptions& options, std::string& error) {
  if (options.contexts <= 1) return create_context(ex, options, error);
  std::vector<std::unique_ptr<Resolver>> contexts;
  for (unsigned i = 0; i < std::min(options.contexts, kMaxContexts); ++i) {
    auto context = create_context(ex, options, error);
    if (context == nullptr) return nullptr;
    contexts.push_back(std::move(context));
  }
  return make_pool(std::move(contexts));
}

std::unique_ptr<Resolver> make_pool(std::vector<std::unique_ptr<Resolver>> members) {
  return std::make_unique<PooledResolver>(std::move(members));
}

}  // namespace intransit::dns
