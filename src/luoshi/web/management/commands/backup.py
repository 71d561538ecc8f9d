"""``luoshi manage backup FOLDER``: the database and every stored file, into a new folder."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from luoshi.web import backup


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, or SQLite's online backup) and every stored file (the media "
        "folder, or the bucket) into FOLDER, which must be new or empty. `luoshi manage restore` "
        "puts it back."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="new or empty folder to write the backup into")

    def handle(self, folder, **options):
        if not folder.strip():
            raise CommandError("no folder given")
        try:
            done = backup.backup(Path(folder))
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"backed up the {done.database} database and {done.files} files ({done.bytes} bytes)")
