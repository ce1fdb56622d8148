# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import os
import secrets
import threading

from guestmsg.connection_check import check_page, check_whatsapp
from guestmsg.graph import DEFAULT_BASE_URL, DEFAULT_VERSION, GraphClient, GraphError, GraphTokenError
from guestmsg.onboarding import OnboardingError, exchange_code, onboard_page, onboard_whatsapp, parse_session_info
from guestmsg.secretbox import PREFIX as SECRET_PREFIX
from guestmsg.secretbox import SecretBox, SecretDecryptError, SecretKeyError
from guestmsg.token_lifecycle import expiry_after_exchange, needs_refresh, token_status
from guestmsg.whatsapp_templates import parse_template
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import config, ormcache

_logger = logging.getLogger(__name__)

META_CHANNELS = ("whatsapp", "instagram", "messenger")


CHANNEL_TYPES = [
    ("whatsapp", "WhatsApp"),
    ("instagram", "Instagram"),
    ("messenger", "Messenger"),
]

# every field holding an account id that Meta's webhooks of a channel may name, the connection's own
# account first (template and account updates name the WhatsApp Business Account, messages the number)
WEBHOOK_ACCOUNT_FIELDS = {
    "whatsapp": ("phone_number_id", "waba_id"),
    "messenger": ("page_id",),
    "instagram": ("instagram_account_id",),
}
ACCOUNT_ID_FIELDS = {channel: fields_[0] for channel, fields_ in WEBHOOK_ACCOUNT_FIELDS.items()}

# field name -> column holding its ciphertext
SECRET_FIELDS = {
    "access_token": "access_token_encrypted",
    "app_secret": "app_secret_encrypted",
    "two_step_pin": "two_step_pin_encrypted",
}
PLATFORM_SECRET_PARAM = "guest_messaging.meta_app_secret"


def _encryption_keys():
    return config.get("guest_messaging_encryption_key") or os.environ.get("GUEST_MESSAGING_ENCRYPTION_KEY")


class GuestChannelConnection(models.Model):
    _name = "guest.channel.connection"
    _description = "Guest Messaging Channel Connection"
    _inherit = ["mail.thread"]
    _order = "name, id"

    # === FIELDS === #
    name = fields.Char(required=True, tracking=True, default=lambda self: dict(CHANNEL_TYPES)["whatsapp"])
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    channel_type = fields.Selection(CHANNEL_TYPES, required=True, default="whatsapp", tracking=True)
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
    setup_mode = fields.Selection(
        [("embedded", "Connect with Meta"), ("manual", "Advanced setup")],
        required=True,
        default="manual",
    )
    greeting_message = fields.Text(
        translate=True,
        help="First message the booking bot sends to a guest who writes in.",
    )
    phone_number_id = fields.Char("Phone Number ID", index="btree_not_null", copy=False)
    waba_id = fields.Char("WhatsApp Business Account ID", copy=False)
    display_phone_number = fields.Char(copy=False)
    page_id = fields.Char("Facebook Page ID", index="btree_not_null", copy=False)
    instagram_account_id = fields.Char("Instagram Account ID", index="btree_not_null", copy=False)
    access_token = fields.Char(
        compute="_compute_secrets",
        inverse="_inverse_access_token",
        groups="guest_messaging.group_manager",
    )
    app_secret = fields.Char(
        compute="_compute_secrets",
        inverse="_inverse_app_secret",
        groups="guest_messaging.group_manager",
    )
    two_step_pin = fields.Char(
        "Two-step PIN",
        compute="_compute_secrets",
        inverse="_inverse_two_step_pin",
        groups="guest_messaging.group_manager",
        help="The WhatsApp number's two-step verification PIN. Connect with Meta sets one for a new number; "
             "enter it here when the number already has one.",
    )
    access_token_encrypted = fields.Char(groups="base.group_system", copy=False)
    app_secret_encrypted = fields.Char(groups="base.group_system", copy=False)
    two_step_pin_encrypted = fields.Char(groups="base.group_system", copy=False)
    has_access_token = fields.Boolean(compute="_compute_has_secrets")
    has_app_secret = fields.Boolean(compute="_compute_has_secrets")
    webhook_callback_url = fields.Char(
        "Callback URL", compute="_compute_webhook_callback_url",
        help="Paste this into the Callback URL box of the Meta webhook configuration.",
    )
    verify_token = fields.Char(
        default=lambda self: secrets.token_urlsafe(24),
        required=True,
        readonly=True,
        copy=False,
        groups="guest_messaging.group_manager",
        help="Paste this into the Verify Token box of the Meta webhook configuration.",
    )
    token_expires_at = fields.Datetime(readonly=True, copy=False)
    last_error = fields.Text(readonly=True, copy=False)
    conversation_ids = fields.One2many("guest.conversation", "connection_id")
    conversation_count = fields.Integer(compute="_compute_conversation_count")

    _sql_constraints = [
        ("verify_token_unique", "unique(verify_token)", "The verify token must be unique."),
        (
            "phone_number_id_unique",
            "unique(channel_type, phone_number_id)",
            "Another connection already uses this WhatsApp phone number.",
        ),
        ("page_id_unique", "unique(channel_type, page_id)", "Another connection already uses this Page."),
        (
            "instagram_account_id_unique",
            "unique(channel_type, instagram_account_id)",
            "Another connection already uses this Instagram account.",
        ),
    ]

    # === COMPUTE === #
    def _compute_secrets(self):
        # write-only: a secret is typed in, stored encrypted and only ever decrypted server-side
        # (_get_secret); reading the field, from the browser or the ORM, gives nothing
        for connection in self:
            for field_name in SECRET_FIELDS:
                connection[field_name] = False

    @api.depends("access_token_encrypted", "app_secret_encrypted")
    def _compute_has_secrets(self):
        # sudo: guest.channel.connection - only whether a secret is set, never its value
        for connection, connection_sudo in zip(self, self.sudo()):
            connection.has_access_token = bool(connection_sudo.access_token_encrypted)
            connection.has_app_secret = bool(connection_sudo.app_secret_encrypted)

    def _compute_conversation_count(self):
        counts = dict(
            self.env["guest.conversation"]._read_group(
                [("connection_id", "in", self.ids)], ["connection_id"], ["__count"]
            )
        )
        for connection in self:
            connection.conversation_count = counts.get(connection, 0)

    def _inverse_access_token(self):
        self._store_secret("access_token")

    def _inverse_app_secret(self):
        self._store_secret("app_secret")

    def _inverse_two_step_pin(self):
        self._store_secret("two_step_pin")

    @api.onchange("channel_type")
    def _onchange_channel_type(self):
        if not self.name or self.name in dict(CHANNEL_TYPES).values():
            self.name = dict(CHANNEL_TYPES).get(self.channel_type)

    # === CRUD === #
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("name"):
                vals["name"] = dict(CHANNEL_TYPES)[vals.get("channel_type") or "whatsapp"]
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

    # === BUSINESS === #
    @api.model
    @ormcache("channel_type")
    def _webhook_routes(self, channel_type):
        """How webhooks of a channel find their connections: ``({account id: ((connection id, app secret,
        receiving), ...)}, platform app secret)``. An account id may belong to several connections (the
        numbers of one WhatsApp Business Account).

        Cached once per channel, whatever the bodies name: it runs on every webhook, connections rarely
        change, and nothing an unverified body holds may grow the cache.
        """
        account_fields = WEBHOOK_ACCOUNT_FIELDS[channel_type]
        # sudo: guest.channel.connection - the webhook is anonymous; this reads only routing and secrets
        connections = self.sudo().with_context(active_test=False).search(
            [("channel_type", "=", channel_type), (account_fields[0], "!=", False)])
        routes = {}
        for connection in connections:
            secret = connection._webhook_secrets()
            route = (connection.id, secret[0] if secret else None,
                     connection.active and connection.state != "disconnected")
            for account_id in {connection[name] for name in account_fields if connection[name]}:
                routes.setdefault(account_id, []).append(route)
        return {key: tuple(value) for key, value in routes.items()}, self._platform_app()[1] or None

    @api.model
    def _secret_box(self):
        try:
            return SecretBox(_encryption_keys())
        except SecretKeyError as exc:
            raise UserError(str(exc)) from None

    def _store_secret(self, field_name):
        column = SECRET_FIELDS[field_name]
        for connection in self:
            plaintext = (connection[field_name] or "").strip()
            encrypted = self._secret_box().encrypt(plaintext) if plaintext else False
            # sudo: guest.channel.connection - only managers reach this inverse (field groups)
            connection.sudo()[column] = encrypted

    def _get_secret(self, field_name):
        """Decrypted secret for server-side use (sending, signature checks)."""
        self.ensure_one()
        # sudo: guest.channel.connection - server-side code needs the secret whatever the user
        stored = self.sudo()[SECRET_FIELDS[field_name]]
        if not stored:
            return False
        try:
            return self._secret_box().decrypt(stored)
        except SecretDecryptError as exc:
            raise UserError(str(exc)) from None

    def _graph_client(self):
        """A Graph API client with this connection's token, aimed at the configured base URL."""
        self.ensure_one()
        params = self.env["ir.config_parameter"].sudo()
        return GraphClient(
            base_url=params.get_param("guest_messaging.graph_api_base_url") or DEFAULT_BASE_URL,
            version=params.get_param("guest_messaging.graph_api_version") or DEFAULT_VERSION,
            access_token=self._get_secret("access_token"),
        )

    def _webhook_secrets(self):
        """App secrets that may have signed a webhook for these connections."""
        secrets_found = []
        platform = self._platform_app()[1]
        for connection in self:
            if connection.setup_mode == "manual":
                secret = connection._get_secret("app_secret")
                if secret:
                    secrets_found.append(secret)
            elif platform:
                secrets_found.append(platform)
        return secrets_found

    def _on_webhook_verified(self):
        """Meta's verification handshake succeeded for these connections."""
        self.filtered(lambda c: c.state == "pending_verification").write({"state": "connected", "last_error": False})

    def _set_token_error(self, error):
        """The token no longer works: stop pretending, and tell the managers."""
        for connection in self:
            connection._set_error(self.env._(
                "Meta refused the access token of %(name)s (%(error)s). Reconnect the channel to restore sending.",
                name=connection.name,
                error=error,
            ))

    def _set_error(self, message):
        """Meta says this connection cannot work: put it in error with Meta's words, and tell the managers
        of its company once."""
        for connection in self:
            if connection.state == "error" and connection.last_error == message:
                continue  # the managers were told when it happened; the daily re-check says nothing new
            connection.write({"state": "error", "last_error": message})
            connection._notify_managers(message)

    def _notify_managers(self, body):
        self.ensure_one()
        managers = self.env.ref("guest_messaging.group_manager").users.filtered(
            lambda u: not u.share and self.company_id in u.company_ids)
        self.message_post(body=body, partner_ids=managers.partner_id.ids, message_type="comment",
                          subtype_xmlid="mail.mt_comment")

    def _check_ok(self):
        """Whether Meta's answers to the connection test show nothing broken (unanswered checks count as fine)."""
        self.ensure_one()
        return bool(self._get_secret("access_token")) and not any(check.ok is False for check in self._run_checks())

    def _run_checks(self):
        """Ask Meta what works on this connection: guestmsg.connection_check's list of checks."""
        self.ensure_one()
        app_id, app_secret = self._platform_app()
        app_token = app_id and app_secret and f"{app_id}|{app_secret}"
        token = self._get_secret("access_token")
        with self._graph_client() as client:
            if self.channel_type == "whatsapp":
                return check_whatsapp(client, token, app_token, self.phone_number_id, self.waba_id)
            return check_page(client, token, app_token, self.channel_type, self.page_id, self.instagram_account_id)

    def _recover_from_error(self):
        """Meta accepts the token again: a connection in error is working once more."""
        for connection in self.filtered(lambda c: c.state == "error"):
            connection.write({"state": "connected", "last_error": False})
            connection.message_post(body=self.env._("Meta accepts the access token again: the connection is "
                                                    "back to Connected."), subtype_xmlid="mail.mt_note")

    @api.depends("channel_type")
    def _compute_webhook_callback_url(self):
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "").rstrip("/")
        for connection in self:
            channel = connection.channel_type
            connection.webhook_callback_url = (
                f"{base_url}/guest_messaging/webhook/{channel}" if channel in META_CHANNELS else False
            )

    @api.model
    def _platform_app(self):
        """The platform app's (id, secret) from Settings; either may be empty.

        Settings stores the secret encrypted; a value typed in System Parameters is used as it is.
        """
        app_id = self.env["ir.config_parameter"].sudo().get_param("guest_messaging.meta_app_id")
        return app_id, self._get_secret_param(PLATFORM_SECRET_PARAM)

    @api.model
    def _set_platform_app_secret(self, secret):
        self._set_secret_param(PLATFORM_SECRET_PARAM, secret)

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

    @api.model
    def get_embedded_signup_config(self):
        """What the browser needs to open Meta's signup popup; the app secret never leaves the server."""
        self.check_access("write")
        params = self.env["ir.config_parameter"].sudo()
        return {
            "app_id": params.get_param("guest_messaging.meta_app_id") or False,
            "config_id": params.get_param("guest_messaging.meta_config_id") or False,
            "graph_version": params.get_param("guest_messaging.graph_api_version") or DEFAULT_VERSION,
        }

    # === EMBEDDED SIGNUP === #
    def complete_embedded_signup(self, code, session_info=None):
        """Finish Meta's signup popup on the server: exchange ``code``, find the assets, subscribe the
        webhooks and (WhatsApp) register the number. Safe to run again on a half-finished connection.

        Returns ``{"state": "connected"|"error", "message": ...}`` for the browser to show.
        """
        self.ensure_one()
        self.check_access("write")
        if not isinstance(code, str) or not code.strip() or len(code) > 4096:
            raise UserError(self.env._("Meta's login window returned no code. Press Connect with Meta again."))
        if self.channel_type not in META_CHANNELS:
            raise UserError(self.env._("Only WhatsApp, Instagram and Messenger connect with Meta."))
        if session_info is not None and not isinstance(session_info, dict):
            raise UserError(self.env._("The signup session data is not readable."))
        app_id, app_secret = self._platform_app()
        if not (app_id and app_secret):
            raise UserError(self.env._(
                "Set the Meta App ID and App Secret in Settings > Guest Messaging before connecting."))
        session = parse_session_info(session_info)
        try:
            with self._graph_client() as client:
                token = exchange_code(client, app_id, app_secret, code.strip())["access_token"]
                if self.channel_type == "whatsapp":
                    vals = self._whatsapp_signup_vals(onboard_whatsapp(
                        client, app_token=f"{app_id}|{app_secret}", token=token, session=session,
                        pin=self._get_secret("two_step_pin")))
                else:
                    vals = self._page_signup_vals(onboard_page(
                        client, app_id=app_id, app_secret=app_secret, token=token, session=session,
                        instagram=self.channel_type == "instagram"))
            self._check_not_connected_elsewhere(vals)
        except OnboardingError as exc:
            self.message_post(body=self.env._("Connect with Meta stopped: %(error)s", error=exc.message),
                              subtype_xmlid="mail.mt_note")
            # a failed second attempt (a stale code, a double click) leaves a working connection working
            if self.state != "connected":
                self.write({"state": "error", "last_error": exc.message, "setup_mode": "embedded"})
            return {"state": "error", "message": exc.message}
        self.write({**vals, "state": "connected", "last_error": False, "setup_mode": "embedded"})
        summary = self.display_phone_number or self.name
        self.message_post(body=self.env._("Connected with Meta: %(account)s.", account=summary),
                          subtype_xmlid="mail.mt_note")
        return {"state": "connected", "message": self.env._("%(name)s is connected.", name=self.name)}

    def _whatsapp_signup_vals(self, assets):
        vals = {
            "waba_id": assets.waba_id, "phone_number_id": assets.phone_number_id,
            "display_phone_number": assets.display_phone_number, "access_token": assets.access_token,
            "token_expires_at": assets.expires_at or False, "two_step_pin": assets.pin,
        }
        if self.name == self._default_name() and assets.verified_name:
            vals["name"] = assets.verified_name
        return vals

    def _page_signup_vals(self, assets):
        vals = {"page_id": assets.page_id, "instagram_account_id": assets.instagram_account_id or False,
                "access_token": assets.access_token, "token_expires_at": False}
        if self.name == self._default_name() and assets.page_name:
            vals["name"] = assets.page_name
        return vals

    def _check_not_connected_elsewhere(self, vals):
        column = ACCOUNT_ID_FIELDS[self.channel_type]
        # sudo: guest.channel.connection - the unique account may belong to a connection of another company
        other = self.sudo().with_context(active_test=False).search([
            ("id", "!=", self.id), ("channel_type", "=", self.channel_type), (column, "=", vals.get(column)),
        ], limit=1)
        if other:
            raise OnboardingError("assets", self.env._(
                "This account is already connected as %(name)s. Disconnect and delete that connection first, "
                "or reconnect it instead.", name=other.name))

    def _default_name(self):
        return dict(CHANNEL_TYPES)[self.channel_type]

    # === TOKEN LIFECYCLE === #
    @api.model
    def _cron_refresh_tokens(self):
        """Daily: read every live connection's token from Meta and renew those expiring within 7 days."""
        app_id, app_secret = self._platform_app()
        if not (app_id and app_secret):
            _logger.info("Token refresh skipped: the platform app (guest_messaging.meta_app_id/secret) is not set.")
            return 0
        # connections in error are read again: a token fixed at Meta brings them back
        connections = self.search([("state", "in", ("connected", "pending_verification", "error"))])
        refreshed = 0
        for connection in connections:
            refreshed += connection._refresh_token(app_id, app_secret)
            if not getattr(threading.current_thread(), "testing", False):
                self.env.cr.commit()  # pylint: disable=invalid-commit
        return refreshed

    def _refresh_token(self, app_id, app_secret):
        """Read this token's expiry from Meta and exchange it when it is close; returns whether it was renewed.

        A token Meta refuses puts the connection in error and tells the managers; a network or
        server failure leaves everything as it was for the next run.
        """
        self.ensure_one()
        try:
            token = self._get_secret("access_token")
        except UserError as exc:
            self._set_token_error(exc)
            return False
        if not token:
            return False
        now = fields.Datetime.now()
        try:
            with self._graph_client() as client:
                status = token_status(client.debug_token(token, f"{app_id}|{app_secret}"))
                if not status.valid:
                    self._set_token_error(status.error)
                    return False
                self._recover_from_error()
                if not needs_refresh(status, now):
                    self.token_expires_at = status.expires_at
                    return False
                answer = client.exchange_long_lived(app_id, app_secret, token)
        except GraphTokenError as exc:
            self._set_token_error(exc.message)
            return False
        except (GraphError, OSError) as exc:
            _logger.warning("Token of connection %s not checked, will retry tomorrow: %s", self.id, exc)
            return False
        # sudo: guest.channel.connection - the encrypted token column is for administrators only
        self.sudo().write({"access_token": answer["access_token"],
                           "token_expires_at": expiry_after_exchange(answer, now), "last_error": False})
        self.message_post(body=self.env._("Access token renewed with Meta."), subtype_xmlid="mail.mt_note")
        return True

    def action_test_connection(self):
        """Ask Meta what works on this connection and show it; the result also goes on the chatter."""
        self.ensure_one()
        self.check_access("write")
        if self.channel_type not in META_CHANNELS:
            raise UserError(self.env._("Testing is available for WhatsApp, Instagram and Messenger connections."))
        if not self._get_secret("access_token"):
            raise UserError(self.env._("This connection has no access token yet."))
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

    def action_sync_templates(self):
        """List this WhatsApp account's templates from Meta, so managers pick instead of typing."""
        self.ensure_one()
        self.check_access("write")
        if self.channel_type != "whatsapp" or not self.waba_id:
            raise UserError(self.env._("Templates are synced from a WhatsApp connection with its Business Account ID."))
        try:
            with self._graph_client() as client:
                listed = [info for info in map(parse_template, client.list_message_templates(self.waba_id)) if info]
        except GraphError as exc:
            raise UserError(self.env._("Meta did not list the templates: %(error)s", error=exc.message)) from None
        Template = self.env["guest.whatsapp.template"].with_context(active_test=False)
        known = {(t.name, t.language): t for t in Template.search([("connection_id", "=", self.id)])}
        for info in listed:
            vals = {"meta_id": info.meta_id, "category": info.category, "status": info.status, "body": info.body,
                    "parameter_count": info.parameter_count, "active": True}
            template = known.pop((info.name, info.language), None)
            if template:
                template.write(vals)
            else:
                Template.create({**vals, "connection_id": self.id, "name": info.name, "language": info.language})
        # gone at Meta: kept for the mappings that point at them, but out of the pickers
        Template.browse([t.id for t in known.values()]).write({"active": False, "status": "DELETED"})
        approved = sum(1 for info in listed if info.status == "APPROVED")
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Templates synced"),
                "message": self.env._("%(count)s templates listed, %(approved)s approved.",
                                      count=len(listed), approved=approved),
                "type": "success",
            },
        }

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
