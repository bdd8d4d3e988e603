// fuzz_ehlo.cpp — fuzz target for smtp::parse_ehlo (src/smtp/ehlo.hpp), fed by the reply parser
// as on the wire. Properties: every reply line after the greeting ends up either as a keyword
// (upper-case, RFC 5321 ehlo-keyword grammar) or in `malformed`, or was a duplicate; SIZE parsing
// never throws.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.hpp"
#include "smtp/ehlo.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view stream(reinterpret_cast<const char*>(data), size);
  intransit::smtp::ReplyParser parser;
  if (parser.feed(stream).status != intransit::smtp::ReplyParser::Status::complete) return 0;
  const auto& reply = parser.reply();
  const auto caps = intransit::smtp::parse_ehlo(reply);
  if (reply.code != 250) {
    FUZZ_CHECK(caps.keywords.empty() && caps.malformed.empty());
    return 0;
  }
  FUZZ_CHECK(caps.keywords.size() + caps.malformed.size() <= reply.lines.size() - 1);
  if (!caps.duplicates)
    FUZZ_CHECK(caps.keywords.size() + caps.malformed.size() == reply.lines.size() - 1);
  for (const auto& [keyword, params] : caps.keywords) {
    FUZZ_CHECK(!keyword.empty());
    for (char c : keyword) FUZZ_CHECK((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-');
    FUZZ_CHECK(caps.has(keyword));
    for (const auto& p : params) FUZZ_CHECK(!p.empty());
  }
  (void)caps.size_limit();
  return 0;
}
