"""Message texts for the mock data: templates and small phrase pools per category.

Each ticket gets one context (order number, item, carrier, ...) so its messages tell one
consistent story; a message is one template filled from it, which keeps 600k messages
cheap to make.
"""

import random

# Kinds of message, chosen by the generator from a message's place in its ticket:
# customer "open", "detail" (answers a question), "reply", "nudge" (no answer yet),
# "thanks" / "neutral" / "unhappy" (last words, after the rating); agent "ask",
# "step", "handover" (a new agent introduces themselves), "resolve".
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
        ),
        "resolve": (
            "Your account is unlocked and the new password works on our side. I'm "
            "marking this ticket as resolved.",
            "Glad you're back in! I'll close this ticket now.",
            "Two-factor authentication is set up on your new phone and the account "
            "is active again. Closing this ticket.",
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
        ),
        "resolve": (
            "The fix for the {feature} is live in version {new_version}. Please "
            "update the app and it should work again. I'm closing this ticket.",
            "Our developers deployed a fix this morning and I've confirmed the "
            "{feature} works again. Marking this as resolved.",
            "Thanks for your patience: the bug is fixed in version {new_version}. "
            "Closing this ticket.",
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
        ),
        "resolve": (
            "Order {order} is cancelled and a refund of ${amount} is on its way; it "
            "should show up in 3-5 business days. Closing this ticket.",
            "The cancellation is confirmed and you'll receive an email shortly. "
            "I'm marking this ticket as resolved.",
            "We've received the returned parcel and refunded ${amount} to your card "
            "ending in {card}. Closing this ticket.",
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
        ),
        "resolve": (
            "The refund of ${amount} has been sent to your card ending in {card}. "
            "Depending on your bank it may take 5-7 business days. Closing this "
            "ticket.",
            "The duplicate charge has been reversed. I'm marking this ticket as "
            "resolved.",
            "We've refunded the difference and applied the discount to order "
            "{order}. Closing this ticket.",
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
        ),
        "resolve": (
            "{carrier} couldn't find the package, so I've shipped a replacement "
            "{item} by express delivery at no charge. Closing this ticket.",
            "Good news: {carrier} confirmed the package has been delivered. I'm "
            "marking this as resolved.",
            "I've issued a full refund of ${amount} for the missing package. Closing "
            "this ticket.",
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
        ),
        "resolve": (
            "Your replacement {item} has been delivered according to {carrier}. "
            "I'm closing this ticket.",
            "I've refunded ${amount} for the wrong item. Marking this ticket as "
            "resolved.",
            "The correct {item} is on its way and you can keep the {wrong_item}. "
            "Closing this ticket.",
        ),
    },
}

_CUSTOMER = {
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

_AGENT_OPENERS = {
    "ask": (
        "Hi {name}, thanks for reaching out. ",
        "Hello {name}, I'm {agent} and I'll be helping you today. ",
        "Hi {name}, sorry for the trouble. ",
        "Hi {name}, ",
    ),
    "handover": (
        "Hi {name}, I'm {agent} and I'm taking over your ticket from my colleague. ",
        "Hi {name}, this is {agent} from the {team} team; your ticket was passed "
        "to me. ",
        "Hello {name}, {agent} here, I'll be looking after this ticket from now on. ",
    ),
    "step": (
        "Thanks for the details. ",
        "Thanks for your patience. ",
        "",
        "",
    ),
}

_CLOSERS = ("", " Is there anything else I can help with?", " Have a great day!")
_GREETINGS = ("", "", "Hi. ", "Hello! ")

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


def message(kind: str, category: str, ctx: dict, rng: random.Random) -> str:
    """One message of `kind` on a ticket of `category`, filled from the ticket's ctx."""
    pools = _CATEGORY[category]
    if kind == "open":
        text = rng.choice(_GREETINGS) + rng.choice(pools["open"])
    elif kind == "detail":
        text = rng.choice(pools["detail"])
    elif kind == "reply":
        pool = pools["detail"] if rng.random() < 0.5 else _CUSTOMER["reply"]
        text = rng.choice(pool)
    elif kind in _CUSTOMER:
        text = rng.choice(_CUSTOMER[kind])
    elif kind == "ask":
        text = rng.choice(_AGENT_OPENERS["ask"]) + rng.choice(pools["ask"])
    elif kind in ("step", "handover"):
        text = rng.choice(_AGENT_OPENERS[kind]) + rng.choice(pools["step"])
    else:  # resolve
        text = rng.choice(pools["resolve"]) + rng.choice(_CLOSERS)
    return text.format_map(ctx)
