"""What someone who may not see personal data must not read in a message either: the
customer's own names, and anything shaped like an email address or a phone number.

The header of a conversation shows such a viewer "C. D." for Cat Diaz; without this,
the agent's "Hi Cat!" below it would undo that. Masking errs towards hiding: a long
order number written without "#" reads as a phone number and is hidden too.
"""

import re

EMAIL = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)+")
# A run of digits and the separators phone numbers are written with, optionally
# after "+"; not after "#" (a ticket or order reference) or inside a word.
_PHONE = re.compile(r"(?<![\w#+])\+?\(?\d[\d ().-]*\d(?![\w])")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{2,4}")
PHONE_DIGITS = range(7, 16)  # E.164 numbers have at most 15 digits
EMAIL_MASK = "[email]"
PHONE_MASK = "[phone]"


def _phone(match: re.Match) -> str:
    text = match.group(0)
    digits = sum(ch.isdigit() for ch in text)
    if digits not in PHONE_DIGITS or _DATE.fullmatch(text.strip()):
        return text
    return PHONE_MASK


def mask_message(text: str, names: tuple[str, ...] = ()) -> str:
    """`text` with each of `names` (whole words, any letter case) cut to its initial,
    and every email address and phone number replaced by a placeholder."""
    text = EMAIL.sub(EMAIL_MASK, text)
    text = _PHONE.sub(_phone, text)
    for name in sorted({n.strip() for n in names if n and n.strip()}, key=len)[::-1]:
        word = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.IGNORECASE)
        text = word.sub(f"{name[0].upper()}.", text)
    return text
