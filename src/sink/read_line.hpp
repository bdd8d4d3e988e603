// read_line.hpp — a LineReader (line_reader.hpp) fed from any stream as a coroutine: reads a
// chunk at a time until a line, an over-long line, or the end of the stream.
#pragma once

#include <utility>  // Boost 1.74 awaitable.hpp uses std::exchange without including it

#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/system/error_code.hpp>

#include <array>
#include <string>

#include "sink/line_reader.hpp"

namespace intransit::sink {

// `read_some(boost::asio::mutable_buffer, boost::system::error_code&)` returns an
// awaitable<std::size_t>: the bytes read, with `ec` set when the stream ended or failed.
template <class ReadSome>
boost::asio::awaitable<LineStatus> read_line(LineReader& reader, std::string& line,
                                             ReadSome read_some) {
  std::array<char, 4096> chunk{};
  for (;;) {
    const LineStatus status = reader.next(line);
    if (status != LineStatus::more) co_return status;
    boost::system::error_code ec;
    const std::size_t n = co_await read_some(boost::asio::buffer(chunk), ec);
    reader.append(std::string_view(chunk.data(), n));
    if (ec && n == 0) co_return LineStatus::closed;
  }
}

}  // namespace intransit::sink
