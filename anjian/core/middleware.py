from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Anonymous users see the login page and nothing else (issue 2). The API answers 401/403 itself."""

    exempt_prefixes = ("/api/", "/static/", "/i18n/")

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith(self.exempt_prefixes):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
