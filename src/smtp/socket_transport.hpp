// socket_transport.hpp — the probe's real wire (transport.hpp): a TCP socket with an OpenSSL
// client stream over it, and a steady_timer watchdog.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ssl/context.hpp>

#include <memory>

#include "smtp/transport.hpp"

namespace intransit::smtp {

std::unique_ptr<Transport> make_socket_transport(const boost::asio::any_io_executor& executor,
                                                 boost::asio::ssl::context& tls);
using intransit::make_steady_deadline;  // core/deadline_source.hpp

}  // namespace intransit::smtp
