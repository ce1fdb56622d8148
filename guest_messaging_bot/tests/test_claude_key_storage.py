import os
import subprocess
import uuid
from unittest.mock import patch

from cryptography.fernet import Fernet
from guestmsg.core.secretbox import PREFIX as SECRET_PREFIX

from odoo import SUPERUSER_ID, api
from odoo.modules.migration import load_script
from odoo.modules.module import get_module_path
from odoo.modules.registry import DummyRLock, Registry
from odoo.tests import BaseCase, HttpCase, TransactionCase, get_db_name, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import config, mute_logger
from odoo.tools.misc import exec_pg_environ, find_pg_tool
from odoo.tools.sql import column_exists

from odoo.addons.guest_messaging.models.guest_channel_connection_meta import PLATFORM_SECRET_PARAM

from ..lib.bot_nlu import ANTHROPIC_KEY_PARAM, anthropic_api_key
from .common import BotFixtures

MIGRATION = os.path.join(get_module_path("guest_messaging_bot"), "migrations", "18.0.1.1.0", "post-migrate.py")


def _new_encryption_key(case):
    case.startPatcher(patch.dict(os.environ, {"GUEST_MESSAGING_ENCRYPTION_KEY": Fernet.generate_key().decode()}))
    case.startPatcher(patch.dict(config.options, {"guest_messaging_encryption_key": False}))


@tagged("guest_messaging", "post_install", "-at_install")
class TestClaudeKeyUpgrade(BotFixtures, TransactionCase):
    """The 18.0.1.1.0 upgrade encrypts a key typed in clear; a key set in Settings comes out of it unchanged."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.patch_key()
        cls.migration = load_script(MIGRATION, "guest_messaging_bot_post_migrate_18_0_1_1_0")

    def _raw(self):
        self.env.flush_all()
        self.env.cr.execute("SELECT value FROM ir_config_parameter WHERE key = %s", (ANTHROPIC_KEY_PARAM,))
        row = self.env.cr.fetchone()
        return row and row[0]

    def test_a_key_in_clear_is_encrypted_by_the_upgrade(self):
        self.env.cr.execute("INSERT INTO ir_config_parameter (key, value) VALUES (%s, %s) "
                            "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                            (ANTHROPIC_KEY_PARAM, " sk-ant-typed-in-clear \n"))
        self.env.registry.clear_cache()
        self.migration.migrate(self.env.cr, "18.0.1.0.0")
        self.env.registry.clear_cache()
        stored = self._raw()
        self.assertTrue(stored.startswith(SECRET_PREFIX))
        self.assertNotIn("sk-ant-typed-in-clear", stored)
        self.assertEqual(anthropic_api_key(self.env), "sk-ant-typed-in-clear")

    def test_a_key_set_in_settings_survives_the_upgrade(self):
        settings = self.env["res.config.settings"].create({"guest_bot_anthropic_api_key": "sk-ant-from-settings"})
        settings.execute()
        before = self._raw()
        self.migration.migrate(self.env.cr, "18.0.1.0.0")
        self.env["res.config.settings"].init()
        self.env.registry.clear_cache()
        self.assertEqual(self._raw(), before)
        self.assertEqual(anthropic_api_key(self.env), "sk-ant-from-settings")

    def test_without_an_encryption_key_the_key_is_kept_and_the_upgrade_warns(self):
        self.env["ir.config_parameter"].set_param(ANTHROPIC_KEY_PARAM, "sk-ant-no-box")
        with patch.dict(os.environ, {"GUEST_MESSAGING_ENCRYPTION_KEY": ""}), \
                self.assertLogs("guest_messaging_bot_post_migrate_18_0_1_1_0", "WARNING") as logs:
            self.migration.migrate(self.env.cr, "18.0.1.0.0")
        self.assertIn("still in clear", logs.output[0])
        self.assertEqual(self._raw(), "sk-ant-no-box")

    def test_a_new_install_has_nothing_to_move(self):
        self.env["ir.config_parameter"].set_param(ANTHROPIC_KEY_PARAM, "sk-ant-fresh")
        self.migration.migrate(self.env.cr, None)
        self.assertEqual(self._raw(), "sk-ant-fresh")

    def test_secrets_kept_in_clear_by_earlier_settings_rows_are_dropped(self):
        cr = self.env.cr
        for column in ("guest_bot_anthropic_api_key", "guest_meta_app_secret"):
            cr.execute(f'ALTER TABLE res_config_settings ADD COLUMN "{column}" varchar')  # noqa: S608 - fixed names
        cr.execute("UPDATE res_config_settings SET guest_bot_anthropic_api_key = 'sk-ant-old-row'")
        self.env["res.config.settings"].init()
        for column in ("guest_bot_anthropic_api_key", "guest_meta_app_secret"):
            self.assertFalse(column_exists(cr, "res_config_settings", column), column)


@tagged("guest_messaging", "post_install", "-at_install")
class TestSecretsNotInADump(BaseCase):
    """What pg_dump writes holds the secrets set through Settings only encrypted.

    A BaseCase: pg_dump sees committed rows only, so the settings are saved and committed on a cursor of
    their own, and the parameters put back as they were at the end.
    """

    def setUp(self):
        super().setUp()
        _new_encryption_key(self)
        self.registry = Registry(get_db_name())
        self.patch(Registry, "_lock", DummyRLock())
        self.tag = uuid.uuid4().hex
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            before = {key: env["ir.config_parameter"].get_param(key) for key in (ANTHROPIC_KEY_PARAM,
                                                                                PLATFORM_SECRET_PARAM)}

        def restore():
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                for key, value in before.items():
                    env["ir.config_parameter"].set_param(key, value)
                env["res.config.settings"].browse(self.settings_ids).exists().unlink()

        self.settings_ids = []
        self.addCleanup(restore)

    def test_settings_secrets_are_not_in_a_database_dump(self):
        claude_key, app_secret = f"sk-ant-api03-dump-{self.tag}", f"app-secret-dump-{self.tag}"
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            settings = env["res.config.settings"].create({
                "guest_bot_anthropic_api_key": claude_key, "guest_meta_app_secret": app_secret})
            self.settings_ids = settings.ids
        dump = subprocess.run(
            [find_pg_tool("pg_dump"), "--no-owner", get_db_name()], env=exec_pg_environ(),
            capture_output=True, timeout=600, check=True,
        ).stdout
        self.assertNotIn(claude_key.encode(), dump)
        self.assertNotIn(app_secret.encode(), dump)
        self.assertNotIn(self.tag.encode(), dump)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            stored = env["ir.config_parameter"].get_param(ANTHROPIC_KEY_PARAM)
            self.assertIn(stored.encode(), dump, "the dump holds the key, encrypted")
            self.assertEqual(anthropic_api_key(env), claude_key)
            self.assertEqual(env["guest.channel.connection"]._platform_app()[1], app_secret)


@tagged("guest_messaging", "post_install", "-at_install")
class TestClaudeKeyOverRpc(HttpCase):
    """Nobody reads the key back over JSON-RPC: administrators get nothing or its ciphertext, others an error."""

    def setUp(self):
        super().setUp()
        _new_encryption_key(self)
        new_test_user(self.env, login="c23_rpc_admin", groups="base.group_system,guest_messaging.group_manager")
        new_test_user(self.env, login="c23_rpc_agent", groups="base.group_user,guest_messaging.group_agent")
        self.key = f"sk-ant-api03-rpc-{uuid.uuid4().hex}"

    def call(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request("/web/dataset/call_kw", {
            "model": model, "method": method, "args": list(args), "kwargs": kwargs})

    def test_the_key_is_never_read_back(self):
        self.authenticate("c23_rpc_admin", "c23_rpc_admin")
        settings_id = self.call("res.config.settings", "create", {"guest_bot_anthropic_api_key": self.key})
        self.call("res.config.settings", "execute", [settings_id])
        fresh_id = self.call("res.config.settings", "create", {})
        fields_read = ["guest_bot_anthropic_api_key", "guest_bot_anthropic_api_key_set"]
        for record_id in (settings_id, fresh_id):
            read = self.call("res.config.settings", "web_read", [record_id],
                             specification={name: {} for name in fields_read})[0]
            self.assertEqual((read["guest_bot_anthropic_api_key"], read["guest_bot_anthropic_api_key_set"]),
                             (False, True))
        params = self.call("ir.config_parameter", "search_read", [("key", "=", ANTHROPIC_KEY_PARAM)], ["value"])
        self.assertTrue(params[0]["value"].startswith(SECRET_PREFIX))
        opened = self.call("res.config.settings", "onchange", [], {}, [], {name: {} for name in fields_read})
        self.assertFalse(opened["value"].get("guest_bot_anthropic_api_key"))
        answers = str([read, params, opened])
        self.assertNotIn(self.key, answers)

        self.authenticate("c23_rpc_agent", "c23_rpc_agent")
        for model, method, args in (
            ("res.config.settings", "web_read", ([settings_id],)),
            ("res.config.settings", "default_get", (fields_read,)),
            ("ir.config_parameter", "search_read", ([("key", "=", ANTHROPIC_KEY_PARAM)], ["value"])),
            ("res.config.settings", "action_guest_bot_test_claude", ([settings_id],)),
        ):
            with self.subTest(method=method), mute_logger("odoo.http"), self.assertRaises(JsonRpcException) as error:
                self.call(model, method, *args, **({"specification": {name: {} for name in fields_read}}
                                                   if method == "web_read" else {}))
            self.assertIn("AccessError", str(error.exception))
