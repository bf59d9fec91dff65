"""
The servers the edge tests run: a real varnishd with deploy/varnish.vcl, the
canned backend behind it, and small stand-ins for the purgers to talk to.
"""

import http.client
import json
import secrets
import shutil
import socket
import socketserver
import subprocess
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

VCL = Path(__file__).resolve().parents[2] / "deploy" / "varnish.vcl"

# What Notizie sends with a reader page, unless a test says otherwise.
PAGE_HEADERS = {
    "Content-Type": "text/html; charset=utf-8",
    "Cache-Control": "public, max-age=60, s-maxage=600",
    "Vary": "Accept-Language",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fill_vcl(
    *, backends: list[tuple[str, int]], site_domain: str, acl: list[str], token: str
) -> str:
    """deploy/varnish.vcl with its placeholders filled, as a deployment fills them."""
    names = [f"notizie{number}" for number in range(1, len(backends) + 1)]
    entries = []
    for entry in acl:
        address, _, bits = entry.partition("/")
        entries.append(f'"{address}"/{bits};' if bits else f'"{address}";')
    vcl = VCL.read_text()
    for placeholder, value in {
        "@BACKENDS@": "\n".join(
            f'backend {name} {{ .host = "{host}"; .port = "{port}"; }}'
            for name, (host, port) in zip(names, backends, strict=True)
        ),
        "@ADD_BACKENDS@": " ".join(f"notizie.add_backend({name});" for name in names),
        "@SITE_DOMAIN@": site_domain,
        "@PURGE_ACL@": " ".join(entries),
        "@PURGE_TOKEN@": token,
    }.items():
        vcl = vcl.replace(placeholder, value)
    return vcl


@dataclass
class Response:
    status: int
    headers: Message
    body: bytes

    def json(self):
        return json.loads(self.body)


def fetch(port, path, *, method="GET", headers=None, source=None, timeout=5) -> Response:
    """One request on a connection of its own (from ``source``, an address, if given)."""
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=timeout, source_address=(source, 0) if source else None
    )
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        return Response(response.status, response.msg, response.read())
    finally:
        connection.close()


class Backend:
    """
    Notizie as Varnish sees it: canned pages by path, each answer's body saying
    what was asked (the render number, the cookies, the language), a count of
    the requests for each path and query, and the headers of every request by
    path. It answers the VCL's health probe (``/robots.txt``).
    """

    def __init__(self):
        self.pages = {}
        self.hits = Counter()
        self.headers = defaultdict(list)
        self.lock = threading.Lock()
        backend = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body: one round trip

            def do_GET(self):
                backend.answer(self)

            do_HEAD = do_POST = do_DELETE = do_GET

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        self.serve("/robots.txt", headers={"Cache-Control": None, "Vary": None})

    def serve(self, path, *, status=200, tags=(), headers=None):
        """Answer ``path`` (any query) with a page carrying ``tags`` and ``headers``."""
        page_headers = {**PAGE_HEADERS, **(headers or {})}
        if tags:
            page_headers["xkey"] = " ".join(tags)
        self.pages[path] = (status, {k: v for k, v in page_headers.items() if v is not None})

    def answer(self, handler):
        length = int(handler.headers.get("Content-Length") or 0)
        if length:
            handler.rfile.read(length)
        path = urlsplit(handler.path).path
        with self.lock:
            self.hits[handler.path] += 1
            number = self.hits[handler.path]
            self.headers[path].append(handler.headers)
        status, headers = self.pages.get(path, (404, {"Content-Type": "text/plain"}))
        body = json.dumps(
            {
                "render": number,
                "url": handler.path,
                "method": handler.command,
                "cookie": handler.headers.get("Cookie"),
                "accept_language": handler.headers.get("Accept-Language"),
            }
        ).encode()
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        if handler.command != "HEAD":
            handler.wfile.write(body)

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


# Small, for the tests' canned pages: one pool of a few threads, small
# workspaces. Too small for Notizie's own pages: reading a response, Varnish may
# fill most of a 32k backend workspace with its headers and the start of a
# long body, then run out of it (a 503, "Backend fetch failed").
SMALL = {
    "thread_pools": "1",
    "thread_pool_min": "5",
    "thread_pool_max": "100",
    "workspace_client": "32k",
    "workspace_backend": "32k",
}


class Varnish:
    """
    varnishd running deploy/varnish.vcl in ``workdir``, in front of the servers
    on ``backend_ports``, with ``storage`` and ``parameters`` (``-s``, ``-p``:
    empty parameters are Varnish's defaults, as a deployment runs it); readers
    reach it as ``127.0.0.1:<port>``, the site's domain. ``stop()`` and
    ``start()`` again: the same Varnish, its cache empty.
    """

    def __init__(
        self,
        workdir: Path,
        *backend_ports,
        port=None,
        site_domain=None,
        acl=("127.0.0.1",),
        token=None,
        storage="malloc,32m",
        parameters=SMALL,
    ):
        self.token = secrets.token_urlsafe(24) if token is None else token
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.vcl = workdir / "notizie.vcl"
        self.vcl.write_text(
            fill_vcl(
                backends=[("127.0.0.1", backend_port) for backend_port in backend_ports],
                site_domain=f"127.0.0.1:{self.port}" if site_domain is None else site_domain,
                acl=list(acl),
                token=self.token,
            )
        )
        self.workdir = workdir
        self.log = workdir / "varnishd.log"
        self.storage, self.parameters = storage, parameters
        self.start()

    def start(self):
        options = [
            arg for name, value in self.parameters.items() for arg in ("-p", f"{name}={value}")
        ]
        with self.log.open("ab") as log:
            # In the foreground, with a working directory of its own.
            self.process = subprocess.Popen(
                [
                    shutil.which("varnishd"),
                    "-F",
                    "-j", "none",
                    "-n", str(self.workdir / "varnish"),
                    "-a", f"127.0.0.1:{self.port}",
                    "-T", "none",
                    "-f", str(self.vcl),
                    "-s", self.storage,
                    *options,
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        self.wait_until_ready()

    def wait_until_ready(self, seconds=30):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"varnishd exited:\n{self.log.read_text()[-3000:]}")
            try:
                # Answered by the VCL itself: the purge refused without the token.
                if fetch(self.port, "/", method="PURGE", timeout=1).status == 403:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"varnishd did not start:\n{self.log.read_text()[-3000:]}")

    def get(self, path, **options) -> Response:
        return fetch(self.port, path, **options)

    def purge(self, *tags, token=None, source=None) -> Response:
        headers = {"xkey-purge": " ".join(tags), "X-Purge-Token": token or self.token}
        return fetch(self.port, "/", method="PURGE", headers=headers, source=source)

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Recorder:
    """
    An HTTP server that records each request (method, path, headers, body) and
    answers with the status ``status`` holds; it can stop answering and start
    again on the same port, like a server that goes down and comes back.
    """

    def __init__(self, port=None, status=200):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.status = status
        self.requests = []
        self.server = None

    def start(self):
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body: one round trip

            def handle_one(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                recorder.requests.append((self.command, self.path, self.headers, body))
                answer = b"{}"
                self.send_response(recorder.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            do_POST = do_PURGE = do_GET = handle_one

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def stop(self):
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


class Forwarder(socketserver.ThreadingTCPServer):
    """A TCP relay to ``port``: a way to a server that can be cut and restored."""

    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, listen_port, target_port):
        self.target_port = target_port
        super().__init__(("127.0.0.1", listen_port), Relay)
        threading.Thread(target=self.serve_forever, args=(0.05,), daemon=True).start()

    def stop(self):
        self.shutdown()
        self.server_close()


class Relay(socketserver.BaseRequestHandler):
    def handle(self):
        with socket.create_connection(("127.0.0.1", self.server.target_port)) as upstream:
            pump = threading.Thread(target=copy, args=(upstream, self.request), daemon=True)
            pump.start()
            copy(self.request, upstream)
            pump.join(5)


def copy(source, target):
    try:
        while data := source.recv(65536):
            target.sendall(data)
        target.shutdown(socket.SHUT_WR)
    except OSError:
        pass
