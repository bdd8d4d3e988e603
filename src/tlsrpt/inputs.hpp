// inputs.hpp — finding TLS-RPT reports in what the user names: a report file (JSON, or gzip told
// by its magic bytes whatever the name), a message, an mbox or a Maildir holding reports as MIME
// parts (RFC 8460 §5.3: application/tlsrpt+gzip or application/tlsrpt+json; read with GMime 3),
// or a directory of any of these. Each candidate is handed on with its raw bytes (gzip is left
// for payload.hpp), or with the reason it could not be read; nothing here stops the run.
// Bounded: a file or part is read up to limits::kCompressedBytes and refused past it.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "tlsrpt/report.hpp"

namespace intransit::tlsrpt {

struct Candidate {
  std::string source;       // "FILE", "MBOX#3 NAME", "MAILDIR/cur/NAME part 2"
  std::string bytes;        // the part's or file's bytes (gzip or JSON); empty with an error
  std::string error;        // set: could not be read, and why (quarantined)
  std::vector<Note> notes;  // tolerances met finding it (a report under another media type)
};

using CandidateSink = std::function<void(Candidate&&)>;

struct InputStats {
  std::size_t files = 0;              // files looked at
  std::size_t messages = 0;           // messages read (single, mbox, Maildir)
  std::size_t messages_without = 0;   // messages that held no report
  std::vector<std::string> problems;  // inputs that could not be read at all, and why
};

// Reads one INPUT and hands each report candidate to `sink`, in input order.
void read_input(const std::string& path, const CandidateSink& sink, InputStats& stats);

}  // namespace intransit::tlsrpt
