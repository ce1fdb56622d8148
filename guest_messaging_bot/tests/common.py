import os
from datetime import timedelta
from unittest.mock import patch

from cryptography.fernet import Fernet

from odoo import fields
from odoo.tools import config


class BotFixtures:
    """Rooms, a Sandbox connection playing WhatsApp and helpers to talk to the bot as a guest would."""

    @classmethod
    def setup_hotel(cls, env):
        room_type = env["hotel.room.type"].create({"name": "Bot test rooms"})
        cls.rooms = env["hotel.room"].create([
            {"name": "Bot-101", "room_categ_id": room_type.id, "list_price": 90.0, "capacity": 2},
            {"name": "Bot-201", "room_categ_id": room_type.id, "list_price": 140.0, "capacity": 4},
        ])
        env["product.pricelist"].create({"name": "Bot test rates"})
        cls.connection = env["guest.channel.connection"].create({
            "name": "Bot Sandbox", "channel_type": "sandbox", "sandbox_profile": "whatsapp",
            "greeting_message": "Welcome to Hotel Test!",
        })

    @classmethod
    def patch_key(cls):
        cls.startClassPatcher(patch.dict(os.environ, {"GUEST_MESSAGING_ENCRYPTION_KEY": Fernet.generate_key().decode()}))
        cls.startClassPatcher(patch.dict(config.options, {"guest_messaging_encryption_key": False}))

    def say(self, text=None, reply_id=None, guest="34699000001"):
        self._seq = getattr(self, "_seq", 0) + 1
        vals = {"body": text or "", "message_type": "interactive" if reply_id else "text",
                "payload": {"reply_id": reply_id} if reply_id else {}}
        message = self.env["guest.conversation"]._ingest_inbound(
            self.connection, guest, f"wamid.bot.{guest}.{self._seq}", vals, guest_phone=guest)
        return message.conversation_id

    def book(self, guest, email, first_name="Eve", day=10):
        """Book the first room for two nights, ``day`` days ahead, as ``guest`` typing these details."""
        self.say("Hi", guest=guest)
        self.say(reply_id="book", guest=guest)
        self.say(f"{self.day(day)} to {self.day(day + 2)}", guest=guest)
        self.say("2 adults", guest=guest)
        self.say(reply_id=f"room:{self.rooms[0].id}", guest=guest)
        self.say(first_name, guest=guest)
        self.say("Smith", guest=guest)
        self.say(email, guest=guest)
        return self.say(reply_id="confirm", guest=guest)

    @staticmethod
    def replies(conversation, since_id=0):
        return conversation.guest_message_ids.filtered(
            lambda m: m.direction == "outbound" and m.author_type == "bot" and m.id > since_id)

    @staticmethod
    def day(offset):
        return (fields.Date.today() + timedelta(days=offset)).isoformat()
