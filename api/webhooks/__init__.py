"""Events out: an API client's subscriptions (``subscriptions``), the events written in the transaction of the
change that causes them (``events``), and their delivery by a signed POST through the outbox (``delivery``,
``signing``). README, "Webhooks"; docs/architecture.md, "Webhooks"."""
