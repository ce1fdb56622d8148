# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What every channel Meta runs shares: the app and its secrets, the Graph API client, Embedded Signup,
the token's lifecycle and the webhook's signature and handshake. A channel of another platform ignores
this file: everything here applies only to connections whose channel is declared with platform "meta"."""

import hmac
import logging
import secrets
import threading

from guestmsg.channels import channel
from guestmsg.meta.app_subscriptions import MetaApp
from guestmsg.meta.graph import DEFAULT_BASE_URL, DEFAULT_VERSION, GraphClient, GraphError, GraphTokenError
from guestmsg.meta.onboarding import Callback, OnboardingError, exchange_code, parse_session_info
from guestmsg.meta.signature import verify_signature
from guestmsg.meta.token_lifecycle import expiry_after_exchange, needs_refresh, token_status

from odoo import api, fields, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)

META = "meta"
PLATFORM_SECRET_PARAM = "guest_messaging.meta_app_secret"
PLATFORM_VERIFY_TOKEN_PARAM = "guest_messaging.meta_verify_token"
SIGNATURE_HEADER = "X-Hub-Signature-256"


def _is_meta(channel_type):
    return bool(channel_type) and channel(channel_type).platform == META


class GuestChannelConnection(models.Model):
    _inherit = "guest.channel.connection"

    setup_mode = fields.Selection(
        [("embedded", "Connect with Meta"), ("manual", "Advanced setup")],
        required=True,
        default="manual",
    )
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
    access_token_encrypted = fields.Char(groups="base.group_system", copy=False)
    app_secret_encrypted = fields.Char(groups="base.group_system", copy=False)
    account_blocked = fields.Boolean(
        readonly=True, copy=False,
        help="Meta reported the account restricted, disabled, deleted or offboarded: only a reconnection that "
             "passes the connection test clears the error, not a valid token.")
    has_access_token = fields.Boolean(compute="_compute_has_secrets")
    has_app_secret = fields.Boolean(compute="_compute_has_secrets")
    verify_token = fields.Char(
        default=lambda self: secrets.token_urlsafe(24),
        required=True,
        readonly=True,
        copy=False,
        groups="guest_messaging.group_manager",
        help="Paste this into the Verify Token box of the Meta webhook configuration.",
    )
    token_expires_at = fields.Datetime(readonly=True, copy=False)

    _sql_constraints = [
        ("verify_token_unique", "unique(verify_token)", "The verify token must be unique."),
    ]

    @api.depends("access_token_encrypted", "app_secret_encrypted")
    def _compute_has_secrets(self):
        # sudo: guest.channel.connection - only whether a secret is set, never its value
        for connection, connection_sudo in zip(self, self.sudo()):
            connection.has_access_token = bool(connection_sudo.access_token_encrypted)
            connection.has_app_secret = bool(connection_sudo.app_secret_encrypted)

    def _inverse_access_token(self):
        self._store_secret("access_token")

    def _inverse_app_secret(self):
        self._store_secret("app_secret")

    # === GRAPH API === #
    def _graph_client(self):
        """A Graph API client with this connection's token, aimed at the configured base URL."""
        self.ensure_one()
        params = self.env["ir.config_parameter"].sudo()
        return GraphClient(
            base_url=params.get_param("guest_messaging.graph_api_base_url") or DEFAULT_BASE_URL,
            version=params.get_param("guest_messaging.graph_api_version") or DEFAULT_VERSION,
            access_token=self._get_secret("access_token"),
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

    def _app_token(self):
        app_id, app_secret = self._platform_app()
        return app_id and app_secret and f"{app_id}|{app_secret}"

    def _webhook_app(self):
        """The app whose webhooks reach this connection: the platform app for Connect with Meta, the hotel's
        own app for an advanced setup (only its secret is stored: its id is read from the token)."""
        self.ensure_one()
        if self.setup_mode == "manual":
            return MetaApp(None, self._get_secret("app_secret") or "")
        app_id, app_secret = self._platform_app()
        return MetaApp(app_id or None, app_secret or "")

    def _webhook_callback(self):
        """Where the app's webhooks come in, and the verify token Meta checks that with: the platform's for
        Connect with Meta when Settings has one, else this connection's."""
        self.ensure_one()
        platform_token = self.env["ir.config_parameter"].sudo().get_param(PLATFORM_VERIFY_TOKEN_PARAM)
        # sudo: guest.channel.connection - the verify token goes to Meta only, never back to the caller
        token = platform_token if self.setup_mode == "embedded" and platform_token else self.sudo().verify_token
        return Callback(self.webhook_callback_url or "", token)

    # === WEBHOOKS === #
    def _webhook_secrets(self):
        found = super()._webhook_secrets()
        platform = self._platform_app()[1]
        for connection in self.filtered(lambda c: _is_meta(c.channel_type)):
            if connection.setup_mode == "manual":
                secret = connection._get_secret("app_secret")
                if secret:
                    found.append(secret)
            elif platform:
                found.append(platform)
        return found

    @api.model
    def _webhook_fallback_secret(self, channel_type):
        if _is_meta(channel_type):
            return self._platform_app()[1] or None
        return super()._webhook_fallback_secret(channel_type)

    @api.model
    def _webhook_signature(self, channel_type, headers):
        if _is_meta(channel_type):
            return headers.get(SIGNATURE_HEADER)
        return super()._webhook_signature(channel_type, headers)

    @api.model
    def _webhook_signature_ok(self, channel_type, secret, raw_body, signature):
        if _is_meta(channel_type):
            return verify_signature(secret, raw_body, signature)
        return super()._webhook_signature_ok(channel_type, secret, raw_body, signature)

    @api.model
    def _webhook_handshake(self, channel_type, args):
        """Meta's subscription check: echo ``hub.challenge`` when ``hub.verify_token`` is a connection's
        (which then counts as verified) or the platform's."""
        if not _is_meta(channel_type):
            return super()._webhook_handshake(channel_type, args)
        token, challenge = args.get("hub.verify_token"), args.get("hub.challenge")
        if args.get("hub.mode") != "subscribe" or not token or challenge is None:
            return 403, "Forbidden"
        # sudo: guest.channel.connection - Meta is anonymous; only the verify token is compared
        connection = self.sudo().search([("channel_type", "=", channel_type), ("verify_token", "=", token)], limit=1)
        platform_token = self.env["ir.config_parameter"].sudo().get_param(PLATFORM_VERIFY_TOKEN_PARAM)
        if connection:
            # a signup connects its connection itself; Meta checks the callback while the signup subscribes
            # the app, and writing the connection then would collide with the signup's own transaction
            connection.filtered(lambda c: c.setup_mode == "manual")._on_webhook_verified()
        elif not (platform_token and hmac.compare_digest(platform_token.encode(), token.encode())):
            _logger.warning("Webhook verification for %s refused: unknown verify token", channel_type)
            return 403, "Forbidden"
        return 200, challenge

    # === CONNECTION TEST === #
    def _check_meta_token(self):
        """The access token the connection test needs, or a UserError saying it is missing."""
        token = self._get_secret("access_token")
        if not token:
            raise UserError(self.env._("This connection has no access token yet."))
        return token

    def _check_ok(self):
        if _is_meta(self.channel_type) and not self._get_secret("access_token"):
            return False
        return super()._check_ok()

    # === EMBEDDED SIGNUP === #
    @api.model
    def get_embedded_signup_config(self, connection_ids=None):
        """What the browser needs to open Meta's signup popup (for the connection ``[id]`` when given);
        the app secret never leaves the server."""
        self.check_access("write")
        extras = {}
        if connection_ids is not None:
            if (not isinstance(connection_ids, list) or len(connection_ids) != 1
                    or not isinstance(connection_ids[0], int) or isinstance(connection_ids[0], bool)):
                raise UserError(self.env._("Open Meta's signup from one saved connection."))
            connection = self.browse(connection_ids).exists()
            if not connection:
                raise UserError(self.env._("This connection no longer exists."))
            connection.check_access("write")
            extras = connection._embedded_signup_login_extras()
        params = self.env["ir.config_parameter"].sudo()
        return {
            "app_id": params.get_param("guest_messaging.meta_app_id") or False,
            "config_id": params.get_param("guest_messaging.meta_config_id") or False,
            "graph_version": params.get_param("guest_messaging.graph_api_version") or DEFAULT_VERSION,
            "login_extras": extras,
        }

    def _embedded_signup_login_extras(self):
        """The ``extras`` the channel's signup flow passes to Meta's login popup."""
        return {}

    def complete_embedded_signup(self, code, session_info=None):
        """Finish Meta's signup popup on the server: exchange ``code``, then the channel's
        ``_embedded_signup_<code>`` finds the assets, subscribes the webhooks (and registers a WhatsApp
        number). Safe to run again on a half-finished connection.

        Returns ``{"state": "connected"|"error", "message": ...}`` for the browser to show.
        """
        self.ensure_one()
        self.check_access("write")
        if not isinstance(code, str) or not code.strip() or len(code) > 4096:
            raise UserError(self.env._("Meta's login window returned no code. Press Connect with Meta again."))
        onboard = getattr(self, f"_embedded_signup_{self.channel_type}", None)
        if not _is_meta(self.channel_type) or onboard is None:
            raise UserError(self.env._("%(channel)s does not connect with Meta.",
                                       channel=channel(self.channel_type).label))
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
                vals = onboard(client, app_id, app_secret, token, session)
            self._check_not_connected_elsewhere(vals)
        except OnboardingError as exc:
            self.message_post(body=self.env._("Connect with Meta stopped: %(error)s", error=exc.message),
                              subtype_xmlid="mail.mt_note")
            # a failed second attempt (a stale code, a double click) leaves a working connection working
            if self.state != "connected":
                self.write({"state": "error", "last_error": exc.message, "setup_mode": "embedded"})
            return {"state": "error", "message": exc.message}
        self.write({**vals, "state": "connected", "last_error": False, "setup_mode": "embedded"})
        self.message_post(body=self.env._("Connected with Meta: %(account)s.", account=self._signup_summary()),
                          subtype_xmlid="mail.mt_note")
        return {"state": "connected", "message": self.env._("%(name)s is connected.", name=self.name)}

    def _signup_summary(self):
        """How the chatter names the account a signup connected."""
        return self.name

    def _signup_name(self, account_name):
        """``{"name": account_name}`` when the connection still has its default name, else nothing."""
        labels = dict(self._fields["channel_type"]._description_selection(self.env))
        return {"name": account_name} if account_name and self.name == labels.get(self.channel_type) else {}

    def _check_not_connected_elsewhere(self, vals):
        column = channel(self.channel_type).account_field
        # sudo: guest.channel.connection - the unique account may belong to a connection of another company
        other = self.sudo().with_context(active_test=False).search([
            ("id", "!=", self.id), ("channel_type", "=", self.channel_type), (column, "=", vals.get(column)),
        ], limit=1)
        if other:
            raise OnboardingError("assets", self.env._(
                "This account is already connected as %(name)s. Disconnect and delete that connection first, "
                "or reconnect it instead.", name=other.name))

    # === TOKEN LIFECYCLE === #
    @api.model
    def _cron_refresh_tokens(self):
        """Daily: read every live Meta connection's token and renew those expiring within 7 days."""
        app_id, app_secret = self._platform_app()
        if not (app_id and app_secret):
            _logger.info("Token refresh skipped: the platform app (guest_messaging.meta_app_id/secret) is not set.")
            return 0
        # connections in error are read again: a token fixed at Meta brings them back
        connections = self.search([("state", "in", ("connected", "pending_verification", "error"))]).filtered(
            lambda c: _is_meta(c.channel_type))
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

    def _set_credentials_error(self, error):
        meta = self.filtered(lambda c: _is_meta(c.channel_type))
        meta._set_token_error(error)
        return super(GuestChannelConnection, self - meta)._set_credentials_error(error)

    def _set_token_error(self, error):
        """The token no longer works: stop pretending, and tell the managers."""
        for connection in self:
            connection._set_error(self.env._(
                "Meta refused the access token of %(name)s (%(error)s). Reconnect the channel to restore sending.",
                name=connection.name,
                error=error,
            ))

    def _recover_from_error(self, account_reconnected=False):
        """Meta accepts the token again: a connection in error is working once more, unless Meta blocked its
        account; then only ``account_reconnected`` (a reconnection whose check passed) clears it."""
        for connection in self.filtered(lambda c: c.state == "error"
                                        and (account_reconnected or not c.account_blocked)):
            connection.write({"state": "connected", "last_error": False, "account_blocked": False})
            connection.message_post(body=self.env._("Meta accepts the access token again: the connection is "
                                                    "back to Connected."), subtype_xmlid="mail.mt_note")
