"""The progress page of long work: its owner sees it, polling by htmx; nobody else does."""

import pytest
from django.urls import reverse

from govhall.core.models import Job

pytestmark = pytest.mark.django_db


@pytest.fixture
def running_job(director):
    return Job.objects.create(
        kind="catalog.import", created_by=director, total=400, done=100, status=Job.Status.RUNNING
    )


def test_owner_sees_progress_and_the_partial_keeps_polling(client_as, director, running_job):
    client = client_as(director)
    url = reverse("workbench:job", args=[running_job.pk])
    page = client.get(url).content.decode()
    assert "25%" in page and "<nav" in page
    partial = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in partial
    assert "<nav" not in partial


def test_finished_job_stops_polling(client_as, director, running_job):
    Job.objects.filter(pk=running_job.pk).update(status=Job.Status.SUCCEEDED, done=400)
    client = client_as(director)
    partial = client.get(reverse("workbench:job", args=[running_job.pk]), HTTP_HX_REQUEST="true")
    assert "every 1s" not in partial.content.decode()
    assert "100%" in partial.content.decode()


@pytest.mark.parametrize("other", ["admin_user", "outsider", "clerk"])
def test_nobody_else_sees_a_job(client_as, request, running_job, other):
    client = client_as(request.getfixturevalue(other))
    assert client.get(reverse("workbench:job", args=[running_job.pk])).status_code == 404
    assert client.get(reverse("workbench:job", args=[running_job.pk + 999])).status_code == 404
