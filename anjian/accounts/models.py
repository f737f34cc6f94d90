"""Users: one role each, and the jurisdiction that role reaches (a region subtree, an enterprise, assignments, a
department's domains within a region); departments with their supervision domains (权责清单)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.apps import apps
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.accounts.roles import (
    REGION_LEVEL_LABELS,
    ROLE_ACTIONS,
    ROLES,
    STAFF_ROLES,
    Home,
    Reach,
    Role,
)
from anjian.core.scope import (
    ADD,
    CHANGE,
    EXPORT,
    NOBODY,
    VIEW,
    Jurisdiction,
    RestrictedQuerySet,
    Scope,
    declared_actions,
)
from anjian.core.validators import validate_mobile_phone


def domain_labels() -> dict[str, str]:
    """The supervision domains (行业领域) by code. They belong to the registry (anjian.enterprises), which sits
    above accounts in the layers, so they are read from the Enterprise model through the app registry."""
    field = apps.get_model("enterprises", "Enterprise")._meta.get_field("domain")
    return {str(value): str(label) for value, label in field.choices}


def validate_domains(codes: Any) -> None:
    if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
        raise ValidationError(_("行业领域须为代码列表。"))
    unknown = [code for code in codes if code not in domain_labels()]
    if unknown:
        raise ValidationError(
            _("未知的行业领域：%(codes)s。"), params={"codes": "、".join(unknown)}, code="unknown_domain"
        )


class Department(models.Model):
    """A department with safety duties and the supervision domains it answers for (权责清单, issue 6 item 10).

    Reference data loaded by `anjian load-reference` from accounts/data/departments.csv.
    """

    code = models.SlugField(_("部门代码"), max_length=32, unique=True)
    name = models.CharField(_("部门名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=20)
    domains = models.JSONField(_("负责的行业领域"), default=list, validators=[validate_domains])
    basis = models.TextField(_("职责依据"), blank=True)

    objects = RestrictedQuerySet.as_manager()
    # The list of departments is the city's published division of duties: every signed-in person may read it.
    scope: ClassVar[Scope] = Scope(shared=True)
    policy: ClassVar[dict[str, frozenset[str]]] = {
        role: frozenset({VIEW}) for role in Role if role != Role.CITY_ADMIN
    }

    class Meta:
        verbose_name = _("行业主管部门")
        verbose_name_plural = _("行业主管部门")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def domain_names(self) -> str:
        labels = domain_labels()
        return "、".join(labels.get(code, code) for code in self.domains)


MANAGE_ACTIONS = ("deactivate", "reactivate", "reset_password", "unlock", "revoke_token")


class ScopedUserManager(UserManager.from_queryset(RestrictedQuerySet)):
    pass


class User(AbstractUser):
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices, blank=True)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("管辖区域"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="users",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("所属企业"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="users",
    )
    assigned_enterprises = models.ManyToManyField(
        "enterprises.Enterprise", verbose_name=_("指派企业"), blank=True, related_name="assigned_experts",
        help_text=_("专家可查看的企业。"),
    )
    department = models.ForeignKey(
        Department, verbose_name=_("所属部门"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="users",
    )
    domains = models.JSONField(
        _("监管的行业领域"), default=list, blank=True, validators=[validate_domains],
        help_text=_("行业部门监管人员在其管辖区域内只管理这些行业领域的单位。"),
    )
    # Text messages go to it (notifications' sms channel), so only a mobile number will do (issue 7 item 7).
    phone = models.CharField(_("手机号"), max_length=20, blank=True, validators=[validate_mobile_phone])
    must_change_password = models.BooleanField(
        _("须修改密码"), default=False, help_text=_("管理员重置密码后，用户下次登录须先修改密码。"),
    )
    # Where the account hangs on the jurisdiction tree: its region's code, or its enterprise's (kept by save() and,
    # when an enterprise moves, by anjian.accounts.policy.follow_enterprise_region), so a town reaches the accounts
    # of its villages and of its enterprises through the one gate.
    place_code = models.CharField(_("所在区划代码"), max_length=12, blank=True, db_index=True, editable=False)

    objects = ScopedUserManager()
    workflow: ClassVar[None] = None  # the generic detail page asks; accounts have no workflow
    scope: ClassVar[Scope] = Scope(region_code="place_code", enterprise="enterprise_id")
    # The user-management actions besides view/add/change (issue 7 item 3); who may take them on whom is also
    # limited by the role table's `manages` (anjian.accounts.services).
    actions: ClassVar[dict[str, Any]] = {
        "deactivate": _("停用"),
        "reactivate": _("启用"),
        "reset_password": _("重置密码"),
        "unlock": _("解除登录锁定"),
        "revoke_token": _("吊销令牌"),
    }
    # City administrators manage every account, town supervisors the grid workers and enterprise users of their
    # town (the role table's `manages`); city supervisors may look colleagues up.
    policy: ClassVar[dict[str, frozenset[str]]] = {
        Role.CITY_ADMIN: frozenset({VIEW, EXPORT, ADD, CHANGE, *MANAGE_ACTIONS}),
        Role.CITY_SUPERVISOR: frozenset({VIEW}),
        Role.TOWN_SUPERVISOR: frozenset({VIEW, ADD, CHANGE, *MANAGE_ACTIONS}),
        Role.GRID_WORKER: frozenset(),
        Role.ENTERPRISE_USER: frozenset(),
        Role.EXPERT: frozenset(),
        Role.DEPARTMENT_SUPERVISOR: frozenset(),
    }

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        full = f"{self.last_name}{self.first_name}".strip()
        return f"{full}（{self.username}）" if full else self.username

    def clean(self) -> None:
        super().clean()
        spec = ROLES.get(self.role)
        if self.role in STAFF_ROLES:
            if self.region_id is None:
                raise ValidationError({"region": _("监管人员必须指定管辖区域。")})
            if self.region.level not in spec.region_levels:
                levels = "或".join(str(REGION_LEVEL_LABELS[level]) for level in spec.region_levels)
                raise ValidationError({"region": _("该角色的管辖区域必须是%(level)s级。") % {"level": levels}})
        if self.role == Role.ENTERPRISE_USER and self.enterprise_id is None:
            raise ValidationError({"enterprise": _("企业用户必须指定所属企业。")})
        if self.role == Role.DEPARTMENT_SUPERVISOR:
            if not self.domains:
                raise ValidationError({"domains": _("行业部门监管人员必须指定监管的行业领域。")})
            if self.department_id is not None:
                outside = [code for code in self.domains if code not in self.department.domains]
                if outside:
                    labels = domain_labels()
                    raise ValidationError({"domains": _("%(department)s不负责这些行业领域：%(domains)s。") % {
                        "department": self.department.short_name,
                        "domains": "、".join(labels.get(code, code) for code in outside),
                    }})
        elif self.domains:
            raise ValidationError({"domains": _("只有行业部门监管人员按行业领域授权。")})

    def get_full_name(self) -> str:
        """Chinese order: family name first, no space (Django's default is "first last")."""
        return f"{self.last_name}{self.first_name}".strip()

    def locate(self) -> str:
        """The region code the account hangs on: an enterprise user's enterprise's (whatever region it was also
        given), else its region's, else its enterprise's."""
        if self.enterprise_id and (self.role == Role.ENTERPRISE_USER or not self.region_id):
            return str(self.enterprise.region.code) if self.enterprise.region_id else ""
        if self.region_id:
            return str(self.region.code)
        return ""

    def save(self, **kwargs: Any) -> None:  # Django 5.1 deprecated save()'s positional arguments
        # Any change of password (self-service, an administrator's reset, the CLI, the admin site) ends the API
        # tokens issued under the old one (issue 7 item 8). A rehash at login sets no new password: not counted.
        password_changed = self._password is not None and not self._state.adding
        fields = kwargs.get("update_fields")
        # Only a save that may change the region or the enterprise looks the place up (not the login's last_login).
        if fields is None or {"region", "region_id", "enterprise", "enterprise_id"} & set(fields):
            place = self.locate()
            if place != self.place_code:
                self.place_code = place
                if fields is not None:
                    kwargs["update_fields"] = {*fields, "place_code"}
        super().save(**kwargs)
        self.forget_jurisdiction()
        if password_changed:
            revoke_tokens(self)

    def refresh_from_db(self, *args: Any, **kwargs: Any) -> None:
        super().refresh_from_db(*args, **kwargs)
        self.forget_jurisdiction()

    @property
    def jurisdiction_label(self) -> str:
        if self.role == Role.ENTERPRISE_USER and self.enterprise_id:
            return str(self.enterprise.name)
        if self.role == Role.DEPARTMENT_SUPERVISOR and self.region_id:
            labels = domain_labels()
            return f"{self.region.name} · {'、'.join(labels.get(code, code) for code in self.domains)}"
        if self.region_id:
            return str(self.region.name)
        if self.role == Role.EXPERT and self.pk:
            # From the reach the gate computes once per request anyway: no query of its own on most pages.
            return str(_("指派企业 %(count)d 家")) % {"count": len(self.reach().enterprise_ids)}
        return ""

    def get_role_display(self) -> str:
        """The role's label; a superuser without a role is the system administrator (the page header shows it)."""
        if not self.role and self.is_superuser:
            return str(_("系统管理员"))
        return str(dict(Role.choices).get(self.role, self.role))

    @property
    def home(self) -> Home:
        spec = ROLES.get(self.role)
        return spec.home if spec is not None and not self.is_superuser else Home.OVERVIEW

    def allowed_actions(self, model: type[models.Model]) -> frozenset[str]:
        """The actions this user's role has on `model`: the model's policy line for the role, else its defaults."""
        if self.is_superuser:
            return frozenset(declared_actions(model))
        policy: dict[str, frozenset[str]] = getattr(model, "policy", {})
        if self.role in policy:
            return frozenset(policy[self.role])
        return ROLE_ACTIONS.get(self.role, frozenset())

    def changeable_fields(self, model: type[models.Model]) -> frozenset[str] | None:
        """The fields this user may change on rows of `model` (None: every field), from `model.editable_fields`."""
        if self.is_superuser:
            return None
        limits: dict[str, frozenset[str]] = getattr(model, "editable_fields", {})
        return limits.get(self.role)

    def jurisdiction(self, action: str, model: type[models.Model]) -> Jurisdiction:
        """The rows of `model` this user may `action` (read by RestrictedQuerySet.restrict).

        The reach is computed once per user object, i.e. once per request (issue 6 item 1: an expert's
        assignments were queried several times on one page).
        """
        if action not in self.allowed_actions(model):
            return NOBODY
        return self.reach().for_scope(model.scope)

    def reach(self) -> Jurisdiction:
        cached = self.__dict__.get("_reach")
        if cached is None:
            cached = self.__dict__["_reach"] = self._compute_reach()
        return cached

    def forget_jurisdiction(self) -> None:
        """Drop the cached reach (after a change of role, region or assignments)."""
        self.__dict__.pop("_reach", None)

    def _compute_reach(self) -> Jurisdiction:
        if self.is_superuser:
            return Jurisdiction(everything=True, user_id=self.pk)
        spec = ROLES.get(self.role)
        if spec is None:  # a stored role the table no longer has: no actions either (allowed_actions)
            return NOBODY
        if spec.reach is Reach.CITY:
            return Jurisdiction(everything=True, user_id=self.pk)
        if spec.reach is Reach.ENTERPRISE:
            enterprises = (self.enterprise_id,) if self.enterprise_id else ()
            return Jurisdiction(enterprise_ids=enterprises, user_id=self.pk)
        if spec.reach is Reach.ASSIGNED:
            ids = tuple(self.assigned_enterprises.values_list("pk", flat=True)) if self.pk else ()
            return Jurisdiction(enterprise_ids=ids, user_id=self.pk)
        prefixes = (self.region.prefix,) if self.region_id else ()
        if spec.reach is Reach.DEPARTMENT:
            return Jurisdiction(region_prefixes=prefixes, domains=frozenset(self.domains), user_id=self.pk)
        return Jurisdiction(region_prefixes=prefixes, user_id=self.pk)


class ApiTokenQuerySet(models.QuerySet):
    def active(self, now: Any = None) -> ApiTokenQuerySet:
        """Tokens that still open the API: not revoked, not expired."""
        return self.filter(revoked__isnull=True, expires__gt=now or timezone.now())


class ApiToken(models.Model):
    """An API token of one user (issue 7 item 8): several per user, each named, expiring, revocable, with its last
    use. `key` is what the client sends as `Authorization: Token <key>`; the token endpoint answers it again while
    it is active (its contract since issue 2), so it is kept as issued, like DRF's authtoken did."""

    user = models.ForeignKey(User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("名称"), max_length=64, default="api")
    key = models.CharField(_("令牌"), max_length=64, unique=True)
    created = models.DateTimeField(_("签发时间"), default=timezone.now)
    expires = models.DateTimeField(_("到期时间"))
    last_used = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["user", "revoked"])]

    def __str__(self) -> str:
        return f"{self.name} {self.key[:6]}…"

    @property
    def hint(self) -> str:
        """Enough of the key to tell tokens apart, never enough to use one."""
        return f"{self.key[:6]}…"

    def is_active(self, now: Any = None) -> bool:
        return self.revoked is None and self.expires > (now or timezone.now())

    @property
    def state_label(self) -> str:
        if self.revoked is not None:
            return str(_("已吊销"))
        if self.expires <= timezone.now():
            return str(_("已过期"))
        return str(_("有效"))


def revoke_tokens(user: User, now: Any = None) -> int:
    """Revoke every active token of `user`; answers how many."""
    return ApiToken.objects.filter(user=user, revoked__isnull=True).update(revoked=now or timezone.now())


__all__ = ["ApiToken", "Department", "User", "domain_labels", "revoke_tokens", "validate_domains"]
