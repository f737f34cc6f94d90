"""A hazard's external campaign reference (issue 8 item 7), unique per enterprise when given."""

from django.db import migrations, models

import anjian.core.validators


class Migration(migrations.Migration):
    dependencies = [
        ("hazards", "0005_public_report_pin"),
    ]

    operations = [
        migrations.AddField(
            model_name="hazard",
            name="external_ref",
            field=models.CharField(
                blank=True,
                max_length=64,
                validators=[anjian.core.validators.validate_no_control_characters],
                verbose_name="外部编号",
            ),
        ),
        migrations.AddField(
            model_name="historicalhazard",
            name="external_ref",
            field=models.CharField(
                blank=True,
                max_length=64,
                validators=[anjian.core.validators.validate_no_control_characters],
                verbose_name="外部编号",
            ),
        ),
        migrations.AddConstraint(
            model_name="hazard",
            constraint=models.UniqueConstraint(
                condition=models.Q(("external_ref", ""), _negated=True),
                fields=("enterprise", "external_ref"),
                name="hazards_external_ref_unique",
                violation_error_message="该单位已有相同外部编号的隐患。",
            ),
        ),
    ]
