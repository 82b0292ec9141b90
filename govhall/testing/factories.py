"""factory_boy factories shared by the tests of every app."""

from __future__ import annotations

from decimal import Decimal

import factory
from django.contrib.auth.models import Group

from govhall.catalog.models import (
    Authorization,
    FeeItem,
    ItemType,
    ItemWindow,
    Material,
    ServiceItem,
)
from govhall.core.models import User
from govhall.core.roles import Role
from govhall.org.models import Center, Department, Post, Staff, Window
from govhall.org.models.centers import CenterLevel
from govhall.org.services.centers import center_create

PASSWORD = "govhall-test-pw"


class CenterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Center

    code = factory.Sequence(lambda n: f"C{n:04d}")
    name = factory.Sequence(lambda n: f"测试县政务服务中心{n}")
    level = CenterLevel.COUNTY
    parent = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):  # type: ignore[no-untyped-def]
        # Centers go through the service so the materialized path is always right.
        return center_create(actor=None, **kwargs)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    center = factory.SubFactory(CenterFactory)
    code = factory.Sequence(lambda n: f"D{n:03d}")
    name = factory.Sequence(lambda n: f"测试局{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"工作人员{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


def make_staff(
    role: Role | None,
    center: Center,
    department: Department | None = None,
    *,
    username: str | None = None,
    window_staff: bool = False,
    **user_fields: object,
) -> User:
    user = UserFactory(**({"username": username} if username else {}), **user_fields)
    if role is not None:
        # get_or_create: a transactional test flushes the groups the migration made.
        user.groups.add(Group.objects.get_or_create(name=role.value)[0])
    Staff.objects.create(
        user=user, center=center, department=department, is_window_staff=window_staff
    )
    return user  # type: ignore[no-any-return]


class WindowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Window

    center = factory.SubFactory(CenterFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"综合窗口{n}")


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    window = factory.SubFactory(WindowFactory)
    name = "受理岗"


class ServiceItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceItem

    center = factory.SubFactory(CenterFactory)
    department = factory.LazyAttribute(lambda o: DepartmentFactory(center=o.center))
    code = factory.Sequence(lambda n: f"11330100MB0000000X400011{n:04d}")
    name = factory.Sequence(lambda n: f"测试事项{n}")
    item_type = ItemType.LICENSING
    legal_days = 20
    promised_days = 5


class MaterialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Material

    item = factory.SubFactory(ServiceItemFactory)
    name = factory.Sequence(lambda n: f"申请材料{n}")
    is_main = True


class FeeItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeeItem

    item = factory.SubFactory(ServiceItemFactory)
    name = "工本费"
    standard_amount = Decimal("10.00")
    standard_basis = "发改价格〔2019〕1号"


class ItemWindowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ItemWindow

    item = factory.SubFactory(ServiceItemFactory)
    window = factory.SubFactory(WindowFactory)
    authorization = Authorization.PARTIAL
