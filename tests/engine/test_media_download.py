"""GraphClient.download_media fetches only from the Graph API origin and Meta's media CDNs."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from guestmsg.meta.graph import GraphClient, GraphPermanentError, GraphTransientError, MediaHostRefused
from guestmsg.meta.media_hosts import MediaHosts
from guestmsg.testing import FakeGraphAPI

TOKEN = "EAAmediatoken"
GRAPH = "https://graph.facebook.com"


@pytest.fixture
def graph():
    with FakeGraphAPI() as fake:
        yield fake


@pytest.fixture
def intranet():
    """Another loopback port, standing in for cloud metadata or an intranet service."""
    with FakeGraphAPI() as fake:
        yield fake


@pytest.fixture
def client(graph):
    with GraphClient(base_url=graph.base_url, access_token=TOKEN) as graph_client:
        yield graph_client


class StreamingServer:
    """A loopback server whose single route streams ``chunk`` every ``interval`` seconds, ``count`` times."""

    def __init__(self, chunk, count, interval=0.0, content_length=None):
        self.chunk, self.count, self.interval, self.content_length = chunk, count, interval, content_length
        self.requests = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append(dict(self.headers.items()))
                server.stream(self)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def stream(self, handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "video/mp4")
        if self.content_length is not None:
            handler.send_header("Content-Length", str(self.content_length))
        handler.end_headers()
        try:
            for _ in range(self.count):
                handler.wfile.write(self.chunk)
                handler.wfile.flush()
                time.sleep(self.interval)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def __enter__(self):
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def __exit__(self, *exc_info):
        self.httpd.shutdown()
        self.httpd.server_close()


# -- the allowlist ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [
    "https://graph.facebook.com/v23.0/123",
    "https://GRAPH.facebook.com:443/media",
    "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1&ext=2&hash=3",
    "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1&signature=2",
    "https://cdn.fbsbx.com/v/t59.3654-21/voice.mp4?_nc_cat=1",
    "https://scontent.xx.fbcdn.net/v/t1.15752-9/photo.jpg?oh=1",
    "https://video-mad1-1.xx.fbcdn.net/v/clip.mp4",
    "https://scontent-mad1-1.cdninstagram.com/v/t51/photo.jpg",
])
def test_graph_origin_and_meta_media_cdns_are_allowed(url):
    assert MediaHosts(GRAPH).allows(url)


@pytest.mark.parametrize("url", [
    "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
    "http://127.0.0.1:8069/web/database/manager",
    "https://hotel.example/offer",
    "http://graph.facebook.com/v23.0/123",  # not the configured scheme
    "https://graph.facebook.com:8443/v23.0/123",  # nor its port
    "http://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1",  # Meta's CDNs over https only
    "https://lookaside.fbsbx.com:8443/x",
    "https://fbsbx.com/x",
    "https://evilfbsbx.com/x",
    "https://lookaside.fbsbx.com.evil.example/x",
    "https://lookaside.fbsbx.com./x",
    "https://user:pass@lookaside.fbsbx.com/x",
    "https://evil.example\\@lookaside.fbsbx.com/x",
    "https://evil.example%2f@lookaside.fbsbx.com/x",
    "https://lookaside.fbsbx.com /x",
    "https://lookaside.fbsbx.com:443:80/x",
    "//lookaside.fbsbx.com/x",
    "/media-bytes/1",
    "file:///etc/passwd",
    "ftp://lookaside.fbsbx.com/x",
    "",
    None,
])
def test_anything_else_is_refused(url):
    assert not MediaHosts(GRAPH).allows(url)
    assert not MediaHosts(GRAPH).takes_token(url)


@pytest.mark.parametrize("url,token", [
    ("https://graph.facebook.com/v23.0/123", True),
    ("https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1", True),
    ("https://cdn.fbsbx.com/v/voice.mp4", False),
    ("https://scontent.xx.fbcdn.net/v/photo.jpg", False),
    ("https://scontent.cdninstagram.com/v/photo.jpg", False),
])
def test_only_the_graph_origin_and_whatsapp_media_host_take_the_token(url, token):
    assert MediaHosts(GRAPH).takes_token(url) is token


def test_a_loopback_graph_origin_is_allowed_by_scheme_host_and_port_only(graph):
    hosts = MediaHosts(graph.base_url + "/proxy")
    assert hosts.allows(f"{graph.base_url}/media-bytes/1") and hosts.takes_token(f"{graph.base_url}/x")
    assert not hosts.allows(f"http://localhost:{graph.port}/media-bytes/1")
    assert not hosts.allows(f"https://127.0.0.1:{graph.port}/media-bytes/1")


# -- refused before any request --------------------------------------------------------------------


def test_a_url_outside_the_allowlist_is_refused_and_that_host_sees_nothing(client, intranet):
    intranet.add_media("secret", b"instance credentials")
    with pytest.raises(MediaHostRefused, match="only from the Graph API and Meta's media CDNs"):
        client.download_media(f"{intranet.base_url}/media-bytes/secret")
    assert intranet.requests == []


# -- redirects -------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_within_the_graph_origin_is_followed_with_the_token(graph, client, status):
    graph.add_media("m1", b"photo bytes", "image/jpeg")
    graph.fail_next(status=status, body=b"", path_contains="media-bytes/moved",
                    headers={"Location": "/media-bytes/m1?mid=m1"})

    assert client.download_media(f"{graph.base_url}/media-bytes/moved") == b"photo bytes"
    assert [(r.endpoint, r.bearer) for r in graph.requests] == [("media-bytes/moved", TOKEN), ("media-bytes/m1", TOKEN)]


def test_a_redirect_to_another_host_is_refused_and_that_host_sees_nothing(graph, client, intranet):
    intranet.add_media("secret", b"instance credentials")
    graph.fail_next(status=302, body=b"", path_contains="media-bytes/m1",
                    headers={"Location": f"{intranet.base_url}/media-bytes/secret"})

    with pytest.raises(MediaHostRefused) as caught:
        client.download_media(f"{graph.base_url}/media-bytes/m1")
    assert caught.value.url == f"{intranet.base_url}/media-bytes/secret"
    assert len(graph.requests) == 1
    assert intranet.requests == [], "neither the request nor the token followed the redirect"


@pytest.mark.parametrize("location", [
    "http://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1",
    "https://lookaside.fbsbx.com.evil.example/x",
    "//169.254.169.254/latest/meta-data/",
    "file:///etc/passwd",
])
def test_a_redirect_leaving_the_allowlist_is_refused(graph, client, location):
    graph.fail_next(status=302, body=b"", path_contains="media-bytes/m1", headers={"Location": location})
    with pytest.raises(MediaHostRefused):
        client.download_media(f"{graph.base_url}/media-bytes/m1")
    assert len(graph.requests) == 1


def test_redirects_are_followed_a_few_times_only(graph, client):
    graph.fail_next(n=10, status=302, body=b"", path_contains="media-bytes/loop",
                    headers={"Location": "/media-bytes/loop"})
    with pytest.raises(GraphPermanentError, match="redirected more than 2 times"):
        client.download_media(f"{graph.base_url}/media-bytes/loop", max_redirects=2)
    assert len(graph.requests) == 3


def test_a_redirect_without_a_location_is_an_error(graph, client):
    graph.fail_next(status=302, body=b"", path_contains="media-bytes/m1")
    with pytest.raises(GraphPermanentError) as caught:
        client.download_media(f"{graph.base_url}/media-bytes/m1")
    assert caught.value.http_status == 302


# -- size and time ---------------------------------------------------------------------------------


def test_an_endless_body_without_content_length_is_cut_at_the_size_cap():
    with StreamingServer(b"x" * 64 * 1024, count=10_000) as server:
        with GraphClient(base_url=server.base_url, access_token=TOKEN) as client:
            started = time.monotonic()
            with pytest.raises(GraphPermanentError, match="more than the 1000000 bytes allowed"):
                client.download_media(f"{server.base_url}/media", max_bytes=1_000_000)
    assert time.monotonic() - started < 5
    assert len(server.requests) == 1


@pytest.mark.parametrize("content_length", [None, 10_000])
def test_a_slow_drip_is_stopped_by_the_total_time_limit(content_length):
    # each byte arrives well within the read timeout: only a limit on the whole download stops it
    with StreamingServer(b"x", count=200, interval=0.05, content_length=content_length) as server:
        with GraphClient(base_url=server.base_url, access_token=TOKEN, read_timeout=5) as client:
            started = time.monotonic()
            with pytest.raises(GraphTransientError, match="took more than 1 seconds"):
                client.download_media(f"{server.base_url}/media", max_seconds=1)
            assert time.monotonic() - started < 2.5


def test_a_late_answer_is_stopped_by_the_total_time_limit(graph):
    graph.add_media("m1", b"photo bytes", "image/jpeg")
    graph.delay_next(3, path_contains="media-bytes/m1")
    with GraphClient(base_url=graph.base_url, access_token=TOKEN, read_timeout=20) as client:
        started = time.monotonic()
        with pytest.raises(GraphTransientError):
            client.download_media(f"{graph.base_url}/media-bytes/m1", max_seconds=1)
        assert time.monotonic() - started < 2.5


def test_the_time_limit_covers_every_redirect(graph):
    graph.fail_next(n=3, status=302, body=b"", path_contains="media-bytes/hop",
                    headers={"Location": "/media-bytes/hop"})
    graph.delay_next(0.6, n=3, path_contains="media-bytes/hop")
    with GraphClient(base_url=graph.base_url, access_token=TOKEN) as client:
        started = time.monotonic()
        with pytest.raises(GraphTransientError, match="took more than 1 seconds"):
            client.download_media(f"{graph.base_url}/media-bytes/hop", max_seconds=1)
        assert time.monotonic() - started < 2.5
