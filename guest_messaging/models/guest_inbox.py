# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

import babel
from guestmsg.channels import channel as registered_channel
from guestmsg.core import conversation_status as cs
from guestmsg.core.json_values import is_int
from guestmsg.core.placeholders import render

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext, plaintext2html

PAGE_SIZE = 50
MAX_PAGE_SIZE = 100
THREAD_PAGE_SIZE = 100
MAX_SEARCH = 100
# a name search reads at most this many matching contacts
MAX_MATCHED_CONTACTS = 200
MAX_NOTE = 10000
MAX_CANNED = 500
MAX_CANNED_CONTENT = 10000
MAX_NOTES = 50
DEFAULT_CHANNEL_ICON = "fa-comment"


class GuestInbox(models.AbstractModel):
    """What the inbox client asks the server: one call per panel, every argument checked.

    Everything is read as the current user, so record rules (companies) apply.
    """

    _name = "guest.inbox"
    _description = "Guest Messaging inbox"

    # === VOCABULARY === #
    @api.model
    def load_vocabulary(self):
        """The installed channels (label and Font Awesome icon) in the registry's order and the conversation
        statuses in their field's order, labelled in the user's language."""
        self.env["guest.conversation"].check_access("read")
        labels = dict(self._labelled_selection("channel_type"))
        order = self.env["guest.channel.connection"]._installed_channel_codes()
        return {
            "channels": [{"code": code, "label": labels[code], "icon": self._channel_icon(code)}
                         for code in order if code in labels],
            "statuses": [{"code": code, "label": label} for code, label in self._labelled_selection("status")],
        }

    @api.model
    def _labelled_selection(self, field_name):
        """The values of a selection field of guest.conversation, in its order, with translated labels.

        The values are the loaded modules' ones; the translations come from the database, which may
        still list the values of a module being installed or removed.
        """
        field = self.env["guest.conversation"]._fields[field_name]
        translated = dict(field._description_selection(self.env))
        return [(value, translated.get(value, label))
                for value, label in field._description_selection(self.with_context(lang=None).env)]

    @api.model
    def _channel_icon(self, code):
        try:
            return registered_channel(code).icon
        except KeyError:
            return DEFAULT_CHANNEL_ICON

    # === LEFT: CONVERSATION LIST === #
    @api.model
    def load_conversations(self, search="", channel=None, status=None, agent=None, before=None, limit=PAGE_SIZE,
                           ids=None):
        """One page of conversations, most recent first.

        ``agent`` is "mine", "unassigned" or a user id; ``before`` is the ``cursor`` of the last row
        of the previous page; ``ids`` reloads given rows (after a bus notification).
        """
        domain = self._conversation_domain(search, channel, status, agent, before, ids)
        limit = self._check_limit(limit, MAX_PAGE_SIZE)
        conversations = self.env["guest.conversation"].search(
            domain, limit=limit + 1, order="last_message_at desc, id desc")
        page = conversations[:limit]
        return {
            "conversations": [self._conversation_row(c) for c in page],
            "has_more": len(conversations) > limit,
        }

    def _conversation_domain(self, search, channel, status, agent, before, ids):
        domain = []
        if search:
            if not isinstance(search, str) or len(search) > MAX_SEARCH:
                raise UserError(self.env._("Search for a guest by a name or phone number of at most %s characters.",
                                           MAX_SEARCH))
            term = search.strip()
            digits = re.sub(r"\D", "", term)
            if len(digits) >= 4 and len(digits) >= len(re.sub(r"[\s+()./-]", "", term)):
                domain.append(("guest_phone", "like", digits))
            elif term:
                # contacts first, by their own index: an OR over a join would scan every conversation
                partners = self.env["res.partner"].search([("name", "ilike", term)], limit=MAX_MATCHED_CONTACTS)
                domain += ["|", "|", ("guest_name", "ilike", term), ("partner_id", "in", partners.ids),
                           ("guest_phone", "ilike", term)]
        if channel:
            if channel not in self.env["guest.conversation"]._fields["channel_type"].get_values(self.env):
                raise UserError(self.env._("Unknown channel."))
            domain.append(("channel_type", "=", channel))
        if status:
            if status not in cs.STATUSES:
                raise UserError(self.env._("Unknown status."))
            domain.append(("status", "=", status))
        if agent:
            if agent == "mine":
                domain.append(("agent_id", "=", self.env.uid))
            elif agent == "unassigned":
                domain.append(("agent_id", "=", False))
            elif isinstance(agent, int) and not isinstance(agent, bool) and agent > 0:
                domain.append(("agent_id", "=", agent))
            else:
                raise UserError(self.env._('Filter by agent with "mine", "unassigned" or a user id.'))
        if before is not None:
            at, last_id = self._check_cursor(before)
            domain += ["|", ("last_message_at", "<", at), "&", ("last_message_at", "=", at), ("id", "<", last_id)]
        if ids is not None:
            if not isinstance(ids, list) or len(ids) > MAX_PAGE_SIZE or not all(
                    isinstance(i, int) and not isinstance(i, bool) for i in ids):
                raise UserError(self.env._("Reload at most %s conversations by id.", MAX_PAGE_SIZE))
            domain.append(("id", "in", ids))
        return domain

    def _check_cursor(self, before):
        try:
            at, last_id = before
            at = fields.Datetime.to_datetime(at)
            if not at or not is_int(last_id):
                raise ValueError
        except (TypeError, ValueError):
            raise UserError(self.env._("The page cursor is not valid; reload the inbox.")) from None
        return at, last_id

    def _check_limit(self, limit, maximum):
        if not is_int(limit) or not 0 < limit <= maximum:
            raise UserError(self.env._("Ask for between 1 and %s rows.", maximum))
        return limit

    def _conversation_row(self, conversation):
        return {
            "id": conversation.id,
            "name": conversation.display_name,
            "profile_name": conversation._profile_name(),
            "phone": conversation.guest_phone or "",
            "channel": conversation.channel_type,
            "status": conversation.status,
            "agent": [conversation.agent_id.id, conversation.agent_id.name] if conversation.agent_id else False,
            "last_message_at": fields.Datetime.to_string(conversation.last_message_at),
            "preview": conversation.last_message_preview or "",
            "unread": conversation.unread_count,
            "cursor": [fields.Datetime.to_string(conversation.last_message_at), conversation.id],
        }

    # === CENTER: THREAD === #
    @api.model
    def load_thread(self, conversation_id, before_id=None, limit=THREAD_PAGE_SIZE):
        """The conversation's header (status, what this user may do) and its latest messages."""
        conversation = self._conversation(conversation_id)
        limit = self._check_limit(limit, THREAD_PAGE_SIZE)
        domain = [("conversation_id", "=", conversation.id)]
        if before_id is not None:
            if not is_int(before_id):
                raise UserError(self.env._("The page cursor is not valid; reload the conversation."))
            domain.append(("id", "<", before_id))
        messages = self.env["guest.message"].search(domain, limit=limit + 1, order="id desc")
        return {
            "conversation": self._header(conversation),
            "messages": [self._message_row(m) for m in reversed(messages[:limit])],
            "has_more": len(messages) > limit,
        }

    def _conversation(self, conversation_id):
        if not is_int(conversation_id):
            raise UserError(self.env._("Open a conversation by its id."))
        conversation = self.env["guest.conversation"].browse(conversation_id).exists()
        if not conversation:
            raise UserError(self.env._("This conversation no longer exists."))
        conversation.check_access("read")
        return conversation

    def _header(self, conversation):
        is_manager = self.env.user.has_group("guest_messaging.group_manager")
        status = conversation.status
        open_ = not conversation.is_closed
        may_act = conversation.may_act
        refusal = conversation._agent_reply_refusal()
        in_window = not refusal
        return {
            **self._conversation_row(conversation),
            "closed": not open_,
            "in_service_window": in_window,
            "reply_refusal": refusal,
            "may": {
                "claim": status == cs.AWAITING_AGENT,
                "take_over": status == cs.BOT_HANDLING,
                "assign": is_manager and open_,
                "resolve": open_ and may_act,
                "hand_back": status in (cs.AWAITING_AGENT, cs.AGENT_ASSIGNED) and may_act,
                "reply": open_ and in_window and may_act,
            },
        }

    def _message_row(self, message):
        attachment = message.attachment_id
        return {
            "id": message.id,
            "direction": message.direction,
            "author_type": message.author_type,
            "author": message.author_id.name or "",
            "body": message.body or "",
            "type": message.message_type,
            "status": message.delivery_status or "",
            "error": message.error_message or "",
            "can_resend": self._may_resend(message),
            "at": fields.Datetime.to_string(message.create_date),
            "has_media": message._has_fetchable_media() or bool(attachment),
            "link": message._shared_link(),
            "attachment": {
                "id": attachment.id, "name": attachment.name, "mimetype": attachment.mimetype,
            } if attachment else False,
        }

    def _may_resend(self, message):
        if not message._is_resendable():
            return False
        conversation = message.conversation_id
        return (conversation.may_act and conversation.has_access("write")
                and not message._resend_refusal())

    # === RIGHT: GUEST === #
    @api.model
    def load_guest(self, conversation_id):
        """The guest's profile, linked contact, reservations (newest first) and the staff notes."""
        conversation = self._conversation(conversation_id)
        partner = conversation.partner_id
        Reservation = self.env["hotel.reservation"]
        may_read_reservations = Reservation.has_access("read")
        reservations = Reservation
        if may_read_reservations:
            reservations = Reservation.search(self._guest_reservations_domain(conversation), order="id desc",
                                              limit=20)
        states = dict(Reservation._fields["state"]._description_selection(self.env))
        notes = self.env["mail.message"].search([
            ("model", "=", "guest.conversation"), ("res_id", "=", conversation.id),
            ("message_type", "=", "comment"), ("subtype_id", "=", self.env.ref("mail.mt_note").id),
        ], order="id desc", limit=MAX_NOTES)
        opt_out = self.env["guest.opt.out"]._find(conversation.connection_id, conversation.guest_external_id)
        return {
            "guest": {
                "name": conversation.display_name,
                "profile_name": conversation._profile_name(),
                "phone": conversation.guest_phone or "",
                "channel": conversation.channel_type,
                "external_id": conversation.guest_external_id,
                "picture_url": conversation._guest_picture_url(),
            },
            "opted_out": {
                "at": fields.Datetime.to_string(opt_out.changed_at), "source": opt_out.source,
            } if opt_out.opted_out else False,
            "rating": conversation._rating_summary(conversation),
            "partner": {
                "id": partner.id, "name": partner.display_name, "email": partner.email or "",
            } if partner else False,
            "may_read_reservations": may_read_reservations,
            "may_create_reservation": Reservation.has_access("create"),
            "reservations": [{
                "id": reservation.id,
                "reference": reservation.reservation_no or "",
                "state": reservation.state,
                "state_label": states.get(reservation.state, reservation.state or ""),
                "checkin": fields.Datetime.to_string(reservation.checkin),
                "checkout": fields.Datetime.to_string(reservation.checkout),
            } for reservation in reservations],
            "notes": [{
                "id": note.id,
                "author": note.author_id.name or "",
                "body": html2plaintext(note.body or ""),
                "at": fields.Datetime.to_string(note.date),
            } for note in notes],
        }

    def _guest_reservations_domain(self, conversation):
        """The reservations the guest panel lists: the linked contact's; addons add their own."""
        if not conversation.partner_id:
            return [("id", "=", False)]
        return [("partner_id", "=", conversation.partner_id.id)]

    @api.model
    def add_note(self, conversation_id, body):
        """An internal note on the conversation: staff only, never sent to the guest."""
        conversation = self._conversation(conversation_id)
        conversation.check_access("write")
        if not isinstance(body, str) or not body.strip():
            raise UserError(self.env._("Write the note first."))
        if len(body) > MAX_NOTE:
            raise UserError(self.env._("A note can hold at most %s characters.", MAX_NOTE))
        note = conversation.message_post(body=plaintext2html(body.strip()), message_type="comment",
                                         subtype_xmlid="mail.mt_note")
        return note.id

    @api.model
    def mark_read(self, conversation_id):
        """Opening a conversation clears its unread badge, for everybody."""
        conversation = self._conversation(conversation_id)
        if conversation.unread_count:
            conversation.check_access("write")
            # sudo: guest.conversation - the unread count is the platform's; access was checked above
            conversation.sudo().write({"unread_count": 0})
        return True

    @api.model
    def load_canned_responses(self):
        responses = self.env["guest.canned.response"].search([], order="category, sequence, id", limit=MAX_CANNED)
        return [{"id": r.id, "title": r.name, "shortcut": r.shortcut, "category": r.category or "",
                 "content": r.content} for r in responses]

    @api.model
    def render_canned_response(self, conversation_id, response_id):
        """The canned response's content with its placeholders filled for this conversation, for the
        agent to edit before sending."""
        conversation = self._conversation(conversation_id)
        if not is_int(response_id):
            raise UserError(self.env._("Pick a canned response by its id."))
        response = self.env["guest.canned.response"].browse(response_id).exists()
        if not response:
            raise UserError(self.env._("This canned response no longer exists."))
        response.check_access("read")
        return render(response.content, self._canned_values(conversation))

    def _canned_values(self, conversation):
        """``placeholder -> value`` for a conversation the user may read; bridge modules add their own."""
        return {
            "guest_name": conversation.guest_name or conversation.partner_id.name or "",
            "hotel_name": conversation.connection_id.company_id.name or "",
        }

    def _canned_locale(self, conversation):
        """The Babel locale to write dates for this guest in: the guest's language, else the user's."""
        return self._first_locale(conversation._guest_language(), self.env.user.lang, self.env.lang)

    @api.model
    def _first_locale(self, *codes):
        for code in codes:
            if code:
                try:
                    return babel.Locale.parse(code.replace("-", "_"))
                except (ValueError, TypeError, babel.UnknownLocaleError):
                    continue
        return babel.Locale.parse("en_US")

    @api.model
    def action_new_canned_response(self, text):
        """The canned response form, prefilled with what the agent typed."""
        self.env["guest.canned.response"].check_access("create")
        if not isinstance(text, str) or len(text) > MAX_CANNED_CONTENT:
            raise UserError(self.env._("A canned response holds at most %s characters.", MAX_CANNED_CONTENT))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New canned response"),
            "res_model": "guest.canned.response",
            "views": [[False, "form"]],
            "target": "new",
            "context": {"default_content": text.strip()},
        }
