"""A real IMAP server for tests: Debian's dovecot (``apt-get install dovecot-imapd``) as a private instance on a
free port of 127.0.0.1, with its own configuration, user, mail folder and a self-signed certificate made here,
all in a temporary folder; never the system's service. IMAPS only (the product reads its mailbox over SSL)."""

from __future__ import annotations

import datetime
import imaplib
import ipaddress
import os
import pwd
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.smtp import free_port

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    key_path.chmod(0o600)
    return cert_path, key_path


class PrivateDovecot:
    host = "127.0.0.1"
    user = "intake"
    password = "not-a-real-secret"

    def __init__(self):
        # Not under pytest's tmp_path: its folders are the owner's only, and dovecot's processes that keep the
        # mail ("nobody" when the tests run as root) must reach the mail folder.
        self.folder = Path(tempfile.mkdtemp(prefix="cc-dovecot-"))
        self.folder.chmod(0o755)
        self.port = free_port()
        self.process = None
        self.cert_path: Path | None = None

    @property
    def url(self) -> str:
        return f"imaps://{self.user}:{self.password}@{self.host}:{self.port}/INBOX"

    def _mail_owner(self) -> tuple[int, int]:
        # dovecot refuses to keep mail as root: as root, the mail belongs to "nobody".
        if os.getuid() != 0:
            return os.getuid(), os.getgid()
        nobody = pwd.getpwnam("nobody")
        return nobody.pw_uid, nobody.pw_gid

    def _write_config(self) -> Path:
        self.cert_path, key_path = self_signed_certificate(self.folder)
        run, mail = self.folder / "run", self.folder / "mail"
        run.mkdir()
        mail.mkdir()
        uid, gid = self._mail_owner()
        os.chown(mail, uid, gid)
        config = self.folder / "dovecot.conf"
        config.write_text(
            f"""
base_dir = {run}
state_dir = {run}/state
instance_name = cc-test-{self.port}
protocols = imap
listen = {self.host}
ssl = required
ssl_cert = <{self.cert_path}
ssl_key = <{key_path}
log_path = {self.folder}/dovecot.log
auth_mechanisms = plain
passdb {{
  driver = static
  args = user={self.user} password={self.password}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={mail}/%u
}}
mail_location = maildir:{mail}/%u/Maildir
first_valid_uid = 1
service imap-login {{
  chroot =
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    port = {self.port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
"""
        )
        return config

    def start(self) -> None:
        config = self._write_config()
        self.process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"dovecot stopped at once: {self.process.stderr.read().decode()}")
            try:
                socket.create_connection((self.host, self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"dovecot did not listen on port {self.port}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None
        shutil.rmtree(self.folder, ignore_errors=True)

    def connect(self) -> imaplib.IMAP4_SSL:
        context = ssl.create_default_context(cafile=str(self.cert_path))
        connection = imaplib.IMAP4_SSL(self.host, self.port, ssl_context=context, timeout=10)
        connection.login(self.user, self.password)
        return connection

    def deliver(self, message: bytes, *, when: datetime.datetime | None = None) -> None:
        """Put a message into the inbox, as the MTA's delivery would (its arrival moment ``when``)."""
        connection = self.connect()
        try:
            moment = imaplib.Time2Internaldate(when.timestamp()) if when else None
            status, _data = connection.append("INBOX", None, moment, message)
            assert status == "OK"
        finally:
            connection.logout()

    def flags(self) -> list[bytes]:
        """The flags of every message in the inbox, in order."""
        connection = self.connect()
        try:
            connection.select("INBOX", readonly=True)
            _status, data = connection.fetch("1:*", "(FLAGS)")
            return [item for item in data if item]
        finally:
            connection.logout()
