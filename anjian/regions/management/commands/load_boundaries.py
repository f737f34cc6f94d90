from django.core.management.base import BaseCommand, CommandError

from anjian.regions.services import BoundaryImportError, load_boundaries


class Command(BaseCommand):
    help = (
        "导入镇街和村（社区）的范围（边界）：FILE 是 GeoJSON 要素集合（FeatureCollection），每个要素的几何为 "
        "Polygon 或 MultiPolygon（[经度, 纬度]，与企业坐标同一坐标系），属性中的区划代码依次取 code、adcode 或 代码"
        "（12 位，镇街也可写 9 位）。代码必须是东莞市（4419…）且已在行政区划表中。几何无效（自相交、环未闭合、类型"
        "错误、坐标不在东莞范围）或代码不符的要素逐条报告；只要有一处错误，整个文件都不导入。导入的范围替换该区划的"
        "示意范围。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="GeoJSON 文件（UTF-8）")
        parser.add_argument("--check", action="store_true", help="只检查文件并报告，不写入数据库")

    def handle(self, *args, **options):
        try:
            count = load_boundaries(options["file"], check_only=options["check"])
        except BoundaryImportError as error:
            for line in error.errors:
                self.stderr.write(line)
            raise CommandError(f"未导入任何范围：发现 {len(error.errors)} 处错误（见上）。") from error
        if options["check"]:
            self.stdout.write(f"检查通过：{count} 个区划的范围可以导入（未写入）。")
        else:
            self.stdout.write(f"已导入 {count} 个区划的范围。")
