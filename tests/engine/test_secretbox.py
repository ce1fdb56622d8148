import pytest
from cryptography.fernet import Fernet

from guestmsg.core.secretbox import PREFIX, SecretBox, SecretDecryptError, SecretKeyError, generate_key


@pytest.fixture
def key():
    return generate_key()


def test_round_trip_and_no_clear_text(key):
    box = SecretBox(key)
    stored = box.encrypt("EAAG-token-ñ-✓")
    assert stored.startswith(PREFIX)
    assert "EAAG" not in stored
    assert box.decrypt(stored) == "EAAG-token-ñ-✓"


def test_same_secret_encrypts_differently_each_time(key):
    box = SecretBox(key)
    assert box.encrypt("same") != box.encrypt("same")


@pytest.mark.parametrize("keys", [None, "", " , ", []])
def test_no_key_says_how_to_set_one(keys):
    with pytest.raises(SecretKeyError, match="guest_messaging_encryption_key"):
        SecretBox(keys)


@pytest.mark.parametrize("bad", ["short", "x" * 44, "not base64 !!!"])
def test_invalid_key(bad):
    with pytest.raises(SecretKeyError, match="not a valid Fernet key"):
        SecretBox(bad)


def test_wrong_key_cannot_decrypt(key):
    stored = SecretBox(key).encrypt("secret")
    with pytest.raises(SecretDecryptError, match="cannot be decrypted"):
        SecretBox(generate_key()).decrypt(stored)


def test_value_that_is_not_ours(key):
    with pytest.raises(SecretDecryptError, match="not an encrypted"):
        SecretBox(key).decrypt("plain-text-token")
    with pytest.raises(SecretDecryptError):
        SecretBox(key).decrypt(PREFIX + "garbage")


def test_rotation(key):
    old = SecretBox(key)
    stored = old.encrypt("secret")
    new_key = generate_key()
    both = SecretBox(f"{new_key},{key}")
    assert both.decrypt(stored) == "secret"
    rotated = both.rotate(stored)
    assert SecretBox(new_key).decrypt(rotated) == "secret"


def test_empty_values(key):
    box = SecretBox(key)
    assert box.encrypt("") is False
    assert box.decrypt(False) is False


def test_accepts_bytes_keys():
    raw = Fernet.generate_key()
    assert SecretBox([raw]).decrypt(SecretBox(raw.decode()).encrypt("x")) == "x"
