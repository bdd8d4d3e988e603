// text_fields.hpp — the small grammar pieces the policy records share: "name=value; ..." tag
// lists (RFC 8461 §3.1, RFC 8460 §3), LF/CRLF lines (RFC 8461 §3.2), extension names, VCHAR
// values and RFC 5321 Domain syntax. Pure; every function takes explicit lengths.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/text.hpp"

namespace intransit::policy {

struct TagField {
  std::string_view name;
  std::string_view value;
};

// "a=b; c=d;" -> {a,b},{c,d}. Separators are ";" with optional SP/HTAB around; one trailing
// separator is allowed. A field without "=" or an empty field is an error.
std::optional<std::vector<TagField>> split_tag_list(std::string_view text, std::string& error);

// The TXT strings that are records of `version_tag` ("v=STSv1"): the tag followed by the end,
// ";" or whitespace ("v=STSv10" is not one). RFC 8461 §3.1 and RFC 8460 §3 both discard the rest.
std::vector<const std::string*> records_with_version(const std::vector<std::string>& txts,
                                                     std::string_view version_tag);

// Lines ended by LF or CRLF (a CR elsewhere stays in the line, where grammar checks refuse it).
std::vector<std::string_view> split_lines(std::string_view text);

std::string_view trim_wsp(std::string_view s);
// (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")
bool is_extension_name(std::string_view s);
// VCHARs (%x21-7E), with single spaces or tabs between them; not empty.
bool is_vchar_value(std::string_view s);
// RFC 5321 Domain (LDH labels of 1-63, at most 253 in all), optionally after "*.".
bool is_mx_pattern(std::string_view s);
using text::lower;               // core/text.hpp
using text::strip_trailing_dot;  // core/text.hpp

}  // namespace intransit::policy
