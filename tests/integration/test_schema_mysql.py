"""sql/schema.sql and the SQLAlchemy metadata describe the same schema, and MariaDB
enforces its rules."""

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError

from dashboard.data.schema import metadata
from tests.mysql import scratch_database, strict_engine

pytestmark = pytest.mark.mysql

SCHEMA_SQL = Path(__file__).parents[2] / "sql" / "schema.sql"

CATALOG = {
    "columns": """SELECT table_name, column_name, ordinal_position, column_type,
        is_nullable, column_default, extra FROM information_schema.columns
        WHERE table_schema = :db""",
    "indexes": """SELECT table_name, index_name, seq_in_index, column_name, non_unique
        FROM information_schema.statistics WHERE table_schema = :db""",
    "constraints": """SELECT table_name, constraint_name, constraint_type
        FROM information_schema.table_constraints WHERE constraint_schema = :db""",
    "checks": """SELECT table_name, constraint_name, check_clause
        FROM information_schema.check_constraints WHERE constraint_schema = :db""",
    "references": """SELECT table_name, constraint_name, column_name,
        referenced_table_name, referenced_column_name
        FROM information_schema.key_column_usage
        WHERE table_schema = :db AND referenced_table_name IS NOT NULL""",
    "tables": """SELECT table_name, engine, table_collation
        FROM information_schema.tables WHERE table_schema = :db""",
}


def statements(sql: str) -> list[str]:
    lines = [ln for ln in sql.splitlines() if not ln.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def catalog(engine, database: str) -> dict:
    with engine.connect() as conn:
        return {
            name: sorted(tuple(r) for r in conn.execute(text(q), {"db": database}))
            for name, q in CATALOG.items()
        }


@pytest.fixture(scope="module")
def both_schemas():
    with (
        scratch_database("csd_sql") as by_hand,
        scratch_database("csd_meta") as by_code,
    ):
        hand, code = strict_engine(by_hand), strict_engine(by_code)
        with hand.begin() as conn:
            for stmt in statements(SCHEMA_SQL.read_text()):
                conn.execute(text(stmt))
        metadata.create_all(code)
        yield (hand, by_hand.database), (code, by_code.database)
        hand.dispose()
        code.dispose()


@pytest.mark.parametrize("part", sorted(CATALOG))
def test_schema001_schema_sql_matches_metadata(both_schemas, part):
    (hand, hand_db), (code, code_db) = both_schemas
    by_hand, by_code = catalog(hand, hand_db)[part], catalog(code, code_db)[part]
    assert by_hand, f"no {part} found"
    assert by_hand == by_code


VALID = {
    "SENDER": "INSERT INTO SENDER VALUES (1, 'customer'), (2, 'agent')",
    "CUSTOMER": "INSERT INTO CUSTOMER VALUES (1, 1, 'a@x.com', 'A', 'B', 5550001111)",
    "AGENT": "INSERT INTO AGENT VALUES (1, 2, 'g@x.com', 'G', 'H', NULL)",
    "TICKET": "INSERT INTO TICKET VALUES (1, 1, 'Bug report', NULL, 'open')",
}


@pytest.mark.parametrize(
    "bad",
    [
        "INSERT INTO SENDER VALUES (9, 'robot')",
        "INSERT INTO TICKET VALUES (9, 1, 'Refund', NULL, 'open')",
        "INSERT INTO TICKET VALUES (9, 1, 'Bug report', NULL, 'closed')",
        "INSERT INTO TICKET VALUES (9, 1, 'Bug report', 6, 'resolved')",
        "INSERT INTO TICKET VALUES (9, 1, 'Bug report', 0, 'resolved')",
        "INSERT INTO TICKET VALUES (9, 1, 'Bug report', 4, 'open')",
        "INSERT INTO TICKET VALUES (9, 77, 'Bug report', NULL, 'open')",
        "INSERT INTO CUSTOMER VALUES (9, 2, 'a@x.com', 'C', 'D', NULL)",
        "INSERT INTO AGENT VALUES (9, 2, 'new@x.com', 'C', 'D', NULL)",
        "INSERT INTO MESSAGE VALUES (9, 1, 1, NULL, 'hi')",
        "INSERT INTO MESSAGE VALUES (9, 42, 1, '2025-01-01 10:00:00', 'hi')",
        "INSERT INTO MESSAGE VALUES (9, 1, 42, '2025-01-01 10:00:00', 'hi')",
    ],
)
def test_schema002_database_enforces_schema_rules(both_schemas, bad):
    (hand, _), _ = both_schemas
    with hand.connect() as conn:
        for stmt in VALID.values():
            conn.execute(text(stmt))
        conn.execute(text("INSERT INTO MESSAGE VALUES (1, 1, 1, NOW(), 'ok')"))
        with pytest.raises((IntegrityError, OperationalError)):
            conn.execute(text(bad))
        conn.rollback()
