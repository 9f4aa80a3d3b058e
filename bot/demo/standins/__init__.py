"""Local stand-ins for the social platforms' HTTP APIs, for the tests and the demo.

Each answers the documented requests with the documented response shapes (modelled on real
samples), checks credentials, records every request, returns the platform's own error objects,
and can be told to fail: ``fail_next(429, headers={"Retry-After": "30"})``.
"""

from bot.demo.standins.platform_base import PlatformStandIn, Recorded

__all__ = ["PlatformStandIn", "Recorded"]
