"""Mock people: names at their US frequencies, unique emails, North American phones.

The generator makes the year's agents and customers with it, the simulator a
first-time customer now and then."""

import numpy as np
from faker.providers.person.en_US import Provider as _EnglishNames

AGENT_DOMAIN = "support.example.com"
CUSTOMER_DOMAINS = ("example.com", "example.net", "example.org")


def make_people(rng: np.random.Generator, n: int, domains) -> list[tuple]:
    """(first, last, unique email, 10-digit phone) for n people: first and last names
    at their US frequencies (Faker's en_US lists), emails at one of `domains`."""
    firsts = _weighted(rng, _EnglishNames.first_names, n)
    lasts = _weighted(rng, _EnglishNames.last_names, n)
    patterns = rng.integers(0, 3, n).tolist()
    hosts = np.asarray(domains)[rng.integers(0, len(domains), n)].tolist()
    # North American: area code and exchange never start with 0 or 1.
    area = rng.integers(2, 10, n) * 100 + rng.integers(0, 100, n)
    exchange = rng.integers(2, 10, n) * 100 + rng.integers(0, 100, n)
    phones = area * 10_000_000 + exchange * 10_000 + rng.integers(0, 10_000, n)
    seen: set[str] = set()
    people = []
    for first, last, pattern, host, phone in zip(
        firsts, lasts, patterns, hosts, phones.tolist(), strict=True
    ):
        f, la = (
            "".join(c for c in s.lower() if c.isascii() and c.isalpha())
            for s in (first, last)
        )
        local = (f"{f}.{la}", f"{f}{la}", f"{f[:1]}{la}")[pattern]
        email, suffix = f"{local}@{host}", 1
        while email in seen:  # same name twice: number the newcomer
            suffix += 1
            email = f"{local}{suffix}@{host}"
        seen.add(email)
        people.append((first, last, email, phone))
    return people


def _weighted(rng: np.random.Generator, weights: dict[str, float], n: int) -> list:
    """n names drawn by weight."""
    names = np.asarray(list(weights), dtype=object)
    p = np.fromiter(weights.values(), dtype=float, count=len(names))
    return names[rng.choice(len(names), n, p=p / p.sum())].tolist()
