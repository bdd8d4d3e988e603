// address_policy.hpp — which addresses a service open to strangers must not connect to (issue 18
// "Safety on the open internet"): the IANA special-purpose address registries (RFC 6890, with
// later entries) plus multicast, as one table of prefixes with the words a report gives. A
// domain typed into `serve` may publish an MX or mta-sts host that resolves to loopback, to the
// operator's private network or to a cloud metadata address; the engine, with
// EngineOptions::allow_private false, asks special_purpose_range() about the resolved address it
// is about to connect to and does not connect when it names a range.
//
// IPv6 forms that carry an IPv4 address are judged by that address: IPv4-mapped ::ffff:0:0/96
// (RFC 4291 §2.5.5.2), NAT64 64:ff9b::/96 (RFC 6052 §2.1) and 6to4 2002::/16 (RFC 3056 §2), so
// ::ffff:10.0.0.1 is as private as 10.0.0.1 and 64:ff9b::8.8.8.8 as public as 8.8.8.8. Pure.
#pragma once

#include <boost/asio/ip/address.hpp>

#include <optional>
#include <string_view>

namespace intransit::check {

// The range `address` is in, in words ("private (RFC 1918)"), or nullopt for an ordinary
// globally reachable unicast address.
std::optional<std::string_view> special_purpose_range(const boost::asio::ip::address& address);

}  // namespace intransit::check
