"""The delivery worker: carries out the outbox's effects in Slack and on the platforms.

bot/delivery/engine.py runs the queue (claim, lease, order, retry), bot/delivery/slack_gateway.py
makes every call to Slack, and bot/delivery/effects/ holds one module per family of effects.
"""

from bot.delivery.engine import DeliveryWorker, job_lease
from bot.delivery.errors import GiveUp, NotYet, Refused, Retry, SlackRefused
from bot.delivery.pacing import Pacer

__all__ = ["DeliveryWorker", "GiveUp", "NotYet", "Pacer", "Refused", "Retry", "SlackRefused", "job_lease"]
