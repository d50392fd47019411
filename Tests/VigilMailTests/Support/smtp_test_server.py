#!/usr/bin/env python3
"""A real SMTP server (aiosmtpd) for the tests of Vigil's SMTP transport.

It listens on 127.0.0.1, prints "READY <port>" once it accepts connections, stops when its
stdin closes or on SIGTERM, and stores each
accepted message in --maildir as <n>.eml (the bytes received, after the server removed the
dot-stuffing) plus <n>.json: the envelope, whether TLS was on, and the headers and body as
Python's email package decodes them, so the tests check the message with an independent
decoder.

While it runs it takes commands on stdin, one per line, so a test can change how it answers
without restarting it; each is acknowledged on stdout with "DONE <command>" once in force:

    refuse <code>            refuse every attempt from now on with <code> at --refuse-at
    reject <code> <address>  refuse that recipient with <code>, whatever else happens
    delay <seconds>          wait this long before answering the end of DATA
    healthy                  forget all of the above
"""

import argparse
import asyncio
import email
import email.policy
import json
import math
import os
import signal
import ssl
import sys
import threading

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--maildir", required=True)
    parser.add_argument("--refuse-first", type=int, default=0, help="refuse this many attempts first")
    parser.add_argument("--refuse-code", type=int, default=451)
    parser.add_argument("--refuse-at", choices=["rcpt", "data"], default="data")
    parser.add_argument("--reject-code", type=int, default=0, help="always reject the recipient with this code")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--starttls", action="store_true", help="offer and require STARTTLS with --tls-cert/--tls-key; without it, the certificate means implicit TLS")
    parser.add_argument("--auth", help="user:password; AUTH is then required before MAIL")
    parser.add_argument("--auth-exclude", action="append", default=[], help="a mechanism not to offer, e.g. PLAIN")
    parser.add_argument("--auth-allow-plaintext", action="store_true", help="offer AUTH without TLS")
    parser.add_argument("--smtputf8", action="store_true", help="offer SMTPUTF8")
    parser.add_argument("--size-limit", type=int, default=33554432)
    parser.add_argument("--inject-after-starttls", action="store_true", help="send a reply line in clear text right after agreeing to STARTTLS, as an attacker would")
    parser.add_argument("--delay", type=float, default=0, help="seconds to wait before answering the end of DATA")
    parser.add_argument("--lifetime", type=float, default=300, help="exit after this many seconds in any case")
    return parser.parse_args()


class Handler:
    def __init__(self, arguments):
        self.arguments = arguments
        self.refusals_left = arguments.refuse_first
        self.refuse_code = arguments.refuse_code
        self.delay = arguments.delay
        self.rejected = {}
        self.stored = 0

    def apply(self, command):
        """Carries out one command from stdin (see the module's description)."""
        words = command.split()
        if words[:1] == ["refuse"] and len(words) == 2:
            self.refusals_left = math.inf
            self.refuse_code = int(words[1])
        elif words[:1] == ["reject"] and len(words) == 3:
            self.rejected[words[2]] = int(words[1])
        elif words[:1] == ["delay"] and len(words) == 2:
            self.delay = float(words[1])
        elif words == ["healthy"]:
            self.refusals_left = 0
            self.delay = 0
            self.rejected = {}
        else:
            print(f"unknown command: {command}", file=sys.stderr, flush=True)
            return
        print(f"DONE {command}", flush=True)

    def refuse_now(self, step):
        if self.arguments.refuse_at == step and self.refusals_left > 0:
            self.refusals_left -= 1
            return True
        return False

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.rejected:
            # Worded as Postfix does, repeating the address.
            return f"{self.rejected[address]} 5.1.1 <{address}>: Recipient address rejected: no such user"
        if self.arguments.reject_code:
            return f"{self.arguments.reject_code} 5.1.1 no such user"
        if self.refuse_now("rcpt"):
            return f"{self.refuse_code} 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            # When the client gives up first, aiosmtpd cancels this and nothing is stored.
            await asyncio.sleep(self.delay)
        if self.refuse_now("data"):
            return f"{self.refuse_code} 4.3.0 try again later"
        self.stored += 1
        base = os.path.join(self.arguments.maildir, str(self.stored))
        content = envelope.original_content or b""
        with open(base + ".eml", "wb") as file:
            file.write(content)
        message = email.message_from_bytes(content, policy=email.policy.default)
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "mail_options": envelope.mail_options,
            "tls": server.transport.get_extra_info("ssl_object") is not None,
            "authenticated": bool(session.authenticated),
            "subject": str(message["subject"] or ""),
            "message_id": str(message["message-id"] or ""),
            "from": str(message["from"] or ""),
            "to": str(message["to"] or ""),
            "body": message.get_content() if not message.is_multipart() else "",
            "eml": os.path.basename(base + ".eml"),
        }
        # Written under another name and renamed, so a reader never sees half a file.
        with open(base + ".json.tmp", "w", encoding="utf-8") as file:
            json.dump(record, file, ensure_ascii=False)
        os.replace(base + ".json.tmp", base + ".json")
        return "250 2.0.0 OK queued"


class TestSMTP(SMTP):
    inject_after_starttls = False

    async def push(self, status):
        if self.inject_after_starttls and status == "220 Ready to start TLS":
            # Both lines go out in one write, so they reach the client together, before TLS.
            status += "\r\n250 injected in clear text"
        await super().push(status)


def make_authenticator(expected):
    user, _, password = expected.partition(":")

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and auth_data.password.decode() == password
        return AuthResult(success=ok, handled=False)

    return authenticate


async def main():
    arguments = parse_arguments()
    os.makedirs(arguments.maildir, exist_ok=True)
    tls_context = None
    if arguments.tls_cert:
        tls_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls_context.load_cert_chain(arguments.tls_cert, arguments.tls_key)
    handler = Handler(arguments)
    parameters = {
        "hostname": "vigil-test.localhost",
        "enable_SMTPUTF8": arguments.smtputf8,
        "data_size_limit": arguments.size_limit,
        "auth_require_tls": not arguments.auth_allow_plaintext,
        "timeout": 30,
    }
    if arguments.starttls:
        parameters.update(tls_context=tls_context, require_starttls=True)
    if arguments.auth:
        parameters.update(
            authenticator=make_authenticator(arguments.auth),
            auth_required=True,
            auth_exclude_mechanism=arguments.auth_exclude,
        )
    loop = asyncio.get_running_loop()
    implicit = tls_context if (tls_context and not arguments.starttls) else None
    TestSMTP.inject_after_starttls = arguments.inject_after_starttls
    server = await loop.create_server(lambda: TestSMTP(handler, **parameters), "127.0.0.1", arguments.port, ssl=implicit)

    stop = asyncio.Event()
    # The test process may start us with these signals blocked, which children inherit.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)

    def watch_stdin():
        # Each line is a command; the test closes our stdin to stop us, and it also closes when
        # the test process dies.
        for line in sys.stdin.buffer:
            command = line.decode("utf-8", "replace").strip()
            if command:
                loop.call_soon_threadsafe(handler.apply, command)
        loop.call_soon_threadsafe(stop.set)

    threading.Thread(target=watch_stdin, daemon=True).start()
    print(f"READY {server.sockets[0].getsockname()[1]}", flush=True)
    try:
        await asyncio.wait_for(stop.wait(), timeout=arguments.lifetime)
    except asyncio.TimeoutError:
        print("lifetime over, stopping", file=sys.stderr)
    server.close()


if __name__ == "__main__":
    asyncio.run(main())
