"""``luoshi manage restore FOLDER``: a backup, into an empty database and storage."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from luoshi.web import backup


class Command(BaseCommand):
    help = (
        "Restore a backup written by `luoshi manage backup` into the configured database, which "
        "must be newly created (no tables), and storage. Everything is checked before anything "
        "is written; nothing is overwritten."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="the backup folder (holds manifest.json)")

    def handle(self, folder, **options):
        if not folder.strip():
            raise CommandError("no folder given")
        try:
            done = backup.restore(Path(folder))
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"restored the {done.database} database and {done.files} files ({done.bytes} bytes)")
