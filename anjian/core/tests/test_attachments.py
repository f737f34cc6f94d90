"""Attachments (issue 6 item 6): checked by content, photos cleaned of metadata but for time and place, all or
nothing, and every file behind the gate, on local disk and on S3."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from fractions import Fraction
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image
from PIL.TiffImagePlugin import IFDRational
from rest_framework.test import APIClient

from anjian.core import attachments
from anjian.core.attachments import (
    attach,
    attachment_delete,
    attachment_upload,
    clean_name,
    exif_datetime,
    gps_coordinate,
    panel_context,
    process_upload,
)
from anjian.core.audit import action_label
from anjian.core.models import Attachment, AuditEvent

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def jpeg(*, size=(64, 48), exif: Image.Exif | None = None, colour="red", **extra) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG", exif=exif if exif is not None else b"", **extra)
    return buffer.getvalue()


def camera_exif(*, orientation: int | None = None) -> Image.Exif:
    """What a phone writes: make, model, serial, time, and a GPS fix at 23°1'30"N 113°45'12.34"E."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Phone 12"
    exif[ExifTags.Base.Artist] = "张三"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    details = exif.get_ifd(ExifTags.IFD.Exif)
    details[ExifTags.Base.DateTimeOriginal] = "2026:03:01 09:30:00"
    details[ExifTags.Base.BodySerialNumber] = "SN-123456"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[1], gps[2] = "N", (IFDRational(23), IFDRational(1), IFDRational(30))
    gps[3], gps[4] = "E", (IFDRational(113), IFDRational(45), IFDRational(1234, 100))
    return exif


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def photo(name: str = "现场.jpg", **kwargs) -> SimpleUploadedFile:
    return upload(name, jpeg(exif=camera_exif(), **kwargs), "image/jpeg")


def png(*, size=(40, 30), mode="RGBA") -> bytes:
    buffer = BytesIO()
    Image.new(mode, size, (0, 128, 255, 128) if mode == "RGBA" else "blue").save(buffer, "PNG")
    return buffer.getvalue()


def refusal(error: ValidationError) -> str:
    return " ".join(message for messages in error.message_dict.values() for message in messages)


# ---- processing -------------------------------------------------------------------------------------------------


def test_a_photo_keeps_time_and_position_as_fields_and_loses_every_other_metadata(personas, media):
    [row] = attach(actor=personas.town_a_supervisor, obj=personas.enterprise_a, files=[photo()])

    assert row.kind == "photo" and row.mime_type == "image/jpeg" and row.original_name == "现场.jpg"
    assert row.taken_at == dt.datetime(2026, 3, 1, 9, 30, tzinfo=SHANGHAI)  # no zone in EXIF: Asia/Shanghai
    assert row.latitude == Decimal("23.025000")
    assert row.longitude == Decimal("113.753428")
    assert (row.width, row.height) == (64, 48)
    stored = row.file.read()
    row.file.close()
    assert row.size == len(stored)
    assert row.sha256 == hashlib.sha256(stored).hexdigest()
    reopened = Image.open(BytesIO(stored))
    assert reopened.format == "JPEG"
    assert dict(reopened.getexif()) == {}
    assert not {"exif", "xmp", "icc_profile", "comment"} & set(reopened.info)
    assert b"PhoneMaker" not in stored and b"SN-123456" not in stored
    # The row carries the record's scope, like an audit event.
    assert row.region_code == personas.enterprise_a.region.code
    assert row.enterprise_id == personas.enterprise_a.pk
    assert row.domain == personas.enterprise_a.domain
    assert row.uploaded_by == personas.town_a_supervisor


def test_a_photo_is_turned_upright_from_its_exif_orientation(personas):
    data = jpeg(size=(60, 20), exif=camera_exif(orientation=6))
    processed = process_upload(upload("side.jpg", data))
    assert (processed.width, processed.height) == (20, 60)
    assert dict(Image.open(BytesIO(processed.content)).getexif()) == {}


def test_the_thumbnail_exists_and_is_small(personas):
    big = upload("wide.jpg", jpeg(size=(1200, 600), exif=camera_exif()), "image/jpeg")
    [row] = attach(actor=personas.town_a_supervisor, obj=personas.enterprise_a, files=[big])
    assert row.thumbnail
    with row.thumbnail.open("rb") as handle:
        thumbnail = Image.open(BytesIO(handle.read()))
    assert thumbnail.format == "JPEG"
    assert max(thumbnail.size) == attachments.THUMBNAIL_SIZE
    assert thumbnail.size == (320, 160)
    assert row.thumbnail.size < row.size


def test_a_png_is_accepted_and_stays_a_png_with_its_transparency(personas):
    [row] = attach(actor=personas.town_a_supervisor, obj=personas.enterprise_a,
                   files=[upload("截图.png", png(), "image/png")])
    assert (row.kind, row.mime_type, row.width, row.height) == ("photo", "image/png", 40, 30)
    assert row.taken_at is None and row.latitude is None
    with row.file.open("rb") as handle:
        reopened = Image.open(BytesIO(handle.read()))
    assert reopened.format == "PNG" and reopened.mode == "RGBA"
    assert row.thumbnail


def test_a_pdf_is_stored_as_it_came(personas):
    [row] = attach(actor=personas.town_a_supervisor, obj=personas.enterprise_a,
                   files=[upload("整改报告.pdf", PDF, "application/pdf")], purpose="evidence", note="整改报告")
    assert (row.kind, row.mime_type, row.size, row.purpose, row.note) == (
        "document", "application/pdf", len(PDF), "evidence", "整改报告")
    assert not row.thumbnail and row.width is None
    with row.file.open("rb") as handle:
        assert handle.read() == PDF


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("照片.jpg", b"MZ\x90\x00" + b"\x00" * 200, "不允许上传可执行文件"),
        ("报告.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "不允许上传可执行文件"),
        ("照片.jpg", b"\xff\xd8\xff\xe0" + b"not a jpeg at all " * 20, "图片无法识别或已损坏"),
        ("图.png", b"\x89PNG\r\n\x1a\n" + b"\x00garbage" * 20, "图片无法识别或已损坏"),
        ("程序.exe", b"MZ\x90\x00", "不支持的文件类型"),
        ("照片.jpg", PDF, "文件内容与扩展名"),
    ],
)
def test_bad_files_are_refused_in_chinese_and_nothing_is_stored(personas, media, name, content, expected):
    with pytest.raises(ValidationError) as caught:
        attach(actor=personas.town_a_supervisor, obj=personas.enterprise_a, files=[upload(name, content)])
    message = refusal(caught.value)
    assert expected in message
    assert f"“{name}”" in message
    assert not Attachment.objects.exists()
    assert stored_files(media) == []


def test_a_truncated_jpeg_is_refused(personas, media):
    data = jpeg(size=(200, 200))
    with pytest.raises(ValidationError) as caught:
        attach(actor=personas.town_a_supervisor, obj=personas.enterprise_a, files=[upload("半张.jpg", data[:400])])
    assert "图片无法识别或已损坏" in refusal(caught.value)
    assert stored_files(media) == []


def test_a_file_over_the_limit_is_refused(personas, media, settings):
    settings.ANJIAN_UPLOAD_MAX_BYTES = 1024 * 1024
    big = upload("大.pdf", PDF + b"0" * (1024 * 1024), "application/pdf")
    with pytest.raises(ValidationError) as caught:
        attach(actor=personas.town_a_supervisor, obj=personas.enterprise_a, files=[big])
    assert "文件过大" in refusal(caught.value)
    assert not Attachment.objects.exists() and stored_files(media) == []


def test_an_image_with_too_many_pixels_is_refused_before_it_is_decoded(personas, media, monkeypatch):
    monkeypatch.setattr(attachments, "MAX_PIXELS", 1000)
    with pytest.raises(ValidationError) as caught:
        process_upload(upload("巨图.png", png(size=(50, 50))))
    assert "图片像素过大" in " ".join(caught.value.messages)
    assert caught.value.code == "too_many_pixels"


def test_one_bad_file_refuses_the_whole_batch(personas, media):
    files = [photo("一.jpg"), upload("二.pdf", PDF), upload("坏.jpg", b"\xff\xd8\xff" + b"\x00" * 50), photo("三.jpg")]
    with pytest.raises(ValidationError) as caught:
        attach(actor=personas.town_a_supervisor, obj=personas.enterprise_a, files=files)
    message = refusal(caught.value)
    assert "“坏.jpg”" in message and "“一.jpg”" not in message
    assert "所有文件均未保存" in message
    assert not Attachment.objects.exists()
    assert stored_files(media) == []


def test_a_storage_failure_halfway_removes_what_was_written(personas, media, monkeypatch):
    calls = {"count": 0}
    original = Attachment.save

    def failing_save(self, *args, **kwargs):
        calls["count"] += 1
        if calls["count"] == 2:
            raise RuntimeError("disk full")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Attachment, "save", failing_save)
    with pytest.raises(RuntimeError):
        attach(actor=personas.town_a_supervisor, obj=personas.enterprise_a, files=[photo("一.jpg"), photo("二.jpg")])
    assert not Attachment.objects.exists()
    assert stored_files(media) == []


def test_too_many_files_at_once_are_refused(personas):
    with pytest.raises(ValidationError) as caught:
        attach(actor=personas.town_a_supervisor, obj=personas.enterprise_a,
               files=[upload(f"{n}.pdf", PDF) for n in range(attachments.MAX_FILES + 1)])
    assert "一次最多上传 20 个文件" in refusal(caught.value)


def test_names_are_cleaned():
    assert clean_name("C:\\fakepath\\现场.jpg") == "现场.jpg"
    assert clean_name("../../etc/照片.jpg") == "照片.jpg"
    assert clean_name("evil\u202egpj.exe.jpg") == "evilgpj.exe.jpg"
    assert clean_name(".jpg") == "附件.jpg"
    long_name = clean_name("长" * 300 + ".pdf")
    assert len(long_name) == 255 and long_name.endswith(".pdf")


# ---- EXIF values ------------------------------------------------------------------------------------------------


def test_gps_coordinates_are_signed_decimal_degrees_and_nonsense_is_ignored():
    dms = (IFDRational(22), IFDRational(30), IFDRational(0))
    assert gps_coordinate(dms, "N", positive="N", negative="S", limit=90) == Decimal("22.500000")
    assert gps_coordinate(dms, b"S\x00", positive="N", negative="S", limit=90) == Decimal("-22.500000")
    assert gps_coordinate((Fraction(1135, 10),), "W", positive="E", negative="W", limit=180) == Decimal("-113.5")
    assert gps_coordinate(dms, "", positive="N", negative="S", limit=90) is None
    assert gps_coordinate(dms, "X", positive="N", negative="S", limit=90) is None
    assert gps_coordinate((IFDRational(22), IFDRational(61), IFDRational(0)), "N", positive="N", negative="S",
                          limit=90) is None
    assert gps_coordinate((IFDRational(95), IFDRational(0), IFDRational(0)), "N", positive="N", negative="S",
                          limit=90) is None
    assert gps_coordinate((IFDRational(22), IFDRational(1, 0), IFDRational(0)), "N", positive="N", negative="S",
                          limit=90) is None
    assert gps_coordinate("22.5", "N", positive="N", negative="S", limit=90) is None


def test_a_photo_at_zero_zero_has_no_position(personas):
    exif = camera_exif()
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[2] = gps[4] = (IFDRational(0), IFDRational(0), IFDRational(0))
    processed = process_upload(upload("零.jpg", jpeg(exif=exif)))
    assert processed.latitude is None and processed.longitude is None
    assert processed.taken_at is not None


def test_exif_time_is_shanghai_unless_the_camera_wrote_its_offset():
    assert exif_datetime("2026:03:01 09:30:00") == dt.datetime(2026, 3, 1, 9, 30, tzinfo=SHANGHAI)
    assert exif_datetime("2026:03:01 09:30:00", "+09:00") == dt.datetime(2026, 3, 1, 0, 30, tzinfo=dt.UTC)
    assert exif_datetime(b"2026:03:01 09:30:00\x00") == dt.datetime(2026, 3, 1, 9, 30, tzinfo=SHANGHAI)
    assert exif_datetime("0000:00:00 00:00:00") is None
    assert exif_datetime("    :  :     :  :  ") is None
    assert exif_datetime(None) is None


# ---- permissions and services -----------------------------------------------------------------------------------


def test_attaching_needs_the_action_on_the_record(personas, media):
    with pytest.raises(PermissionDenied):
        attach(actor=personas.grid_worker_a, obj=personas.enterprise_a, files=[photo()])
    with pytest.raises(PermissionDenied):
        attach(actor=personas.town_b_supervisor, obj=personas.enterprise_a, files=[photo()])
    assert stored_files(media) == []
    # The enterprise's own safety manager may change its enterprise, so may add photos to it.
    assert len(attach(actor=personas.enterprise_a_user, obj=personas.enterprise_a, files=[photo()])) == 1


def test_a_direct_upload_is_audited_on_the_record(personas):
    rows = attachment_upload(actor=personas.town_a_supervisor, obj=personas.enterprise_a,
                             files=[photo(), upload("a.pdf", PDF)])
    event = AuditEvent.objects.get(action="enterprise.attach")
    assert event.object_id == str(personas.enterprise_a.pk)
    assert event.data["attachments"] == [row.pk for row in rows]
    assert event.enterprise_id == personas.enterprise_a.pk
    assert action_label(event.action) == "为生产经营单位上传附件"


def test_deleting_an_attachment_removes_its_files_after_commit(personas, media,
                                                               django_capture_on_commit_callbacks):
    [row] = attach(actor=personas.town_a_supervisor, obj=personas.enterprise_a, files=[photo()])
    assert len(stored_files(media)) == 2  # the photo and its thumbnail
    with pytest.raises(PermissionDenied):
        attachment_delete(actor=personas.town_a_supervisor, attachment=row, reason="拍错了")
    with django_capture_on_commit_callbacks(execute=True):
        attachment_delete(actor=personas.city_admin, attachment=row, reason="拍错了")
    assert not Attachment.objects.exists()
    assert stored_files(media) == []
    event = AuditEvent.objects.get(action="enterprise.detach")
    assert event.reason == "拍错了" and event.data["name"] == "现场.jpg"


# ---- pages ------------------------------------------------------------------------------------------------------


def upload_url(enterprise) -> str:
    return reverse("core:attachment_upload", args=["enterprises.enterprise", enterprise.pk])


def test_the_enterprise_page_shows_the_panel_and_the_form_to_those_who_may_upload(personas, client):
    attach(actor=personas.town_a_supervisor, obj=personas.enterprise_a, files=[photo(), upload("制度.pdf", PDF)])
    client.force_login(personas.town_a_supervisor)
    html = client.get(personas.enterprise_a.get_absolute_url()).content.decode()
    assert "照片与附件" in html and 'data-testid="attachment-upload"' in html
    assert "2026-03-01 09:30" in html and "23.025000, 113.753428" in html
    assert "现场.jpg" in html and "制度.pdf" in html
    assert 'accept=".pdf,.jpg,.jpeg,.png,.docx,.xlsx,.doc,.xls,image/jpeg,image/png,application/pdf"' in html
    client.force_login(personas.grid_worker_a)
    html = client.get(personas.enterprise_a.get_absolute_url()).content.decode()
    assert "照片与附件" in html and "现场.jpg" in html
    assert 'data-testid="attachment-upload"' not in html


def test_the_panel_lists_only_the_records_own_files(personas, rf):
    attach(actor=personas.city_supervisor, obj=personas.enterprise_b, files=[photo("乙.jpg")])
    [mine] = attach(actor=personas.city_supervisor, obj=personas.enterprise_a, files=[photo("甲.jpg")])
    request = rf.get("/")
    request.user = personas.town_a_supervisor
    context = panel_context(request, personas.enterprise_a)
    assert [item["row"] for item in context["photos"]] == [mine]
    assert context["can_upload"] and context["documents"] == []
    assert context["photos"][0]["delete_url"] is None
    request.user = personas.city_admin
    assert panel_context(request, personas.enterprise_a)["photos"][0]["delete_url"]


def test_upload_through_the_page(personas, client, media):
    client.force_login(personas.town_a_supervisor)
    files = [photo(), upload("a.pdf", PDF)]
    response = client.post(upload_url(personas.enterprise_a), {"files": files, "note": "检查"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"{personas.enterprise_a.get_absolute_url()}#attachments")
    assert Attachment.objects.filter(note="检查").count() == 2
    assert AuditEvent.objects.filter(action="enterprise.attach").count() == 1


def test_a_refused_upload_through_the_page_says_why_and_stores_nothing(personas, client, media):
    client.force_login(personas.town_a_supervisor)
    response = client.post(upload_url(personas.enterprise_a),
                           {"files": [photo(), upload("坏.jpg", b"\xff\xd8\xff" + b"x" * 40)]}, follow=True)
    html = response.content.decode()
    assert "“坏.jpg”：图片无法识别或已损坏" in html
    assert not Attachment.objects.exists() and stored_files(media) == []
    assert not AuditEvent.objects.filter(action="enterprise.attach").exists()


def test_the_gate_on_upload_and_download(personas, client, media):
    [row] = attach(actor=personas.town_a_supervisor, obj=personas.enterprise_a, files=[photo()])
    download = reverse("core:attachment_download", args=[row.pk])
    thumbnail = reverse("core:attachment_thumbnail", args=[row.pk])

    client.force_login(personas.town_b_supervisor)
    assert client.get(download).status_code == 404
    assert client.get(thumbnail).status_code == 404
    assert client.post(upload_url(personas.enterprise_a), {"files": [photo()]}).status_code == 404
    client.force_login(personas.grid_worker_a)
    assert client.get(download).status_code == 200
    assert client.post(upload_url(personas.enterprise_a), {"files": [photo()]}).status_code == 403
    assert client.get(upload_url(personas.enterprise_a)).status_code == 405
    assert client.post(reverse("core:attachment_upload", args=["regions.region", "1"]),
                       {"files": [photo()]}).status_code == 404
    assert Attachment.objects.count() == 1
    client.logout()
    assert client.get(download).status_code == 302  # to the login page


def test_download_streams_the_file_with_safe_headers(personas, client):
    [image, document] = attach(actor=personas.town_a_supervisor, obj=personas.enterprise_a,
                               files=[photo(), upload("整改报告.pdf", PDF)])
    client.force_login(personas.town_a_supervisor)
    response = client.get(reverse("core:attachment_download", args=[image.pk]))
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline;")
    assert "filename*=utf-8''%E7%8E%B0%E5%9C%BA.jpg" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == image.file.read()
    response = client.get(reverse("core:attachment_download", args=[document.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == PDF
    response = client.get(reverse("core:attachment_thumbnail", args=[document.pk]))
    assert response.status_code == 404


def test_delete_page_asks_for_a_reason_and_only_the_city_administrator_may(personas, client, media,
                                                                          django_capture_on_commit_callbacks):
    [row] = attach(actor=personas.town_a_supervisor, obj=personas.enterprise_a, files=[photo()])
    url = reverse("core:attachment_delete", args=[row.pk])
    client.force_login(personas.town_a_supervisor)
    assert client.get(url).status_code == 404
    client.force_login(personas.city_admin)
    page = client.get(url)
    assert page.status_code == 200 and "确认删除附件" in page.content.decode()
    assert client.post(url, {"reason": ""}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "重复上传"})
    assert response.status_code == 302
    assert response["Location"] == f"{personas.enterprise_a.get_absolute_url()}#attachments"
    assert not Attachment.objects.exists() and stored_files(media) == []


# ---- API --------------------------------------------------------------------------------------------------------


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_lists_only_visible_attachments(personas):
    [mine] = attach(actor=personas.city_supervisor, obj=personas.enterprise_a, files=[photo("甲.jpg")])
    [theirs] = attach(actor=personas.city_supervisor, obj=personas.enterprise_b, files=[photo("乙.jpg")])
    listed = api(personas.town_a_supervisor).get("/api/v1/attachments/").json()["results"]
    assert [item["id"] for item in listed] == [mine.pk]
    assert listed[0]["object_type"] == "enterprises.enterprise"
    assert listed[0]["latitude"] == "23.025000"
    assert listed[0]["download_url"].endswith(f"/api/v1/attachments/{mine.pk}/download/")
    everything = api(personas.city_supervisor).get(
        "/api/v1/attachments/", {"object_type": "enterprises.enterprise", "object_id": personas.enterprise_b.pk}
    ).json()["results"]
    assert [item["id"] for item in everything] == [theirs.pk]
    assert api(personas.town_a_supervisor).get(f"/api/v1/attachments/{theirs.pk}/").status_code == 404
    assert api(personas.town_a_supervisor).get(f"/api/v1/attachments/{theirs.pk}/download/").status_code == 404


def test_api_upload_and_download(personas, media):
    client = api(personas.enterprise_a_user)
    response = client.post("/api/v1/attachments/", {
        "object_type": "enterprises.enterprise", "object_id": personas.enterprise_a.pk,
        "files": [photo(), upload("a.pdf", PDF)], "purpose": "self_check", "note": "自查",
    }, format="multipart")
    assert response.status_code == 201, response.content
    created = response.json()
    assert [item["kind"] for item in created] == ["photo", "document"]
    assert created[0]["taken_at"].startswith("2026-03-01T09:30:00+08:00")
    download = client.get(f"/api/v1/attachments/{created[1]['id']}/download/", HTTP_ACCEPT="application/pdf")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["X-Content-Type-Options"] == "nosniff"


def test_api_upload_errors_in_the_project_format(personas, media):
    body = {"object_type": "enterprises.enterprise", "object_id": personas.enterprise_a.pk}
    bad = api(personas.town_a_supervisor).post(
        "/api/v1/attachments/", {**body, "files": [photo(), upload("坏.jpg", b"\xff\xd8\xffgarbage")]},
        format="multipart",
    )
    assert bad.status_code == 400
    answer = bad.json()
    assert answer["code"] == "invalid"
    assert any("“坏.jpg”：图片无法识别或已损坏" in message for message in answer["fields"]["files"])
    assert not Attachment.objects.exists() and stored_files(media) == []

    forbidden = api(personas.grid_worker_a).post("/api/v1/attachments/", {**body, "files": [photo()]},
                                                 format="multipart")
    assert forbidden.status_code == 403 and forbidden.json()["code"] == "permission_denied"
    hidden = api(personas.town_b_supervisor).post("/api/v1/attachments/", {**body, "files": [photo()]},
                                                  format="multipart")
    assert hidden.status_code == 404 and hidden.json()["code"] == "not_found"
    wrong_type = api(personas.city_admin).post(
        "/api/v1/attachments/", {"object_type": "accounts.user", "object_id": 1, "files": [photo()]},
        format="multipart",
    )
    assert wrong_type.status_code == 400 and "object_type" in wrong_type.json()["fields"]
    empty = api(personas.city_admin).post("/api/v1/attachments/", body, format="multipart")
    assert empty.status_code == 400 and "files" in empty.json()["fields"]


def test_api_schema_lists_the_attachment_endpoints(personas):
    schema = api(personas.grid_worker_a).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    for path in ("/api/v1/attachments/", "/api/v1/attachments/{id}/", "/api/v1/attachments/{id}/download/"):
        assert path in schema["paths"], path
    assert "post" in schema["paths"]["/api/v1/attachments/"]


# ---- S3 ---------------------------------------------------------------------------------------------------------


def test_attachments_round_trip_through_s3(personas, client, settings, media):
    import boto3
    from moto import mock_aws

    with mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="anjian-test")
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": "anjian-test", "access_key": "test", "secret_key": "test",
                    "region_name": "us-east-1", "querystring_auth": False, "file_overwrite": False,
                },
            },
        }
        client.force_login(personas.town_a_supervisor)
        response = client.post(upload_url(personas.enterprise_a), {"files": [photo()]})
        assert response.status_code == 302
        row = Attachment.objects.get()
        assert type(row.file.storage._wrapped).__name__ == "S3Storage"
        keys = {item["Key"] for item in boto3.client("s3", region_name="us-east-1").list_objects_v2(
            Bucket="anjian-test")["Contents"]}
        assert keys == {row.file.name, row.thumbnail.name}
        stored = boto3.client("s3", region_name="us-east-1").get_object(
            Bucket="anjian-test", Key=row.file.name)["Body"].read()
        assert row.sha256 == hashlib.sha256(stored).hexdigest()
        download = client.get(reverse("core:attachment_download", args=[row.pk]))
        assert download.status_code == 200
        assert b"".join(download.streaming_content) == stored
    assert stored_files(media) == []  # nothing went to the local disk


# ---- demo -------------------------------------------------------------------------------------------------------


def test_demo_photos_carry_time_and_position_and_are_added_once(personas):
    from anjian.core.registry import DemoOptions
    from anjian.enterprises.demo_photos import delete_demo_photos, generate_demo_photos

    line = generate_demo_photos(DemoOptions(enterprises=10, seed=2026))
    assert "1 家各添加 1 张演示现场照片" in line
    row = Attachment.objects.get()
    assert row.object_id == str(personas.enterprise_a.pk) and row.kind == "photo"
    assert row.taken_at is not None
    assert abs(row.latitude - personas.enterprise_a.latitude) < Decimal("0.001")
    assert abs(row.longitude - personas.enterprise_a.longitude) < Decimal("0.001")
    assert "0 家各添加" in generate_demo_photos(DemoOptions(enterprises=10, seed=2026))
    assert delete_demo_photos() == 1


# ---- with a transition ------------------------------------------------------------------------------------------


def test_a_transition_carries_photos_all_or_nothing(personas, media):
    # The kit's test workflow (anjian/core/tests/kitapp): closing an approved permit needs at least one file, and
    # the enterprise user may "close" it.
    from anjian.core.tests.kitapp.models import PermitState, WorkPermit
    from anjian.core.workflow import transition

    permit = WorkPermit.objects.create(enterprise=personas.enterprise_a, title="动火", state=PermitState.APPROVED)
    bad = [photo(), upload("坏.jpg", b"\xff\xd8\xff" + b"\x00" * 60)]
    with pytest.raises(ValidationError) as caught:
        transition(actor=personas.enterprise_a_user, obj=permit, action="close", attachments=bad)
    assert "“坏.jpg”：图片无法识别或已损坏" in " ".join(caught.value.message_dict["attachments"])
    assert WorkPermit.objects.get(pk=permit.pk).state == PermitState.APPROVED
    assert not Attachment.objects.exists() and stored_files(media) == []

    closed = transition(actor=personas.enterprise_a_user, obj=permit, action="close", attachments=[photo()])
    [row] = Attachment.objects.all()
    assert closed.state == PermitState.CLOSED
    assert (row.purpose, row.object_id, row.enterprise_id) == ("close", str(permit.pk), personas.enterprise_a.pk)
    assert AuditEvent.objects.get(action="workpermit.close").data["attachments"] == [row.pk]
    assert not AuditEvent.objects.filter(action="workpermit.attach").exists()
