// payload.cpp — see payload.hpp. Concatenated gzip members (RFC 1952 §2.2) are read as one stream.
#include "tlsrpt/payload.hpp"

#include <zlib.h>

#include <memory>

#include "core/limits.hpp"

namespace intransit::tlsrpt {
namespace {

constexpr std::size_t kChunk = 64 * 1024;

struct ZStream {
  z_stream z{};
  bool ok = false;
  ZStream() { ok = inflateInit2(&z, 16 + MAX_WBITS) == Z_OK; }
  ~ZStream() {
    if (ok) inflateEnd(&z);
  }
  ZStream(const ZStream&) = delete;
  ZStream& operator=(const ZStream&) = delete;
};

bool too_big(std::size_t out, std::size_t in, std::string& error) {
  if (out > limits::tlsrpt::kReportBytes) {
    error = "gzip decompresses past " + std::to_string(limits::tlsrpt::kReportBytes >> 20U) +
            " MiB: refused (a gzip bomb or no report)";
    return true;
  }
  if (out > limits::tlsrpt::kRatioFloorBytes && out > in * limits::tlsrpt::kGzipRatio) {
    error = "gzip expands more than " + std::to_string(limits::tlsrpt::kGzipRatio) +
            " times: refused as a gzip bomb";
    return true;
  }
  return false;
}

std::optional<Payload> inflate_all(std::string_view bytes, std::string& error) {
  ZStream zs;
  if (!zs.ok) {
    error = "zlib could not start";
    return std::nullopt;
  }
  Payload out;
  out.gzip = true;
  zs.z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  zs.z.avail_in = static_cast<uInt>(bytes.size());
  auto buf = std::make_unique<char[]>(kChunk);
  for (;;) {
    zs.z.next_out = reinterpret_cast<Bytef*>(buf.get());
    zs.z.avail_out = kChunk;
    const int rc = inflate(&zs.z, Z_NO_FLUSH);
    out.json.append(buf.get(), kChunk - zs.z.avail_out);
    if (too_big(out.json.size(), bytes.size(), error)) return std::nullopt;
    if (rc == Z_STREAM_END) {
      const std::string_view rest = bytes.substr(bytes.size() - zs.z.avail_in);
      if (rest.empty()) return out;
      if (!is_gzip(rest)) {
        out.notes.push_back({"gzip-trailing-bytes",
                             std::to_string(rest.size()) + " byte(s) after the gzip data ignored"});
        return out;
      }
      inflateReset(&zs.z);  // another member follows
      continue;
    }
    if (rc == Z_BUF_ERROR) {
      error = "gzip data ends early (truncated)";
      return std::nullopt;
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      error = std::string("gzip data is corrupt: ") + (zs.z.msg ? zs.z.msg : "inflate failed");
      return std::nullopt;
    }
  }
}

}  // namespace

bool is_gzip(std::string_view bytes) {
  return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
         static_cast<unsigned char>(bytes[1]) == 0x8b;
}

std::optional<Payload> decode_payload(std::string_view bytes, std::string& error) {
  if (bytes.size() > limits::tlsrpt::kCompressedBytes) {
    error = "larger than " + std::to_string(limits::tlsrpt::kCompressedBytes >> 20U) + " MiB";
    return std::nullopt;
  }
  if (is_gzip(bytes)) return inflate_all(bytes, error);
  Payload out;
  out.json.assign(bytes);
  return out;
}

}  // namespace intransit::tlsrpt
