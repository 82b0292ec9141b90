"""The queue (排队叫号, SPEC §7; seeds/000… 篇3 导视系统 排队叫号): service groups, tickets and
the calls made at the windows."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govhall.catalog.queries.acceptance import accepted_at_window


class ServiceGroup(models.Model):
    """A line of the queue (A: 市场监管, B: 不动产 …): the items it is for and the windows that call
    from it. Tickets are numbered per group and day (A001 …)."""

    center = models.ForeignKey(
        "org.Center", verbose_name=_("center"), on_delete=models.PROTECT, related_name="groups"
    )
    letter = models.CharField(_("letter"), max_length=2)
    name = models.CharField(_("name"), max_length=64)
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    items = models.ManyToManyField(
        "catalog.ServiceItem", verbose_name=_("service items"), related_name="+", blank=True
    )
    windows = models.ManyToManyField(
        "org.Window", verbose_name=_("windows"), related_name="service_groups", blank=True
    )
    daily_limit = models.PositiveIntegerField(
        _("daily limit"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    slot_minutes = models.PositiveSmallIntegerField(_("appointment slot (minutes)"), default=30)
    slot_capacity = models.PositiveSmallIntegerField(_("appointments per slot"), default=4)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["center", "position", "letter"]
        verbose_name = _("service group")
        verbose_name_plural = _("service groups")
        constraints = [
            models.UniqueConstraint(fields=["center", "letter"], name="group_letter_unique"),
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=5) & Q(slot_minutes__lte=240),
                name="group_slot_minutes_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.letter} {self.name}"


class TicketStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    CALLED = "called", _("Called")
    SERVING = "serving", _("Being served")
    DONE = "done", _("Finished")
    NO_SHOW = "no_show", _("No-show")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE_TICKET_STATUSES = (TicketStatus.CALLED, TicketStatus.SERVING)


class TicketPriority(models.TextChoices):
    NORMAL = "normal", _("Normal")
    APPOINTMENT = "appointment", _("Appointment check-in")
    ELDERLY_DISABLED = "elderly_disabled", _("Elderly or disabled")
    GREEN_CHANNEL = "green_channel", _("Green channel")


# Higher first. Within one rank, the earlier place in line (queued_at) first.
PRIORITY_RANK = {
    TicketPriority.NORMAL: 0,
    TicketPriority.APPOINTMENT: 1,
    TicketPriority.ELDERLY_DISABLED: 2,
    TicketPriority.GREEN_CHANNEL: 3,
}


class TicketQuerySet(models.QuerySet["Ticket"]):
    def of_day(self, center_id: int, day: datetime.date) -> TicketQuerySet:
        return self.filter(center_id=center_id, service_date=day)

    def waiting(self) -> TicketQuerySet:
        return self.filter(status=TicketStatus.WAITING)

    def in_line_order(self) -> TicketQuerySet:
        return self.order_by("-priority_rank", "queued_at", "id")

    def line_of_window(self, window_id: int, group_ids: Iterable[int]) -> TicketQuerySet:
        """The waiting tickets a window calls, in calling order: those of its groups not sent
        to a named window, and those transferred to it by name; of those, only the ones whose
        item the window accepts (or that name no item: `catalog.queries.acceptance`).
        `group_ids` may be a query of group ids (a subquery then, no round trip of its own)."""
        groups = group_ids if isinstance(group_ids, models.QuerySet) else list(group_ids)
        return (
            self.waiting()
            .filter(
                Q(target_window_id=window_id) | Q(target_window__isnull=True, group_id__in=groups)
            )
            .filter(accepted_at_window(window_id))
            .in_line_order()
        )


class Ticket(models.Model):
    """A queue number. `queued_at` is the place in line: a transfer keeps it."""

    center = models.ForeignKey(
        "org.Center", verbose_name=_("center"), on_delete=models.PROTECT, related_name="tickets"
    )
    group = models.ForeignKey(
        ServiceGroup, verbose_name=_("group"), on_delete=models.PROTECT, related_name="tickets"
    )
    service_date = models.DateField(_("date"))
    serial = models.PositiveIntegerField(_("serial"))
    number = models.CharField(_("number"), max_length=12)
    # Random part of the public ticket page's address, so tickets cannot be enumerated.
    token = models.CharField(max_length=24, unique=True)
    priority = models.CharField(
        _("priority"), max_length=20, choices=TicketPriority.choices, default=TicketPriority.NORMAL
    )
    priority_rank = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(
        _("status"), max_length=12, choices=TicketStatus.choices, default=TicketStatus.WAITING
    )
    phone = models.CharField(_("phone for SMS"), max_length=20, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    taken_at = models.DateTimeField(_("taken at"))
    queued_at = models.DateTimeField(_("place in line"))
    called_at = models.DateTimeField(_("called at"), null=True, blank=True)
    started_at = models.DateTimeField(_("service started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Seconds from taking the ticket to the first call, and of service: kept as integers so
    # every summary is a plain SQL aggregate on both databases.
    wait_seconds = models.PositiveIntegerField(null=True, blank=True)
    service_seconds = models.PositiveIntegerField(null=True, blank=True)
    window = models.ForeignKey(
        "org.Window",
        verbose_name=_("window"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A ticket transferred to a named window is called only by that window.
    target_window = models.ForeignKey(
        "org.Window", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recall_count = models.PositiveSmallIntegerField(_("recalls"), default=0)
    # What the citizen came for (the item chosen at the kiosk or on the appointment), so the
    # ticket is called only at a window that accepts it (issue 17 item 1).
    item = models.ForeignKey(
        "catalog.ServiceItem",
        verbose_name=_("item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    matter = models.CharField(_("matter"), max_length=200, blank=True)
    # 过号 can be undone for a short while; a late citizen can be put back in line (item 4).
    no_show_at = models.DateTimeField(_("marked no-show at"), null=True, blank=True)
    requeue_count = models.PositiveSmallIntegerField(_("put back in line"), default=0)
    near_turn_notified_at = models.DateTimeField(null=True, blank=True)
    # When it was cancelled (the action's moment; updated_at is the clock of the last write).
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    # Elderly/disabled priority asked at a kiosk beyond its daily limit: the ticket is normal
    # until the guide (or a clerk) confirms the priority on today's line.
    priority_requested = models.BooleanField(_("priority asked"), default=False)
    appointment = models.OneToOneField(
        "frontdesk.Appointment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ticket",
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="tickets"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[TicketQuerySet] = TicketQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["service_date", "-priority_rank", "queued_at", "id"]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        indexes = [
            # Call next: the waiting line of a center's day, in priority order.
            models.Index(
                fields=["center", "service_date", "status", "-priority_rank", "queued_at"],
                name="ticket_line_idx",
            ),
            # Call next (issue 20 item 4): only the waiting tickets, in exactly the calling
            # order (id breaks ties), so the first one of a window's groups is found by an
            # ordered scan that stops there, with no sort of the day's whole line.
            models.Index(
                fields=["center", "service_date", "-priority_rank", "queued_at", "id"],
                condition=Q(status="waiting"),
                name="ticket_waiting_line_idx",
            ),
            models.Index(fields=["window", "status"], name="ticket_window_idx"),
            models.Index(fields=["center", "service_date", "updated_at"], name="ticket_board_idx"),
            models.Index(fields=["group", "service_date", "status"], name="ticket_group_idx"),
        ]
        constraints = [
            # By number, not by (group, serial): a ticket transferred to another group keeps
            # the number printed on it (A001 waits in line B next to B001).
            models.UniqueConstraint(
                fields=["center", "service_date", "number"], name="ticket_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=["waiting", "called", "serving", "done", "no_show", "cancelled"]
                ),
                name="ticket_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(
                    priority__in=["normal", "appointment", "elderly_disabled", "green_channel"]
                ),
                name="ticket_priority_valid",
            ),
            # A window has at most one ticket at hand (called or being served).
            models.UniqueConstraint(
                fields=["window"],
                condition=Q(status__in=["called", "serving"]),
                name="ticket_one_active_per_window",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class TicketCall(models.Model):
    """Every call and recall of a ticket at a window: what the display board shows and speaks."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="calls")
    center = models.ForeignKey("org.Center", on_delete=models.PROTECT, related_name="+")
    window = models.ForeignKey("org.Window", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("called at"))
    repeat = models.PositiveSmallIntegerField(_("recall number"), default=0)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        indexes = [models.Index(fields=["center", "at"], name="ticket_call_center_idx")]

    def __str__(self) -> str:
        return f"{self.ticket} → {self.window}"


class TicketCounter(models.Model):
    """The last serial of a group's day; numbering restarts daily per center and group."""

    group = models.ForeignKey(ServiceGroup, on_delete=models.CASCADE, related_name="+")
    service_date = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["group", "service_date"]
        constraints = [
            models.UniqueConstraint(fields=["group", "service_date"], name="ticket_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.service_date}: {self.last}"
