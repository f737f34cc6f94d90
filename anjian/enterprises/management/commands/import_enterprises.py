from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from anjian.core.terminal import TerminalProgress
from anjian.enterprises import importing


class Command(BaseCommand):
    help = (
        "Import enterprises from an .xlsx or .csv file as USER: a dry run by default; with --commit, "
        "all rows in one transaction when no row has an error. On a terminal, a progress bar is drawn on stderr."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx or .csv file (the import template's columns)")
        parser.add_argument("--user", required=True, help="username whose jurisdiction applies")
        parser.add_argument("--commit", action="store_true", help="save the rows (default: dry run only)")
        parser.add_argument("--error-report", help="write the .xlsx error report here when there are errors")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        try:
            actor = get_user_model().objects.get(username=options["user"], is_active=True)
        except get_user_model().DoesNotExist:
            raise CommandError(f"没有启用的用户“{options['user']}”。") from None
        # Rows done / total, rate and time left, redrawn in place on stderr when it is a terminal; nothing otherwise.
        # The raw stream under Django's OutputWrapper, which would end every write with a newline.
        bar = TerminalProgress(self.stderr._out)
        with path.open("rb") as handle:
            try:
                extension = importing.check_upload(_Named(handle, path))
                run = importing.commit if options["commit"] else importing.dry_run
                result = run(actor=actor, handle=handle, extension=extension, progress=bar)
            except importing.ImportFileError as error:
                raise CommandError(error.message) from None
            finally:
                bar.close()
        self.stdout.write(result.summary())
        for planned in result.to_update:
            changes = "；".join(f"{c.column}：{c.before} → {c.after}" for c in planned.changes)
            enterprise = planned.obj
            self.stdout.write(f"  第 {planned.row} 行 更新 {enterprise.uscc} {enterprise.name}：{changes}")
        for error in result.errors:
            column = f"【{error.column}】" if error.column else ""
            self.stdout.write(f"  第 {error.row} 行{column}：{error.message}")
        if result.errors and options["error_report"]:
            Path(options["error_report"]).write_bytes(importing.error_report(result))
            self.stdout.write(f"错误报告已写入 {options['error_report']}")
        if result.errors:
            raise CommandError("有错误，未导入任何数据。")
        if result.committed:
            self.stdout.write(self.style.SUCCESS("已导入。"))
        else:
            self.stdout.write("试运行：未写入任何数据（加 --commit 导入）。")


class _Named:
    """A file object with the `name` and `size` importing.check_upload reads."""

    def __init__(self, handle, path: Path) -> None:
        self._handle, self.name, self.size = handle, path.name, path.stat().st_size

    def __getattr__(self, attribute):
        return getattr(self._handle, attribute)
