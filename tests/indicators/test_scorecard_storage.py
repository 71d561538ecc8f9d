"""A published scorecard's Word and PDF in the object store (LUOSHI_STORAGE_URL): stored there,
served from there to everyone, and while the store is down neither published half-way nor served
as a server error."""

from __future__ import annotations

import pytest

from luoshi.indicators import scorecards
from luoshi.indicators.models import Scorecard, ScorecardChange
from luoshi.indicators.services import IndicatorError
from luoshi.web import env
from tests.indicators.test_scorecards import Data, moment
from tests.web.services import S3_KEYS, object_store  # noqa: F401 - fixture

DOWN = "文件存储暂时无法访问"


@pytest.fixture
def bucket(object_store, settings, monkeypatch):  # noqa: F811 - the fixture above
    for name, value in S3_KEYS.items():
        monkeypatch.setenv(name, value)
    settings.STORAGES = {**settings.STORAGES, "default": env.file_storage(object_store.url)}
    return object_store


@pytest.fixture
def draft(area, people):
    Data(area)
    return scorecards.draft(area.area, "2020", by=people.office, on=moment("2021-04-14T09:00"))


def test_a_published_scorecard_is_stored_in_the_bucket_and_served_from_it(bucket, draft, people, client):
    row = scorecards.publish(draft, by=people.office)
    stored = bucket.objects("files/scorecards/")
    assert set(stored) == {f"files/{row.docx.name}", f"files/{row.pdf.name}"}
    got = client.get(f"/indicators/scorecards/{row.pk}/scorecard.docx")
    assert got.status_code == 200 and got.content == stored[f"files/{row.docx.name}"]
    with bucket.down():
        got = client.get(f"/indicators/scorecards/{row.pk}/scorecard.pdf")
    assert got.status_code == 503 and DOWN in got.content.decode()
    assert client.get(f"/indicators/scorecards/{row.pk}/scorecard.pdf").content == stored[f"files/{row.pdf.name}"]


def test_a_scorecard_that_cannot_be_stored_stays_a_draft(bucket, draft, people):
    with bucket.down(), pytest.raises(IndicatorError, match=DOWN):
        scorecards.publish(draft, by=people.office)
    draft.refresh_from_db()
    assert draft.state == Scorecard.State.DRAFT and not draft.docx and not draft.pdf
    assert not ScorecardChange.objects.filter(action="published").exists()
    assert bucket.objects("files/scorecards/") == {}
