"""Every page carries a Content-Security-Policy: scripts from this site or with the page's nonce,
no inline event handlers anywhere in the templates."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import luoshi

pytestmark = pytest.mark.django_db
TEMPLATES = sorted(Path(luoshi.__file__).parent.rglob("templates/**/*.html"))


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in header.split(";") if d.strip()}


@pytest.mark.parametrize("path", ["/public/", "/accounts/login/"])
def test_anonymous_pages_carry_the_policy(world, client, path):
    policy = _policy(client.get(path))
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    # Stylesheets from this site only; style attributes (computed widths, the charts') allowed.
    assert policy["style-src"] == ["'self'"] and policy["style-src-attr"] == ["'unsafe-inline'"]


@pytest.mark.parametrize("path", ["/ledger/", "/dashboard/", "PLAN", "TASK", "/notices/"])
def test_the_nonce_in_the_header_is_the_one_on_the_pages_scripts(world, login, path):
    path = path.replace("PLAN", f"/plans/{world.plan_a.pk}/").replace("TASK", f"/tasks/{world.task_a.pk}/")
    response = login(world.office_a).get(path)
    assert response.status_code == 200
    (nonce,) = [s[len("'nonce-") : -1] for s in _policy(response)["script-src"] if s.startswith("'nonce-")]
    body = response.content.decode()
    assert len(nonce) >= 16 and body.count(f'nonce="{nonce}"') >= 2


def test_each_response_gets_its_own_nonce(world, client):
    first, second = (_policy(client.get("/accounts/login/"))["script-src"] for _ in range(2))
    assert first != second


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_template_has_an_inline_handler_or_an_inline_script_without_a_nonce(template):
    text = template.read_text(encoding="utf-8")
    assert not re.search(r"\son[a-z]+\s*=", text), "event-handler attribute: put it in static/luoshi/site.js"
    assert not re.search(r"\bjavascript:", text)
    for tag in re.findall(r"<script\b[^>]*>", text):
        # A script runs if it is external (from this site) or carries the nonce; data blocks never run.
        assert "src=" in tag or "nonce=" in tag or 'type="application/json"' in tag, tag


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_template_has_a_style_element(template):
    """style-src 'self' refuses them: styles belong in static/luoshi/site.css."""
    assert not re.search(r"<style\b", template.read_text(encoding="utf-8"))
