"""API base serializers: writes go through a service, never through `Model.save()` directly."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from rest_framework import serializers


class ServiceModelSerializer(serializers.ModelSerializer):
    """create()/update() build the instance and hand it to the viewset's `save_service` (architecture rule 3).

    The service runs `full_clean()`, saves inside a transaction and re-checks the jurisdiction; its Django
    ValidationError and PermissionDenied reach the client through anjian.core.api.errors.
    """

    @property
    def actor(self) -> Any:
        return self.context["request"].user

    def _service_save(self, instance: Model) -> Model:
        return self.context["view"].save_service(actor=self.actor, obj=instance)

    def create(self, validated_data: dict) -> Model:
        instance = self.Meta.model(**validated_data)
        return self._service_save(instance)

    def update(self, instance: Model, validated_data: dict) -> Model:
        for field, value in validated_data.items():
            setattr(instance, field, value)
        return self._service_save(instance)
