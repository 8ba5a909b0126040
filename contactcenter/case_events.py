"""What happens to a case, told to the apps above the case apps (the API's webhooks) without their importing one.

A case app sends these in the transaction of its change, once the case is saved: a receiver that writes a
row (an event in the outbox) writes it with the change or not at all.
"""

from contactcenter.hooks import Hook

case_opened = Hook("case_events.case_opened", arguments="case: a callback, complaint or escalation, just registered")
case_closed = Hook("case_events.case_closed", arguments="case: a callback, complaint or escalation, just closed")
