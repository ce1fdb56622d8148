# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import re

from guestmsg.channels.meta_social import INSTAGRAM, MESSENGER
from guestmsg.channels.meta_social.outbound import image_payload, messaging_window, page_payloads
from guestmsg.channels.wire import OutboundValidationError
from guestmsg.meta.graph import GraphError, GraphTransientError

from odoo import fields, models
from odoo.exceptions import UserError

from .common import CHANNELS, aware_utc, now_utc

_logger = logging.getLogger(__name__)

PROFILE_FIELDS = {
    MESSENGER.code: ("name", "profile_pic"),
    INSTAGRAM.code: ("name", "username", "profile_pic"),
}
# asked too where Meta gives it (a Page app with the user-locale permission); without it, asked again without
EXTRA_PROFILE_FIELDS = {MESSENGER.code: ("locale",)}
LOCALE_RE = re.compile(r"[a-z]{2}_[A-Z]{2}")


class GuestConversation(models.Model):
    _inherit = "guest.conversation"

    guest_picture_url = fields.Char("Profile picture", readonly=True, copy=False)
    guest_profile_fetched = fields.Boolean(
        readonly=True, copy=False, help="The guest's Messenger or Instagram profile was asked of Meta once.")

    # === OUTBOUND === #
    def _page_wires(self, rendered):
        # the recipient and the messaging type are set when the message is sent
        return [{"message": body["message"]} for body in page_payloads(rendered, self.guest_external_id)]

    def _wire_payloads_messenger(self, rendered):
        return self._page_wires(rendered)

    def _wire_payloads_instagram(self, rendered):
        return self._page_wires(rendered)

    def _queue_page_image(self, link, author_type="agent"):
        """An image by public URL (a room photo, a map) on Messenger or Instagram."""
        self.ensure_one()
        if author_type == "agent":
            self._check_service_window()
        try:
            wire = image_payload(self.guest_external_id, link, channel=self.channel_type)
        except OutboundValidationError as exc:
            raise UserError(str(exc)) from None
        return self._queue_outbound([{
            "author_type": author_type, "message_type": "image", "body": "",
            "payload": {"wire": {"message": wire["message"]}, "url": link},
        }])

    def _messaging_window(self, human_agent):
        self.ensure_one()
        return messaging_window(self.channel_type, aware_utc(self.last_inbound_at), now_utc(), human_agent)

    # === PROFILE === #
    def _guest_picture_url(self):
        if self.channel_type in CHANNELS:
            return self.guest_picture_url or False
        return super()._guest_picture_url()

    def _fetch_guest_profile(self):
        """The guest's name and picture, asked of Meta once per conversation."""
        self.ensure_one()
        if self.guest_profile_fetched or self.channel_type not in CHANNELS:
            return
        base = PROFILE_FIELDS[self.channel_type]
        try:
            with self.connection_id._graph_client() as client:
                try:
                    profile = client.get_profile(
                        self.guest_external_id, fields=base + EXTRA_PROFILE_FIELDS.get(self.channel_type, ()))
                except GraphError as exc:
                    if isinstance(exc, GraphTransientError) or self.channel_type not in EXTRA_PROFILE_FIELDS:
                        raise
                    profile = client.get_profile(self.guest_external_id, fields=base)
        except GraphTransientError as exc:
            _logger.info("Profile of %s not fetched yet, will retry on the next message: %s", self.id, exc)
            return
        except GraphError as exc:
            # Meta shares no profile for this guest (privacy settings, app permissions): do not ask again
            _logger.info("Meta shares no profile for conversation %s: %s", self.id, exc)
            profile = {}
        profile = profile if isinstance(profile, dict) else {}
        name = profile.get("name") or profile.get("username")
        picture = profile.get("profile_pic")
        vals = {"guest_profile_fetched": True}
        if isinstance(name, str) and name.strip():
            vals["guest_name"] = name.strip()[:256]
        if isinstance(picture, str) and picture.startswith("https://"):
            vals["guest_picture_url"] = picture[:2048]
        locale = profile.get("locale")
        if isinstance(locale, str) and LOCALE_RE.fullmatch(locale):
            vals["guest_locale"] = locale
        self.write(vals)
