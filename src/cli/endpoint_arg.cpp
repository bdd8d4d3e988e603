// endpoint_arg.cpp — see endpoint_arg.hpp.
#include "cli/endpoint_arg.hpp"

#include "cli/usage.hpp"

namespace intransit::cli {

std::optional<boost::asio::ip::tcp::endpoint> parse_endpoint(std::string_view text,
                                                             std::string& error) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos) {
    error = "'" + std::string(text) + "' is not ADDRESS:PORT";
    return std::nullopt;
  }
  std::string_view host = text.substr(0, colon);
  const std::string_view port_text = text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  // Port 0 is allowed here: a listener on port 0 takes any free port (tests use it).
  std::optional<unsigned short> port =
      port_text == "0" ? std::optional<unsigned short>(0) : parse_port(port_text, error);
  if (!port) return std::nullopt;
  boost::system::error_code aec;
  const auto address = boost::asio::ip::make_address(std::string(host), aec);
  if (aec) {
    error = "'" + std::string(host) + "' is not an IP address";
    return std::nullopt;
  }
  return boost::asio::ip::tcp::endpoint(address, *port);
}

}  // namespace intransit::cli
