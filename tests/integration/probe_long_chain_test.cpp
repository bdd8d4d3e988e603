// probe_long_chain_test.cpp — RELIABILITY.md items 18 and 59 (issue 14 item 16): a server on
// loopback (port 0, implicit TLS as on port 465, RFC 8314 §3) presents a chain of generated
// certificates that all chain correctly to a root the probe trusts. Verification walks at most
// tls::kMaxVerifyDepth intermediates (Postfix's smtp_tls_scert_verifydepth): a 100-certificate
// chain is not trusted and is reported as cert.chain-too-long; a chain within the cap still is.
#include <gtest/gtest.h>

#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <unistd.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <vector>

#include "smtp/probe.hpp"
#include "tls/ossl_ptr.hpp"
#include "tls/trust_store.hpp"

namespace asio = boost::asio;
using asio::ip::tcp;
using namespace std::chrono_literals;

namespace {

struct Issued {
  intransit::tls::EvpPkeyPtr key;
  intransit::tls::X509Ptr cert;
};

void add_ext(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr) throw std::runtime_error("bad extension");
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

// One certificate named `cn`, signed by `issuer` (itself when null); a CA unless `leaf`.
Issued issue(const std::string& cn, const Issued* issuer, bool leaf, long serial) {
  Issued out;
  out.key.reset(EVP_EC_gen("P-256"));
  out.cert.reset(X509_new());
  X509* c = out.cert.get();
  X509_set_version(c, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(c), serial);
  X509_gmtime_adj(X509_getm_notBefore(c), -86400L);
  X509_gmtime_adj(X509_getm_notAfter(c), 86400L * 30);
  X509_NAME_add_entry_by_txt(X509_get_subject_name(c), "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509* signer_cert = issuer != nullptr ? issuer->cert.get() : c;
  X509_set_issuer_name(c, X509_get_subject_name(signer_cert));
  X509_set_pubkey(c, out.key.get());
  add_ext(c, signer_cert, NID_basic_constraints, leaf ? "critical,CA:FALSE" : "critical,CA:TRUE");
  add_ext(c, signer_cert, NID_key_usage,
          leaf ? "critical,digitalSignature" : "critical,keyCertSign,cRLSign");
  if (leaf) add_ext(c, signer_cert, NID_subject_alt_name, ("DNS:" + cn).c_str());
  EVP_PKEY* signer_key = issuer != nullptr ? issuer->key.get() : out.key.get();
  if (X509_sign(c, signer_key, EVP_sha256()) == 0) throw std::runtime_error("cannot sign");
  return out;
}

// A root, `intermediates` CAs under it in a line, and a leaf for `name` under the last.
struct Chain {
  Issued root;
  std::vector<Issued> cas;  // root-side first
  Issued leaf;
};

Chain make_chain(int intermediates, const std::string& name) {
  Chain chain;
  chain.root = issue("Long Chain Root", nullptr, false, 1);
  const Issued* up = &chain.root;
  chain.cas.reserve(static_cast<std::size_t>(intermediates));
  for (int i = 0; i < intermediates; ++i) {
    chain.cas.push_back(issue("Long Chain CA " + std::to_string(i + 1), up, false, i + 2));
    up = &chain.cas.back();
  }
  chain.leaf = issue(name, up, true, intermediates + 2);
  return chain;
}

std::string write_root(const Chain& chain) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("intransit-long-chain-root-" + std::to_string(::getpid()) + ".pem");
  FILE* f = std::fopen(path.c_str(), "w");
  if (f == nullptr) throw std::runtime_error("cannot write the root");
  PEM_write_X509(f, chain.root.cert.get());
  std::fclose(f);
  return path.string();
}

// Implicit TLS: the handshake first, then a banner and one EHLO reply, then the peer's QUIT.
asio::awaitable<void> serve_one(tcp::acceptor& acceptor, asio::ssl::context& ctx) {
  tcp::socket socket = co_await acceptor.async_accept(asio::use_awaitable);
  asio::ssl::stream<tcp::socket> tls(std::move(socket), ctx);
  boost::system::error_code ec;
  co_await tls.async_handshake(asio::ssl::stream_base::server,
                               asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return;
  co_await asio::async_write(tls, asio::buffer(std::string("220 longchain.test ESMTP\r\n")),
                             asio::redirect_error(asio::use_awaitable, ec));
  std::string line;
  for (int replies = 0; replies < 2 && !ec; ++replies) {
    std::size_t n = co_await asio::async_read_until(tls, asio::dynamic_buffer(line), "\n",
                                                    asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;
    line.erase(0, n);
    co_await asio::async_write(
        tls, asio::buffer(std::string(replies == 0 ? "250 longchain.test\r\n" : "221 bye\r\n")),
        asio::redirect_error(asio::use_awaitable, ec));
  }
}

intransit::smtp::ProbeResult probe_chain(int intermediates) {
  const Chain chain = make_chain(intermediates, "longchain.test");
  asio::io_context io;
  asio::ssl::context ctx(asio::ssl::context::tls_server);
  SSL_CTX* native = ctx.native_handle();
  SSL_CTX_use_certificate(native, chain.leaf.cert.get());
  SSL_CTX_use_PrivateKey(native, chain.leaf.key.get());
  for (auto it = chain.cas.rbegin(); it != chain.cas.rend(); ++it)
    SSL_CTX_add1_chain_cert(native, it->cert.get());
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  asio::co_spawn(io, serve_one(acceptor, ctx), asio::detached);

  const std::string root_file = write_root(chain);
  std::string error;
  intransit::smtp::ProbeOptions o;
  o.endpoint = acceptor.local_endpoint();
  o.server_name = "longchain.test";
  o.mode = intransit::smtp::TlsMode::implicit;
  o.trust = intransit::tls::TrustStore::load(root_file, error);
  std::filesystem::remove(root_file);
  if (!o.trust) throw std::runtime_error(error);
  o.deadlines.total = 20s;
  std::optional<intransit::smtp::ProbeResult> result;
  asio::co_spawn(io, intransit::smtp::probe(o),
                 [&](std::exception_ptr e, intransit::smtp::ProbeResult r) {
                   if (e) std::rethrow_exception(e);
                   result = std::move(r);
                   io.stop();
                 });
  io.run();
  if (!result) throw std::runtime_error("no probe result");
  return std::move(*result);
}

bool has(const intransit::smtp::ProbeResult& r, intransit::FindingId id) {
  return std::find(r.findings.begin(), r.findings.end(), id) != r.findings.end();
}

TEST(LongChain, HundredCertificatesAreNotTrustedAndReported) {
  const auto r = probe_chain(98);  // leaf + 98 CAs + root: 100 certificates
  ASSERT_TRUE(r.tls.has_value()) << r.detail;
  EXPECT_EQ(r.tls->chain.size(), 99U);  // the root is not sent
  EXPECT_FALSE(r.tls->verification.trusted);
  EXPECT_EQ(r.tls->verification.error_code, X509_V_ERR_CERT_CHAIN_TOO_LONG)
      << r.tls->verification.error;
  EXPECT_TRUE(has(r, intransit::FindingId::cert_chain_too_long));
  EXPECT_FALSE(has(r, intransit::FindingId::cert_untrusted));
}

TEST(LongChain, ChainWithinTheCapIsTrusted) {
  const auto r = probe_chain(intransit::tls::kMaxVerifyDepth);
  ASSERT_TRUE(r.tls.has_value()) << r.detail;
  EXPECT_TRUE(r.tls->verification.trusted) << r.tls->verification.error;
  EXPECT_TRUE(r.tls->verification.name_matches.value_or(false));
  EXPECT_FALSE(has(r, intransit::FindingId::cert_chain_too_long));
}

}  // namespace
