"""Message texts for the mock data: templates and phrase pools per category and speaker.

Each ticket gets one story (order number, item, carrier, ...) so its messages tell one
consistent tale; a message is up to three templates (an opener, a body, a closer)
filled from it. Every template lives once in `TEMPLATES`, and a pool (a category's
"step" bodies, the customers' nudges, ...) is a range of ids in it, so the generator
can choose millions of messages as numpy arrays of ids and fill them in one pass.

Agents never repeat a sentence within one conversation: every agent sentence of a
category appears in only one template, and the pools an agent draws from several times
per ticket (step bodies, step openers, hand-over openers) are drawn without
replacement. A ticket has at most `MAX_AGENT_STEPS` step and hand-over messages, fewer
than every category's step pool holds. Customers may repeat themselves, as people do.
"""

import random
import re
from collections.abc import Collection, Sequence

import numpy as np

from dashboard.data.schema import CATEGORIES

# Kinds of message, chosen by the generator from a message's place in its ticket:
# customer "open", "detail" (answers a question), "reply", "nudge" (no answer yet),
# "thanks" / "neutral" / "unhappy" (last words, after the rating); agent "ask",
# "step", "handover" (a new agent introduces themselves), "resolve" (closes after a
# conversation), "solve" (one-touch: the first answer resolves the ticket).
KINDS = (
    "open",
    "detail",
    "reply",
    "nudge",
    "thanks",
    "neutral",
    "unhappy",
    "ask",
    "step",
    "handover",
    "resolve",
    "solve",
)
KIND = {kind: code for code, kind in enumerate(KINDS)}
AGENT_KINDS = frozenset({"ask", "step", "handover", "resolve", "solve"})
MAX_AGENT_STEPS = 18  # step + hand-over messages a ticket may hold (40 messages)

_CATEGORY = {
    "Account access": {
        "open": (
            "I can't log in to my account. {access_problem}",
            "I've been locked out of my account since {when}. {access_problem}",
            'Every time I try to sign in on my {device} I get "{error}". Can you help?',
            "I got a new phone and now I can't receive the two-factor code, so I "
            "can't get into my account.",
            "My account says it has been suspended and I have no idea why. Please "
            "unlock it.",
        ),
        "detail": (
            "The email on the account is the one I'm writing from.",
            "I'm using my {device}.",
            'The exact message is "{error}".',
            "The last time I logged in without problems was {when}.",
            "I clicked the reset link but it says it has expired.",
            "My last order was {order}, if that helps to verify me.",
        ),
        "ask": (
            "To verify the account, could you confirm the email address and your most "
            "recent order number?",
            "Could you tell me which device and browser you're using, and the exact "
            "error message you see?",
            "Before I can change anything I need to verify your identity. What is the "
            "billing postcode on the account?",
        ),
        "step": (
            "I've sent a new password reset link to your email; it's valid for 30 "
            "minutes.",
            "I've cleared the failed-login lock on your account. Please try again in "
            "a private browser window.",
            "I've reset the two-factor authentication, so you can enrol your new "
            "phone at the next login.",
            "Thanks, that matches our records. I'm updating the account now.",
            "Please clear your browser's cookies for our site and try the reset link "
            "once more.",
            "I can see several failed sign-in attempts, so our system locked the "
            "account to protect it.",
            "I've updated the phone number on the account to the one you gave me.",
            "The reset emails were bouncing because of a typo in the address on file; "
            "I've corrected it.",
            "I've asked our account security team to review the suspension.",
            "Could you try signing in on the website rather than the app, just to "
            "rule the app out?",
            "Our records show the account is active; changes can take a few minutes "
            "to reach every device.",
        ),
        "resolve": (
            "Your account is unlocked and the new password works on our side. I'm "
            "marking this ticket as resolved.",
            "Glad you're back in! I'll close this ticket now.",
            "Two-factor authentication is set up on your new phone and the account "
            "is active again. Closing this ticket.",
        ),
        "solve": (
            "I've sent you a fresh password reset link and lifted the lock on your "
            "account, so you can sign in again right away. I'm closing this ticket; "
            "just reply here if anything still blocks you.",
            "The suspension was a false alarm from our fraud filter and I've lifted "
            "it. Your account works again, so I'm marking this as resolved.",
            "I've switched your two-factor codes to email until you set up the new "
            "phone, so you can log in now. This ticket is resolved.",
        ),
    },
    "Bug report": {
        "open": (
            "The {feature} crashes on my {device} every time I {action}.",
            'When I {action}, the page shows "{error}" and nothing happens.',
            "Since the last update (version {version}) the {feature} doesn't load "
            "at all.",
            "The {feature} shows the wrong totals after I {action}. Looks like a bug.",
        ),
        "detail": (
            "It happens on my {device}, app version {version}.",
            "Steps: open the app, go to the {feature}, then {action}. It freezes "
            "straight away.",
            "I already reinstalled the app, same problem.",
            "It started {when}; before that everything worked.",
            'I attached a screenshot. The error says "{error}".',
        ),
        "ask": (
            "Thanks for reporting this. Could you tell me the app version and the "
            "exact steps that trigger it?",
            "Could you send a screenshot of the error and tell me roughly when it "
            "happened?",
            "Which device and operating system version are you on? That will help "
            "our developers reproduce it.",
        ),
        "step": (
            "I've reproduced the issue and passed it to our developers with your "
            "details.",
            "Our engineers have found the cause and are working on a fix.",
            "As a workaround, you can use the website to {action} until the fix is "
            "released.",
            "Could you try clearing the app's cache and restarting your {device}?",
            "The fix is in testing now; I'll update you as soon as it ships.",
            "I've added your report to the existing bug ticket, which raises its "
            "priority.",
            "Our developers asked whether it also happens on mobile data as well as "
            "on Wi-Fi.",
            "I tried the same steps on a test account and got the same error, so "
            "it's definitely on our side.",
            "Could you let me know if any other part of the app misbehaves?",
            "The crash logs from your {device} reached our team; thanks for sending "
            "them.",
            "A release with the fix is scheduled for this week.",
        ),
        "resolve": (
            "The fix for the {feature} is live in version {new_version}. Please "
            "update the app and it should work again. I'm closing this ticket.",
            "Our developers deployed a fix this morning and I've confirmed the "
            "{feature} works again. Marking this as resolved.",
            "Thanks for your patience: the bug is fixed in version {new_version}. "
            "Closing this ticket.",
        ),
        "solve": (
            "This is a known problem that version {new_version} fixes; updating the "
            "app from the store makes the {feature} work again. I'll close this "
            "ticket now.",
            "We fixed this on our side an hour ago, so the {feature} should behave "
            "again after you restart the app. This ticket is resolved.",
            "That error comes from an outdated cached page. Reloading it once clears "
            "it for good, so I'm marking this ticket as resolved.",
        ),
    },
    "Order cancellation": {
        "open": (
            "I'd like to cancel order {order} for the {item}; I ordered it by mistake.",
            "Please cancel order {order}. I found the {item} cheaper elsewhere.",
            "I tried to cancel order {order} on the website but the cancel button is "
            "greyed out.",
            "I need to cancel my order {order}, it's taking too long to ship.",
        ),
        "detail": (
            "The order number is {order}, placed {when}.",
            "I paid with my credit card ending in {card}.",
            "Yes, please cancel the whole order, not just the {item}.",
            "I haven't received any shipping confirmation yet.",
        ),
        "ask": (
            "I can help with that. Could you confirm the order number and whether you "
            "want to cancel the whole order?",
            "Could you tell me which item in the order you'd like to cancel?",
            "Before I cancel it, can you confirm the email address used for the order?",
        ),
        "step": (
            "The order has already gone to our warehouse, so I've asked them to stop "
            "the shipment.",
            "The order has shipped already; when it arrives you can refuse the "
            "delivery and {carrier} will return it to us.",
            "I've submitted the cancellation; it usually takes up to 24 hours to be "
            "confirmed.",
            "The warehouse confirmed they stopped the parcel before it left.",
            "The cancel button was greyed out because the order was already being "
            "packed.",
            "I've put a hold on order {order} so nothing else happens to it while we "
            "sort this out.",
            "Your card was only pre-authorised, so no money has actually left your "
            "account yet.",
            "I've checked with {carrier}, and the return to our warehouse is under "
            "way.",
            "The refund can only start once the warehouse confirms the cancellation.",
            "I've noted that you want the whole order cancelled, including the {item}.",
        ),
        "resolve": (
            "Order {order} is cancelled and a refund of ${amount} is on its way; it "
            "should show up in 3-5 business days. Closing this ticket.",
            "The cancellation is confirmed and you'll receive an email shortly. "
            "I'm marking this ticket as resolved.",
            "We've received the returned parcel and refunded ${amount} to your card "
            "ending in {card}. I'll close this ticket now.",
        ),
        "solve": (
            "Order {order} hadn't been packed yet, so I've cancelled it and refunded "
            "${amount} to your card. This ticket is resolved.",
            "Done: order {order} is cancelled and you'll get the confirmation by "
            "email in a few minutes. I'm closing this ticket.",
            "I've cancelled the {item} from order {order}; the refund reaches your "
            "card ending in {card} within a few days. Marking this as resolved.",
        ),
    },
    "Overcharged transaction": {
        "open": (
            "I was charged ${amount} twice for order {order}.",
            "My card statement shows ${amount} for order {order}, but checkout said "
            "${lower}. Please fix this.",
            "I was charged for shipping on order {order} even though it qualified for "
            "free shipping.",
            "The discount code wasn't applied to order {order}, so I paid ${amount} "
            "instead of ${lower}.",
        ),
        "detail": (
            "Both charges are dated {when} and show as posted, not pending.",
            "I've attached a screenshot of my bank statement.",
            "The card ends in {card}.",
            "The second charge is still there today.",
        ),
        "ask": (
            "Sorry about the extra charge. Could you send the last four digits of the "
            "card and the dates of the charges?",
            "Could you share a screenshot of the transaction from your bank statement?",
            "Can you confirm whether the charges show as pending or posted?",
        ),
        "step": (
            "I can see the duplicate charge of ${amount}. I've asked our billing "
            "team to reverse it.",
            "The second charge was a pre-authorisation; it should drop off within "
            "three business days, but I'm keeping an eye on it.",
            "Our billing team has approved a refund of the difference.",
            "I've escalated this to billing with your statement attached.",
            "The discount code was valid, but the checkout didn't apply it because of "
            "a bug on our side.",
            "I've confirmed that order {order} qualified for free shipping.",
            "Billing tells me the refund has been processed on our side.",
            "The payment gateway shows two successful captures, which should never "
            "happen.",
            "I've added a note to your account so this doesn't happen on your next "
            "order.",
            "Refunds over $100 need one or two business days of approval from billing.",
        ),
        "resolve": (
            "The refund of ${amount} has been sent to your card ending in {card}. "
            "Depending on your bank it may take 5-7 business days. Closing this "
            "ticket.",
            "The duplicate charge has been reversed. I'm marking this ticket as "
            "resolved.",
            "We've refunded the difference and applied the discount to order "
            "{order}. I'll close this ticket now.",
        ),
        "solve": (
            "You're right, the shipping fee on order {order} shouldn't have been "
            "charged. I've refunded it, so this ticket is resolved.",
            "I've reversed the second charge of ${amount} straight away; your bank "
            "will show it within a few days. I'm closing this ticket.",
            "I've applied the discount to order {order} after the fact and refunded "
            "the difference to your card. Marking this as resolved.",
        ),
    },
    "Undelivered goods": {
        "open": (
            "My order {order} was supposed to arrive {when} but it never came.",
            "Tracking for order {order} says delivered, but there's no package at my "
            "door.",
            "The tracking for my {item} hasn't updated in {days} days.",
            "Where is my order {order}? It's been {days} days and nothing.",
        ),
        "detail": (
            "I checked with my neighbours and the building's mailroom, nothing there.",
            "The address in the order confirmation is correct.",
            "Still nothing here as of today.",
            "The last tracking update says it's at the {carrier} depot.",
            "The order number is {order}.",
        ),
        "ask": (
            "I'm sorry your package hasn't arrived. Could you confirm the delivery "
            "address and check with your neighbours?",
            "Let me look into this. Could you confirm the order number and the "
            "address on the order?",
            "Could you tell me when you last saw a tracking update?",
        ),
        "step": (
            "I've opened an investigation with {carrier}; they usually answer within "
            "2-3 business days.",
            "{carrier} says the package was misrouted and it's back out for delivery.",
            "I've asked {carrier} for the GPS location and photo of the delivery.",
            "{carrier} hasn't replied yet; I've chased them again today.",
            "The tracking shows the parcel reached your local depot yesterday.",
            "{carrier} believes the parcel was left with a neighbour, so it's worth "
            "asking next door.",
            "I've confirmed your address with the warehouse and it was printed "
            "correctly on the label.",
            "{carrier} has marked the package as lost in transit.",
            "I've asked the warehouse to prepare a replacement {item} in case the "
            "parcel doesn't turn up.",
            "The driver's notes say nobody was home, so the parcel went back to the "
            "depot.",
        ),
        "resolve": (
            "{carrier} couldn't find the package, so I've shipped a replacement "
            "{item} by express delivery at no charge. Closing this ticket.",
            "Good news: {carrier} confirmed the package has been delivered. I'm "
            "marking this as resolved.",
            "I've issued a full refund of ${amount} for the missing package. I'll "
            "close this ticket now.",
        ),
        "solve": (
            "Your parcel was held at the {carrier} depot because of a missing "
            "apartment number; I've added it and they deliver it tomorrow. This "
            "ticket is resolved.",
            "The package is lost, so I've sent a replacement {item} by express "
            "delivery at no charge. I'm closing this ticket.",
            "I've refunded ${amount} for the missing parcel in full. Marking this "
            "ticket as resolved.",
        ),
    },
    "Wrong order": {
        "open": (
            "I received the wrong item in order {order}: I ordered a {item} but got a "
            "{wrong_item}.",
            "My order {order} arrived with the wrong size.",
            "The {item} in order {order} is the wrong colour.",
            "Order {order} came with someone else's {wrong_item} instead of my {item}.",
        ),
        "detail": (
            "I've attached a photo of what I received next to the packing slip.",
            "The item is unopened, still in its original packaging.",
            "I'd prefer a replacement rather than a refund.",
            "I dropped the parcel off at {carrier} {when}.",
        ),
        "ask": (
            "Sorry about the mix-up! Could you send a photo of the item you received "
            "and the label on the box?",
            "Would you like a replacement or a refund for the {item}?",
            "Could you confirm the order number and the item you expected?",
        ),
        "step": (
            "I've emailed you a prepaid return label; please drop the parcel at any "
            "{carrier} location.",
            "We've received the return and the correct {item} is being prepared.",
            "The replacement {item} has shipped with {carrier}; you'll get a tracking "
            "link by email.",
            "Thanks for the photo, I can see the warehouse picked the wrong item.",
            "I've reported the picking error to the warehouse so they can check the "
            "rest of the batch.",
            "The correct {item} is in stock, so the replacement can go out today.",
            "You don't need to repackage it perfectly; any sturdy box will do.",
            "{carrier} scanned your return at the drop-off point.",
            "I've reserved a {item} for you so it can't sell out before the return "
            "arrives.",
            "I've upgraded the replacement to express shipping at no cost.",
        ),
        "resolve": (
            "Your replacement {item} has been delivered according to {carrier}. "
            "I'm closing this ticket.",
            "I've refunded ${amount} for the wrong item. Marking this ticket as "
            "resolved.",
            "The correct {item} is on its way and you can keep the {wrong_item}. "
            "I'll close this ticket now.",
        ),
        "solve": (
            "The correct {item} is on its way by express delivery, and you can keep "
            "the {wrong_item}. This ticket is resolved.",
            "I've refunded ${amount} for the wrong item and there's no need to send "
            "it back. I'm marking this as resolved.",
            "A replacement {item} ships today with {carrier}, with a prepaid label to "
            "return the {wrong_item}. I'm closing this ticket.",
        ),
    },
}

# Steps any agent may take on any ticket, drawn with the category's own steps.
_GENERIC_STEPS = (
    "I'm looking into this now and will get back to you shortly.",
    "I've added your latest message to the case notes.",
    "I'm still waiting to hear back from the {team} team.",
    "I've asked a colleague in the {team} team to double-check this.",
    "Sorry this is taking longer than we'd like.",
    "I'll check on this again first thing tomorrow.",
    "Thanks, that's exactly what I needed.",
    "I've set a reminder to follow up on this with you.",
    "Nothing else is needed from you for now.",
    "I'll keep this ticket open until everything is sorted.",
)

_CUSTOMER = {
    "greeting": ("", "", "Hi. ", "Hello! "),
    "reply": (
        "Okay, I'll try that now.",
        "I did that but it still doesn't work.",
        "Thanks, I'll wait for your update.",
        "Sure, give me a moment.",
        "Done. What's next?",
        "Any news on this?",
    ),
    "nudge": (
        "Hello? I'm still waiting for a reply.",
        "Any update on this, please?",
        "It's been a while since I opened this ticket. Can someone look at it?",
        "Is anyone looking at my ticket?",
    ),
    "thanks": (
        "That worked, thank you so much!",
        "Perfect, thanks for your help {agent}.",
        "Great, thanks for sorting this out so quickly.",
        "All good now. Thanks!",
        "Thank you {agent}, much appreciated.",
    ),
    "neutral": (
        "Okay, thanks.",
        "Fine, thank you.",
        "Got it. Thanks.",
    ),
    "unhappy": (
        "Fine. It took far too long, though.",
        "It's sorted, but I had to chase this for days.",
        "Okay. I'm not impressed with how long this took.",
        "Finally. This should not have been so hard.",
    ),
}

_AGENT = {
    "ask_opener": (
        "Hi {name}, thanks for reaching out. ",
        "Hello {name}, I'm {agent} and I'll be helping you today. ",
        "Hi {name}, sorry for the trouble. ",
        "Hi {name}! ",
    ),
    "handover_opener": (
        "Hi {name}, I'm {agent} and I'm taking over your ticket from my colleague. ",
        "Hi {name}, this is {agent} from the {team} team; your ticket was passed "
        "to me. ",
        "Hello {name}, {agent} here, I'll be looking after this ticket from now on. ",
    ),
    # Drawn without replacement per ticket; the blanks make most steps start plainly.
    "step_opener": (
        "Thanks for the details. ",
        "Thanks for your patience. ",
        "Thanks for getting back to me. ",
        "Good to hear from you again. ",
        "Apologies for the wait. ",
        "Understood. ",
    )
    + ("",) * 10,
    "closer": ("", " Is there anything else I can help with?", " Have a great day!"),
}

_TEAMS = {
    "Account access": "account security",
    "Bug report": "technical",
    "Order cancellation": "orders",
    "Overcharged transaction": "billing",
    "Undelivered goods": "logistics",
    "Wrong order": "fulfilment",
}
_ACCESS_PROBLEMS = (
    "The password reset email never arrives.",
    "It says my password is wrong even after a reset.",
    "I no longer have access to the phone number on the account.",
    "It keeps sending me back to the login page.",
)
_ERRORS = (
    "Something went wrong, please try again later",
    "Invalid credentials",
    "Error 500",
    "Session expired",
    "Payment method could not be verified",
    "Too many attempts",
)
_DEVICES = ("iPhone", "Android phone", "iPad", "laptop", "Windows PC", "MacBook")
_FEATURES = ("checkout page", "wishlist", "order history", "search", "cart", "app")
_ACTIONS = (
    "add an item to the cart",
    "apply a discount code",
    "open my order history",
    "change my delivery address",
    "pay with PayPal",
)
_ITEMS = (
    "wireless headphones",
    "coffee grinder",
    "running shoes",
    "winter jacket",
    "desk lamp",
    "phone case",
    "yoga mat",
    "blender",
    "backpack",
    "smart watch",
)
_CARRIERS = ("UPS", "FedEx", "USPS", "DHL")
_WHEN = ("yesterday", "last Monday", "two days ago", "last week", "this morning")


# --- the template table -----------------------------------------------------------


def _pools() -> dict[tuple[str, str], tuple[str, ...]]:
    """Every (category, pool) and its templates, in a fixed order."""
    pools = {}
    for category in CATEGORIES:
        own = _CATEGORY[category]
        pools[category, "greeting"] = _CUSTOMER["greeting"]
        pools[category, "open"] = own["open"]
        pools[category, "detail"] = own["detail"]
        pools[category, "reply"] = own["detail"] + _CUSTOMER["reply"]
        for kind in ("nudge", "thanks", "neutral", "unhappy"):
            pools[category, kind] = _CUSTOMER[kind]
        for name, templates in _AGENT.items():
            pools[category, name] = templates
        pools[category, "ask"] = own["ask"]
        pools[category, "step"] = own["step"] + _GENERIC_STEPS
        pools[category, "resolve"] = own["resolve"]
        pools[category, "solve"] = own["solve"]
    return pools


_POOLS = _pools()
TEMPLATES: tuple[str, ...] = ("",) + tuple(
    dict.fromkeys(t for pool in _POOLS.values() for t in pool if t)
)
"""Every template once; id 0 is the empty one."""
_ID = {t: i for i, t in enumerate(TEMPLATES)}
POOL_NAMES = tuple(dict.fromkeys(name for _category, name in _POOLS))
POOL = {name: code for code, name in enumerate(POOL_NAMES)}
_WIDTH = max(len(pool) for pool in _POOLS.values())
# POOL_IDS[category, pool, j]: the j-th template of a pool; POOL_SIZE: its length.
POOL_IDS = np.zeros((len(CATEGORIES), len(POOL_NAMES), _WIDTH), dtype=np.int32)
POOL_SIZE = np.zeros((len(CATEGORIES), len(POOL_NAMES)), dtype=np.int32)
for (_category, _name), _templates in _POOLS.items():
    _c, _p = CATEGORIES.index(_category), POOL[_name]
    POOL_IDS[_c, _p, : len(_templates)] = [_ID[t] for t in _templates]
    POOL_SIZE[_c, _p] = len(_templates)
assert POOL_SIZE[:, POOL["step"]].min() >= MAX_AGENT_STEPS

# Kind -> (opener pool, body pool, closer pool); None: no such part.
PARTS: dict[str, tuple[str | None, str, str | None]] = {
    "open": ("greeting", "open", None),
    "detail": (None, "detail", None),
    "reply": (None, "reply", None),
    "nudge": (None, "nudge", None),
    "thanks": (None, "thanks", None),
    "neutral": (None, "neutral", None),
    "unhappy": (None, "unhappy", None),
    "ask": ("ask_opener", "ask", None),
    "step": ("step_opener", "step", None),
    "handover": ("handover_opener", "step", None),
    "resolve": (None, "resolve", "closer"),
    "solve": ("ask_opener", "solve", "closer"),
}
# Drawn without replacement within a ticket: (pool, the kinds that draw from it).
UNREPEATED = {
    "step_opener": ("step",),
    "handover_opener": ("handover",),
    "step": ("step", "handover"),
}


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def sentences(text: str) -> list[str]:
    """The sentences of a message (split after ., ! or ? and a space)."""
    return [s for s in _SENTENCE_END.split(text.strip()) if s]


# --- stories ------------------------------------------------------------------------


def ticket_context(category: str, first_name: str, rng: random.Random) -> dict:
    """The facts one ticket's messages share, so they tell a consistent story."""
    item, wrong_item = rng.sample(_ITEMS, 2)
    amount = rng.uniform(12, 480)
    minor = rng.randint(0, 9)
    return {
        "name": first_name,
        "agent": "",
        "team": _TEAMS[category],
        "order": f"#{rng.randint(1_000_000, 9_999_999)}",
        "item": item,
        "wrong_item": wrong_item,
        "amount": f"{amount:.2f}",
        "lower": f"{amount * rng.uniform(0.5, 0.9):.2f}",
        "card": f"{rng.randint(0, 9999):04d}",
        "carrier": rng.choice(_CARRIERS),
        "device": rng.choice(_DEVICES),
        "error": rng.choice(_ERRORS),
        "feature": rng.choice(_FEATURES),
        "action": rng.choice(_ACTIONS),
        "access_problem": rng.choice(_ACCESS_PROBLEMS),
        "version": f"4.{minor}.{rng.randint(0, 5)}",
        "new_version": f"4.{minor + 1}.0",
        "when": rng.choice(_WHEN),
        "days": rng.randint(4, 12),
    }


# story slots filled with one of a few phrases, drawn uniformly per ticket
_PHRASES = {
    "carrier": _CARRIERS,
    "device": _DEVICES,
    "error": _ERRORS,
    "feature": _FEATURES,
    "action": _ACTIONS,
    "access_problem": _ACCESS_PROBLEMS,
    "when": _WHEN,
}


class Stories:
    """The stories of many tickets (the `ticket_context` facts), drawn at once as
    numpy columns; `contexts` makes the dicts for the tickets being written."""

    def __init__(self, categories, first_names: list[str], rng: np.random.Generator):
        n = len(categories)
        self.teams = np.asarray([_TEAMS[c] for c in CATEGORIES], dtype=object)[
            np.asarray(categories)
        ]
        self.first_names = np.asarray(first_names, dtype=object)
        self.order = rng.integers(1_000_000, 10_000_000, n)
        self.item = rng.integers(0, len(_ITEMS), n)
        # a different item, uniformly among the others
        self.wrong_item = (self.item + rng.integers(1, len(_ITEMS), n)) % len(_ITEMS)
        self.cents = np.round(rng.uniform(12, 480, n) * 100)
        self.lower = np.round(self.cents * rng.uniform(0.5, 0.9, n))
        self.card = rng.integers(0, 10_000, n)
        self.phrases = {
            slot: rng.integers(0, len(options), n) for slot, options in _PHRASES.items()
        }
        self.minor = rng.integers(0, 10, n)
        self.patch = rng.integers(0, 6, n)
        self.days = rng.integers(4, 13, n)

    def contexts(self, tickets: np.ndarray, customers: np.ndarray) -> dict[int, dict]:
        """{ticket index: its story} for the given tickets and their customers."""
        items = np.asarray(_ITEMS, dtype=object)
        minor = self.minor[tickets].tolist()
        columns = {
            "name": self.first_names[customers].tolist(),
            "team": self.teams[tickets].tolist(),
            "order": [f"#{o}" for o in self.order[tickets].tolist()],
            "item": items[self.item[tickets]].tolist(),
            "wrong_item": items[self.wrong_item[tickets]].tolist(),
            "amount": [f"{c / 100:.2f}" for c in self.cents[tickets].tolist()],
            "lower": [f"{c / 100:.2f}" for c in self.lower[tickets].tolist()],
            "card": [f"{c:04d}" for c in self.card[tickets].tolist()],
            **{
                slot: np.asarray(_PHRASES[slot], dtype=object)[picks[tickets]].tolist()
                for slot, picks in self.phrases.items()
            },
            "version": [
                f"4.{m}.{p}"
                for m, p in zip(minor, self.patch[tickets].tolist(), strict=True)
            ],
            "new_version": [f"4.{m + 1}.0" for m in minor],
            "days": self.days[tickets].tolist(),
        }
        keys = ("agent", *columns)
        return {
            t: dict(zip(keys, ("", *values), strict=True))
            for t, *values in zip(tickets.tolist(), *columns.values(), strict=True)
        }


# --- choosing templates -------------------------------------------------------------


def choose(kinds, categories, tickets, ordinals, orders, rng: np.random.Generator):
    """Template ids (opener, body, closer: 3 x n) for n messages at once.

    kinds and categories are codes (KIND, CATEGORIES) and tickets indexes, per
    message. For a pool in UNREPEATED, ordinals[pool] is how many earlier messages of
    the same ticket drew from it, and orders[pool] each ticket's shuffled order of it
    (`shuffled_pools`), so no template repeats within a ticket; past a pool's end
    (only the blank-padded openers get there) the part is blank. Other pools are
    drawn uniformly."""
    ids = np.zeros((3, len(kinds)), dtype=np.int32)
    for code, kind in enumerate(KINDS):
        rows = np.flatnonzero(kinds == code)
        if not rows.size:
            continue
        cats = categories[rows]
        for part, pool in enumerate(PARTS[kind]):
            if pool is None:
                continue
            p = POOL[pool]
            if pool in UNREPEATED:
                k = ordinals[pool][rows]
                inside = k < POOL_SIZE[cats, p]
                j = np.zeros(rows.size, dtype=np.int64)
                j[inside] = orders[pool][tickets[rows][inside], k[inside]]
                ids[part, rows] = np.where(inside, POOL_IDS[cats, p, j], 0)
            else:
                j = (rng.random(rows.size) * POOL_SIZE[cats, p]).astype(np.int64)
                ids[part, rows] = POOL_IDS[cats, p, j]
    return ids


def shuffled_pools(categories, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Per ticket, a random order of each UNREPEATED pool of its category:
    {pool: array (tickets x longest pool) of positions in the pool}."""
    categories = np.asarray(categories)
    orders = {}
    for pool in UNREPEATED:
        sizes = POOL_SIZE[categories, POOL[pool]]
        keys = rng.random((len(categories), sizes.max(initial=1)))
        keys[np.arange(keys.shape[1]) >= sizes[:, None]] = np.inf  # not in the pool
        orders[pool] = np.argsort(keys, axis=1, kind="stable").astype(np.int8)
    return orders


def render(ids, contexts, tickets, agent_names) -> list[str]:
    """The texts of messages from their template ids (3 x n), each filled from its
    ticket's context with the name of the agent who spoke last."""
    out = []
    t_ = TEMPLATES
    for opener, body, closer, t, agent in zip(
        ids[0].tolist(),
        ids[1].tolist(),
        ids[2].tolist(),
        tickets,
        agent_names,
        strict=True,
    ):
        ctx = contexts[t]
        ctx["agent"] = agent
        out.append((t_[opener] + t_[body] + t_[closer]).format_map(ctx))
    return out


# --- one message at a time (the simulator) ------------------------------------------


def message(
    kind: str,
    category: str,
    ctx: dict,
    rng: random.Random,
    said: Collection[str] = (),
) -> str:
    """One message of `kind` on a ticket of `category`, filled from the ticket's ctx.

    For an agent's message, `said` holds the texts the ticket's agents sent before:
    no sentence of theirs is used again while the pools allow it."""
    used = {s for text in said for s in sentences(text)}
    parts = []
    for pool in PARTS[kind]:
        if pool is None:
            continue
        templates: Sequence[str] = _POOLS[category, pool]
        if kind in AGENT_KINDS:
            fresh = [
                t for t in templates if not used & set(sentences(t.format_map(ctx)))
            ]
            templates = fresh or templates
        parts.append(rng.choice(templates))
    return "".join(parts).format_map(ctx)
