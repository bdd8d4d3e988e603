// scripted_client.cpp — see scripted_client.hpp.
#include "support/scripted_client.hpp"

namespace intransit::test {

boost::asio::awaitable<void> ScriptedClient::handshake(boost::asio::ssl::context& /*tls*/,
                                                       boost::system::error_code& ec) {
  co_await peer_.handshake(ec);
  if (!ec) secure_ = true;
}

}  // namespace intransit::test
