"""Masking personal data in message text for those who may not see it: each expected
text is written out by hand."""

import pytest
from sqlalchemy import update

from dashboard.data.privacy import mask_message
from dashboard.data.schema import MESSAGE
from dashboard.data.tickets import ticket_detail

NAMES = ("Thomas", "Baker")


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("Hi Thomas!", "Hi T.!"),
        ("hi THOMAS, Mr baker here?", "hi T., Mr B. here?"),
        ("Thomasina and Bakery stay", "Thomasina and Bakery stay"),  # other words
        ("Mail thomas.baker@example.com now", "Mail [email] now"),
        ("or t_b+x@mail.co.uk.", "or [email]."),
        ("Call +1 (555) 123-4567 today", "Call [phone] today"),
        ("Call 555-123-4567.", "Call [phone]."),
        ("my number 5551234567", "my number [phone]"),
        ("+49 30 1234567", "[phone]"),
        ("Ticket #12345678 and order #998877", "Ticket #12345678 and order #998877"),
        ("On 2025-03-14 at 09:30", "On 2025-03-14 at 09:30"),
        ("on 14.03.2025, 3 items for 129.99", "on 14.03.2025, 3 items for 129.99"),
        ("code 123456 expires", "code 123456 expires"),  # six digits: not a phone
        ("iPhone 15 Pro", "iPhone 15 Pro"),
    ],
)
def test_prv001_mask_message(text, masked):
    assert mask_message(text, NAMES) == masked


def test_prv002_names_with_regex_characters_and_blanks():
    assert mask_message("Dear O'Neil (O'Neil?)", ("O'Neil", "", " ")) == (
        "Dear O. (O.?)"
    )
    assert mask_message("nothing to hide", ()) == "nothing to hide"


def test_prv003_a_conversation_without_personal_data_masks_its_text(tiny_engine):
    """Ticket 2 is Dan Eko's (tests/tiny.py): a message naming him, his email and
    his phone, read with personal data off and on."""
    text = "Dan, is dan@example.com right? Eko family line: (555) 100-0002. #2"
    with tiny_engine.begin() as conn:
        conn.execute(
            update(MESSAGE).where(MESSAGE.c.message_id == 6).values(message_text=text)
        )
    with tiny_engine.connect() as conn:
        _, hidden = ticket_detail(conn, 2, personal_data=False)
        _, shown = ticket_detail(conn, 2, personal_data=True)
    masked = "D., is [email] right? E. family line: [phone]. #2"
    assert hidden.loc[hidden.message_id == 6, "text"].item() == masked
    assert shown.loc[shown.message_id == 6, "text"].item() == text
    others = hidden.message_id != 6
    assert (hidden.loc[others, "text"] == shown.loc[others, "text"]).all()
