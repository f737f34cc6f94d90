from django.urls import path

from anjian.accounts.api.views import ObtainTokenView

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="token"),
]
