// openapi.hpp — the OpenAPI 3.1 document of the JSON API (docs/schema/serve-openapi.json, built
// into the program so the served document is the shipped one, byte for byte).
#pragma once

#include <string_view>

namespace intransit::serve {
std::string_view openapi_document();
}
