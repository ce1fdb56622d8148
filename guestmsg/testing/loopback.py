"""What every loopback fake shares: a threaded HTTP server on 127.0.0.1, its lifecycle, and the
record of the requests it received. A fake subclasses :class:`LoopbackFake` and implements
``handle_request(handler)``."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # socketserver's default backlog of 5 refuses connections when many clients arrive at once
    request_queue_size = 128

    def __init__(self, address, handler, fake):
        self.fake = fake
        super().__init__(address, handler)

    def handle_error(self, request, client_address):
        # A client that gave up (read timeout) makes the late reply fail; that is expected.
        pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def do_GET(self):
        self.server.fake.handle_request(self)

    def do_POST(self):
        self.server.fake.handle_request(self)

    def do_DELETE(self):
        self.server.fake.handle_request(self)

    def log_message(self, *args):
        pass


class LoopbackFake:
    """Start/stop (also as a context manager), ``port``, ``base_url`` and ``requests``."""

    poll_interval = 0.05

    def __init__(self, host="127.0.0.1", port=0):
        self.host = host
        self._port = port
        self._lock = threading.RLock()
        self._stopping = threading.Event()
        self._server = None
        self._thread = None
        self._requests = []

    def handle_request(self, handler):
        raise NotImplementedError

    # -- lifecycle -------------------------------------------------------------------------------

    def start(self):
        name = type(self).__name__
        handler = type(f"{name}Handler", (_Handler,), {"server_version": f"{name}/1.0"})
        with self._lock:
            if self._server is not None:
                return self
            self._stopping.clear()
            self._server = _Server((self.host, self._port), handler, self)
            self._thread = threading.Thread(
                target=self._server.serve_forever, kwargs={"poll_interval": self.poll_interval},
                name=f"{name}:{self.port}", daemon=True,
            )
            self._thread.start()
        return self

    def stop(self):
        with self._lock:
            server, thread = self._server, self._thread
            self._server = self._thread = None
        if server is None:
            return
        self._stopping.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    @property
    def port(self):
        server = self._server
        if server is None:
            raise RuntimeError(f"{type(self).__name__} is not running")
        return server.server_address[1]

    @property
    def base_url(self):
        return f"http://{self.host}:{self.port}"

    # -- recording -------------------------------------------------------------------------------

    @property
    def requests(self):
        """A snapshot of the requests received so far, oldest first."""
        with self._lock:
            return list(self._requests)

    def clear_requests(self):
        with self._lock:
            self._requests.clear()
