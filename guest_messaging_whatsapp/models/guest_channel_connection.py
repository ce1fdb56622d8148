# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import threading

from guestmsg.channels.sandbox import SANDBOX
from guestmsg.channels.whatsapp import WHATSAPP
from guestmsg.channels.whatsapp.templates import parse_template
from guestmsg.channels.whatsapp.webhook import ACCOUNT_BLOCKING_EVENTS, ACCOUNT_RECONNECTED_EVENTS
from guestmsg.meta.app_subscriptions import MetaApp
from guestmsg.meta.connection_check import check_whatsapp
from guestmsg.meta.graph import GraphError
from guestmsg.meta.onboarding import onboard_whatsapp, subscribe_app_fields

from odoo import api, fields, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)

SUBSCRIBE_CRON_XMLID = "guest_messaging_whatsapp.ir_cron_subscribe_webhook_fields"


class GuestChannelConnection(models.Model):
    _inherit = "guest.channel.connection"

    channel_type = fields.Selection(selection_add=[WHATSAPP.selection(), (SANDBOX.code,)], ondelete={WHATSAPP.code: "cascade"})
    phone_number_id = fields.Char("Phone Number ID", index="btree_not_null", copy=False)
    waba_id = fields.Char("WhatsApp Business Account ID", copy=False)
    display_phone_number = fields.Char(copy=False)
    two_step_pin = fields.Char(
        "Two-step PIN",
        compute="_compute_secrets",
        inverse="_inverse_two_step_pin",
        groups="guest_messaging.group_manager",
        help="The WhatsApp number's two-step verification PIN. Connect with Meta sets one for a new number; "
             "enter it here when the number already has one.",
    )
    two_step_pin_encrypted = fields.Char(groups="base.group_system", copy=False)
    webhook_fields_pending = fields.Boolean(
        readonly=True, copy=False,
        help="Meta verified the callback of this advanced setup: its app is subscribed to the WhatsApp updates "
             "the inbox handles in the background.")

    _sql_constraints = [
        (
            "phone_number_id_unique",
            "unique(channel_type, phone_number_id)",
            "Another connection already uses this WhatsApp phone number.",
        ),
    ]

    def _inverse_two_step_pin(self):
        self._store_secret("two_step_pin")

    def _run_checks_whatsapp(self):
        token = self._check_meta_token()
        with self._graph_client() as client:
            return check_whatsapp(client, token, self._app_token(), self.phone_number_id, self.waba_id,
                                  app=self._webhook_app())

    def _embedded_signup_whatsapp(self, client, app_id, app_secret, token, session):
        assets = onboard_whatsapp(client, app_token=f"{app_id}|{app_secret}", token=token, session=session,
                                  pin=self._get_secret("two_step_pin"), app=MetaApp(app_id, app_secret),
                                  callback=self._webhook_callback())
        self._note_webhook_fields(assets.fields_added, assets.fields_error)
        return {
            "waba_id": assets.waba_id, "phone_number_id": assets.phone_number_id,
            "display_phone_number": assets.display_phone_number, "access_token": assets.access_token,
            "token_expires_at": assets.expires_at or False, "two_step_pin": assets.pin,
            **self._signup_name(assets.verified_name),
        }

    # === WEBHOOK FIELDS === #
    def _on_webhook_verified(self):
        """An advanced setup's callback is verified: its app is subscribed to the fields the product handles
        once this transaction is committed, by the cron, as Meta verifies the callback again when subscribing."""
        verified = self.filtered(lambda c: c.channel_type == WHATSAPP.code and c.state == "pending_verification")
        result = super()._on_webhook_verified()
        if verified:
            verified.write({"webhook_fields_pending": True})
            # sudo: ir.cron - Meta's handshake is anonymous; this only wakes the job
            self.env.ref(SUBSCRIBE_CRON_XMLID).sudo()._trigger()
        return result

    @api.model
    def _cron_subscribe_webhook_fields(self, batch_size=20):
        """Subscribe the apps of the WhatsApp connections Meta verified to the fields the product handles; a
        refusal is noted on the connection, whose Test then says what Meta does not send."""
        domain = [("webhook_fields_pending", "=", True)]
        connections = self.search(domain, limit=batch_size)
        for connection in connections:
            connection._subscribe_webhook_fields()
            connection.webhook_fields_pending = False
            if not getattr(threading.current_thread(), "testing", False):
                self.env.cr.commit()  # pylint: disable=invalid-commit
        remaining = self.search_count(domain) if len(connections) == batch_size else 0
        self.env["ir.cron"]._notify_progress(done=len(connections), remaining=remaining)
        return len(connections)

    def _subscribe_webhook_fields(self):
        """Subscribe this connection's app to the WhatsApp fields the product handles that it misses."""
        self.ensure_one()
        try:
            token, app = self._get_secret("access_token"), self._webhook_app()
        except UserError as exc:
            self._note_webhook_fields((), str(exc))
            return
        if not (token and app.secret):
            self._note_webhook_fields((), self.env._(
                "the access token and the app secret are both needed to subscribe the app to the updates the "
                "inbox handles."))
            return
        with self._graph_client() as client:
            self._note_webhook_fields(*subscribe_app_fields(client, app, self._webhook_callback(), token))

    def _note_webhook_fields(self, added, error):
        """Say on the chatter what subscribing the app to the WhatsApp fields did."""
        if error:
            self.message_post(body=self.env._("Webhook updates: %(error)s", error=error),
                              subtype_xmlid="mail.mt_note")
        elif added:
            self.message_post(body=self.env._("Meta now sends %(fields)s to the app.", fields=", ".join(added)),
                              subtype_xmlid="mail.mt_note")

    def _embedded_signup_login_extras(self):
        if self.channel_type == WHATSAPP.code:
            return {"setup": {}}  # opens WhatsApp's Embedded Signup flow rather than a plain login
        return super()._embedded_signup_login_extras()

    def _signup_summary(self):
        if self.channel_type == WHATSAPP.code and self.display_phone_number:
            return self.display_phone_number
        return super()._signup_summary()

    def action_sync_templates(self):
        """List this WhatsApp account's templates from Meta, so managers pick instead of typing."""
        self.ensure_one()
        self.check_access("write")
        if self.channel_type != WHATSAPP.code or not self.waba_id:
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

    def _on_account_update(self, update):
        """An account_update of these connections' WhatsApp Business Account: one that stops the account
        from sending puts them in error with Meta's words; a reconnection clears the error once the
        connection test passes. Others are only kept in Webhook Events. Returns how many were acted on."""
        if update.event in ACCOUNT_BLOCKING_EVENTS:
            detail = " (%s)" % update.detail if update.detail else ""
            self.write({"account_blocked": True})
            for connection in self:
                connection._set_error(self.env._(
                    "Meta reports %(event)s for the WhatsApp Business Account %(account)s of %(name)s%(detail)s. "
                    "Nothing can be sent until Meta lifts it; see Meta Business Suite.",
                    event=update.event, account=update.waba_id, name=connection.name, detail=detail))
            return len(self)
        if update.event in ACCOUNT_RECONNECTED_EVENTS:
            recovered = self.browse()
            for connection in self.filtered(lambda c: c.state == "error"):
                try:
                    if connection._check_ok():
                        recovered |= connection
                except GraphError as exc:
                    _logger.warning("Connection %s: the check after %s failed: %s", connection.id, update.event, exc)
            recovered._recover_from_error(account_reconnected=True)
            return len(recovered)
        return 0
