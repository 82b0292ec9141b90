"""Front desk API: appointments (issue #4)."""

from ninja import Router

router = Router()
