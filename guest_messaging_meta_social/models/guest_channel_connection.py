# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from guestmsg.channels.meta_social import INSTAGRAM, MESSENGER
from guestmsg.channels.sandbox import SANDBOX
from guestmsg.meta.connection_check import check_page
from guestmsg.meta.onboarding import onboard_page

from odoo import fields, models


class GuestChannelConnection(models.Model):
    _inherit = "guest.channel.connection"

    channel_type = fields.Selection(
        selection_add=[INSTAGRAM.selection(), MESSENGER.selection(), (SANDBOX.code,)],
        ondelete={INSTAGRAM.code: "cascade", MESSENGER.code: "cascade"},
    )
    page_id = fields.Char("Facebook Page ID", index="btree_not_null", copy=False)
    instagram_account_id = fields.Char("Instagram Account ID", index="btree_not_null", copy=False)

    _sql_constraints = [
        ("page_id_unique", "unique(channel_type, page_id)", "Another connection already uses this Page."),
        (
            "instagram_account_id_unique",
            "unique(channel_type, instagram_account_id)",
            "Another connection already uses this Instagram account.",
        ),
    ]

    def _run_checks_messenger(self):
        return self._run_page_checks()

    def _run_checks_instagram(self):
        return self._run_page_checks()

    def _run_page_checks(self):
        token = self._check_meta_token()
        with self._graph_client() as client:
            return check_page(client, token, self._app_token(), self.channel_type, self.page_id,
                              self.instagram_account_id)

    def _embedded_signup_messenger(self, client, app_id, app_secret, token, session):
        return self._page_signup(client, app_id, app_secret, token, session, instagram=False)

    def _embedded_signup_instagram(self, client, app_id, app_secret, token, session):
        return self._page_signup(client, app_id, app_secret, token, session, instagram=True)

    def _page_signup(self, client, app_id, app_secret, token, session, instagram):
        assets = onboard_page(client, app_id=app_id, app_secret=app_secret, token=token, session=session,
                              instagram=instagram)
        return {"page_id": assets.page_id, "instagram_account_id": assets.instagram_account_id or False,
                "access_token": assets.access_token, "token_expires_at": False,
                **self._signup_name(assets.page_name)}
