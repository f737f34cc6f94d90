"""The browsable API for people in a browser (Accept: text/html), with errors they can read (issue 7 item 2).

A successful answer keeps DRF's browsable page (with a link to the site's login, anjian/templates/rest_framework/
api.html). An error answers a Chinese page in the site's layout: the message, the field messages and, for a visitor
who is not signed in, the link to the site's login that comes back here (`?next=`). Programs asking for JSON (or
anything but HTML) get the JSON error format of anjian.core.api.errors, as before.
"""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.template.loader import render_to_string
from rest_framework import renderers

ERROR_TEMPLATE = "api/error.html"


def login_url(request) -> str:
    return redirect_to_login(request.get_full_path())["Location"]


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        renderer_context = renderer_context or {}
        response = renderer_context.get("response")
        if response is None or response.status_code < 400 or not isinstance(data, dict):
            return super().render(data, accepted_media_type, renderer_context)
        request = renderer_context["request"]
        context = {
            "status_code": response.status_code,
            "code": data.get("code", ""),
            "message": data.get("message", ""),
            "fields": data.get("fields") or {},
            "login_url": login_url(request),
        }
        return render_to_string(ERROR_TEMPLATE, context, request=request._request).encode(self.charset or "utf-8")
