import hashlib
import hmac
import json

import pytest

from guestmsg.meta import signature
from guestmsg.meta.signature import sign, verify_signature

SECRET = "0b6c4f0e8f8b1d2a3c4d5e6f7a8b9c0d"
# Meta escapes non-ASCII characters, so the bytes on the wire are ASCII
BODY = (
    b'{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages",'
    b'"value":{"messages":[{"from":"34600111222","id":"wamid.X","timestamp":"1767225600","type":"text",'
    b'"text":{"body":"Caf\\u00e9 at 8?"}}]}}]}]}'
)


def expected_header(secret=SECRET, body=BODY):
    key = secret.encode() if isinstance(secret, str) else secret
    return "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()


def test_sign_matches_an_independent_hmac():
    assert sign(SECRET, BODY) == expected_header()
    assert sign(SECRET, BODY).startswith("sha256=")
    assert len(sign(SECRET, BODY)) == len("sha256=") + 64


def test_known_vector():
    # HMAC-SHA256 of an empty message with key "key" (widely published value)
    assert sign("key", b"") == "sha256=5d5d139563c95b5967b9bd9a8c9b233a9dedb45072794cd232dc1b74832607d0"


def test_valid_signature_verifies():
    assert verify_signature(SECRET, BODY, expected_header()) is True


def test_bytes_and_str_secret_are_equivalent():
    header = sign(SECRET, BODY)
    assert sign(SECRET.encode(), BODY) == header
    assert verify_signature(SECRET.encode(), BODY, header) is True
    assert verify_signature(bytearray(SECRET.encode()), BODY, header) is True


def test_non_ascii_secret_is_utf8_encoded():
    secret = "sécret-ü"
    header = "sha256=" + hmac.new(secret.encode("utf-8"), BODY, hashlib.sha256).hexdigest()
    assert sign(secret, BODY) == header
    assert verify_signature(secret, BODY, header)


def test_body_may_be_bytearray_or_memoryview():
    header = sign(SECRET, BODY)
    assert verify_signature(SECRET, bytearray(BODY), header)
    assert verify_signature(SECRET, memoryview(BODY), header)


def test_header_as_ascii_bytes_is_accepted():
    assert verify_signature(SECRET, BODY, sign(SECRET, BODY).encode("ascii"))


def test_uppercase_hex_is_accepted():
    header = sign(SECRET, BODY)
    assert verify_signature(SECRET, BODY, "sha256=" + header[7:].upper())


@pytest.mark.parametrize("wrap", [" {} ", "{}\r\n", "\t{}", "  {}\n"])
def test_surrounding_whitespace_is_ignored(wrap):
    assert verify_signature(SECRET, BODY, wrap.format(sign(SECRET, BODY)))


def test_whitespace_inside_the_value_is_rejected():
    header = sign(SECRET, BODY)
    assert not verify_signature(SECRET, BODY, "sha256= " + header[7:])
    assert not verify_signature(SECRET, BODY, header[:20] + " " + header[20:])


def test_tampered_body_fails():
    header = sign(SECRET, BODY)
    assert not verify_signature(SECRET, BODY.replace(b"8?", b"9?"), header)
    assert not verify_signature(SECRET, BODY + b" ", header)
    assert not verify_signature(SECRET, b"", header)


def test_reserialised_json_does_not_verify():
    # the classic mistake: hashing json.dumps(json.loads(body)) instead of the raw bytes
    header = sign(SECRET, BODY)
    reserialised = json.dumps(json.loads(BODY), ensure_ascii=False).encode()
    assert reserialised != BODY
    assert not verify_signature(SECRET, reserialised, header)


def test_wrong_secret_fails():
    assert not verify_signature("another-secret", BODY, sign(SECRET, BODY))


@pytest.mark.parametrize("secret", [None, "", b"", 0, 12345, ["secret"]])
def test_missing_or_unusable_secret_is_false(secret):
    assert verify_signature(secret, BODY, sign(SECRET, BODY)) is False


@pytest.mark.parametrize("header", [None, "", "   ", "sha256=", 42, ["sha256=00"], {"sha256": "x"}])
def test_missing_or_wrong_type_header_is_false(header):
    assert verify_signature(SECRET, BODY, header) is False


def test_wrong_prefix_is_false():
    digest = sign(SECRET, BODY)[7:]
    for header in (digest, "sha1=" + digest, "sha512=" + digest, "sha256:" + digest, "SHA256=" + digest,
                   "sha256==" + digest, "x-sha256=" + digest):
        assert verify_signature(SECRET, BODY, header) is False, header


def test_legacy_sha1_signature_is_not_accepted():
    sha1 = "sha1=" + hmac.new(SECRET.encode(), BODY, hashlib.sha1).hexdigest()
    assert verify_signature(SECRET, BODY, sha1) is False


def test_non_hex_and_wrong_length_are_false():
    digest = sign(SECRET, BODY)[7:]
    for value in (digest[:-1], digest + "0", digest[:-1] + "g", digest[:32], "z" * 64, "0x" + digest[2:],
                  digest + digest):
        assert verify_signature(SECRET, BODY, "sha256=" + value) is False, value


def test_non_ascii_header_is_false_not_an_error():
    digest = sign(SECRET, BODY)[7:]
    assert verify_signature(SECRET, BODY, "sha256=" + digest[:-1] + "é") is False
    assert verify_signature(SECRET, BODY, "sha256=" + "٠" * 64) is False  # Arabic-Indic zeros
    assert verify_signature(SECRET, BODY, "sha256=" + digest[:-1] + "\x00") is False
    assert verify_signature(SECRET, BODY, ("sha256=" + digest).encode("utf-16")) is False
    assert verify_signature(SECRET, BODY, b"sha256=\xff\xfe") is False


def test_body_that_is_not_bytes_is_false():
    header = sign(SECRET, BODY)
    assert verify_signature(SECRET, BODY.decode(), header) is False
    assert verify_signature(SECRET, None, header) is False
    assert verify_signature(SECRET, {"object": "x"}, header) is False


def test_comparison_uses_compare_digest(monkeypatch):
    calls = []
    real = hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(signature.hmac, "compare_digest", spy)
    assert verify_signature(SECRET, BODY, sign(SECRET, BODY))
    assert not verify_signature(SECRET, BODY, "sha256=" + "0" * 64)
    assert len(calls) == 2
    # raw digests of equal length are compared, never the strings with ==
    assert all(isinstance(a, bytes) and isinstance(b, bytes) and len(a) == len(b) == 32 for a, b in calls)


def test_sign_rejects_bad_input():
    with pytest.raises(ValueError):
        sign("", BODY)
    with pytest.raises(TypeError):
        sign(None, BODY)
    with pytest.raises(TypeError):
        sign(SECRET, BODY.decode())
