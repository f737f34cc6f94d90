from django.core.management.base import BaseCommand

from anjian.enterprises.reference import load_industries
from anjian.regions.services import load_divisions


class Command(BaseCommand):
    help = "Load the packaged reference data: Dongguan divisions, parks, GB/T 4754-2017 industries."

    def handle(self, *args, **options):
        regions = load_divisions()
        industries = load_industries()
        self.stdout.write(f"行政区划 {regions} 条，国民经济行业 {industries} 条。")
