import pytest
from django.urls import reverse
pytestmark = pytest.mark.django_db
def test_dump(client_as, director):
    body = client_as(director).get(reverse("workbench:petitions")).content.decode()
    i = body.find("收件人"); print("CTX", body[i-300:i+50])
