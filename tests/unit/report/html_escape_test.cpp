// html_escape_test.cpp — the HTML report's one output boundary (report/html/escape.hpp,
// writer.hpp) against hostile strings, and the input reader's errors and limits
// (report/html/input.hpp; RELIABILITY.md items 36, 51).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "report/html/document.hpp"
#include "report/html/escape.hpp"
#include "report/html/input.hpp"
#include "report/html/render.hpp"
#include "report/html/writer.hpp"

namespace intransit::report::html {
namespace {

TEST(HtmlEscape, MarkupCharacters) {
  EXPECT_EQ(escaped("<script>alert('x')</script>"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
  EXPECT_EQ(escaped("a&b \"q\""), "a&amp;b &quot;q&quot;");
  EXPECT_EQ(escaped("mx.example.org"), "mx.example.org");
}

TEST(HtmlEscape, ControlsAndInvalidUtf8BecomeVisibleText) {
  const std::string hostile = std::string("a\0b", 3) + "\x1b[2J\xff<";
  const auto out = escaped(hostile);
  EXPECT_EQ(out.find('\0'), std::string::npos);
  EXPECT_EQ(out.find('\x1b'), std::string::npos);
  EXPECT_EQ(out.find('<'), std::string::npos);
  EXPECT_NE(out.find("\\xff"), std::string::npos);
  EXPECT_NE(out.find("&lt;"), std::string::npos);
  EXPECT_EQ(escaped("caf\xc3\xa9 \xe2\x9c\x94"), "caf\xc3\xa9 \xe2\x9c\x94");  // valid UTF-8 kept
}

TEST(HtmlWriter, InputTextIsAlwaysEscaped) {
  Writer w;
  const std::string domain = "\"><img src=x onerror=alert(1)>";
  w << "<td title=\"" << Esc{domain} << "\">" << Esc{domain} << "</td>" << 42;
  EXPECT_EQ(w.str(),
            "<td title=\"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;\">&quot;&gt;&lt;img src=x "
            "onerror=alert(1)&gt;</td>42");
}

TEST(HtmlRender, HostileDomainNeverBecomesMarkup) {
  Collection c;
  const std::string evil = "<script>alert(1)</script>.example";
  nlohmann::json check = {{"schema", "intransit.check/1"},
                          {"domain", evil},
                          {"verdict", "plaintext"},
                          {"summary", "</p><script>x()</script>"},
                          {"findings",
                           {{{"id", "<b>"},
                             {"severity", "high"},
                             {"evidence", "<i>"},
                             {"remedy", "&"},
                             {"rfc", "RFC 5321 \u00A74\"><x>"}}}},
                          {"mx", {{{"host", "<mx>"}, {"addresses", {{{"ip", "<ip>"}}}}}}}};
  c.add(Document{Kind::check, check, 1}, "f");
  const auto one = render_report(c, {});
  c.add(Document{Kind::check, check, 2}, "f");
  const auto population = render_report(c, {});
  for (const auto& page : {one, population}) {
    EXPECT_EQ(page.find("<script>alert"), std::string::npos);
    EXPECT_EQ(page.find("<script>x"), std::string::npos);
    EXPECT_EQ(page.find("<mx>"), std::string::npos);
    EXPECT_EQ(page.find("<x>"), std::string::npos);
    // Exactly one script element: the page's own filter.
    EXPECT_EQ(page.find("<script>"), page.rfind("<script>"));
  }
  EXPECT_NE(one.find("&lt;script&gt;alert(1)&lt;/script&gt;.example"), std::string::npos);
  EXPECT_NE(one.find("rfc5321#section-4"), std::string::npos);
}

TEST(HtmlDocument, CspNamesTheHashOfTheScript) {
  const auto csp = content_security_policy();
  EXPECT_NE(csp.find("default-src 'none'"), std::string::npos);
  EXPECT_NE(csp.find("'" + filter_script_hash() + "'"), std::string::npos);
  EXPECT_EQ(filter_script_hash().rfind("sha256-", 0), 0u);
  EXPECT_EQ(filter_script_hash().size(), 7u + 44u);  // 32 bytes in base64
  const auto page = render_report(Collection{}, {});
  const std::string script = "<script>" + std::string(filter_script()) + "</script>";
  EXPECT_NE(page.find(script), std::string::npos);
}

std::vector<Document> parse(const std::string& content) {
  std::vector<Document> docs;
  parse_documents(content, "in.jsonl", [&](Document&& d) { docs.push_back(std::move(d)); });
  return docs;
}

std::string error_of(const std::string& content) {
  try {
    parse(content);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(HtmlInput, JsonLinesAndPrettyDocuments) {
  const auto lines = parse(
      "{\"schema\":\"intransit.scan/1\",\"type\":\"header\"}\n\n"
      "{\"schema\":\"intransit.check/1\",\"domain\":\"a.test\"}\r\n"
      "{\"schema\":\"intransit.scan/1\",\"type\":\"footer\"}");
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].kind, Kind::scan_header);
  EXPECT_EQ(lines[1].kind, Kind::check);
  EXPECT_EQ(lines[1].line, 3u);
  EXPECT_EQ(lines[2].kind, Kind::scan_footer);
  const auto pretty =
      parse("\n{\n  \"schema\": \"intransit.sink-report/1\",\n  \"senders\": []\n}\n");
  ASSERT_EQ(pretty.size(), 1u);
  EXPECT_EQ(pretty[0].kind, Kind::sink_report);
}

TEST(HtmlInput, ErrorsNameTheFileAndLine) {
  EXPECT_EQ(error_of("{\"schema\":\"intransit.check/1\"}\n{\"schema\":\"x/9\"}\n"),
            "in.jsonl:2: unknown schema \"x/9\"");
  EXPECT_EQ(error_of("{\"domain\":\"a\"}\n"),
            "in.jsonl:1: no \"schema\" field: not an intransit JSON document");
  EXPECT_EQ(error_of("").rfind("in.jsonl:1: no document", 0), 0u);
  EXPECT_EQ(error_of("{\"schema\":\"intransit.check/1\"}\n{broken\n")
                .rfind("in.jsonl:2: invalid JSON", 0),
            0u);
  EXPECT_EQ(error_of("{\n\"schema\": \"intransit.check/1\",\n\"x\": [1,,2]\n}\n")
                .rfind("in.jsonl:3: invalid JSON", 0),
            0u);
  EXPECT_EQ(error_of("[1,2]\n"), "in.jsonl:1: not a JSON object (expected an intransit document)");
}

TEST(HtmlInput, DeepNestingIsRefused) {
  const std::string deep = "{\"schema\":\"intransit.check/1\",\"x\":" + std::string(100000, '[') +
                           std::string(100000, ']') + "}";
  EXPECT_NE(error_of(deep).find("nested deeper than 64"), std::string::npos);
}

}  // namespace
}  // namespace intransit::report::html
