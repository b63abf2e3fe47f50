"""Log records cut to a few kB, whoever logs them: request values end up in
exception messages, and a 10 MB forged callback output would otherwise be logged
twice over."""

import logging
import traceback

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


def bound_log_records() -> None:
    """Cut every log record of this process to a few kB, traceback included.
    Installed once per process."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "bounded", False):
        return

    def factory(*args, **kwargs):
        record = previous(*args, **kwargs)
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

    factory.bounded = True
    logging.setLogRecordFactory(factory)
