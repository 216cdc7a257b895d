"""One HTTP request to a gateway, with its failures sorted into transient and permanent."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request

from . import PermanentError, TransientError

TIMEOUT_SECONDS = 10


def call(url: str, params: dict[str, str], *, method: str = "GET", gateway: str) -> tuple[int, str]:
    """Send ``params`` to ``url``; return (status, body) of a 2xx answer.

    Network trouble, 429 and 5xx raise TransientError; any other 4xx raises PermanentError with
    the code ``<gateway>-<status>``.
    """
    data = urllib.parse.urlencode(params).encode()
    if method == "GET":
        request = urllib.request.Request(f"{url}?{data.decode()}", method="GET")
    else:
        request = urllib.request.Request(
            url,
            data=data,
            method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status, response.read().decode("utf-8", "replace").strip()
    except urllib.error.HTTPError as exc:
        body = exc.read().decode("utf-8", "replace").strip()
        code = f"{gateway}-{exc.code}"
        if exc.code == 429 or exc.code >= 500:
            raise TransientError(body or str(exc), code) from exc
        raise PermanentError(body or str(exc), code) from exc
    except (urllib.error.URLError, OSError) as exc:
        raise TransientError(str(exc), "network") from exc
