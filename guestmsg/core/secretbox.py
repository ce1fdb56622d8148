"""Encryption at rest for channel secrets (access tokens, app secrets).

The key never lives in the database: the addon reads it from the Odoo
configuration file or the environment and hands it to :class:`SecretBox`.
Several comma-separated keys may be given; the first encrypts and all of them
decrypt, which lets an administrator rotate keys without losing secrets.
"""

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

PREFIX = "gmenc1:"

HOW_TO_SET_KEY = (
    "Set 'guest_messaging_encryption_key' in the [options] section of the Odoo "
    "configuration file, or the environment variable GUEST_MESSAGING_ENCRYPTION_KEY, "
    "to a Fernet key. Generate one with: python3 -c "
    "\"from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())\""
)


class SecretKeyError(Exception):
    """No usable encryption key is configured."""


class SecretDecryptError(Exception):
    """A stored secret cannot be decrypted with the configured keys."""


def generate_key():
    return Fernet.generate_key().decode()


class SecretBox:
    def __init__(self, keys):
        if isinstance(keys, str):
            keys = [k.strip() for k in keys.split(",")]
        keys = [k for k in (keys or []) if k]
        if not keys:
            raise SecretKeyError("No encryption key is configured for Guest Messaging secrets. " + HOW_TO_SET_KEY)
        try:
            self._fernet = MultiFernet([Fernet(k.encode() if isinstance(k, str) else k) for k in keys])
        except (ValueError, TypeError) as exc:
            raise SecretKeyError(
                "The Guest Messaging encryption key is not a valid Fernet key "
                "(32 url-safe base64-encoded bytes). " + HOW_TO_SET_KEY
            ) from exc

    def encrypt(self, plaintext):
        if not plaintext:
            return False
        token = self._fernet.encrypt(plaintext.encode("utf-8"))
        return PREFIX + token.decode("ascii")

    def decrypt(self, stored):
        if not stored:
            return False
        if not stored.startswith(PREFIX):
            raise SecretDecryptError("The stored value is not an encrypted Guest Messaging secret.")
        try:
            return self._fernet.decrypt(stored[len(PREFIX):].encode("ascii")).decode("utf-8")
        except InvalidToken as exc:
            raise SecretDecryptError(
                "A stored secret cannot be decrypted with the configured key: the key was changed "
                "or lost. Restore the previous key (keys may be listed comma-separated, newest first) "
                "or enter the secret again."
            ) from exc

    def rotate(self, stored):
        """Re-encrypt ``stored`` with the first key."""
        return PREFIX + self._fernet.rotate(stored[len(PREFIX):].encode("ascii")).decode("ascii")
