"""The product's verbs: ingest, assign, reply, escalate, resolve, reopen.

Nothing here imports Slack libraries: the domain changes state and queues external effects in the
outbox, in the same transaction; the delivery worker carries the effects out.
"""
