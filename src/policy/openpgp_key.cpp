// openpgp_key.cpp — see openpgp_key.hpp. Every RNP handle has an owner (STYLE.md habit 7); RNP's
// own log goes to /dev/null so hostile keys cannot flood stderr.
#include "policy/openpgp_key.hpp"

#include <fcntl.h>
#include <rnp/rnp.h>
#include <rnp/rnp_err.h>
#include <unistd.h>

#include <memory>
#include <optional>

#include "core/limits.hpp"

namespace intransit::policy {
namespace {

struct FfiFree {
  void operator()(rnp_ffi_t p) const { rnp_ffi_destroy(p); }
};
struct InputFree {
  void operator()(rnp_input_t p) const { rnp_input_destroy(p); }
};
struct KeyFree {
  void operator()(rnp_key_handle_t p) const { rnp_key_handle_destroy(p); }
};
struct UidFree {
  void operator()(rnp_uid_handle_t p) const { rnp_uid_handle_destroy(p); }
};
struct IterFree {
  void operator()(rnp_identifier_iterator_t p) const { rnp_identifier_iterator_destroy(p); }
};
using Ffi = std::unique_ptr<rnp_ffi_st, FfiFree>;
using Input = std::unique_ptr<rnp_input_st, InputFree>;
using Key = std::unique_ptr<rnp_key_handle_st, KeyFree>;
using Uid = std::unique_ptr<rnp_uid_handle_st, UidFree>;
using Iter = std::unique_ptr<rnp_identifier_iterator_st, IterFree>;

// A string RNP allocated, copied and freed.
std::string take(char* s) {
  std::string out = s != nullptr ? s : "";
  rnp_buffer_destroy(s);
  return out;
}

bool flag(rnp_result_t (*fn)(rnp_key_handle_t, bool*), rnp_key_handle_t key) {
  bool v = false;
  return fn(key, &v) == RNP_SUCCESS && v;
}

bool can_encrypt(rnp_key_handle_t key) {
  bool allows = false;
  return rnp_key_allows_usage(key, "encrypt", &allows) == RNP_SUCCESS && allows &&
         flag(rnp_key_is_valid, key);
}

std::string fingerprint_of(rnp_key_handle_t key) {
  char* fp = nullptr;
  return rnp_key_get_fprint(key, &fp) == RNP_SUCCESS ? take(fp) : std::string();
}

std::string algorithm_of(rnp_key_handle_t key) {
  char* alg = nullptr;
  return rnp_key_get_alg(key, &alg) == RNP_SUCCESS ? take(alg) : std::string();
}

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool equal_ignoring_ascii_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// The closer a key came to usable, the higher; the best-ranked key's problem is reported.
int rank(KeyProblem p) {
  switch (p) {
    case KeyProblem::none: return 8;
    case KeyProblem::uid_mismatch: return 7;
    case KeyProblem::no_encryption_subkey: return 6;
    case KeyProblem::expired: return 5;
    case KeyProblem::revoked: return 4;
    case KeyProblem::invalid: return 3;
    case KeyProblem::no_public_key: return 2;
    case KeyProblem::unparsable: return 1;
  }
  return 0;
}

// The valid user IDs (RNP_USER_ID, not photos, not revoked), at most kOpenPgpUserIds.
std::vector<std::string> valid_user_ids(rnp_key_handle_t key) {
  std::vector<std::string> ids;
  std::size_t count = 0;
  if (rnp_key_get_uid_count(key, &count) != RNP_SUCCESS) return ids;
  for (std::size_t i = 0; i < count && ids.size() < limits::kOpenPgpUserIds; ++i) {
    rnp_uid_handle_t raw = nullptr;
    if (rnp_key_get_uid_handle_at(key, i, &raw) != RNP_SUCCESS) continue;
    const Uid uid(raw);
    std::uint32_t type = 0;
    bool valid = false;
    bool revoked = true;
    if (rnp_uid_get_type(uid.get(), &type) != RNP_SUCCESS || type != RNP_USER_ID) continue;
    if (rnp_uid_is_valid(uid.get(), &valid) != RNP_SUCCESS || !valid) continue;
    if (rnp_uid_is_revoked(uid.get(), &revoked) != RNP_SUCCESS || revoked) continue;
    char* text = nullptr;
    if (rnp_key_get_uid_at(key, i, &text) == RNP_SUCCESS) ids.push_back(take(text));
  }
  return ids;
}

// The (sub)key a sender would encrypt to: a valid subkey allowing encryption, else the primary.
std::optional<Key> encryption_key(rnp_key_handle_t primary) {
  std::size_t count = 0;
  if (rnp_key_get_subkey_count(primary, &count) == RNP_SUCCESS) {
    for (std::size_t i = 0; i < count && i < limits::kOpenPgpSubkeys; ++i) {
      rnp_key_handle_t raw = nullptr;
      if (rnp_key_get_subkey_at(primary, i, &raw) != RNP_SUCCESS) continue;
      Key sub(raw);
      if (can_encrypt(sub.get())) return sub;
    }
  }
  return std::nullopt;
}

// One primary key judged on its own.
OpenPgpKeyFacts judge(rnp_key_handle_t primary, std::string_view address) {
  OpenPgpKeyFacts f;
  f.fingerprint = fingerprint_of(primary);
  f.user_ids = valid_user_ids(primary);
  if (flag(rnp_key_is_revoked, primary)) {
    f.problem = KeyProblem::revoked;
  } else if (flag(rnp_key_is_expired, primary)) {
    f.problem = KeyProblem::expired;
  } else if (!flag(rnp_key_is_valid, primary)) {
    f.problem = KeyProblem::invalid;
  } else {
    auto sub = encryption_key(primary);
    if (sub) {
      f.encryption_fingerprint = fingerprint_of(sub->get());
      f.algorithm = algorithm_of(sub->get());
    } else if (can_encrypt(primary)) {
      f.encryption_fingerprint = f.fingerprint;
      f.algorithm = algorithm_of(primary);
    }
    bool named = false;
    for (const auto& id : f.user_ids) named = named || user_id_names(id, address);
    if (f.encryption_fingerprint.empty()) {
      f.problem = KeyProblem::no_encryption_subkey;
    } else {
      f.problem = named ? KeyProblem::none : KeyProblem::uid_mismatch;
    }
  }
  return f;
}

Ffi new_ffi(std::string& error) {
  rnp_ffi_t raw = nullptr;
  if (rnp_ffi_create(&raw, "GPG", "GPG") != RNP_SUCCESS) {
    error = "RNP could not start";
    return nullptr;
  }
  Ffi ffi(raw);
  const int devnull = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (devnull >= 0) {
    rnp_ffi_set_log_fd(ffi.get(), devnull);  // RNP fdopen()s it and closes it with the ffi
  }
  return ffi;
}

}  // namespace

std::string_view to_string(KeyProblem problem) {
  switch (problem) {
    case KeyProblem::none: return "none";
    case KeyProblem::unparsable: return "unparsable";
    case KeyProblem::no_public_key: return "no-public-key";
    case KeyProblem::revoked: return "revoked";
    case KeyProblem::expired: return "expired";
    case KeyProblem::invalid: return "invalid";
    case KeyProblem::no_encryption_subkey: return "no-encryption-subkey";
    case KeyProblem::uid_mismatch: return "uid-mismatch";
  }
  return "?";
}

std::string_view describe(KeyProblem problem) {
  switch (problem) {
    case KeyProblem::none: return "the key can be used for encryption";
    case KeyProblem::unparsable: return "the key data could not be read as an OpenPGP key";
    case KeyProblem::no_public_key: return "the data holds no OpenPGP public key";
    case KeyProblem::revoked: return "the key is revoked";
    case KeyProblem::expired: return "the key has expired";
    case KeyProblem::invalid: return "the key is not valid (no valid self-signature)";
    case KeyProblem::no_encryption_subkey: return "no valid key in it may encrypt";
    case KeyProblem::uid_mismatch: return "no valid user ID names the address";
  }
  return "?";
}

bool user_id_names(std::string_view user_id, std::string_view address) {
  const auto open = user_id.rfind('<');
  const auto close = user_id.rfind('>');
  if (open != std::string_view::npos && close != std::string_view::npos && open < close) {
    return equal_ignoring_ascii_case(user_id.substr(open + 1, close - open - 1), address);
  }
  return equal_ignoring_ascii_case(user_id, address);
}

OpenPgpKeyFacts inspect_openpgp_key(std::span<const std::uint8_t> key, std::string_view address) {
  OpenPgpKeyFacts best;
  if (key.empty() || key.size() > limits::kOpenPgpKeyBytes) {
    best.detail = key.empty() ? "empty key data"
                              : "key data larger than " + std::to_string(limits::kOpenPgpKeyBytes) +
                                    " octets";
    return best;
  }
  const Ffi ffi = new_ffi(best.detail);
  if (!ffi) return best;
  rnp_input_t raw_input = nullptr;
  if (rnp_input_from_memory(&raw_input, key.data(), key.size(), false) != RNP_SUCCESS) {
    best.detail = "RNP could not read from memory";
    return best;
  }
  const Input input(raw_input);
  char* results = nullptr;
  const rnp_result_t rc =
      rnp_import_keys(ffi.get(), input.get(), RNP_LOAD_SAVE_PUBLIC_KEYS, &results);
  rnp_buffer_destroy(results);
  if (rc != RNP_SUCCESS) {
    best.detail = "RNP: " + std::string(rnp_result_to_string(rc));
    return best;
  }
  best.problem = KeyProblem::no_public_key;
  rnp_identifier_iterator_t raw_iter = nullptr;
  if (rnp_identifier_iterator_create(ffi.get(), &raw_iter, "fingerprint") != RNP_SUCCESS) {
    return best;
  }
  const Iter iter(raw_iter);
  const char* fp = nullptr;
  std::vector<std::string> primaries;
  std::size_t skipped = 0;
  while (rnp_identifier_iterator_next(iter.get(), &fp) == RNP_SUCCESS && fp != nullptr) {
    rnp_key_handle_t raw_key = nullptr;
    if (rnp_locate_key(ffi.get(), "fingerprint", fp, &raw_key) != RNP_SUCCESS ||
        raw_key == nullptr) {
      continue;
    }
    const Key handle(raw_key);
    if (!flag(rnp_key_is_primary, handle.get())) continue;
    if (primaries.size() >= limits::kOpenPgpSubkeys) {
      ++skipped;  // certificate flooding: counted, not inspected
      continue;
    }
    primaries.push_back(fp);
    OpenPgpKeyFacts facts = judge(handle.get(), address);
    if (rank(facts.problem) > rank(best.problem)) best = std::move(facts);
  }
  best.fingerprints = std::move(primaries);
  best.keys_not_inspected = skipped;
  return best;
}

}  // namespace intransit::policy
