# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import os

from guestmsg.channels import channel
from guestmsg.channels.sandbox import SANDBOX
from guestmsg.core.secretbox import PREFIX as SECRET_PREFIX
from guestmsg.core.secretbox import SecretBox, SecretDecryptError, SecretKeyError
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import config, ormcache

_logger = logging.getLogger(__name__)


def _encryption_keys():
    return config.get("guest_messaging_encryption_key") or os.environ.get("GUEST_MESSAGING_ENCRYPTION_KEY")


class GuestChannelConnection(models.Model):
    """A hotel's account on one channel. What a channel is (its limits, reply window, account fields,
    secrets, webhook path) is declared once in ``guestmsg.channels``; each channel addon adds its code to
    ``channel_type`` and the fields and ``_<hook>_<code>`` methods the declaration names."""

    _name = "guest.channel.connection"
    _description = "Guest Messaging Channel Connection"
    _inherit = ["mail.thread"]
    _order = "name, id"

    # === FIELDS === #
    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    channel_type = fields.Selection([SANDBOX.selection()], required=True, tracking=True,
                                    default=lambda self: self._default_channel_type())
    channel_platform = fields.Char(compute="_compute_channel_platform",
                                   help="Who runs the channel (meta), empty for the Sandbox.")
    state = fields.Selection(
        [
            ("pending_verification", "Pending verification"),
            ("connected", "Connected"),
            ("error", "Error"),
            ("disconnected", "Disconnected"),
        ],
        required=True,
        default="pending_verification",
        readonly=True,
        copy=False,
        tracking=True,
    )
    greeting_message = fields.Text(
        translate=True,
        help="First message the booking bot sends to a guest who writes in.",
    )
    webhook_callback_url = fields.Char(
        "Callback URL", compute="_compute_webhook_callback_url",
        help="Paste this into the Callback URL box of the platform's webhook configuration.",
    )
    last_error = fields.Text(readonly=True, copy=False)
    conversation_ids = fields.One2many("guest.conversation", "connection_id")
    conversation_count = fields.Integer(compute="_compute_conversation_count")

    # === DEFAULTS === #
    @api.model
    def _default_channel_type(self):
        """The first installed channel in the registry's order: a real channel before the Sandbox."""
        codes = self._installed_channel_codes()
        return codes[0] if codes else False

    @api.model
    def _installed_channel_codes(self):
        """The codes of the installed channels, in the registry's order."""
        return sorted((code for code, _label in self._fields["channel_type"].selection), key=self._channel_order)

    @api.model
    def _channel_order(self, code):
        try:
            return (channel(code).sequence, code)
        except KeyError:  # a value the database still holds for a channel no loaded module declares
            return (float("inf"), code)

    # === COMPUTE === #
    @api.depends("channel_type")
    def _compute_channel_platform(self):
        for connection in self:
            connection.channel_platform = connection.channel_type and channel(connection.channel_type).platform

    def _compute_secrets(self):
        # write-only: a secret is typed in, stored encrypted and only ever decrypted server-side
        # (_get_secret); reading the field, from the browser or the ORM, gives nothing
        for connection in self:
            for field_name in self._secret_field_names():
                connection[field_name] = False

    def _compute_conversation_count(self):
        counts = dict(
            self.env["guest.conversation"]._read_group(
                [("connection_id", "in", self.ids)], ["connection_id"], ["__count"]
            )
        )
        for connection in self:
            connection.conversation_count = counts.get(connection, 0)

    @api.depends("channel_type")
    def _compute_webhook_callback_url(self):
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "").rstrip("/")
        for connection in self:
            path = connection.channel_type and channel(connection.channel_type).webhook_path
            connection.webhook_callback_url = f"{base_url}{path}" if path else False

    @api.onchange("channel_type")
    def _onchange_channel_type(self):
        labels = dict(self._fields["channel_type"]._description_selection(self.env))
        if not self.name or self.name in labels.values():
            self.name = labels.get(self.channel_type)

    # === CRUD === #
    @api.model_create_multi
    def create(self, vals_list):
        labels = dict(self._fields["channel_type"]._description_selection(self.env))
        for vals in vals_list:
            if not vals.get("name"):
                vals["name"] = labels.get(vals.get("channel_type") or self._default_channel_type())
        connections = super().create(vals_list)
        self.env.registry.clear_cache()  # _webhook_routes
        return connections

    def write(self, vals):
        result = super().write(vals)
        self.env.registry.clear_cache()  # _webhook_routes
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()  # _webhook_routes
        return result

    # === WEBHOOK ROUTING === #
    @api.model
    @ormcache("channel_type")
    def _webhook_routes(self, channel_type):
        """How webhooks of a channel find their connections: ``({account id: ((connection id, secret,
        receiving), ...)}, fallback secret)``. An account id may belong to several connections (the
        numbers of one WhatsApp Business Account).

        Cached once per channel, whatever the bodies name: it runs on every webhook, connections rarely
        change, and nothing an unverified body holds may grow the cache.
        """
        account_fields = channel(channel_type).account_fields
        if not account_fields:
            return {}, None
        # sudo: guest.channel.connection - the webhook is anonymous; this reads only routing and secrets
        connections = self.sudo().with_context(active_test=False).search(
            [("channel_type", "=", channel_type), (account_fields[0], "!=", False)])
        routes = {}
        for connection in connections:
            secrets_found = connection._webhook_secrets()
            route = (connection.id, secrets_found[0] if secrets_found else None,
                     connection.active and connection.state != "disconnected")
            for account_id in {connection[name] for name in account_fields if connection[name]}:
                routes.setdefault(account_id, []).append(route)
        return {key: tuple(value) for key, value in routes.items()}, self._webhook_fallback_secret(channel_type)

    def _webhook_secrets(self):
        """Secrets that may have signed a webhook for these connections; each platform adds its own."""
        return []

    @api.model
    def _webhook_fallback_secret(self, channel_type):
        """The secret that verifies a body naming no known account (a platform app's), or None."""
        return None

    @api.model
    def _webhook_signature(self, channel_type, headers):
        """The signature a webhook request carries, or None: each platform reads its own header."""
        return None

    @api.model
    def _webhook_signature_ok(self, channel_type, secret, raw_body, signature):
        """Whether ``signature`` signs ``raw_body`` with ``secret``, by the channel's platform's scheme."""
        return False

    @api.model
    def _webhook_handshake(self, channel_type, args):
        """The platform's subscription handshake (GET on the webhook URL): ``(status, text)``."""
        return 404, "Not Found"

    # === SECRETS === #
    @api.model
    def _secret_field_names(self):
        """The write-only secret fields: each is stored encrypted in its ``<name>_encrypted`` column."""
        return [name for name in self._fields if f"{name}_encrypted" in self._fields]

    @api.model
    def _secret_box(self):
        try:
            return SecretBox(_encryption_keys())
        except SecretKeyError as exc:
            raise UserError(str(exc)) from None

    def _store_secret(self, field_name):
        column = f"{field_name}_encrypted"
        for connection in self:
            plaintext = (connection[field_name] or "").strip()
            encrypted = self._secret_box().encrypt(plaintext) if plaintext else False
            # sudo: guest.channel.connection - only managers reach this inverse (field groups)
            connection.sudo()[column] = encrypted

    def _get_secret(self, field_name):
        """Decrypted secret for server-side use (sending, signature checks)."""
        self.ensure_one()
        if field_name not in self._secret_field_names():
            raise KeyError(f"{field_name} is not a secret field.")
        # sudo: guest.channel.connection - server-side code needs the secret whatever the user
        stored = self.sudo()[f"{field_name}_encrypted"]
        if not stored:
            return False
        try:
            return self._secret_box().decrypt(stored)
        except SecretDecryptError as exc:
            raise UserError(str(exc)) from None

    @api.model
    def _get_secret_param(self, key):
        """A secret system parameter, decrypted for server-side use; "" when unset or unreadable.

        Settings store secrets encrypted; a value typed in System Parameters by hand is used as it is,
        and encrypted in place when the encryption key is configured.
        """
        # sudo: ir.config_parameter - secrets are read by server code only, never sent to a browser
        params = self.env["ir.config_parameter"].sudo()
        value = params.get_param(key) or ""
        if not value.startswith(SECRET_PREFIX):
            if value and _encryption_keys():
                params.set_param(key, self._secret_box().encrypt(value.strip()))
            return value.strip()
        try:
            return self._secret_box().decrypt(value)
        except (SecretDecryptError, UserError) as exc:
            _logger.warning("Cannot decrypt the system parameter %s: %s", key, exc)
            return ""

    @api.model
    def _set_secret_param(self, key, secret):
        # sudo: ir.config_parameter - only administrators reach Settings
        self.env["ir.config_parameter"].sudo().set_param(
            key, self._secret_box().encrypt(secret.strip()) if secret and secret.strip() else False)

    # === STATE === #
    def _on_webhook_verified(self):
        """The platform's verification handshake succeeded for these connections."""
        self.filtered(lambda c: c.state == "pending_verification").write({"state": "connected", "last_error": False})

    def _set_error(self, message):
        """The platform says this connection cannot work: put it in error with its words, and tell the
        managers of its company once."""
        for connection in self:
            if connection.state == "error" and connection.last_error == message:
                continue  # the managers were told when it happened; the daily re-check says nothing new
            connection.write({"state": "error", "last_error": message})
            connection._notify_managers(message)

    def _set_credentials_error(self, error):
        """The platform refuses the connection's credentials: nothing works until someone reconnects."""
        for connection in self:
            connection._set_error(self.env._(
                "%(channel)s refused the credentials of %(name)s (%(error)s). Reconnect the channel to restore "
                "sending.", channel=channel(connection.channel_type).label, name=connection.name, error=error))

    def _notify_managers(self, body):
        self.ensure_one()
        managers = self.env.ref("guest_messaging.group_manager").users.filtered(
            lambda u: not u.share and self.company_id in u.company_ids)
        self.message_post(body=body, partner_ids=managers.partner_id.ids, message_type="comment",
                          subtype_xmlid="mail.mt_comment")

    # === ACTIONS === #
    def action_test_connection(self):
        """Ask the platform what works on this connection and show it; the result also goes on the chatter."""
        self.ensure_one()
        self.check_access("write")
        checks = self._run_checks()
        marks = {True: "✔", False: "✘", None: "?"}
        lines = [f"{marks[check.ok]} {check.name}: {check.detail}" for check in checks]
        self.message_post(body=Markup("<br/>").join([self.env._("Connection test:"), *lines]),
                          subtype_xmlid="mail.mt_note")
        failed = any(check.ok is False for check in checks)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Some checks failed") if failed else self.env._("The connection works"),
                "message": "\n".join(lines),
                "type": "warning" if failed else "success",
                "sticky": failed,
            },
        }

    def _run_checks(self):
        """What works on this connection, as a list of ``guestmsg.meta.connection_check.Check``: the channel's
        ``_run_checks_<code>`` asks its platform."""
        self.ensure_one()
        checker = getattr(self, f"_run_checks_{self.channel_type}", None)
        if checker is None:
            raise UserError(self.env._("%(channel)s connections have nothing to test.",
                                       channel=channel(self.channel_type).label))
        return checker()

    def _check_ok(self):
        """Whether the platform's answers to the connection test show nothing broken (unanswered checks
        count as fine, and so do failures that leave messages flowing, such as updates Meta does not send)."""
        self.ensure_one()
        return not any(check.ok is False and check.blocking for check in self._run_checks())

    def action_disconnect(self):
        """Stop receiving and sending on these channels; their conversations and messages stay."""
        self.check_access("write")
        for connection in self.filtered(lambda c: c.state != "disconnected"):
            connection.write({"state": "disconnected"})
            connection.message_post(
                body=self.env._("Disconnected by %(user)s: guests' messages are no longer received and nothing "
                                "is sent. The conversations are kept.", user=self.env.user.name),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_view_conversations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("guest_messaging.guest_conversation_action")
        action["domain"] = [("connection_id", "=", self.id)]
        action["context"] = {"default_connection_id": self.id}
        return action
