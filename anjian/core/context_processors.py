"""Navigation shared by every page: the module sidebar (later modules append their entries here)."""

from django.utils.translation import gettext_lazy as _

MODULES = [
    {"label": _("首页"), "url_name": "home", "icon": "home"},
    {"label": _("企业地图"), "url_name": "map", "icon": "map"},
    {"label": _("生产经营单位"), "url_name": "enterprises:enterprise_list", "icon": "building"},
    {"label": _("许可证"), "url_name": "enterprises:licence_list", "icon": "id"},
    {"label": _("安责险"), "url_name": "enterprises:insurance_list", "icon": "shield"},
    {"label": _("安全生产档案"), "url_name": "enterprises:archive_list", "icon": "folder"},
    {"label": _("行政区划"), "url_name": "regions:region_list", "icon": "tree"},
    {"label": _("工业园区"), "url_name": "regions:park_list", "icon": "park"},
    {"label": _("审计日志"), "url_name": "core:auditevent_list", "icon": "log"},
]


def navigation(request):
    return {"nav_modules": MODULES}
