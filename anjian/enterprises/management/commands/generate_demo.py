from django.core.management.base import BaseCommand, CommandError

from anjian.core.terminal import TerminalProgress
from anjian.enterprises.demo import DemoError, generate


class Command(BaseCommand):
    help = (
        "生成演示城市：在真实的村（社区）中生成企业、许可证、安责险和档案（同一种子结果相同）。"
        "有效期以今天为基准，因此总有即将到期和已过期的记录。生成的数据直接批量写入，不产生变更记录（simple_history）。"
        "登记库非空时拒绝运行，除非加 --replace（先删除此前生成的演示数据）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--enterprises", type=int, default=20000, help="企业数量（默认 20000）")
        parser.add_argument("--seed", type=int, default=2026, help="随机种子（默认 2026）")
        parser.add_argument("--replace", action="store_true", help="先删除此前生成的演示数据")

    def handle(self, *args, enterprises: int, seed: int, replace: bool, **options):
        # A progress bar on stderr when it is a terminal (the raw stream under Django's OutputWrapper).
        bar = TerminalProgress(self.stderr._out)
        try:
            result = generate(enterprises=enterprises, seed=seed, replace=replace, progress=bar)
        except DemoError as error:
            raise CommandError(str(error)) from error
        finally:
            bar.close()
        for line in result.deleted_dependents:
            self.stdout.write(line)
        if result.deleted:
            self.stdout.write(f"已删除此前生成的企业 {result.deleted} 家。")
        self.stdout.write(
            f"已生成企业 {result.enterprises} 家、许可证 {result.licences} 张、安责险 {result.insurances} 份、"
            f"档案 {result.archives} 份（种子 {seed}），用时 {result.seconds:.1f} 秒。"
        )
