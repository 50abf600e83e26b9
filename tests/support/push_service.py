"""A push service on loopback, standing in for the ones browsers use (FCM, Mozilla's, Apple's),
and a browser's side of a subscription: its own key pair and auth secret. It receives the real
request our server sends, checks its VAPID signature (RFC 8292) against our public key, and
decrypts the message as the browser would (RFC 8291, aes128gcm, with http-ece).

It is the browser's half of the protocol, so it makes keys of its own: the one place outside
passport/encryption/crypto.py that uses the cryptography library, and only in tests."""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class PushService:
    """Answers each push with `status` (201 accepted; 410 gone; 500 failing)."""

    status: int = 201
    location: str | None = None  # sent with the answer: a redirect we must not follow
    received: list[Received] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    def __enter__(self) -> PushService:
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                service.received.append(Received(
                    self.path, {k.lower(): v for k, v in self.headers.items()},
                    self.rfile.read(length)))
                self.send_response(service.status)
                if service.location:
                    self.send_header("Location", service.location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"


class Browser:
    """A browser's subscription keys: what `pushManager.subscribe` would give the page."""

    def __init__(self) -> None:
        self.private = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)

    def subscription(self, endpoint: str) -> dict:
        public = self.private.public_key().public_bytes(Encoding.X962,
                                                        PublicFormat.UncompressedPoint)
        return {"endpoint": endpoint, "keys": {"p256dh": b64url(public),
                                               "auth": b64url(self.auth)}}

    def decrypt(self, received: Received) -> dict:
        assert received.headers.get("content-encoding") == "aes128gcm"
        return json.loads(http_ece.decrypt(received.body, private_key=self.private,
                                           auth_secret=self.auth, version="aes128gcm"))


    def cannot_decrypt(self, received: Received) -> bool:
        """True if these keys cannot read it (the message was for another browser)."""
        try:
            self.decrypt(received)
        except (http_ece.ECEException, InvalidTag):
            return True
        return False


def vapid_claims(received: Received, server_public: str) -> dict:
    """The VAPID header checked as a push service checks it: `vapid t=<JWT>, k=<key>`, the
    key ours, the JWT signed by it (ES256), and its claims returned."""
    scheme, _space, params = received.headers["authorization"].partition(" ")
    assert scheme == "vapid", scheme
    parts = dict(p.strip().split("=", 1) for p in params.split(","))
    assert parts["k"] == server_public
    header, claims, signature = parts["t"].split(".")
    assert json.loads(unb64url(header)) == {"typ": "JWT", "alg": "ES256"}
    raw = unb64url(signature)
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(parts["k"]))
    try:
        public.verify(encode_dss_signature(int.from_bytes(raw[:32], "big"),
                                           int.from_bytes(raw[32:], "big")),
                      f"{header}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise AssertionError("the VAPID signature does not verify") from None
    found = json.loads(unb64url(claims))
    assert time.time() < found["exp"] <= time.time() + 24 * 3600
    return found
