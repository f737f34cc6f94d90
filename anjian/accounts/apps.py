from django.utils.translation import gettext_lazy as _

from anjian.accounts.roles import MANAGER_ROLES, REGULATOR_ROLES
from anjian.core.registry import ApiRoute, ModuleConfig, NavEntry, ReferenceLoader


class AccountsConfig(ModuleConfig):
    name = "anjian.accounts"
    label = "accounts"
    verbose_name = _("用户与角色")
    url_prefix = "accounts/"
    api_urls = "anjian.accounts.api.urls"
    # The audit log is the regulators' page; the role table (here) says who they are.
    nav = (
        NavEntry(_("用户管理"), "user_list", "bi-people", model="accounts.User", roles=MANAGER_ROLES, order=890),
        NavEntry(_("审计日志"), "core:auditevent_list", "bi-journal-text", model="core.AuditEvent",
                 roles=REGULATOR_ROLES, order=900),
        NavEntry(_("行业主管部门"), "department_list", "bi-diagram-2", model="accounts.Department",
                 roles=REGULATOR_ROLES, order=910),
    )
    api = (ApiRoute("departments", "anjian.accounts.departments.DepartmentViewSet", "department"),)
    reference = (ReferenceLoader(_("行业主管部门"), "anjian.accounts.reference.load_departments"),)

    def ready(self) -> None:
        super().ready()
        from django.apps import apps
        from django.db.models.signals import m2m_changed, post_save

        from anjian.accounts.models import User
        from anjian.accounts.policy import (
            check_policy_roles,
            follow_enterprise_region,
            forget_assignments,
            move_enterprise_accounts,
        )

        check_policy_roles(apps.get_models())
        # The login lockout and the token throttle read client addresses through these proxies.
        from anjian.core.network import check_trusted_proxies

        check_trusted_proxies()
        # Decisions on one's own account, which are no action of the gate (the others are User.actions).
        from anjian.core import audit

        audit.register_label("user.change_password", _("修改密码"))
        audit.register_label("user.issue_token", _("签发 API 令牌"))
        audit.register_label("user.rotate_token", _("轮换 API 令牌"))
        m2m_changed.connect(forget_assignments, sender=User.assigned_enterprises.through,
                            dispatch_uid="accounts.forget_assignments")
        # Enterprises sit above accounts in the layers: their model is found through the app registry.
        post_save.connect(follow_enterprise_region, sender=apps.get_model("enterprises", "Enterprise"),
                          dispatch_uid="accounts.follow_enterprise_region")
        from anjian.core.services import follow_moves

        follow_moves("enterprises.Enterprise", move_enterprise_accounts)
