// input.cpp — see input.hpp. A file whose first non-blank line is a whole JSON value is JSON
// Lines; otherwise the whole file is one document (`check`, `trace` and `sink report` indent a
// single document).
#include "report/html/input.hpp"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>

#include "report/html/fast_row.hpp"

namespace intransit::report::html {
namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& name, std::size_t line, const std::string& what) {
  throw InputError(name + ":" + std::to_string(line) + ": " + what);
}

std::optional<Kind> kind_of(std::string_view schema, const json& doc) {
  if (schema == "intransit.check/1") return Kind::check;
  if (schema == "intransit.trace/1") return Kind::trace;
  if (schema == "intransit.trace-summary/1") return Kind::trace_summary;
  if (schema == "intransit.sink-report/1") return Kind::sink_report;
  if (schema == "intransit.outbound/1") return Kind::outbound;
  if (schema == "intransit.keys/1") return Kind::keys;
  if (schema == "intransit.client/1") return Kind::client;
  if (schema == "intransit.scan/1") {
    const auto type = doc.find("type");
    if (type != doc.end() && *type == "header") return Kind::scan_header;
    if (type != doc.end() && *type == "footer") return Kind::scan_footer;
  }
  return std::nullopt;
}

// Parses one JSON value, refusing nesting deeper than kMaxJsonDepth; nullopt with `error` set
// when it is not valid JSON.
std::optional<json> parse_value(std::string_view text, std::string& error, std::size_t& byte) {
  const json::parser_callback_t depth_guard = [](int depth, json::parse_event_t, json&) {
    if (depth > kMaxJsonDepth) throw InputError("JSON nested deeper than 64 levels");
    return true;
  };
  try {
    return json::parse(text.begin(), text.end(), depth_guard);
  } catch (const json::parse_error& e) {
    error = e.what();
    byte = e.byte;
  } catch (const InputError& e) {
    error = e.what();
  }
  return std::nullopt;
}

Document classify(json doc, const std::string& name, std::size_t line) {
  if (!doc.is_object()) fail(name, line, "not a JSON object (expected an intransit document)");
  const auto schema = doc.find("schema");
  if (schema == doc.end() || !schema->is_string())
    fail(name, line, "no \"schema\" field: not an intransit JSON document");
  const auto kind = kind_of(schema->get_ref<const std::string&>(), doc);
  if (!kind) fail(name, line, "unknown schema \"" + schema->get<std::string>() + "\"");
  return Document{*kind, std::move(doc), line};
}

// Splits a byte stream into documents: JSON Lines when the first non-blank line is a whole
// value, else one document spanning the rest of the input. Memory stays bounded by
// kMaxDocumentBytes however long the input (a pipe from /dev/zero included, item 54).
class DocumentStream {
 public:
  DocumentStream(const std::string& name, const std::function<void(Document&&)>& on_document,
                 bool check_rows)
      : name_(name),
        on_document_(on_document),
        fast_(check_rows ? std::make_unique<FastRowReader>() : nullptr) {}

  void feed(std::string_view chunk) {
    pending_.append(chunk);
    if (whole_) return check_whole_size();
    std::size_t pos = 0;
    for (auto nl = pending_.find('\n'); nl != std::string::npos; nl = pending_.find('\n', pos)) {
      if (!take_line(std::string_view(pending_).substr(pos, nl - pos))) {
        pending_.erase(0, pos);
        return check_whole_size();
      }
      pos = nl + 1;
    }
    pending_.erase(0, pos);
    if (pending_.size() > kMaxDocumentBytes) fail(name_, line_ + 1, "line longer than 64 MiB");
  }

  void finish() {
    if (!whole_ && !pending_.empty() && take_line(pending_)) pending_.clear();
    if (whole_) parse_whole();
    if (documents_ == 0) fail(name_, 1, "no document (empty input)");
  }

 private:
  // Handles one complete line; false when it turned out to start a multi-line document (then the
  // line stays at the front of pending_).
  bool take_line(std::string_view text) {
    ++line_;
    if (text.find_first_not_of(" \t\r") == std::string_view::npos) return true;
    // A check line with a `keys` member (check --address) is read whole: the row drops it.
    if (fast_ && seen_check_ && text.find("\"intransit.keys/1\"") == std::string_view::npos) {
      if (auto row = fast_->check_row(text)) {
        ++documents_;
        on_document_(Document{Kind::check, nullptr, line_, std::move(row)});
        return true;
      }
    }
    std::string error;
    std::size_t byte = 0;
    auto doc = parse_value(text, error, byte);
    if (!doc && documents_ == 0) {
      whole_ = true;
      whole_line_ = line_;
      return false;
    }
    if (!doc) fail(name_, line_, "invalid JSON: " + error);
    ++documents_;
    auto document = classify(std::move(*doc), name_, line_);
    seen_check_ = seen_check_ || document.kind == Kind::check;
    on_document_(std::move(document));
    return true;
  }

  void check_whole_size() const {
    if (pending_.size() > kMaxDocumentBytes)
      fail(name_, whole_line_, "document larger than 64 MiB");
  }

  void parse_whole() {
    std::string error;
    std::size_t byte = 0;
    auto doc = parse_value(pending_, error, byte);
    const auto at = [&](std::size_t b) {
      const auto end = std::min(b, pending_.size());
      return whole_line_ +
             static_cast<std::size_t>(std::count(pending_.begin(), pending_.begin() + end, '\n'));
    };
    if (!doc) fail(name_, at(byte ? byte - 1 : 0), "invalid JSON: " + error);
    ++documents_;
    on_document_(classify(std::move(*doc), name_, whole_line_));
  }

  const std::string& name_;
  const std::function<void(Document&&)>& on_document_;
  std::string pending_;
  std::size_t line_ = 0;  // complete lines seen
  std::size_t documents_ = 0;
  bool whole_ = false;
  std::size_t whole_line_ = 0;
  std::unique_ptr<FastRowReader> fast_;  // null unless check_rows
  bool seen_check_ = false;              // the first check document still comes whole
};

}  // namespace

void parse_documents(std::string_view content, const std::string& name,
                     const std::function<void(Document&&)>& on_document, bool check_rows) {
  DocumentStream stream(name, on_document, check_rows);
  stream.feed(content);
  stream.finish();
}

void read_documents(const std::string& path, const std::function<void(Document&&)>& on_document,
                    bool check_rows) {
  std::ifstream file;
  if (path != "-") {
    file.open(path, std::ios::binary);
    if (!file) throw InputError(path + ": cannot open for reading");
  }
  std::istream& in = path == "-" ? std::cin : file;
  DocumentStream stream(path, on_document, check_rows);
  std::string buf(1 << 20, '\0');
  while (in.read(buf.data(), static_cast<std::streamsize>(buf.size())) || in.gcount() > 0) {
    stream.feed(std::string_view(buf.data(), static_cast<std::size_t>(in.gcount())));
  }
  if (in.bad()) throw InputError(path + ": read error");
  stream.finish();
}

}  // namespace intransit::report::html
