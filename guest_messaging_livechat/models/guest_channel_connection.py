# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from guestmsg.channels.website_chat import WEBSITE_CHAT
from guestmsg.core.json_values import is_int
from guestmsg.meta.connection_check import Check

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import ormcache


class GuestChannelConnection(models.Model):
    """A Website chat connection: one of Odoo's Live Chat channels, answered by the booking bot and the
    Guest Messaging team instead of Live Chat's operators."""

    _inherit = "guest.channel.connection"

    channel_type = fields.Selection(selection_add=[WEBSITE_CHAT.selection()], ondelete={WEBSITE_CHAT.code: "cascade"})
    livechat_channel_id = fields.Many2one(
        "im_livechat.channel", "Live Chat channel", index="btree_not_null", copy=False, ondelete="set null",
        help="The Live Chat channel whose widget visitors use: on an Odoo website (Website > Configuration), or "
             "on any site through its embed script.")
    livechat_bot_partner_id = fields.Many2one(
        "res.partner", "Name in the chat", copy=False, ondelete="set null",
        help="The contact the booking bot's messages are posted as in the visitor's chat window.")

    _sql_constraints = [
        ("livechat_channel_id_unique", "unique(livechat_channel_id)",
         "Another connection already answers this Live Chat channel."),
    ]

    # === CONSTRAINT === #
    @api.constrains("channel_type", "livechat_channel_id")
    def _check_livechat_channel(self):
        for connection in self:
            if connection.channel_type == WEBSITE_CHAT.code and not connection.livechat_channel_id:
                raise ValidationError(self.env._("A Website chat connection needs its Live Chat channel."))

    # === CRUD === #
    @api.model_create_multi
    def create(self, vals_list):
        connections = super().create(vals_list)
        connections._website_chat_bind()
        return connections

    def write(self, vals):
        result = super().write(vals)
        if {"channel_type", "livechat_channel_id", "name"} & set(vals):
            self._website_chat_bind()
        return result

    def _website_chat_bind(self):
        """A bound Website chat connection works at once: it needs no platform to verify it, and its bot
        gets a name in the chat the first time."""
        for connection in self.filtered(lambda c: c.channel_type == WEBSITE_CHAT.code and c.livechat_channel_id):
            if not connection.livechat_bot_partner_id:
                # sudo: res.partner - the bot's name in the chat is created with the connection, by a manager
                connection.livechat_bot_partner_id = self.env["res.partner"].sudo().create({
                    "name": self.env._("%(hotel)s assistant", hotel=connection.company_id.name),
                    "company_id": connection.company_id.id,
                })
            if connection.state == "pending_verification":
                connection.state = "connected"

    # === BUSINESS === #
    @api.model
    def _website_chat_for(self, livechat_channel_id):
        """The connection answering the Live Chat channel ``livechat_channel_id``, as superuser; empty when
        none does (Live Chat's operators answer it as usual)."""
        if not is_int(livechat_channel_id):
            return self.browse()
        connection_id = self._website_chat_route(livechat_channel_id)
        # sudo: guest.channel.connection - visitors' requests ask which connection answers their chat
        return self.sudo().browse(connection_id) if connection_id else self.browse()

    @api.model
    @ormcache("livechat_channel_id")
    def _website_chat_route(self, livechat_channel_id):
        # every message of every Live Chat session asks: cached, and cleared whenever a connection changes
        # sudo: guest.channel.connection - routing only, the same for every visitor
        connection = self.sudo().search([
            ("channel_type", "=", WEBSITE_CHAT.code), ("livechat_channel_id", "=", livechat_channel_id),
            ("state", "!=", "disconnected")], limit=1)
        return connection.id or None

    def _run_checks_website_chat(self):
        """What the visitors' widget needs: the Live Chat channel, shown on a website or embedded."""
        livechat = self.livechat_channel_id
        websites = self._website_chat_websites()
        return [
            Check(self.env._("Live Chat channel"), bool(livechat),
                  livechat.name if livechat else self.env._("Choose the Live Chat channel the website uses.")),
            Check(self.env._("Shown on"), True if websites else None,
                  ", ".join(websites) if websites else self.env._(
                      "No Odoo website shows this channel; embed it with the script of Live Chat > %(channel)s.",
                      channel=livechat.name or "")),
            Check(self.env._("Name in the chat"), bool(self.livechat_bot_partner_id),
                  self.livechat_bot_partner_id.name or self.env._("The bot has no name in the chat yet.")),
        ]

    def _website_chat_websites(self):
        """The names of the Odoo websites whose chat button opens this connection's Live Chat channel."""
        self.ensure_one()
        Website = self.env["website"] if "website" in self.env else None
        if Website is None or "channel_id" not in Website._fields or not self.livechat_channel_id:
            return []
        # sudo: website - which websites show the channel, for the manager testing the connection
        return Website.sudo().search([("channel_id", "=", self.livechat_channel_id.id)]).mapped("name")
