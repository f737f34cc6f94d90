from __future__ import annotations

from rest_framework import serializers

from anjian.regions.models import IndustrialPark, Region


class RegionSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Region
        fields = ["id", "code", "name", "level", "parent", "prefix", "unit_type", "latitude", "longitude"]
        read_only_fields = fields


class IndustrialParkSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = IndustrialPark
        fields = ["id", "name", "region", "is_chemical_park", "description"]
        read_only_fields = fields
