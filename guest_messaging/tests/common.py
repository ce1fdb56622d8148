import json
import os
from unittest.mock import patch

import requests
from cryptography.fernet import Fernet
from guestmsg.meta.signature import sign

from odoo.tests import TransactionCase, new_test_user
from odoo.tools import config


class GuestMessagingCase(TransactionCase):
    """Users of each role, a connection and a conversation; no demo data needed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.encryption_key = Fernet.generate_key().decode()
        cls.startClassPatcher(patch.dict(os.environ, {"GUEST_MESSAGING_ENCRYPTION_KEY": cls.encryption_key}))
        cls.startClassPatcher(patch.dict(config.options, {"guest_messaging_encryption_key": False}))
        cls.agent = new_test_user(cls.env, login="gm_agent", groups="base.group_user,guest_messaging.group_agent")
        cls.agent_2 = new_test_user(cls.env, login="gm_agent_2", groups="base.group_user,guest_messaging.group_agent")
        cls.manager = new_test_user(cls.env, login="gm_manager", groups="base.group_user,guest_messaging.group_manager")
        cls.internal = new_test_user(cls.env, login="gm_internal", groups="base.group_user")
        cls.connection = cls.env["guest.channel.connection"].create(
            {"name": "Test Sandbox", "channel_type": "sandbox"}
        )
        cls.connection_2 = cls.env["guest.channel.connection"].create(
            {"name": "Other Sandbox", "channel_type": "sandbox"}
        )
        cls.conversation = cls.env["guest.conversation"].create(
            {
                "connection_id": cls.connection.id,
                "guest_external_id": "34600000001",
                "guest_name": "Ana",
                "guest_phone": "+34600000001",
            }
        )

    @classmethod
    def _everyone_offline(cls):
        """Routing sees only the agents a test puts online."""
        cls.env["res.users"].search([("guest_agent_status", "!=", "offline")]).guest_agent_status = "offline"

    @classmethod
    def _inbox_alone(cls):
        """Guests' messages get no reply from an installed bot, and nobody is online: the messages and
        escalations are the test's own."""
        Conversation = cls.env.registry["guest.conversation"]
        cls.startClassPatcher(patch.object(Conversation, "_on_inbound_message", lambda self, message: None))
        cls._everyone_offline()

    @classmethod
    def _new_conversation(cls, external_id, **vals):
        return cls.env["guest.conversation"].create(
            {"connection_id": cls.connection.id, "guest_external_id": external_id, **vals}
        )


def accept_timeout_pairs(test_class):
    """Let (connect, read) timeouts through Odoo's test guard on requests, which expects one number."""
    guarded_send = requests.sessions.Session.send

    def send(session, prepared, **kwargs):
        if isinstance(kwargs.get("timeout"), tuple):
            kwargs["timeout"] = max(t for t in kwargs["timeout"] if t)
        return guarded_send(session, prepared, **kwargs)

    test_class.startClassPatcher(patch.object(requests.sessions.Session, "send", send))


def signed(payload, secret):
    """A webhook body and the headers Meta would send with it, signed with ``secret``."""
    body = json.dumps(payload).encode()
    return body, {"Content-Type": "application/json", "X-Hub-Signature-256": sign(secret, body)}


class MetaChannelMixin:
    """What every channel's tests need: an encryption key of their own and a Graph API on loopback."""

    def _commit_hooks(self):
        """What a COMMIT does to the transaction's hooks, inside a test's one transaction: the precommit
        ones run, and the postcommit ones end with the transaction."""
        self.env.cr.precommit.run()
        self.env.cr.postcommit.clear()

    @classmethod
    def setup_channel_test(cls):
        accept_timeout_pairs(cls)
        cls.startClassPatcher(patch.dict(os.environ, {"GUEST_MESSAGING_ENCRYPTION_KEY": Fernet.generate_key().decode()}))
        cls.startClassPatcher(patch.dict(config.options, {"guest_messaging_encryption_key": False}))

    @classmethod
    def setup_platform_app(cls, app_id, app_secret, config_id="777"):
        """The platform app in Settings and at the fake Graph API (set up first), for Connect with Meta."""
        cls.graph.set_app(app_id, app_secret)
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("guest_messaging.meta_app_id", app_id)
        params.set_param("guest_messaging.meta_config_id", config_id)
        cls.env["guest.channel.connection"]._set_platform_app_secret(app_secret)

    @classmethod
    def setup_fake_graph(cls):
        """A Graph API on loopback, with every Graph call (outbox, profiles, tokens) aimed at it."""
        from guestmsg.testing import FakeGraphAPI

        cls.graph = FakeGraphAPI()
        cls.graph.start()
        cls.addClassCleanup(cls.graph.stop)
        cls.env["ir.config_parameter"].sudo().set_param("guest_messaging.graph_api_base_url", cls.graph.base_url)
