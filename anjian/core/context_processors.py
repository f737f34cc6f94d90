"""What every page's layout needs: the sidebar entries this user may use (registered by each app)."""

from django.utils.functional import SimpleLazyObject

from anjian.core.registry import registry


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_entries": ()}
    # Lazy: an API answer or a redirect renders no sidebar and should not pay for deciding it.
    return {"nav_entries": SimpleLazyObject(lambda: registry.nav_for(user))}
