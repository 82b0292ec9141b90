"""Front desk API: queue (issue #4)."""

from ninja import Router

router = Router()
