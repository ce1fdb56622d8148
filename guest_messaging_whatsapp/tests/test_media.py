from guestmsg.testing import FakeGraphAPI

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import WhatsAppMixin


@tagged("guest_messaging")
class TestWhatsAppMedia(WhatsAppMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_outbox(guest_name="Ana")
        # another loopback port, standing in for cloud metadata or an intranet service
        cls.intranet = FakeGraphAPI().start()
        cls.addClassCleanup(cls.intranet.stop)
        cls.intranet.add_media("M1", b"instance credentials")

    def setUp(self):
        super().setUp()
        self.graph.clear_requests()
        self.intranet.clear_requests()

    def inbound(self, message_type, payload):
        return self.env["guest.message"].create({
            "conversation_id": self.conversation.id, "direction": "inbound", "author_type": "guest",
            "message_type": message_type, "body": f"[{message_type}]", "payload": payload,
        })

    def assert_refused(self, message, pattern):
        with self.assertRaisesRegex(UserError, pattern):
            message.with_user(self.agent).action_fetch_media()
        self.assertFalse(message.attachment_id)
        self.assertFalse(self.intranet.requests, "neither the request nor the token went there")

    def test_a_media_url_outside_meta_is_refused_and_gets_no_token(self):
        self.graph.add_media("M1", b"voice note", mime_type="audio/ogg")
        self.patch(self.graph, "media_base_url", self.intranet.base_url)
        message = self.inbound("audio", {"media_id": "M1", "mime_type": "audio/ogg"})
        self.assert_refused(message, "fetches media only from the Graph API and Meta's media CDNs")
        self.assertEqual([r.endpoint for r in self.graph.requests], ["M1"])
        self.assertEqual(message.payload["media_id"], "M1")

    def test_a_redirect_leaving_meta_is_refused(self):
        self.graph.add_media("M2", b"photo", mime_type="image/jpeg")
        self.graph.fail_next(status=302, body=b"", path_contains="media-bytes/M2",
                             headers={"Location": f"{self.intranet.base_url}/media-bytes/M1"})
        message = self.inbound("image", {"media_id": "M2", "mime_type": "image/jpeg"})
        self.assert_refused(message, "fetches media only from")
        self.assertEqual([(r.endpoint, r.bearer) for r in self.graph.requests],
                         [("M2", "EAAG-test-token"), ("media-bytes/M2", "EAAG-test-token")])

    def test_a_location_link_is_never_fetched(self):
        url = f"{self.intranet.base_url}/media-bytes/M1"
        message = self.inbound("location", {"latitude": 40.4, "longitude": -3.7, "url": url})
        self.assert_refused(message, "holds a link, not media")
        self.assertFalse(self.graph.requests)
