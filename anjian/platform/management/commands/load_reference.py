from django.core.management.base import BaseCommand

from anjian.core.registry import registry


class Command(BaseCommand):
    help = "加载随软件包发布的参考数据：各应用登记的参考数据（行政区划与园区、国民经济行业分类、行业主管部门等）。"

    def handle(self, *args, **options):
        # Registration follows INSTALLED_APPS, so the tree is loaded before the records that point at it.
        counts = [f"{label} {load()} 条" for label, load in registry.loaders()]
        self.stdout.write("，".join(counts) + "。")
