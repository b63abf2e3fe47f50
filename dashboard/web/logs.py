"""Log records cut to a few kB, whoever logs them: request values end up in
exception messages, and a 10 MB forged callback output would otherwise be logged
twice over."""

import logging
import traceback
from collections.abc import Callable
from typing import Any

LOG_LINE_LIMIT = 2_000  # characters of one log line
LOG_RECORD_LIMIT = 20_000  # characters of one log record, traceback included


def bounded(text: str, limit: int = LOG_LINE_LIMIT) -> str:
    """`text`, cut to `limit` characters with a note of how much was cut."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... [{len(text) - limit} more characters]"


def _bound_lines(text: str) -> str:
    return bounded(
        "\n".join(bounded(line) for line in text.split("\n")), LOG_RECORD_LIMIT
    )


class _BoundedFactory:
    """A log record factory that cuts what the one before it makes."""

    def __init__(self, previous: Callable[..., logging.LogRecord]):
        self.previous = previous

    def __call__(self, *args: Any, **kwargs: Any) -> logging.LogRecord:
        record = self.previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - logging itself reports it when emitting
            return record
        if len(message) > LOG_LINE_LIMIT:
            record.msg, record.args = _bound_lines(message), None
        if record.exc_info and record.exc_info[1] is not None:
            text = "".join(traceback.format_exception(*record.exc_info))
            record.exc_text = _bound_lines(text.rstrip("\n"))
        return record


def bound_log_records() -> None:
    """Cut every log record of this process to a few kB, traceback included.
    Installed once per process."""
    previous = logging.getLogRecordFactory()
    if isinstance(previous, _BoundedFactory):
        return
    logging.setLogRecordFactory(_BoundedFactory(previous))
