"""API base serializers: they validate shape; the viewset hands the validated values to the app's service.

Writes never go through `serializer.save()` (anjian.core.api.viewsets.ScopedModelViewSet, the one write path of
issue 6 item 3): the service runs the rules, saves inside a transaction and re-checks the jurisdiction.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from anjian.core.api.viewsets import ReasonSerializerMixin


class ServiceModelSerializer(ReasonSerializerMixin, serializers.ModelSerializer):
    """A model serializer whose writes carry a `reason` and go to the service through the viewset."""

    @property
    def actor(self) -> Any:
        return self.context["request"].user
