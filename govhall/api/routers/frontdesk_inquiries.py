"""Front desk API: inquiries (issue #4)."""

from ninja import Router

router = Router()
