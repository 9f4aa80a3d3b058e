"""The HTTP surface: /slack/events, /webhooks/<source_id>, /healthz, /readyz, /metrics."""

from handlers.web.health import health_routes, metrics_route
from handlers.web.slack import slack_route
from handlers.web.webhooks import webhook_route

__all__ = ["health_routes", "metrics_route", "slack_route", "webhook_route"]
