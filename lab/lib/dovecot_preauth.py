#!/usr/bin/env python3
"""dovecot_preauth.py ADDR PORT CONF HOME — the lab's PREAUTH IMAP server (issue 21).

Listens on ADDR:PORT and, for every connection, runs Dovecot's imap binary standalone on the
socket (stdin/stdout) as nobody with USER=lab and HOME=HOME: Dovecot then greets with
`* PREAUTH [CAPABILITY ...] Logged in as lab`, as it does behind `ssh host imap` or an inetd
preauth setup. Started by lab/lib/dovecot.sh; lab/down ends it by its PID file (TERM).
"""
import os
import pwd
import signal
import socket
import sys

IMAP = "/usr/lib/dovecot/imap"


def main() -> None:
    addr, port, conf, home = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    nobody = pwd.getpwnam("nobody")
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((addr, port))
    srv.listen(64)
    while True:
        conn, _ = srv.accept()
        if os.fork() == 0:
            srv.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            os.dup2(conn.fileno(), 0)
            os.dup2(conn.fileno(), 1)
            conn.close()
            os.setgroups([])
            os.setgid(nobody.pw_gid)
            os.setuid(nobody.pw_uid)
            env = {"USER": "lab", "HOME": home, "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}
            os.execve(IMAP, [IMAP, "-c", conf], env)
        conn.close()


if __name__ == "__main__":
    main()
