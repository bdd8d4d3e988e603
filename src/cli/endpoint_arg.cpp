// endpoint_arg.cpp — see endpoint_arg.hpp.
#include "cli/endpoint_arg.hpp"

#include <charconv>

namespace intransit::cli {

std::optional<boost::asio::ip::tcp::endpoint> parse_endpoint(std::string_view text, std::string& error) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos) {
    error = "'" + std::string(text) + "' is not ADDRESS:PORT";
    return std::nullopt;
  }
  std::string_view host = text.substr(0, colon);
  const std::string_view port_text = text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  unsigned port = 0;
  const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc{} || end != port_text.data() + port_text.size() || port > 65535) {
    error = "'" + std::string(port_text) + "' is not a port number";
    return std::nullopt;
  }
  boost::system::error_code aec;
  const auto address = boost::asio::ip::make_address(std::string(host), aec);
  if (aec) {
    error = "'" + std::string(host) + "' is not an IP address";
    return std::nullopt;
  }
  return boost::asio::ip::tcp::endpoint(address, static_cast<unsigned short>(port));
}

}  // namespace intransit::cli
