from guestmsg.testing import FakeGraphAPI

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import SocialMixin


@tagged("guest_messaging")
class TestPageMedia(SocialMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_social()
        cls.setup_fake_graph()
        # another loopback port, standing in for cloud metadata or an intranet service
        cls.intranet = FakeGraphAPI().start()
        cls.addClassCleanup(cls.intranet.stop)
        cls.intranet.add_media("secret", b"instance credentials")
        Conversation = cls.env["guest.conversation"]
        cls.on_messenger = Conversation.create({"connection_id": cls.messenger.id, "guest_external_id": "PSID-M"})
        cls.on_instagram = Conversation.create({"connection_id": cls.instagram.id, "guest_external_id": "IGSID-M"})

    def setUp(self):
        super().setUp()
        self.graph.clear_requests()
        self.intranet.clear_requests()

    def inbound(self, message_type, payload, conversation=None, body="[image]"):
        return self.env["guest.message"].create({
            "conversation_id": (conversation or self.on_messenger).id, "direction": "inbound", "author_type": "guest",
            "message_type": message_type, "body": body, "payload": payload,
        })

    def assert_refused(self, message, pattern):
        with self.assertRaisesRegex(UserError, pattern):
            message.with_user(self.agent).action_fetch_media()
        self.assertFalse(message.attachment_id)
        self.assertFalse(self.env["ir.attachment"].search_count([
            ("res_model", "=", "guest.conversation"), ("res_id", "in", (self.on_messenger | self.on_instagram).ids)]))
        self.assertFalse(self.intranet.requests, "the server sent nothing there")

    def test_media_from_meta_is_fetched_without_the_page_token(self):
        self.graph.add_media("IMG1", b"\x89PNG room photo", mime_type="image/png")
        message = self.inbound("image", {"url": f"{self.graph.base_url}/media-bytes/IMG1"})
        message.with_user(self.agent).action_fetch_media()
        self.assertEqual(message.attachment_id.raw, b"\x89PNG room photo")
        [download] = self.graph.requests
        self.assertIsNone(download.bearer)

    def test_an_agent_cannot_make_the_server_fetch_a_url_outside_meta(self):
        url = f"{self.intranet.base_url}/media-bytes/secret"
        message = self.inbound("image", {"url": url, "attachments": [{"type": "image", "url": url}]})
        self.assert_refused(message, "not media from Meta")
        self.assertEqual(message.payload["url"], url, "the link is kept")
        self.assertFalse(self.graph.requests)

    def test_a_redirect_leaving_meta_is_refused(self):
        self.graph.fail_next(status=302, body=b"", path_contains="media-bytes/moved",
                             headers={"Location": f"{self.intranet.base_url}/media-bytes/secret"})
        message = self.inbound("image", {"url": f"{self.graph.base_url}/media-bytes/moved"})
        self.assert_refused(message, "not media from Meta")
        self.assertEqual(len(self.graph.requests), 1)

    def test_links_a_guest_shares_are_never_fetched(self):
        self.graph.add_media("POST1", b"<html>a post</html>", mime_type="text/html")
        cases = [
            (self.on_messenger, "fallback", "[shared link]", f"{self.graph.base_url}/media-bytes/POST1"),
            (self.on_instagram, "story_mention", "[story mention]",
             "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1"),
            (self.on_instagram, "share", "[shared post]", "https://www.instagram.com/p/abc/"),
        ]
        for conversation, original_type, body, url in cases:
            with self.subTest(original_type=original_type):
                message = self.inbound("unsupported", {
                    "original_type": original_type, "url": url, "attachments": [{"type": original_type, "url": url}],
                }, conversation=conversation, body=body)
                self.assert_refused(message, "Open it yourself: " + url.replace("?", r"\?"))
                self.assertEqual(message.payload["url"], url)
        self.assertFalse(self.graph.requests)

    def test_the_inbox_shows_a_shared_link_as_a_link_and_offers_no_download(self):
        shared = self.inbound("unsupported", {"url": "https://example.com/a-post"}, body="[link]")
        hostile = self.inbound("unsupported", {"url": "javascript:alert(1)"}, body="[link]")
        media = self.inbound("image", {"url": f"{self.graph.base_url}/media-bytes/IMG2"})
        thread = self.env["guest.inbox"].with_user(self.agent).load_thread(self.on_messenger.id)
        rows = {row["id"]: row for row in thread["messages"]}
        self.assertEqual((rows[shared.id]["link"], rows[shared.id]["has_media"]), ("https://example.com/a-post", False))
        self.assertEqual((rows[hostile.id]["link"], rows[hostile.id]["has_media"]), (False, False))
        self.assertEqual((rows[media.id]["link"], rows[media.id]["has_media"]), (False, True))
