// utf8_repair.hpp — making a report's bytes valid UTF-8 before it is parsed (RFC 8259 §8.1
// requires UTF-8; RFC 3629 §4 defines well-formed): each byte that is not part of a well-formed
// sequence becomes U+FFFD. The count is reported so the repair is never silent. Pure.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace intransit::tlsrpt {

std::string utf8_repair(std::string_view bytes, std::size_t& replaced);
// Drops an incomplete UTF-8 sequence left at the end of `s` by a cut.
void utf8_trim_partial(std::string& s);

}  // namespace intransit::tlsrpt
