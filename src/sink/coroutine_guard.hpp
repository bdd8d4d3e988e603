// coroutine_guard.hpp — what the sink and the strip-proxy do with an exception that leaves one
// session's coroutine (RELIABILITY.md item 52): it must never reach the event loop, and must not
// vanish either (Asio's `detached` drops it silently, leaving the session hanging). The session
// is ended by its owner and this writes the one line on stderr that says why.
#pragma once

#include <exception>
#include <iostream>
#include <string>
#include <string_view>

#include "core/text.hpp"

namespace intransit::sink {

// One line on stderr: "WHERE: ended by an internal error: WHAT". Never throws.
inline void log_session_exception(const std::exception_ptr& error,
                                  std::string_view where) noexcept {
  try {
    std::string what = "unknown exception";
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    std::cerr << text::printable(where) << ": ended by an internal error: " << text::printable(what)
              << std::endl;
  } catch (...) {
    // Nothing more can be done without a stream to write to.
  }
}

}  // namespace intransit::sink
