"""Signals cases sends for the layers above it (they may not be imported from here).

`applicant_told` (issue 19 item 4): sent after the commit of an action that tells the applicant
something (`services.messages`: pre-review return, supplement request, acceptance, decision,
delivery…), with `case`, `purpose` (the messages' purpose name) and `text` (the SMS text). The
online hall puts the same on the page of each verified account of the applicant."""

from __future__ import annotations

from django.dispatch import Signal

applicant_told = Signal()
