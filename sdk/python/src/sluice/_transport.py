"""One HTTP POST with urllib: the status, headers and body of any answer, or a ``NetworkError``."""

from __future__ import annotations

import email.message
import email.utils
import http.client
import socket
import time
import urllib.error
import urllib.request
from typing import Dict, Mapping, NamedTuple, Optional


class Response(NamedTuple):
    status: int
    headers: Mapping[str, str]
    body: bytes


class NetworkError(Exception):
    """No HTTP answer: connection refused or reset, DNS failure, timeout, truncated response."""


def post(url: str, body: bytes, headers: Dict[str, str], timeout: float) -> Response:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http(s) only, checked by Client)
            return Response(response.status, _headers(response.headers), response.read())
    except urllib.error.HTTPError as error:
        try:
            data = error.read()
        except (OSError, http.client.HTTPException):
            data = b""
        finally:
            error.close()
        return Response(error.code, _headers(error.headers), data)
    except urllib.error.URLError as error:
        raise NetworkError(str(error.reason)) from error
    except (OSError, http.client.HTTPException, socket.timeout) as error:
        raise NetworkError(f"{type(error).__name__}: {error}") from error


def _headers(message: Optional["email.message.Message"]) -> Dict[str, str]:
    if message is None:
        return {}
    return {key.lower(): value for key, value in message.items()}


def retry_after_seconds(value: Optional[str], now: Optional[float] = None) -> Optional[float]:
    """Parse a Retry-After header: delay-seconds or an HTTP-date. None if absent or unparseable."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    if seconds != seconds:  # NaN
        return None
    return max(0.0, seconds)
