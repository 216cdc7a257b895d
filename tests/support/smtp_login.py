"""A real SMTP server that offers a login (AUTH PLAIN/LOGIN over plain TCP, as a LAN relay may)."""

from __future__ import annotations

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.support.smtp_server import Inbox, SmtpServer, free_port


class SmtpServerWithLogin(SmtpServer):
    """Like :class:`SmtpServer`, offering AUTH and recording who logged in with these credentials."""

    def __init__(self, username: str, password: str) -> None:
        # Not SmtpServer.__init__: its controller would own an event loop nobody closes.
        self.inbox = Inbox()
        self.port = free_port()
        self.logins: list[str] = []  # usernames that logged in

        def authenticate(server, session, envelope, mechanism, auth_data):  # noqa: ANN001, ANN202
            ok = isinstance(auth_data, LoginPassword) and (
                auth_data.login.decode(),
                auth_data.password.decode(),
            ) == (username, password)
            if ok:
                self.logins.append(username)
            return AuthResult(success=ok)

        self.controller = Controller(
            self.inbox,
            hostname="127.0.0.1",
            port=self.port,
            authenticator=authenticate,
            auth_require_tls=False,  # the login is checked, not enforced: see ``logins``
        )
