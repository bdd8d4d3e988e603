// endpoint_arg.hpp — "ADDR:PORT" and "[V6ADDR]:PORT" from the command line, as an Asio endpoint.
// Only literal addresses: a listener or an upstream named by a DNS name would make the tool's
// own address depend on a lookup.
#pragma once

#include <utility>

#include <boost/asio/ip/tcp.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace intransit::cli {

std::optional<boost::asio::ip::tcp::endpoint> parse_endpoint(std::string_view text,
                                                             std::string& error);

}  // namespace intransit::cli
