from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from anjian.enterprises.choices import EnterpriseSize, LicenceType, SupervisionDomain
from anjian.enterprises.models import Enterprise, Industry, LiabilityInsurance, Licence
from anjian.regions.models import Region

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def make_uscc(serial: int) -> str:
    """A valid USCC (GB 32100-2015) for a Dongguan company: 91 4419 00 + 9-char organisation code + check."""
    from anjian.standards import uscc

    body = f"91441900{serial:09d}"[:17]
    return body + uscc.check_character(body)


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    uscc = factory.Sequence(lambda n: make_uscc(100000 + n))
    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    legal_representative = "张三"
    safety_principal = "李四"
    safety_principal_phone = "13800000000"
    address = factory.LazyAttribute(lambda o: f"{o.region.name}工业路1号")
    region = factory.LazyFunction(lambda: Region.objects.filter(level="village").order_by("code").first())
    latitude = Decimal("23.020000")
    longitude = Decimal("113.750000")
    industry = factory.LazyFunction(lambda: Industry.objects.get(code="3360"))
    domain = SupervisionDomain.MACHINERY
    size = EnterpriseSize.SMALL
    employee_count = 50


class LicenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Licence

    enterprise = factory.SubFactory(EnterpriseFactory)
    licence_type = LicenceType.SAFETY_PRODUCTION
    number = factory.Sequence(lambda n: f"（粤）WH安许证字〔2026〕{n:04d}")
    issuer = "广东省应急管理厅"
    valid_from = dt.date(2025, 1, 1)
    valid_to = dt.date(2028, 1, 1)


class LiabilityInsuranceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LiabilityInsurance

    enterprise = factory.SubFactory(EnterpriseFactory)
    insurer = "中国人民财产保险股份有限公司东莞市分公司"
    policy_number = factory.Sequence(lambda n: f"PZAA2026441900{n:06d}")
    insured_persons = 50
    coverage_per_person_yuan = Decimal("500000")
    valid_from = dt.date(2026, 1, 1)
    valid_to = dt.date(2026, 12, 31)
