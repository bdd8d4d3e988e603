// untested_reason.cpp — see untested_reason.hpp. One row per reason, in enum order.
#include "check/untested_reason.hpp"

#include <array>
#include <cstddef>

namespace intransit::check {
namespace {

struct Row {
  UntestedReason reason;
  std::string_view text;
  std::string_view words;
};

// no-address-tested and no-network keep the words the summary had before the enum (issue 15
// changes no output): no-network has its own summary, and no-address-tested reads like
// protocol-error.
constexpr std::array kRows{
    Row{UntestedReason::dns_failure, "dns-failure", "DNS lookups failed (SERVFAIL or timeout)"},
    Row{UntestedReason::unreachable, "unreachable", "no mail server could be reached on port 25"},
    Row{UntestedReason::rate_limited, "rate-limited",
        "the mail servers answered 421 (busy or rate-limiting us)"},
    Row{UntestedReason::rejected, "rejected", "the mail servers refused to talk to us"},
    Row{UntestedReason::tarpit, "tarpit", "the mail servers did not answer in time"},
    Row{UntestedReason::protocol_error, "protocol-error",
        "the mail servers' answers could not be understood"},
    Row{UntestedReason::no_address_tested, "no-address-tested",
        "the mail servers' answers could not be understood"},
    Row{UntestedReason::no_network, "no-network",
        "the mail servers' answers could not be understood"},
    Row{UntestedReason::not_permitted, "not-permitted",
        "the mail servers' addresses are ones this service will not connect to"},
};

constexpr bool in_enum_order() {
  for (std::size_t i = 0; i < kRows.size(); ++i) {
    if (static_cast<std::size_t>(kRows[i].reason) != i) return false;
  }
  return kRows.size() == static_cast<std::size_t>(UntestedReason::not_permitted) + 1;
}
static_assert(in_enum_order(), "one row per UntestedReason, in enum order");

}  // namespace

std::string_view to_string(UntestedReason reason) {
  return kRows.at(static_cast<std::size_t>(reason)).text;
}

std::optional<UntestedReason> untested_reason_from_string(std::string_view text) {
  for (const auto& r : kRows) {
    if (r.text == text) return r.reason;
  }
  return std::nullopt;
}

std::string_view summary_words(UntestedReason reason) {
  return kRows.at(static_cast<std::size_t>(reason)).words;
}

}  // namespace intransit::check
