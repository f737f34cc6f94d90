# Issue 9 item 5: enterprise and region colours (numbered 0003 beside the risk-unit helper's 0002).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('enterprises', '0005_major_hazard_level'),
        ('regions', '0002_region_outline'),
        ('risk', '0002_risk_units_more'),
    ]

    operations = [
        migrations.CreateModel(
            name='EnterpriseColour',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('inherent', models.CharField(choices=[('red', '重大风险（红）'), ('orange', '较大风险（橙）'), ('yellow', '一般风险（黄）'), ('blue', '低风险（蓝）')], max_length=8, verbose_name='固有风险等级')),
                ('dynamic', models.CharField(choices=[('red', '重大风险（红）'), ('orange', '较大风险（橙）'), ('yellow', '一般风险（黄）'), ('blue', '低风险（蓝）')], db_index=True, max_length=8, verbose_name='动态风险等级')),
                ('reasons', models.JSONField(default=list, verbose_name='判定依据')),
                ('inputs', models.CharField(max_length=200, verbose_name='输入')),
                ('method', models.CharField(max_length=64, verbose_name='方法')),
                ('method_version', models.CharField(max_length=16, verbose_name='方法版本')),
                ('computed_at', models.DateTimeField(verbose_name='计算时间')),
                ('changed_at', models.DateTimeField(verbose_name='颜色变化时间')),
                ('enterprise', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='risk_colour', to='enterprises.enterprise', verbose_name='单位')),
            ],
            options={
                'verbose_name': '企业风险等级',
                'verbose_name_plural': '企业风险等级',
                'ordering': ['enterprise__name', 'id'],
            },
        ),
        migrations.CreateModel(
            name='RegionColour',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('code', models.CharField(max_length=12, unique=True, verbose_name='区划代码')),
                ('level', models.CharField(db_index=True, max_length=8, verbose_name='层级')),
                ('colour', models.CharField(blank=True, choices=[('red', '重大风险（红）'), ('orange', '较大风险（橙）'), ('yellow', '一般风险（黄）'), ('blue', '低风险（蓝）')], max_length=8, verbose_name='风险等级')),
                ('red', models.PositiveIntegerField(default=0, verbose_name='红')),
                ('orange', models.PositiveIntegerField(default=0, verbose_name='橙')),
                ('yellow', models.PositiveIntegerField(default=0, verbose_name='黄')),
                ('blue', models.PositiveIntegerField(default=0, verbose_name='蓝')),
                ('reason', models.CharField(blank=True, max_length=200, verbose_name='判定依据')),
                ('method', models.CharField(max_length=64, verbose_name='方法')),
                ('method_version', models.CharField(max_length=16, verbose_name='方法版本')),
                ('computed_at', models.DateTimeField(verbose_name='计算时间')),
                ('region', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='risk_colour', to='regions.region', verbose_name='区域')),
            ],
            options={
                'verbose_name': '区域风险等级',
                'verbose_name_plural': '区域风险等级',
                'ordering': ['code'],
                'indexes': [models.Index(fields=['level', 'colour', 'code'], name='risk_region_colour')],
            },
        ),
    ]
