// received_test.cpp — the Received parser on real-format headers, one per MTA or provider, with
// the verdict, TLS version, cipher and authentication each must give. Where each format is
// documented (or, for appliances without a published format, where it was observed):
//   Postfix      postconf(5) smtpd_tls_received_header; src/smtpd/smtpd.c (Received header)
//   Exim         Exim specification, "received_header_text" (default text, ≥ 4.92 "tls
//   $tls_in_cipher_std";
//                earlier "($tls_in_ver:$tls_in_cipher:$tls_in_bits)" with OpenSSL or GnuTLS names)
//   Sendmail     cf/README and cf/m4/proto.m4: confRECEIVED_HEADER with
//                "(version=${tls_version} cipher=${cipher} bits=${cipher_bits} verify=${verify})"
//   Microsoft    Exchange / Microsoft 365 message headers ("with Microsoft SMTP Server
//   (version=TLS1_2,
//                cipher=...)", "with mapi"), as shown by Microsoft's Message Header Analyzer docs
//   Google       headers of Gmail-delivered mail: "(version=TLS1_3 cipher=... bits=256/256)",
//                "with SMTPS id ... (Google Transport Security)"
//   OpenSMTPD    usr.sbin/smtpd/smtp_session.c, smtp_message_begin():
//   "(TLSv1.3:<cipher>:<bits>:<verify>)" qmail        qmail-smtpd.c received(); the qmail-tls patch
//   adds "(<cipher> encrypted)" Courier      courier/module.esmtp/courieresmtpd.c: "(AUTH: ...,
//   TLS: <proto>,<bits>bits,<cipher>)" Dovecot      src/lmtp/lmtp-local.c: "by <host> with LMTP id
//   ..." Cyrus        imap/lmtpd.c / lmtpengine.c: "with LMTPA" (RFC 3848) amavisd-new  amavisd
//   source, received_line(): "(amavisd-new, port 10024)" Haraka       plugins/tls and its Received
//   header: "(version=... cipher=... verify=...)" Proofpoint, Mimecast, Cisco Secure Email
//   (IronPort), Barracuda: no published specification;
//                formats as observed in published message headers.
#include <gtest/gtest.h>

#include "trace/received.hpp"

namespace intransit::trace {
namespace {

struct Case {
  const char* name;
  const char* value;
  HopVerdict verdict;
  const char* version;  // nullptr: none stated
  const char* cipher;   // "" : none stated
  bool authenticated;
};

const Case kCases[] = {
    {"postfix-tls",
     "from mail.example.org (mail.example.org [192.0.2.1])\r\n\t(using TLSv1.3 with cipher "
     "TLS_AES_256_GCM_SHA384 "
     "(256/256 bits)\r\n\t key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest "
     "SHA256)\r\n\t(No "
     "client certificate requested)\r\n\tby mx.example.net (Postfix) with ESMTPS id "
     "4Q1abc2xyz\r\n\tfor "
     "<user@example.net>; Sat, 28 Nov 2026 10:00:00 +0000 (UTC)",
     HopVerdict::tls, "TLSv1.3", "TLS_AES_256_GCM_SHA384", false},
    {"postfix-plain",
     "from mail.example.org (mail.example.org [192.0.2.1])\n\tby mx.example.net (Postfix) with "
     "ESMTP id 4Q1abc\n\t"
     "for <user@example.net>; Sat, 28 Nov 2026 10:00:00 +0000 (UTC)",
     HopVerdict::plaintext, nullptr, "", false},
    {"postfix-submission",
     "from [192.0.2.10] (unknown [192.0.2.10])\n\t(using TLSv1.2 with cipher "
     "ECDHE-RSA-AES256-GCM-SHA384 (256/256 "
     "bits))\n\t(Authenticated sender: user@example.org)\n\tby smtp.example.org (Postfix) with "
     "ESMTPSA id 4Q2;\n\t"
     "Sat, 28 Nov 2026 10:00:00 +0000 (UTC)",
     HopVerdict::tls, "TLSv1.2", "ECDHE-RSA-AES256-GCM-SHA384", true},
    {"postfix-pickup",
     "by mx.example.net (Postfix, from userid 1000)\n\tid 4Q1abc; Sat, 28 Nov 2026 10:00:00 +0000 "
     "(UTC)",
     HopVerdict::local, nullptr, "", false},
    {"postfix-from-amavis",
     "from localhost (localhost [127.0.0.1])\n\tby mx.example.net (Postfix) with ESMTP id "
     "4Q3;\n\tSat, 28 Nov 2026 "
     "10:00:01 +0000 (UTC)",
     HopVerdict::local, nullptr, "", false},
    {"exim-4.96-openssl",
     "from [192.0.2.1] (helo=mail.example.org)\n\tby mx.example.net with esmtps  (TLS1.3) tls "
     "TLS_AES_256_GCM_SHA384\n\t(Exim 4.96)\n\t(envelope-from <a@example.org>)\n\tid "
     "1qAbCd-000123-Ef\n\tfor "
     "b@example.net; Sat, 28 Nov 2026 10:00:00 +0000",
     HopVerdict::tls, "TLSv1.3", "TLS_AES_256_GCM_SHA384", false},
    {"exim-4.90-openssl",
     "from mail.example.org ([192.0.2.1]) by mx.example.net with esmtps "
     "(TLSv1.2:ECDHE-RSA-AES256-GCM-SHA384:256) (Exim 4.90_1) (envelope-from <a@example.org>) id "
     "1abcde-0001Xy-3z "
     "for b@example.net; Sat, 28 Nov 2026 10:00:00 +0000",
     HopVerdict::tls, "TLSv1.2", "ECDHE-RSA-AES256-GCM-SHA384", false},
    {"exim-4.89-gnutls",
     "from mail.example.org ([192.0.2.1]) by mx.example.net with esmtps "
     "(TLS1.2:ECDHE_RSA_AES_256_GCM_SHA384:256) "
     "(Exim 4.89) (envelope-from <a@example.org>) id 1abcde-0001Xy-3z; Sat, 28 Nov 2026 10:00:00 "
     "+0000",
     HopVerdict::tls, "TLSv1.2", "ECDHE_RSA_AES_256_GCM_SHA384", false},
    {"exim-esmtpsa",
     "from [192.0.2.10] (helo=laptop) by smtp.example.org with esmtpsa  (TLS1.3) tls "
     "TLS_AES_128_GCM_SHA256 (Exim "
     "4.96) (envelope-from <user@example.org>) id 1q; Sat, 28 Nov 2026 10:00:00 +0000",
     HopVerdict::tls, "TLSv1.3", "TLS_AES_128_GCM_SHA256", true},
    {"exim-plain",
     "from [192.0.2.1] (helo=mail.example.org) by mx.example.net with esmtp (Exim 4.96) "
     "(envelope-from "
     "<a@example.org>) id 1qAbCd-000123-Ef for b@example.net; Sat, 28 Nov 2026 10:00:00 +0000",
     HopVerdict::plaintext, nullptr, "", false},
    {"exim-local",
     "from user by mx.example.net with local (Exim 4.96) (envelope-from <user@example.net>) id "
     "1qAbCd-000124-Ef; "
     "Sat, 28 Nov 2026 10:00:00 +0000",
     HopVerdict::local, nullptr, "", false},
    {"sendmail-tls",
     "from mail.example.org (mail.example.org [192.0.2.1])\n\tby mx.example.net (8.17.1/8.17.1) "
     "with ESMTPS id "
     "2ASAB0Ab012345\n\t(version=TLSv1.3 cipher=TLS_AES_256_GCM_SHA384 bits=256 verify=NOT)\n\tfor "
     "<user@example.net>; Sat, 28 Nov 2026 10:00:00 +0000",
     HopVerdict::tls, "TLSv1.3", "TLS_AES_256_GCM_SHA384", false},
    {"sendmail-plain",
     "from mail.example.org (mail.example.org [192.0.2.1])\n\tby mx.example.net (8.17.1/8.17.1) "
     "with ESMTP id "
     "2ASAB0Ab012345\n\tfor <user@example.net>; Sat, 28 Nov 2026 10:00:00 +0000",
     HopVerdict::plaintext, nullptr, "", false},
    {"microsoft-365-tls",
     "from AM6PR05MB1234.eurprd05.prod.outlook.com (2603:10a6:20b:1::11) by "
     "AM6PR05MB5678.eurprd05.prod.outlook.com "
     "(2603:10a6:20b:2::22) with Microsoft SMTP Server (version=TLS1_2, "
     "cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.6631.20; Sat, 28 Nov 2026 10:00:00 "
     "+0000",
     HopVerdict::tls, "TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", false},
    {"microsoft-mapi",
     "from AM6PR05MB1234.eurprd05.prod.outlook.com ([fe80::1]) by "
     "AM6PR05MB1234.eurprd05.prod.outlook.com "
     "([fe80::1%5]) with mapi id 15.20.6631.020; Sat, 28 Nov 2026 10:00:00 +0000",
     HopVerdict::local, nullptr, "", false},
    {"exchange-plain",
     "from EX01.corp.example.com (10.0.0.1) by EX02.corp.example.com (10.0.0.2) with Microsoft "
     "SMTP Server id "
     "15.1.2507.6; Sat, 28 Nov 2026 10:00:00 +0000",
     HopVerdict::plaintext, nullptr, "", false},
    {"google-esmtps",
     "from mail-sor-f41.google.com (mail-sor-f41.google.com. [209.85.220.41])\n        by "
     "mx.google.com with ESMTPS "
     "id a1sor123456qkb.12.2026.11.28.02.00.00\n        for <user@gmail.com>\n        "
     "(version=TLS1_3 "
     "cipher=TLS_AES_256_GCM_SHA384 bits=256/256);\n        Sat, 28 Nov 2026 02:00:00 -0800 (PST)",
     HopVerdict::tls, "TLSv1.3", "TLS_AES_256_GCM_SHA384", false},
    {"google-transport-security",
     "from mail-sor-f41.google.com (mail-sor-f41.google.com. [209.85.220.41])\n        by "
     "mx.google.com with SMTPS "
     "id a1sor\n        for <user@gmail.com>\n        (Google Transport Security);\n        Sat, "
     "28 Nov 2026 "
     "02:00:00 -0800 (PST)",
     HopVerdict::tls, nullptr, "", false},
    {"opensmtpd-tls",
     "from mail.example.org (mail.example.org [192.0.2.1])\n\tby mx.example.net (OpenSMTPD) with "
     "ESMTPS id 1a2b3c4d "
     "(TLSv1.3:TLS_AES_256_GCM_SHA384:256:NO)\n\tfor <user@example.net>;\n\tSat, 28 Nov 2026 "
     "10:00:00 +0000 (UTC)",
     HopVerdict::tls, "TLSv1.3", "TLS_AES_256_GCM_SHA384", false},
    {"qmail-plain",
     "from unknown (HELO mail.example.org) (192.0.2.1)\n  by mx.example.net with SMTP; 28 Nov 2026 "
     "10:00:00 -0000",
     HopVerdict::plaintext, nullptr, "", false},
    {"qmail-tls",
     "from unknown (HELO mail.example.org) (192.0.2.1)\n  by mx.example.net with ESMTPS "
     "(DHE-RSA-AES256-SHA "
     "encrypted); 28 Nov 2026 10:00:00 -0000",
     HopVerdict::tls, nullptr, "DHE-RSA-AES256-SHA", false},
    {"qmail-inject", "(qmail 12345 invoked by uid 1000); 28 Nov 2026 10:00:00 -0000",
     HopVerdict::local, nullptr, "", false},
    {"courier-tls",
     "from mail.example.org (mail.example.org [192.0.2.1])\n  (AUTH: LOGIN user@example.org, TLS: "
     "TLSv1/SSLv3,256bits,AES256-SHA)\n  by mx.example.net with ESMTPSA; Sat, 28 Nov 2026 10:00:00 "
     "+0000\n  id "
     "00000000000A0001.000000005F000000.00001234",
     HopVerdict::tls, "TLSv1.0", "AES256-SHA", true},
    {"dovecot-lmtp",
     "from mx.example.net\n\tby imap.example.net with LMTP\n\tid aBcDeF\n\t(envelope-from "
     "<a@example.org>)\n\tfor "
     "<user@example.net>; Sat, 28 Nov 2026 10:00:02 +0000",
     HopVerdict::local, nullptr, "", false},
    {"cyrus-lmtpa",
     "from mx.example.net ([unix socket])\n\t by imap.example.net (Cyrus 3.6.0) with LMTPA;\n\t "
     "Sat, 28 Nov 2026 "
     "10:00:02 +0000",
     HopVerdict::local, nullptr, "", true},
    {"amavis",
     "from mx.example.net ([127.0.0.1])\n\tby localhost (mx.example.net [127.0.0.1]) (amavisd-new, "
     "port 10024)\n\t"
     "with ESMTP id AbCdEf; Sat, 28 Nov 2026 10:00:01 +0000 (UTC)",
     HopVerdict::local, nullptr, "", false},
    {"haraka",
     "from mail.example.org (mail.example.org [192.0.2.1])\n\tby mx.example.net (Haraka/3.0.2) "
     "with ESMTPS id "
     "5E4C3B2A-1234-5678-9ABC-DEF012345678.1\n\tenvelope-from <a@example.org>\n\t(version=TLSv1.3 "
     "cipher=TLS_AES_256_GCM_SHA384 verify=NO);\n\tSat, 28 Nov 2026 10:00:00 +0000",
     HopVerdict::tls, "TLSv1.3", "TLS_AES_256_GCM_SHA384", false},
    {"proofpoint-filter",
     "from pps.filterd (m0123456.ppops.net [127.0.0.1]) by mx0a-00123456.pphosted.com "
     "(8.17.1.19/8.17.1.19) with "
     "SMTP id 2AS1A2b3012345; Sat, 28 Nov 2026 10:00:00 -0800",
     HopVerdict::local, nullptr, "", false},
    {"proofpoint-tls",
     "from mail.example.org (mail.example.org [192.0.2.1]) by mx0a-00123456.pphosted.com (PPS) "
     "with ESMTPS id 4xyz "
     "(version=TLSv1.2 cipher=ECDHE-RSA-AES256-GCM-SHA384 bits=256 verify=NOT); Sat, 28 Nov 2026 "
     "10:00:00 -0800",
     HopVerdict::tls, "TLSv1.2", "ECDHE-RSA-AES256-GCM-SHA384", false},
    {"mimecast",
     "from mail.example.org (mail.example.org [192.0.2.1]) by relay.mimecast.com with ESMTP with "
     "both STARTTLS and "
     "AUTH (version=TLSv1.2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id mimecast-abc; Sat, "
     "28 Nov 2026 "
     "10:00:00 +0000",
     HopVerdict::tls, "TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", true},
    {"ironport",
     "from mail.example.org ([192.0.2.1])\n  by esa1.example.net with "
     "ESMTP/TLS/ECDHE-RSA-AES256-GCM-SHA384; 28 Nov "
     "2026 10:00:00 +0000",
     HopVerdict::tls, nullptr, "ECDHE-RSA-AES256-GCM-SHA384", false},
    {"barracuda",
     "from mail.example.org (mail.example.org [192.0.2.1]) by mx.barracudanetworks.com with ESMTP "
     "id AbCdEf "
     "(version=TLSv1.2 cipher=ECDHE-RSA-AES256-GCM-SHA384 bits=256 verify=NO); Sat, 28 Nov 2026 "
     "10:00:00 +0000",
     HopVerdict::tls, "TLSv1.2", "ECDHE-RSA-AES256-GCM-SHA384", false},
    {"rfc8314-tls-clause",
     "from client.example.org ([192.0.2.1]) by submit.example.net with ESMTPSA tls "
     "TLS_AES_128_GCM_SHA256 id x; "
     "Sat, 28 Nov 2026 10:00:00 +0000",
     HopVerdict::tls, nullptr, "TLS_AES_128_GCM_SHA256", true},
    {"webmail-http",
     "from 192.0.2.1 by mta1234.mail.gq1.yahoo.com with HTTP; Sat, 28 Nov 2026 10:00:00 +0000",
     HopVerdict::unknown, nullptr, "", false},
    // RELIABILITY.md item 61: "local" only by the connecting address literal the receiver wrote
    // (127.0.0.0/8, ::1, a local socket) or an LMTP/same-host handoff; a sender's HELO or PTR name
    // of "localhost", or an IPv6 address that merely ends in "::1", is a network hop.
    {"item61-postfix-helo-localhost",
     "from localhost (unknown [203.0.113.5]) by mx.example.net (Postfix) with ESMTP id 4Q; date",
     HopVerdict::plaintext, nullptr, "", false},
    {"item61-postfix-helo-loopback-literal",
     "from [127.0.0.1] (unknown [203.0.113.5]) by mx.example.net (Postfix) with ESMTP id 4Q; date",
     HopVerdict::plaintext, nullptr, "", false},
    {"item61-exim-helo-localhost",
     "from [203.0.113.5] (helo=localhost) by mx.example.net with esmtp (Exim 4.96) id 1q; date",
     HopVerdict::plaintext, nullptr, "", false},
    {"item61-exim-helo-literal",
     "from [203.0.113.5] (helo=[127.0.0.1]) by mx.example.net with esmtp (Exim 4.96) id 1q; date",
     HopVerdict::plaintext, nullptr, "", false},
    {"item61-exim-helo-version",
     "from [203.0.113.5] (helo=TLS1.3) by mx.example.net with esmtp (Exim 4.96) id 1q; date",
     HopVerdict::plaintext, nullptr, "", false},
    {"item61-qmail-helo-localhost",
     "from localhost (HELO localhost) (203.0.113.5) by mx.example.net with SMTP; date",
     HopVerdict::plaintext, nullptr, "", false},
    {"item61-ptr-localhost-no-literal", "from localhost by mx.example.net with ESMTP id 4Q; date",
     HopVerdict::plaintext, nullptr, "", false},
    {"item61-ipv6-ends-in-1",
     "from mail.example.org (mail.example.org [IPv6:2001:db8:1::1]) by mx.example.net (Postfix) "
     "with ESMTP id 4Q; date",
     HopVerdict::plaintext, nullptr, "", false},
    {"item61-exim-ipv6-ends-in-1",
     "from [2001:db8:1::1] (helo=mail.example.org) by mx.example.net with esmtp (Exim 4.96) id "
     "1q; date",
     HopVerdict::plaintext, nullptr, "", false},
    {"item61-microsoft-ipv6-ends-in-1",
     "from EX01.corp.example.com (2001:db8:1::1) by EX02.corp.example.com "
     "(2001:db8:1::2) with Microsoft SMTP Server id 15.1.2507.6; date",
     HopVerdict::plaintext, nullptr, "", false},
    {"item61-postfix-ipv6-loopback",
     "from localhost (localhost [IPv6:::1]) by mx.example.net (Postfix) with ESMTP id 4Q; date",
     HopVerdict::local, nullptr, "", false},
    {"item61-exim-ipv6-loopback",
     "from [::1] (port=40000 helo=localhost) by mx.example.net with esmtp (Exim 4.96) id 1q; date",
     HopVerdict::local, nullptr, "", false},
    {"item61-loopback-127-8",
     "from filter.example.net (filter.example.net [127.0.0.2]) by mx.example.net (Postfix) with "
     "ESMTP id 4Q; date",
     HopVerdict::local, nullptr, "", false},
    {"item61-v4-mapped-loopback",
     "from localhost (localhost [IPv6:::ffff:127.0.0.1]) by mx.example.net (Postfix) with "
     "ESMTP id 4Q; date",
     HopVerdict::local, nullptr, "", false},
    {"item61-opensmtpd-local-socket",
     "from localhost (mx.example.net [local]) by mx.example.net (OpenSMTPD) with ESMTP id "
     "1a2b; date",
     HopVerdict::local, nullptr, "", false},
    // Exchange 2013 and later state TLS without a version.
    {"item61-exchange-2013-tls",
     "from EX01.corp.example.com (10.0.0.1) by EX02.corp.example.com (10.0.0.2) with Microsoft "
     "SMTP Server (TLS) id 15.0.847.32; Sat, 28 Nov 2026 10:00:00 +0000",
     HopVerdict::tls, nullptr, "", false},
    // WP-SMTPD and Symantec/MessageLabs put the cipher where the protocol goes.
    {"item61-wp-smtpd-cipher-slot",
     "from mail.example.org (mail.example.org [192.0.2.1]) by mx.example.net (WP-SMTPD) with "
     "ECDHE-RSA-AES256-GCM-SHA384 encrypted SMTP; Sat, 28 Nov 2026 10:00:00 +0000",
     HopVerdict::tls, nullptr, "ECDHE-RSA-AES256-GCM-SHA384", false},
    {"item61-messagelabs-cipher-slot",
     "from mail.example.org (HELO mail.example.org) (192.0.2.1) by "
     "server-12.tower-21.messagelabs.com with DHE-RSA-AES256-GCM-SHA384 encrypted SMTP; 28 Nov "
     "2026 10:00:00 -0000",
     HopVerdict::tls, nullptr, "DHE-RSA-AES256-GCM-SHA384", false},
    // MAPI between two hosts is a client's submission: unknown, not local.
    {"item61-mapi-two-hosts",
     "from CLIENT01.corp.example.com (10.0.0.5) by EX01.corp.example.com (10.0.0.1) with mapi id "
     "15.0.1497.2; Sat, 28 Nov 2026 10:00:00 +0000",
     HopVerdict::unknown, nullptr, "", false},
    // QMQP has no TLS.
    {"item61-qmqp",
     "from unknown (HELO relay.example.org) (192.0.2.1) by mx.example.net with QMQP; 28 Nov 2026 "
     "10:00:00 -0000",
     HopVerdict::plaintext, nullptr, "", false},
};

class ReceivedFormats : public ::testing::TestWithParam<Case> {};

TEST_P(ReceivedFormats, VerdictVersionCipherAuthentication) {
  const Case& c = GetParam();
  const Hop hop = parse_received(c.value);
  EXPECT_EQ(hop.verdict, c.verdict) << c.name << ": " << hop.evidence();
  if (c.version == nullptr) {
    EXPECT_FALSE(hop.tls_version) << c.name << ": " << hop.tls_version.value_or("");
  } else {
    EXPECT_EQ(hop.tls_version.value_or("(none)"), c.version) << c.name;
  }
  EXPECT_EQ(hop.cipher(), c.cipher) << c.name;
  EXPECT_EQ(hop.authenticated, c.authenticated) << c.name;
  EXPECT_FALSE(hop.evidence().empty()) << c.name;
  EXPECT_EQ(hop.raw().find('\n'), std::string::npos) << c.name;
}

INSTANTIATE_TEST_SUITE_P(Corpus, ReceivedFormats, ::testing::ValuesIn(kCases),
                         [](const auto& param_info) {
                           std::string n = param_info.param.name;
                           for (char& ch : n)
                             if (ch == '-' || ch == '.') ch = '_';
                           return n;
                         });

TEST(Received, ClausesInOrderWithComments) {
  const Hop hop = parse_received(
      "from mail.example.org (mail.example.org [192.0.2.1]) by mx.example.net (Postfix) with "
      "ESMTPS id ABC for "
      "<u@example.net>; Sat, 28 Nov 2026 10:00:00 +0000");
  EXPECT_TRUE(hop.parsed);
  EXPECT_EQ(hop.from(), "mail.example.org");
  EXPECT_EQ(hop.from_info(), "mail.example.org [192.0.2.1]");
  EXPECT_EQ(hop.by(), "mx.example.net");
  EXPECT_EQ(hop.by_info(), "Postfix");
  EXPECT_EQ(hop.with(), "ESMTPS");
  EXPECT_EQ(hop.id(), "ABC");
  EXPECT_EQ(hop.for_(), "<u@example.net>");
  EXPECT_EQ(hop.date(), "Sat, 28 Nov 2026 10:00:00 +0000");
}

// The unfolding reads eight bytes at a time: blanks (space, tab, CR, LF, controls, DEL) at every
// position of a long word end it, 8-bit bytes do not and are never lower-cased.
TEST(Received, UnfoldingEndsWordsAtEveryKindOfBlank) {
  for (const char blank : {' ', '\t', '\r', '\n', '\x01', '\x1f', '\x7f'}) {
    for (std::size_t at = 1; at < 18; ++at) {
      std::string host = "ABCDEFGHIJKLMNOPQRSTUVWX";
      host[at] = blank;
      const Hop hop = parse_received("from " + host + "  \r\n\t by MX.EXAMPLE.NET WITH esmtp");
      EXPECT_EQ(hop.from(), std::string("ABCDEFGHIJKLMNOPQRSTUVWX").substr(0, at))
          << int(blank) << " at " << at;
      EXPECT_EQ(hop.by(), "MX.EXAMPLE.NET");
      EXPECT_EQ(hop.with(), "ESMTP");
      EXPECT_EQ(hop.verdict, HopVerdict::plaintext);
    }
  }
  const Hop eight_bit =
      parse_received("from h\xc3\x89\xc3\x89\xc3\x89LLO.example by mx with ESMTP");
  EXPECT_EQ(eight_bit.from(), "h\xc3\x89\xc3\x89\xc3\x89LLO.example");
}

// Upper-case annotations in long comments are found through the lower-cased copy, with or
// without escapes in the comment (the copying path).
TEST(Received, AnnotationsAnyCaseEscapedOrNot) {
  const Hop plain = parse_received(
      "FROM A.EXAMPLE (A.EXAMPLE [192.0.2.1]) (USING TLSV1.2 WITH CIPHER "
      "ECDHE-RSA-AES128-GCM-SHA256 "
      "(128/128 BITS)) BY MX.EXAMPLE WITH ESMTPS; date");
  EXPECT_EQ(plain.verdict, HopVerdict::tls);
  EXPECT_EQ(plain.tls_version.value_or(""), "TLSv1.2");
  EXPECT_EQ(plain.cipher(), "ECDHE-RSA-AES128-GCM-SHA256");
  const Hop escaped = parse_received(
      "from a.example (using TLSv1.3 with cipher TLS_AES_128_GCM_SHA256 \\(x\\)) by mx.example "
      "with ESMTP; date");
  EXPECT_EQ(escaped.verdict, HopVerdict::tls);
  EXPECT_EQ(escaped.tls_version.value_or(""), "TLSv1.3");
  EXPECT_EQ(escaped.from_info(), "using TLSv1.3 with cipher TLS_AES_128_GCM_SHA256 (x)");
}

TEST(Received, UnparsableIsReportedNotThrown) {
  const Hop hop = parse_received("garbage ((( without any clause");
  EXPECT_FALSE(hop.parsed);
  EXPECT_EQ(hop.verdict, HopVerdict::unknown);
  EXPECT_EQ(hop.raw(), "garbage ((( without any clause");
}

TEST(Received, HostileInputIsBounded) {
  std::string deep(100000, '(');
  const Hop nested = parse_received(deep);
  EXPECT_TRUE(nested.truncated);
  EXPECT_LE(nested.raw().size(), 4 * 16 * 1024U);
  std::string with_nul = "from a\0b by c with ESMTP; date";
  with_nul[6] = '\0';
  const Hop nul = parse_received(with_nul);
  EXPECT_EQ(nul.raw().find('\0'), std::string::npos);
}

TEST(Received, VersionsNormalise) {
  EXPECT_EQ(normalise_tls_version("TLSv1.3").value_or(""), "TLSv1.3");
  EXPECT_EQ(normalise_tls_version("version=TLS1_2,").value_or(""), "TLSv1.2");
  EXPECT_EQ(normalise_tls_version("(TLS1.3)").value_or(""), "TLSv1.3");
  EXPECT_EQ(normalise_tls_version("tls 1.1").value_or(""), "TLSv1.1");
  EXPECT_EQ(normalise_tls_version("TLSv1/SSLv3").value_or(""), "TLSv1.0");
  EXPECT_EQ(normalise_tls_version("SSLv3").value_or(""), "SSLv3");
  EXPECT_FALSE(normalise_tls_version("TLS_AES_256_GCM_SHA384"));
  EXPECT_FALSE(normalise_tls_version("STARTTLS"));
  EXPECT_FALSE(normalise_tls_version("gnutls1.2"));
}

}  // namespace
}  // namespace intransit::trace
