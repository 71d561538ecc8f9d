"""Files in S3-compatible object storage (LUOSHI_STORAGE_URL) or a shared folder (LUOSHI_MEDIA_ROOT).

The bucket is a real S3-compatible server (moto's standalone server on a free port), reached over
HTTP by django-storages and boto3 exactly as a MinIO would be. An outage is that server stopped:
a download then fails with a message and a 503, an upload changes nothing, and once the server
is back every file stored before is there.
"""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from luoshi.accounts.models import AuditLog
from luoshi.ledger.models import Change, ImportSession, ProgressReport, ReportAttachment
from luoshi.supervision_web import bulletins
from luoshi.supervision_web.models import Bulletin
from luoshi.web import env
from luoshi.web.storage import StorageUnavailable
from tests.supervision_web import conftest as supervision
from tests.web.services import S3_KEYS
from tests.web.world import SAMPLE

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DOWN = "文件存储暂时无法访问"
ON = supervision.ON
reported = supervision.reported  # plan A with March reports: enough for a bulletin


@pytest.fixture
def bucket(object_store, settings, monkeypatch):
    """The site's files in the test's bucket, as LUOSHI_STORAGE_URL would put them."""
    for name, value in S3_KEYS.items():
        monkeypatch.setenv(name, value)
    settings.STORAGES = {**settings.STORAGES, "default": env.file_storage(object_store.url)}
    return object_store


def report_form(narrative: str = "已完成征地。", **files) -> dict:
    return {"period": "2024-03", "status": "推进中", "narrative": narrative, **files}


def attachment(name: str = "进展.pdf", data: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


# -- the setting ----------------------------------------------------------------------------------


def test_a_storage_url_names_the_bucket_prefix_endpoint_and_region():
    found = env.file_storage("s3://luoshi-files/city/a?endpoint=http://minio:9000&region=us-east-1")
    options = found["OPTIONS"]
    assert found["BACKEND"] == "luoshi.web.storage.ObjectStorage"
    assert (options["bucket_name"], options["location"]) == ("luoshi-files", "city/a")
    assert (options["endpoint_url"], options["region_name"]) == ("http://minio:9000", "us-east-1")
    assert options["addressing_style"] == "path" and options["file_overwrite"] is False


def test_a_cloud_bucket_needs_no_endpoint_and_without_a_url_files_stay_on_disk():
    options = env.file_storage("s3://luoshi-files")["OPTIONS"]
    assert (options["location"], options["endpoint_url"], options["region_name"]) == ("", None, None)
    assert env.file_storage("")["BACKEND"] == "luoshi.web.storage.LocalStorage"


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://luoshi-files/", "unsupported scheme"),
        ("luoshi-files", "unsupported scheme"),
        ("s3://", "not a valid bucket name"),
        ("s3://ab", "not a valid bucket name"),
        ("s3://Luoshi_Files", "not a valid bucket name"),
        ("s3://" + "a" * 64, "not a valid bucket name"),
        ("s3://luoshi..files", "not a valid bucket name"),
        ("s3://-luoshi", "not a valid bucket name"),
        ("s3://key:secret@luoshi-files", "AWS_ACCESS_KEY_ID"),
        ("s3://luoshi-files/a/../b", "may not contain"),
        ("s3://luoshi-files/a/%2e%2e/b", "may not contain"),
        ("s3://luoshi-files#x", "unexpected"),
        ("s3://luoshi-files?endpoint=ftp://minio:21", "must be http(s)://host[:port]"),
        ("s3://luoshi-files?endpoint=http://", "must be http(s)://host[:port]"),
        ("s3://luoshi-files?endpoint=minio:9000", "must be http(s)://host[:port]"),
        ("s3://luoshi-files?endpoint=http://minio:9000/bucket", "must be http(s)://host[:port]"),
        ("s3://luoshi-files?endpoint=http://minio:99999", "bad port"),
        ("s3://luoshi-files?endpoint=http://minio:port", "bad port"),
        ("s3://luoshi-files?region=US East", "only printable ASCII"),
        ("s3://luoshi-files?region=us_east_1", "not a region name"),
        ("s3://luoshi-files?region=", "not a region name"),
        ("s3://luoshi-files?bucket=other", "unknown parameter"),
        ("s3://luoshi-files?endpont=http://minio:9000", "unknown parameter"),
        ("s3://luoshi-files?region=us-east-1&region=eu-west-1", "given twice"),
        ("s3://luoshi-files?region", "cannot read"),
        ("s3://文件桶", "only printable ASCII"),
        ("s3://luoshi-files/\x00", "only printable ASCII"),
        ("s3://luoshi-files/" + "前缀" * 5000, "only printable ASCII"),
        ("s3://luoshi-files?endpoint=" + "x" * 100_000, "must be http(s)://host[:port]"),
    ],
)
def test_a_storage_url_luoshi_cannot_use_is_refused_at_start_saying_why(url, says):
    with pytest.raises(env.SettingError, match="LUOSHI_STORAGE_URL") as refused:
        env.file_storage(url)
    assert says in str(refused.value)


def test_a_bucket_and_a_shared_folder_at_once_are_refused():
    with pytest.raises(env.SettingError, match="LUOSHI_STORAGE_URL and LUOSHI_MEDIA_ROOT"):
        env.file_storage("s3://luoshi-files", media_root_set=True)


def test_a_shared_folder_is_created_private_and_a_file_in_its_place_is_refused(tmp_path):
    folder = env.media_root(str(tmp_path / "mnt" / "luoshi"), tmp_path / "home")
    assert folder == tmp_path / "mnt" / "luoshi" and folder.stat().st_mode & 0o777 == 0o700
    assert env.media_root("", tmp_path / "home") == tmp_path / "home" / "media"
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(env.SettingError, match="LUOSHI_MEDIA_ROOT"):
        env.media_root(str(tmp_path / "a-file"), tmp_path / "home")
    with pytest.raises(env.SettingError, match="LUOSHI_MEDIA_ROOT"):
        env.media_root(str(tmp_path / "a-file" / "below"), tmp_path / "home")


# -- reports and their attachments ------------------------------------------------------------------


@pytest.mark.django_db
def test_an_attachment_goes_to_the_bucket_and_downloads_through_the_app(bucket, world, login, settings):
    client = login(world.reporter_a)
    response = client.post(f"/tasks/{world.task_a.pk}/report/", report_form(attachments=attachment()))
    assert response.status_code == 302
    a = ReportAttachment.objects.get()
    assert bucket.objects("files/reports/") == {f"files/{a.file.name}": PDF}
    assert not (settings.MEDIA_ROOT / a.file.name).exists()  # nothing on this machine's disk
    got = login(world.office_a).get(f"/attachments/{a.pk}/")
    assert got.status_code == 200 and b"".join(got.streaming_content) == PDF
    assert "%E8%BF%9B%E5%B1%95.pdf" in got["Content-Disposition"]  # 进展.pdf


@pytest.mark.django_db
def test_the_bucket_does_not_open_an_attachment_to_someone_without_rights(bucket, world, login):
    login(world.reporter_a).post(f"/tasks/{world.task_a.pk}/report/", report_form(attachments=attachment()))
    a = ReportAttachment.objects.get()
    assert login(world.reporter_b).get(f"/attachments/{a.pk}/").status_code == 403


@pytest.mark.django_db
def test_an_attachment_missing_from_the_bucket_is_not_found(bucket, world, login):
    login(world.reporter_a).post(f"/tasks/{world.task_a.pk}/report/", report_form(attachments=attachment()))
    a = ReportAttachment.objects.get()
    bucket.client().delete_object(Bucket=bucket.bucket, Key=f"files/{a.file.name}")
    assert login(world.office_a).get(f"/attachments/{a.pk}/").status_code == 404


@pytest.mark.django_db
def test_while_the_store_is_down_a_download_says_so_and_afterwards_the_file_is_all_there(bucket, world, login):
    login(world.reporter_a).post(f"/tasks/{world.task_a.pk}/report/", report_form(attachments=attachment()))
    a = ReportAttachment.objects.get()
    office = login(world.office_a)
    downloads = AuditLog.objects.filter(event="download").count()
    with bucket.down():
        got = office.get(f"/attachments/{a.pk}/")
        assert got.status_code == 503 and got["Retry-After"]
        assert DOWN in got.content.decode() and "Traceback" not in got.content.decode()
    assert AuditLog.objects.filter(event="download").count() == downloads  # nothing was handed out
    got = office.get(f"/attachments/{a.pk}/")
    assert got.status_code == 200 and b"".join(got.streaming_content) == PDF


@pytest.mark.django_db
def test_a_report_whose_attachment_cannot_be_stored_is_not_kept_and_the_form_comes_back(bucket, world, login):
    client = login(world.reporter_a)
    history = Change.objects.count()
    with bucket.down():
        response = client.post(
            f"/tasks/{world.task_a.pk}/report/", report_form("本月完成征地80%", attachments=attachment())
        )
    assert response.status_code == 503
    page = response.content.decode()
    assert DOWN in page and "本月完成征地80%" in page  # the reporter's text is still in the form
    assert not ProgressReport.objects.exists() and not ReportAttachment.objects.exists()
    assert Change.objects.count() == history
    assert bucket.objects("files/reports/") == {}


@pytest.mark.django_db
def test_a_report_without_attachments_needs_no_store(bucket, world, login):
    with bucket.down():
        response = login(world.reporter_a).post(f"/tasks/{world.task_a.pk}/report/", report_form())
    assert response.status_code == 302 and ProgressReport.objects.count() == 1


@pytest.mark.django_db
def test_an_api_client_gets_the_outage_as_json(bucket, world, rf):
    from luoshi.web.storage import StorageUnavailableMiddleware

    request = rf.get("/api/plans/")
    response = StorageUnavailableMiddleware(lambda r: None).process_exception(request, StorageUnavailable())
    assert response.status_code == 503 and DOWN in json.loads(response.content)["detail"]


# -- imports -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_uploaded_plan_is_kept_in_the_bucket(bucket, world, login):
    from tests.web.world import upload

    response = login(world.office_a).post("/import/", {"file": upload()})
    assert response.status_code == 302
    session = ImportSession.objects.latest("pk")
    assert bucket.objects(f"files/{session.file.name}") == {f"files/{session.file.name}": SAMPLE.encode()}


@pytest.mark.django_db
def test_an_import_whose_file_cannot_be_stored_fails_with_the_reason_and_leaves_no_session(bucket, world, login):
    from tests.web.world import upload

    sessions = ImportSession.objects.count()
    with bucket.down():
        response = login(world.office_a).post("/import/", {"file": upload()})
    assert response.status_code == 400 and DOWN in response.content.decode()
    assert ImportSession.objects.count() == sessions


# -- bulletins --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_bulletins_files_go_to_the_bucket_and_download_through_the_app(bucket, reported, login):
    row, files = bulletins.produce(reported.plan_a, "2024-03", ["docx", "xlsx"], reported.office_a, ON)
    stored = bucket.objects()
    assert stored[f"files/{row.docx.name}"] == files["docx"] and stored[f"files/{row.xlsx.name}"] == files["xlsx"]
    office = login(reported.office_a)
    got = office.get(f"/bulletins/{row.pk}/xlsx/")
    assert got.status_code == 200 and got.content == files["xlsx"]
    again, _ = bulletins.produce(reported.plan_a, "2024-03", ["xlsx"], reported.office_a, ON)
    assert again.xlsx.name != row.xlsx.name  # the same period made again never replaces a stored file
    assert office.get(f"/bulletins/{row.pk}/xlsx/").content == files["xlsx"]


@pytest.mark.django_db
def test_a_bulletin_that_cannot_be_stored_is_refused_with_the_reason_and_leaves_no_row(bucket, reported):
    with bucket.down(), pytest.raises(bulletins.BulletinError, match=DOWN):
        bulletins.produce(reported.plan_a, "2024-03", ["docx", "xlsx"], reported.office_a, ON)
    assert not Bulletin.objects.exists()
    assert bucket.objects("files/bulletins/") == {}


@pytest.mark.django_db
def test_while_the_store_is_down_a_bulletin_download_says_so(bucket, reported, login):
    row, files = bulletins.produce(reported.plan_a, "2024-03", ["docx"], reported.office_a, ON)
    office = login(reported.office_a)
    with bucket.down():
        got = office.get(f"/bulletins/{row.pk}/docx/")
    assert got.status_code == 503 and DOWN in got.content.decode()
    assert office.get(f"/bulletins/{row.pk}/docx/").content == files["docx"]


# -- the folder: the default, or a shared mount -------------------------------------------------------


@pytest.mark.django_db
def test_on_disk_a_folder_that_cannot_be_written_fails_the_report_cleanly(world, login, settings, tmp_path):
    (tmp_path / "stale-mount").write_text("not a folder")
    settings.MEDIA_ROOT = tmp_path / "stale-mount" / "media"
    response = login(world.reporter_a).post(f"/tasks/{world.task_a.pk}/report/", report_form(attachments=attachment()))
    assert response.status_code == 503 and DOWN in response.content.decode()
    assert not ProgressReport.objects.exists()


@pytest.mark.django_db
def test_on_disk_an_attachment_is_written_under_media_root_and_downloads(world, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "shared"
    login(world.reporter_a).post(f"/tasks/{world.task_a.pk}/report/", report_form(attachments=attachment()))
    a = ReportAttachment.objects.get()
    assert (tmp_path / "shared" / a.file.name).read_bytes() == PDF
    got = login(world.office_a).get(f"/attachments/{a.pk}/")
    assert b"".join(got.streaming_content) == PDF
    (tmp_path / "shared" / a.file.name).unlink()
    assert login(world.office_a).get(f"/attachments/{a.pk}/").status_code == 404
