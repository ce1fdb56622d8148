import os
from unittest.mock import patch

from cryptography.fernet import Fernet

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import config, mute_logger

from .common import GuestMessagingCase

TOKEN = "EAAGm0PX4ZCpsBAKZCxyz1234567890"


@tagged("guest_messaging")
class TestSecretEncryption(GuestMessagingCase):
    def _column(self, column, connection=None):
        self.env.flush_all()
        self.env.cr.execute(
            f"SELECT {column} FROM guest_channel_connection WHERE id = %s",  # noqa: S608 - fixed column names
            ((connection or self.connection).id,),
        )
        return self.env.cr.fetchone()[0]

    def test_column_never_holds_the_token_in_clear(self):
        self.connection.write({"access_token": TOKEN, "app_secret": "s3cr3t-app"})
        stored_token = self._column("access_token_encrypted")
        stored_secret = self._column("app_secret_encrypted")
        self.assertTrue(stored_token.startswith("gmenc1:"))
        self.assertNotIn(TOKEN, stored_token)
        self.assertNotIn("s3cr3t-app", stored_secret)
        self.env.cr.execute("SELECT row_to_json(c)::text FROM guest_channel_connection c WHERE id = %s", (self.connection.id,))
        self.assertNotIn(TOKEN, self.env.cr.fetchone()[0])
        self.connection.invalidate_recordset()
        self.assertEqual(self.connection._get_secret("access_token"), TOKEN)
        self.assertEqual(self.connection._get_secret("app_secret"), "s3cr3t-app")

    def test_secrets_are_write_only(self):
        self.connection.write({"access_token": TOKEN, "app_secret": "s3cr3t-app"})
        self.connection.invalidate_recordset()
        fields = ["access_token", "app_secret", "has_access_token", "has_app_secret"]
        read = self.connection.web_read({name: {} for name in fields})[0]
        self.assertEqual({name: read[name] for name in fields}, {
            "access_token": False, "app_secret": False, "has_access_token": True, "has_app_secret": True})
        self.assertNotIn(TOKEN, str(self.connection.read()))

    def test_secrets_set_at_creation_are_encrypted(self):
        connection = self.env["guest.channel.connection"].create(
            {"name": "New", "channel_type": "sandbox", "access_token": TOKEN}
        )
        self.assertNotIn(TOKEN, self._column("access_token_encrypted", connection))
        self.assertEqual(connection._get_secret("access_token"), TOKEN)

    def test_clearing_a_secret_empties_the_column(self):
        self.connection.access_token = TOKEN
        self.connection.access_token = False
        self.assertIsNone(self._column("access_token_encrypted"))
        self.assertFalse(self.connection._get_secret("access_token"))

    def test_storing_without_a_key_fails_clearly(self):
        with patch.dict(os.environ, {"GUEST_MESSAGING_ENCRYPTION_KEY": ""}):
            with self.assertRaisesRegex(UserError, "guest_messaging_encryption_key"):
                self.connection.write({"access_token": TOKEN})
        self.assertIsNone(self._column("access_token_encrypted"))

    def test_key_from_the_configuration_file_wins(self):
        file_key = Fernet.generate_key().decode()
        with patch.dict(config.options, {"guest_messaging_encryption_key": file_key}):
            self.connection.access_token = TOKEN
            self.assertEqual(self.connection._get_secret("access_token"), TOKEN)
        # the environment key alone cannot read what the file key wrote
        with self.assertRaisesRegex(UserError, "cannot be decrypted"):
            self.connection._get_secret("access_token")

    def test_key_rotation_keeps_old_secrets_readable(self):
        self.connection.access_token = TOKEN
        new_key = Fernet.generate_key().decode()
        with patch.dict(os.environ, {"GUEST_MESSAGING_ENCRYPTION_KEY": f"{new_key},{self.encryption_key}"}):
            self.connection.invalidate_recordset()
            self.assertEqual(self.connection._get_secret("access_token"), TOKEN)

    def test_invalid_key_is_reported(self):
        with patch.dict(os.environ, {"GUEST_MESSAGING_ENCRYPTION_KEY": "not-a-key"}):
            with self.assertRaisesRegex(UserError, "not a valid Fernet key"):
                self.connection.write({"app_secret": "x"})

    @mute_logger("odoo.addons.guest_messaging.models.guest_channel_connection")
    def test_lost_key_does_not_break_reading_the_connection(self):
        self.connection.access_token = TOKEN
        with patch.dict(os.environ, {"GUEST_MESSAGING_ENCRYPTION_KEY": Fernet.generate_key().decode()}):
            self.connection.invalidate_recordset()
            self.assertFalse(self.connection.access_token)
            self.assertTrue(self.connection.has_access_token)
            self.assertEqual(self.connection.name, "Test Sandbox")
