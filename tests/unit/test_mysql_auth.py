"""MySQL 8's default login, caching_sha2_password: over a connection without TLS
the client sends the password encrypted with the server's RSA public key, which
PyMySQL does with `cryptography` (PyMySQL[rsa]). MariaDB here never asks for it, so
the path is tested directly, with a key pair made in the test."""

import os
import re
import tomllib
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from pymysql import _auth

ROOT = Path(__file__).parents[2]


def test_rsa001_the_password_is_encrypted_as_the_server_decrypts_it():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    salt = os.urandom(20)  # the server's scramble
    password = "pässwörd-with-a-long-tail-0123456789".encode()

    sent = _auth.sha2_rsa_encrypt(password, salt, public_pem)

    # What the server does (sql/auth/sha2_password.cc): RSA-OAEP (SHA-1) decrypt,
    # then XOR with the scramble, repeated; the password ends in one NUL.
    oaep = padding.OAEP(
        mgf=padding.MGF1(algorithm=hashes.SHA1()), algorithm=hashes.SHA1(), label=None
    )
    plain = key.decrypt(sent, oaep)
    unmasked = bytes(b ^ salt[i % len(salt)] for i, b in enumerate(plain))
    assert unmasked == password + b"\0"
    assert len(sent) == 256  # one RSA-2048 block


def test_rsa002_the_install_brings_cryptography():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert any(re.match(r"pymysql\[rsa\]", d, re.I) for d in project["dependencies"])
    pins = (ROOT / "requirements.txt").read_text().splitlines()
    assert any(re.fullmatch(r"cryptography==[\d.]+", line) for line in pins)
    assert _auth._have_cryptography
