"""The support system's five tables as SQLAlchemy Core metadata, the one truth.

`sql/schema.sql` is the same schema as MySQL DDL for people who load it by hand; a test
creates both on MariaDB and compares what the server reports, so they cannot drift.
Names follow the spec exactly (upper-case tables, spec column names).
"""

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)

CATEGORIES = (
    "Account access",
    "Bug report",
    "Order cancellation",
    "Overcharged transaction",
    "Undelivered goods",
    "Wrong order",
)
STATUSES = ("open", "resolved")
SENDER_TYPES = ("agent", "customer")

metadata = MetaData()


def _one_of(column: str, values: tuple[str, ...], name: str) -> CheckConstraint:
    allowed = ", ".join(f"'{v}'" for v in values)  # constants from this module only
    return CheckConstraint(f"{column} IN ({allowed})", name=name)


SENDER = Table(
    "SENDER",
    metadata,
    Column("sender_id", Integer, primary_key=True, autoincrement=True),
    Column("sender_type", String(8), nullable=False),
    _one_of("sender_type", SENDER_TYPES, "ck_sender_type"),
    mysql_engine="InnoDB",
    mysql_charset="utf8mb4",
)


def _person(name: str, who: str) -> Table:
    """CUSTOMER and AGENT share one shape: the person's sender id, a unique email
    address, first and last name, and a phone number (an integer, as the spec says)."""
    return Table(
        name,
        metadata,
        Column(f"{who}_id", Integer, primary_key=True, autoincrement=True),
        Column(
            "sender_id",
            Integer,
            ForeignKey("SENDER.sender_id", name=f"fk_{who}_sender"),
            nullable=False,
        ),
        Column(f"{who}_email_address", String(255), nullable=False),
        Column(f"{who}_first_name", String(100), nullable=False),
        Column(f"{who}_last_name", String(100), nullable=False),
        Column(f"{who}_phone_no", BigInteger),
        UniqueConstraint("sender_id", name=f"uq_{who}_sender"),
        UniqueConstraint(f"{who}_email_address", name=f"uq_{who}_email"),
        mysql_engine="InnoDB",
        mysql_charset="utf8mb4",
    )


CUSTOMER = _person("CUSTOMER", "customer")
AGENT = _person("AGENT", "agent")

TICKET = Table(
    "TICKET",
    metadata,
    Column("ticket_id", Integer, primary_key=True, autoincrement=True),
    Column(
        "customer_id",
        Integer,
        ForeignKey("CUSTOMER.customer_id", name="fk_ticket_customer"),
        nullable=False,
    ),
    Column("ticket_category", String(32), nullable=False),
    Column("ticket_rating", SmallInteger),
    Column("ticket_status", String(8), nullable=False),
    _one_of("ticket_category", CATEGORIES, "ck_ticket_category"),
    _one_of("ticket_status", STATUSES, "ck_ticket_status"),
    CheckConstraint("ticket_rating BETWEEN 1 AND 5", name="ck_ticket_rating"),
    # An open ticket has not been rated yet.
    CheckConstraint(
        "ticket_status = 'resolved' OR ticket_rating IS NULL",
        name="ck_ticket_open_unrated",
    ),
    Index("ix_ticket_customer", "customer_id"),
    Index("ix_ticket_status_category", "ticket_status", "ticket_category"),
    mysql_engine="InnoDB",
    mysql_charset="utf8mb4",
)

MESSAGE = Table(
    "MESSAGE",
    metadata,
    Column("message_id", Integer, primary_key=True, autoincrement=True),
    Column(
        "ticket_id",
        Integer,
        ForeignKey("TICKET.ticket_id", name="fk_message_ticket"),
        nullable=False,
    ),
    Column(
        "sender_id",
        Integer,
        ForeignKey("SENDER.sender_id", name="fk_message_sender"),
        nullable=False,
    ),
    Column("message_sent_time", DateTime, nullable=False),
    Column("message_text", Text, nullable=False),
    # Per-ticket first/last message and the per-agent ticket lists read these.
    Index("ix_message_ticket_time", "ticket_id", "message_sent_time", "sender_id"),
    Index("ix_message_sender_ticket", "sender_id", "ticket_id"),
    Index("ix_message_time", "message_sent_time"),
    mysql_engine="InnoDB",
    mysql_charset="utf8mb4",
)

TABLES = (SENDER, CUSTOMER, AGENT, TICKET, MESSAGE)
