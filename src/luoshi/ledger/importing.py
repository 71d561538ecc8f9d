"""Import a plan: upload → ImportSession (JSON only) → review → one atomic commit.

1. ``start_import`` checks the upload, parses it with the text engine and keeps the plan JSON.
2. ``review`` flattens the items and marks what needs a person: no lead unit, unknown unit
   names, low confidence; for a re-import it also diffs against the existing plan.
3. ``commit_import`` writes Plan/Task rows inside one transaction: a failure writes nothing, and an
   Excel ledger with any row error (``excel_rows``) is refused outright.

A re-import never deletes a task: one the revised document drops is withdrawn (``removed_at``) and
keeps its reports; a later revision that lists it again restores it.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import re
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from luoshi.accounts import audit
from luoshi.ledger import excel_rows, history, import_progress
from luoshi.ledger.domains import guess_domain
from luoshi.ledger.models import (
    Cadence,
    City,
    ImportSession,
    Plan,
    PlanText,
    Role,
    Task,
    TaskAssignment,
    TaskRole,
    TaskTarget,
    Unit,
)
from luoshi.ledger.revisions import LEAD, SUPPORT, UnitRef, UnitRevision, revise_units
from luoshi.ledger.services import TITLE_MAX, RuleError, clean_text, refresh_inherited
from luoshi.ledger.units import add_alias, city_of_document, create_unit, resolve_unit
from luoshi.ledger.uploads import DOCUMENT_KINDS, UploadRejected, check_upload
from luoshi.web import storage
from luoshi.web.ids import parse_id

NEW_UNIT = "new"
PLAN_TITLE_MAX = 300  # Plan.title
SIMILAR = 0.6  # title similarity above which a re-imported item is the same task renamed
PROGRESS_EVERY = 200  # tasks written between two progress reports during a commit
# The text engine's stages as the waiting page names them (see import_progress).
PARSE_STAGES = {
    "read": gettext_lazy("读取文件"),
    "normalize": gettext_lazy("识别结构"),
    "outline": gettext_lazy("识别结构"),
    "units": gettext_lazy("识别责任单位"),
    "targets": gettext_lazy("识别目标和时限"),
    "done": gettext_lazy("保存预览"),
}


LIMIT_MESSAGES = {
    "time": gettext_lazy("文件过于复杂，%(s)d 秒内未能读完，未导入；请拆分后重新上传。"),
    "memory": gettext_lazy("文件过于复杂，读取所需内存超出限制，未导入；请拆分后重新上传。"),
    "crash": gettext_lazy("读取文件的进程意外退出，未导入；请检查文件后重新上传。"),
}


class ImportFailed(ValueError):
    """The document cannot be imported; the message says why."""


@dataclass(slots=True)
class Row:
    """One item of the uploaded plan, flattened in document order."""

    index: int
    depth: int
    parent: int | None
    path: str
    item: dict
    flags: list[str] = field(default_factory=list)
    match: Task | None = None
    change: str = "added"  # for a re-import: added, changed, unchanged, restored (was withdrawn)
    units: UnitRevision | None = None  # for a re-import: what the revision does to the task's units
    # The review's unit pickers: per role, (value, text) of the units chosen so far; a value is
    # ``n:`` and a name the document gives, or the id of a unit already in the ledger.
    picks: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return ledger_title(self.item.get("title", ""))

    @property
    def role(self) -> str:
        return row_role(self.item)


@dataclass(slots=True)
class Review:
    rows: list[Row]
    unknown_units: list[str]
    removed: list[Task]

    @property
    def unit_changes(self) -> list[Row]:
        """Rows whose units a commit adds or removes."""
        return [r for r in self.rows if r.units is not None and r.units.changed]

    @property
    def counts(self) -> dict[str, int]:
        out = {"added": 0, "changed": 0, "unchanged": 0, "restored": 0, "removed": len(self.removed)}
        for r in self.rows:
            out[r.change] += 1
        return out


# -- 1. upload ------------------------------------------------------------------------------


def start_import(
    upload: UploadedFile | None,
    user,
    *,
    target: Plan | None = None,
    request=None,
    progress_token: str | None = None,
) -> ImportSession:
    """Check and parse an uploaded document; the session holds the plan JSON and nothing else is written.

    With a ``progress_token`` the stages are reported through ``import_progress``, and so is a failure.
    """
    with import_progress.tracker(user, progress_token).watching((ImportFailed,)) as tracker:
        return _start_import(upload, user, target, request, tracker)


def _start_import(upload, user, target, request, tracker) -> ImportSession:
    from luoshi.textplan import ReadError
    from luoshi.textplan.isolated import LimitExceeded, parse_file_isolated

    def parsing(stage: str, fraction: float) -> None:
        # The upload itself is over before the view runs: parsing is most of what is left.
        tracker.stage(PARSE_STAGES.get(stage, stage), 0.9 * fraction)

    try:
        info = check_upload(upload, DOCUMENT_KINDS)
    except UploadRejected as e:
        audit.record("import_rejected", request, user=user, detail=str(e))
        raise ImportFailed(str(e)) from None
    upload.seek(0)
    content = upload.read()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / info.storage_name
        path.write_bytes(content)
        try:
            # In a worker process with a time and a memory limit: a crafted document must not hold
            # a core and gigabytes of the web process for minutes.
            plan = parse_file_isolated(
                path,
                seconds=settings.IMPORT_PARSE_SECONDS,
                memory_bytes=settings.IMPORT_PARSE_MEMORY_BYTES,
                progress=parsing,
            )
        except ReadError as e:
            audit.record("import_rejected", request, user=user, detail=str(e))
            raise ImportFailed(_("无法读取文件：%s") % str(e).split(": ", 1)[-1]) from None
        except LimitExceeded as e:
            audit.record("import_rejected", request, user=user, detail=f"parse limit: {e.kind}")
            raise ImportFailed(str(LIMIT_MESSAGES[e.kind]) % {"s": settings.IMPORT_PARSE_SECONDS}) from None
        row_errors = excel_rows.check(path) if info.kind == "xlsx" else []
    data = plan.to_dict()
    data["source"] = info.display_name
    if not any(True for _ in plan.walk()):
        audit.record("import_rejected", request, user=user, detail="no items")
        raise ImportFailed(_("文件中没有识别出任务条目"))
    data["text"] = plan.text
    session = ImportSession(
        created_by=user,
        filename=info.display_name,
        kind="excel" if info.kind == "xlsx" else "document",
        target=target,
        data=data,
        row_errors=row_errors,
    )
    try:
        session.file.save(info.storage_name, ContentFile(content), save=False)
    except storage.StorageUnavailable as e:
        # The file was not stored, so neither is the session that would name it.
        audit.record("import_rejected", request, user=user, detail="file storage unavailable")
        raise ImportFailed(str(e)) from None
    session.save()
    audit.record("import", request, user=user, detail=f"session {session.pk}: {info.display_name}")
    return session


# -- 2. review ------------------------------------------------------------------------------


def flatten(items: list[dict]) -> list[Row]:
    """Items depth first, each with its parent's index and its label path."""
    rows: list[Row] = []

    def walk(children: list[dict], depth: int, parent: int | None, prefix: str) -> None:
        for item in children:
            path = f"{prefix}/{item.get('label', '')}" if prefix else item.get("label", "")
            row = Row(index=len(rows), depth=depth, parent=parent, path=path[:255], item=item)
            rows.append(row)
            walk(item.get("children", []), depth + 1, row.index, path)

    walk(items, 0, None, "")
    return rows


def default_city(session: ImportSession) -> City | None:
    """The city a plan's units are looked up in: the revised plan's, else the issuer's."""
    if session.target_id:
        return session.target.city
    return city_of_document(session.data.get("meta", {}))


def review(session: ImportSession, city: City | None = None) -> Review:
    """The flattened ledger with uncertain parts flagged, and the diff when re-importing.

    Unit names are looked up in ``city``, by default the one ``default_city`` gives.
    """
    city = city or default_city(session)
    rows = flatten(session.data.get("items", []))
    unknown: dict[str, None] = {}
    has_lead: dict[int, bool] = {}
    known: dict[str, Unit | None] = {}  # a plan names the same few dozen units thousands of times

    def resolve(name: str) -> Unit | None:
        if name not in known:
            known[name] = resolve_unit(name, city)
        return known[name]

    for r in rows:
        inherited = r.parent is not None and has_lead[r.parent]
        has_lead[r.index] = bool(r.item.get("lead")) or inherited
        if r.item.get("confidence", 1) < 1:
            r.flags.append(_("置信度 %(c)s") % {"c": r.item.get("confidence")})
        for name in [*r.item.get("lead", []), *r.item.get("support", [])]:
            if resolve(name) is None:
                unknown[name] = None
                r.flags.append(_("未知单位：%s") % name)
    removed: list[Task] = []
    if session.target_id:
        removed = match_existing(session.target, rows, lambda name: _ref(name, resolve(name)))
        keep_roles(rows, {})
        # Units kept from the plan as it stands count as a lead too.
        for r in rows:
            if (r.units is not None and r.units.units[LEAD]) or (r.parent is not None and has_lead[r.parent]):
                has_lead[r.index] = True
    for r in rows:
        r.picks = _picks(r, resolve)
        # Background and safeguard rows are never chased, so no one need lead them.
        if not r.item.get("children") and not has_lead[r.index] and row_role(r.item) == TaskRole.TASK:
            r.flags.insert(0, _("无牵头单位"))
    return Review(rows, list(unknown), removed)


def _picks(r: Row, resolve: Callable[[str], Unit | None]) -> dict[str, list[tuple[str, str]]]:
    """What the row's unit pickers start from: the units a commit would write for it."""
    out: dict[str, list[tuple[str, str]]] = {}
    for role in (LEAD, SUPPORT):
        if r.units is not None:
            # A revised plan: the task's units as the revision leaves them.
            out[role] = [(str(ref.pk), ref.name) if ref.pk else (f"n:{ref.name}", ref.name) for ref in r.units.units[role]]
            continue
        picks = []
        for name in r.item.get(role, []):
            unit = resolve(name)
            picks.append((f"n:{name}", unit.with_city if unit else _("未知单位：%s") % name))
        out[role] = picks
    return out


def _ref(name: str, unit: Unit | None) -> UnitRef:
    from luoshi.textplan.responsibility import canonical_unit

    return UnitRef(unit.name, unit.pk) if unit is not None else UnitRef(canonical_unit(name))


def match_existing(plan: Plan, rows: list[Row], resolve: Callable[[str], UnitRef]) -> list[Task]:
    """Pair rows with the plan's tasks: the same title (at the same label path first), then the
    same path with a like title, then the most similar title; returns the current tasks left over
    (to withdraw). Withdrawn tasks take part too, so a revision can bring one back. Each paired
    row gets the units the task will hold (``revisions.revise_units``), with names resolved by
    ``resolve``.

    The same wording comes first because a revision renumbers: one new item shifts the label of
    every item after it, and pairing by label would hand each report to its neighbour's task.
    """
    tasks = list(plan.tasks.prefetch_related("assignments__unit", "targets").order_by("position"))
    tasks.sort(key=lambda t: t.removed_at is not None)  # on a tie the current task wins
    taken: set[int] = set()

    def pair(r: Row, t: Task | None) -> None:
        if t is not None and t.id not in taken and r.match is None:
            r.match = t
            taken.add(t.id)

    by_title: dict[str, list[Task]] = {}
    by_path: dict[str, Task] = {}
    for t in tasks:
        by_title.setdefault(t.title, []).append(t)
        by_path.setdefault(t.path, t)
    for r in rows:
        pair(r, next((t for t in by_title.get(r.title, ()) if t.path == r.path and t.id not in taken), None))
    for r in rows:
        pair(r, next((t for t in by_title.get(r.title, ()) if t.id not in taken), None))
    for r in rows:
        t = by_path.get(r.path)
        if t and difflib.SequenceMatcher(None, t.title, r.title).ratio() >= SIMILAR / 2:
            pair(r, t)
    for r in rows:
        if r.match is None:
            pair(r, _most_similar(r.title, tasks, taken))
    for r in rows:
        if r.match is None:
            continue
        named = {role: [resolve(n) for n in r.item.get(role, [])] for role in (LEAD, SUPPORT)}
        r.units = revise_units(_current_units(r.match), named)
        if r.match.removed_at is not None:
            r.change = "restored"
        else:
            r.change = "unchanged" if _same(r.match, r, r.units) else "changed"
    return [t for t in tasks if t.id not in taken and t.removed_at is None]


def _current_units(task: Task) -> dict[str, list[UnitRef]]:
    """The units ``task`` names itself (not those it inherits), per role, in their order."""
    out: dict[str, list[UnitRef]] = {LEAD: [], SUPPORT: []}
    for a in sorted(task.assignments.all(), key=lambda a: a.position):
        if not a.inherited:
            out[a.role].append(UnitRef(a.unit.name, a.unit_id))
    return out


def _most_similar(title: str, tasks: list[Task], taken: set[int]) -> Task | None:
    """The untaken task whose title is most like ``title``, at least ``SIMILAR`` alike.

    A renumbered revision leaves most rows unmatched by path, so this runs for every row against
    every task: the row's title is analysed once, and the cheap upper bounds of the ratio skip a
    task before the full comparison (3,000 renumbered items: minutes before, seconds now).
    """
    matcher = difflib.SequenceMatcher(None, "", title)
    best, score = None, SIMILAR
    for t in tasks:
        if t.id in taken:
            continue
        matcher.set_seq1(t.title)
        if matcher.real_quick_ratio() < score or matcher.quick_ratio() < score:
            continue
        s = matcher.ratio()
        if s > score or (best is None and s == score):
            best, score = t, s
    return best


def _target_key(t) -> tuple:
    if isinstance(t, dict):
        return (
            t.get("metric", ""),
            t.get("unit", ""),
            t.get("comparator", ""),
            t.get("value"),
            t.get("low"),
            t.get("high"),
        )
    return (t.metric, t.unit, t.comparator, t.value, t.low, t.high)


def _same(task: Task, row: Row, units: UnitRevision) -> bool:
    return (
        task.title == row.title[:500]
        and task.text == row.item.get("text", "")
        and task.deadline == _deadline(row.item)
        and not units.changed
        and [_target_key(t) for t in task.targets.all()] == [_target_key(t) for t in _targets(row.item)]
    )


# Where a heading carries its units in brackets (`优化轨道交通布局（市交通运输局牵头，市发展改革局配合）`),
# the ledger shows them in their own columns, not in the title.
_UNITS_IN_BRACKETS = re.compile(
    r"\s*[（(][^（）()]*(?:牵头|配合|负责|责任单位|责任部门|主办|会办|协办)[^（）()]*[）)]\s*"
)


def row_role(item: dict) -> str:
    """The row's role as the engine (or the reviewer) set it; anything unknown is a task, the safe
    side: a row wrongly chased is noticed, a task wrongly left out is not."""
    role = item.get("role")
    return role if role in TaskRole.values else TaskRole.TASK


def ledger_title(title: str) -> str:
    """A plan item's title as the ledger keeps it: without a bracketed responsibility clause."""
    stripped = _UNITS_IN_BRACKETS.sub("", title).strip()
    return stripped or title


# -- 3. commit ------------------------------------------------------------------------------


def _deadline(item: dict) -> dt.date | None:
    raw = (item.get("deadline") or {}).get("date")
    try:
        return dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _targets(item: dict) -> list[dict]:
    return [t for t in item.get("targets", []) if t.get("kind", "target") == "target"]


def _cadence(data: dict) -> str:
    periods = [c.get("period") for c in data.get("cadence", [])]
    for p in periods:
        if p in Cadence.values:
            return p
    return Cadence.MONTH


def _units_for(
    names: list[str], unit_map: Mapping[str, str | int], city: City | None, cache: dict
) -> list[Unit]:
    out: list[Unit] = []
    for name in names:
        if name not in cache:
            choice = unit_map.get(name)
            if choice and choice != NEW_UNIT:
                pk = parse_id(choice)
                unit = Unit.objects.filter(pk=pk).first() if pk else None
                if unit is None:
                    raise RuleError(_("所选单位不存在：%s") % name)
                add_alias(unit, name)
            else:
                unit = resolve_unit(name, city) or create_unit(name, city)
            cache[name] = unit
        if cache[name] not in out:
            out.append(cache[name])
    return out


def commit_import(
    session: ImportSession,
    user,
    *,
    titles: Mapping[int, str] | None = None,
    unit_map: Mapping[str, str | int] | None = None,
    city: City | None = None,
    plan_title: str | None = None,
    roles: Mapping[int, str] | None = None,
    row_units: Mapping[int, tuple[list[str], list[str]]] | None = None,
    deadlines: Mapping[int, str] | None = None,
    request=None,
    progress_token: str | None = None,
) -> Plan:
    """Write the reviewed session as a new plan, or onto its target plan; all or nothing.

    ``roles``, ``row_units`` and ``deadlines`` carry what the reviewer set per row (by row
    index): a role (task, context, safeguard), the lead and support units (see
    ``apply_row_units``) and a deadline (see ``apply_deadlines``).
    With a ``progress_token`` it reports 写入台账 n/total every ``PROGRESS_EVERY`` tasks, and a failure.
    """
    with import_progress.tracker(user, progress_token).watching((ImportFailed, RuleError)) as tracker:
        choices = (roles or {}, row_units or {}, deadlines or {})
        return _commit_import(session, user, titles, unit_map, city, plan_title, choices, request, tracker)


# A unit the reviewer picked by id stands in the row's unit list under this name, which no
# document can hold (a name never starts with a control character): the commit's name cache
# already maps it to the unit, so the plan's city does not decide which unit it is.
_PICKED = "\x00unit:"


def _canonical(name: str) -> str:
    from luoshi.textplan.responsibility import canonical_unit

    return canonical_unit(name)


def apply_row_units(
    rows: list[Row], row_units: Mapping[int, tuple[list[str], list[str]]], cache: dict[str, Unit]
) -> None:
    """Put the reviewer's units on the rows: each value is a unit id (picked in the review) or
    ``n:`` and a name the document gives (on any row: 应用到下级 copies a section's units to
    rows that do not name them). Unknown ids and names the document does not give are refused,
    so a forged form changes nothing and makes no unit."""
    by_index = {r.index: r for r in rows}
    named = {n for r in rows for n in (*r.item.get("lead", []), *r.item.get("support", []))}
    named |= {_canonical(n) for n in named}  # a revision's review shows new names folded
    ids: set[int] = set()
    for index, pair in row_units.items():
        for value in (*pair[0], *pair[1]):
            if not value.startswith("n:"):
                pk = parse_id(value)
                if pk is None:
                    raise RuleError(_("所选单位不存在：%s") % value[:40])
                ids.add(pk)
        if index not in by_index:
            raise RuleError(_("没有第 %(n)s 行") % {"n": index})
    found = {u.pk: u for u in Unit.objects.filter(pk__in=ids)}
    if len(found) != len(ids):
        raise RuleError(_("所选单位不存在：%s") % ", ".join(str(i) for i in sorted(ids - set(found)))[:200])
    for pk, unit in found.items():
        cache[f"{_PICKED}{pk}"] = unit
    for index, (lead, support) in row_units.items():
        item = by_index[index].item
        chosen: list[list[str]] = []
        for values in (lead, support):
            names = []
            for value in values:
                if value.startswith("n:"):
                    if value[2:] not in named:
                        raise RuleError(_("单位“%s”不在方案原文中") % value[2:][:40])
                    name = value[2:]
                else:
                    name = f"{_PICKED}{parse_id(value)}"
                if name not in names:
                    names.append(name)
            chosen.append(names)
        item["lead"] = chosen[0]
        item["support"] = [n for n in chosen[1] if n not in chosen[0]]


# The years a deadline the reviewer types may fall in: a typo such as 0202 or 20255 is refused.
DEADLINE_YEARS = range(1990, 2200)


def parse_deadline(value: str) -> dt.date | None:
    """A deadline as the review's date field sends it (``YYYY-MM-DD``; empty for none); a
    RuleError for anything else."""
    value = value.strip()
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        day = None
    if day is None or day.year not in DEADLINE_YEARS:
        raise RuleError(_("完成时限“%s”不是有效日期") % value[:20])
    return day


def apply_deadlines(rows: list[Row], deadlines: Mapping[int, str]) -> None:
    """Set each row's deadline as the reviewer left it (empty: none); a deadline unchanged from
    the document keeps the document's wording, a changed one has none."""
    by_index = {r.index: r for r in rows}
    for index, value in deadlines.items():
        if index not in by_index:
            raise RuleError(_("没有第 %(n)s 行") % {"n": index})
        day = parse_deadline(value)
        item = by_index[index].item
        if day != _deadline(item):
            item["deadline"] = {"date": day.isoformat(), "text": ""} if day else None


def keep_roles(rows: list[Row], chosen: Mapping[int, str]) -> None:
    """A revision keeps the role a task has (the office may have set it) unless the reviewer
    chose one for the row this time."""
    for r in rows:
        if r.match is not None and r.index not in chosen:
            r.item["role"] = r.match.role


def apply_roles(rows: list[Row], roles: Mapping[int, str]) -> None:
    """Set each row's role as the reviewer chose it; an unknown role or row is refused."""
    by_index = {r.index: r for r in rows}
    for index, role in roles.items():
        if role not in TaskRole.values:
            raise RuleError(_("性质“%s”不正确") % str(role)[:20])
        if index not in by_index:
            raise RuleError(_("没有第 %(n)s 行") % {"n": index})
        by_index[index].item["role"] = role


def _commit_import(session, user, titles, unit_map, city, plan_title, choices, request, tracker) -> Plan:
    if session.state != ImportSession.State.OPEN:
        raise RuleError(_("该导入已处理"))
    if session.row_errors:
        # All or nothing: a ledger with some bad rows would go in without them, unnoticed.
        raise ImportFailed(_("表格中有错误（见逐行检查），未导入任何内容；请在表格中改正后重新上传。"))
    titles = {int(k): clean_text(v, TITLE_MAX, _("任务标题")).strip() for k, v in (titles or {}).items()}
    if any(not v for v in titles.values()):
        raise RuleError(_("任务标题不能为空"))
    if plan_title:
        plan_title = clean_text(plan_title, PLAN_TITLE_MAX, _("方案标题")).strip() or None
    unit_map = dict(unit_map or {})
    # A copy: the reviewer's choices are written onto its rows, and a refused commit must leave the
    # session's preview as it was for the page shown again.
    data = copy.deepcopy(session.data)
    with transaction.atomic():
        rows = flatten(data.get("items", []))
        for r in rows:
            if r.index in titles:
                r.item["title"] = titles[r.index][:500]
        cache: dict[str, Unit] = {}
        roles, row_units, deadlines = choices
        apply_roles(rows, roles)
        apply_row_units(rows, row_units, cache)
        apply_deadlines(rows, deadlines)
        if session.target_id:
            plan = Plan.objects.select_for_update().get(pk=session.target_id)
            city = city or plan.city

            def resolve(name: str) -> UnitRef:
                unit = _units_for([name], unit_map, city, cache)[0]
                return UnitRef(unit.name, unit.pk)

            removed = match_existing(plan, rows, resolve)
            keep_roles(rows, roles)
            _write_plan_meta(plan, data, user, plan_title)
        else:
            plan = _new_plan(session, data, user, city, plan_title)
            removed = []
        _write_tasks(
            plan,
            rows,
            removed,
            unit_map,
            city,
            user,
            cache,
            source=data.get("source", ""),
            tracker=tracker,
        )
        refresh_inherited(plan)
        session.state = ImportSession.State.COMMITTED
        session.plan = plan
        session.save(update_fields=["state", "plan"])
        audit.record("import_commit", request, user=user, detail=f"session {session.pk} → plan {plan.pk}")
    return plan


def plans_with_same_number(session: ImportSession) -> list[Plan]:
    """Plans already imported under the uploaded document's 文号 (the same plan imported twice)."""
    number = " ".join(str(session.data.get("meta", {}).get("doc_number") or "").split())
    if not number or session.target_id:
        return []
    return list(Plan.objects.filter(doc_number=number[:100]).only("id", "title", "doc_number"))


def make_revision(session: ImportSession, plan: Plan) -> None:
    """Turn an open upload into a revision of ``plan`` (导入修订版) instead of a new plan."""
    if session.state != ImportSession.State.OPEN:
        raise RuleError(_("该导入已处理"))
    session.target = plan
    session.save(update_fields=["target"])


def abandon_import(session: ImportSession, user) -> None:
    """Drop a session; nothing in the ledger was ever written for it."""
    if session.state == ImportSession.State.OPEN:
        session.state = ImportSession.State.ABANDONED
        session.save(update_fields=["state"])


def _new_plan(session: ImportSession, data: dict, user, city: City | None, title: str | None) -> Plan:
    meta = data.get("meta", {})
    date = None
    if meta.get("date"):
        try:
            date = dt.date.fromisoformat(meta["date"])
        except ValueError:
            date = None
    plan = Plan.objects.create(
        title=(title or meta.get("title") or session.filename)[:300],
        issuer=(meta.get("issuer") or "")[:200],
        doc_number=(meta.get("doc_number") or "")[:100],
        date=date,
        year=date.year if date else _year_in(meta.get("title") or ""),
        city=city,
        source=session.file.name,
        source_name=session.filename,
        cadence=_cadence(data),
    )
    PlanText.objects.create(plan=plan, text=data.get("text", ""))
    if user is not None and not user.is_superuser:
        plan.offices.add(user)
    history.record(user, plan, "created", "", plan.title)
    return plan


def _write_plan_meta(plan: Plan, data: dict, user, title: str | None) -> None:
    new_title = (title or data.get("meta", {}).get("title") or plan.title)[:300]
    history.record(user, plan, "title", plan.title, new_title)
    history.record(user, plan, "reimported", "", data.get("source", ""))
    plan.title = new_title
    plan.save(update_fields=["title"])
    PlanText.objects.update_or_create(plan=plan, defaults={"text": data.get("text", "")})


def _year_in(text: str) -> int | None:
    m = re.search(r"(20\d\d)年", text)
    return int(m.group(1)) if m else None


def _write_tasks(
    plan: Plan,
    rows: list[Row],
    removed: list[Task],
    unit_map,
    city,
    user,
    cache: dict[str, Unit],
    *,
    source: str = "",
    tracker: import_progress.Tracker | None = None,
) -> None:
    tasks: dict[int, Task] = {}
    new_rows: list[Row] = []
    tracker = tracker or import_progress.Tracker(None)
    total, written = len(rows), 0

    def wrote(n: int) -> None:
        # Tasks take ~90% of a commit; the targets and units written after them the rest.
        nonlocal written
        before, written = written, written + n
        if n == 0 or written // PROGRESS_EVERY > before // PROGRESS_EVERY or written == total:
            label = _("写入台账 %(done)d/%(total)d") % {"done": written, "total": total}
            tracker.stage(label, 0.9 * written / max(total, 1))

    wrote(0)
    # Create or update level by level, so every parent has its id before its children need it.
    for depth in range(max((r.depth for r in rows), default=-1) + 1):
        level = [r for r in rows if r.depth == depth]
        creates = []
        for r in level:
            parent = tasks[r.parent] if r.parent is not None else None
            fields = {
                "parent": parent,
                "position": r.index,
                "depth": r.depth,
                "label": r.item.get("label", "")[:32],
                "path": r.path,
                "title": r.title[:500] or _("（无标题）"),
                "text": r.item.get("text", ""),
                "deadline": _deadline(r.item),
                "deadline_text": ((r.item.get("deadline") or {}).get("text") or "")[:200],
                "confidence": float(r.item.get("confidence", 1.0)),
                "role": row_role(r.item),
            }
            if r.match is not None:
                t = r.match
                for name in ("title", "text", "deadline"):
                    history.record(user, t, name, getattr(t, name), fields[name])
                history.record(user, t, "role", TaskRole(t.role).label, TaskRole(fields["role"]).label)
                if t.removed_at is not None:
                    history.record(user, t, "task_restored", "", _("修订版《%s》重新列入") % source)
                    t.removed_at = None
                for name, value in fields.items():
                    setattr(t, name, value)
                t.save()
                tasks[r.index] = t
                if r.change in ("changed", "restored"):
                    _replace_details(t, r, user)
                wrote(1)
            else:
                t = Task(plan=plan, domain=guess_domain(fields["title"]), **fields)
                creates.append((r, t))
        # Inserted a chunk at a time so that the waiting page hears how far the commit has got.
        for start in range(0, len(creates), PROGRESS_EVERY):
            chunk = creates[start : start + PROGRESS_EVERY]
            Task.objects.bulk_create([t for _row, t in chunk])
            wrote(len(chunk))
        for r, t in creates:
            tasks[r.index] = t
            new_rows.append(r)
    # Withdrawn last: a kept task that sat under a dropped one has been moved to its new parent by
    # now. Withdrawn, not deleted, so their reports stay; see Task.removed_at for the cleared parent.
    for t in removed:
        history.record(user, t, "task_removed", "", _("修订版《%s》中已无此任务") % source, plan=plan)
    Task.objects.filter(pk__in=[t.pk for t in removed]).update(
        removed_at=timezone.now(), parent=None, version=F("version") + 1
    )
    tracker.stage(_("写入目标和责任单位"), 0.9)
    targets, assignments = [], []
    for r in new_rows:
        t = tasks[r.index]
        targets += [_target(t, i, d) for i, d in enumerate(_targets(r.item))]
        assignments += _assignments(t, r.item, unit_map, city, cache)
    TaskTarget.objects.bulk_create(targets, batch_size=1000)
    TaskAssignment.objects.bulk_create(assignments, batch_size=1000)


def _target(task: Task, i: int, d: dict) -> TaskTarget:
    return TaskTarget(
        task=task,
        position=i,
        metric=(d.get("metric") or "")[:200],
        unit=(d.get("unit") or "")[:20],
        comparator=(d.get("comparator") or "")[:2],
        value=d.get("value"),
        low=d.get("low"),
        high=d.get("high"),
        kind=d.get("kind", "target"),
        text=(d.get("text") or "")[:500],
    )


def _assignments(task: Task, item: dict, unit_map, city, cache) -> list[TaskAssignment]:
    lead = _units_for(item.get("lead", []), unit_map, city, cache)
    support = [u for u in _units_for(item.get("support", []), unit_map, city, cache) if u not in lead]
    return [TaskAssignment(task=task, unit=u, role=Role.LEAD, position=i) for i, u in enumerate(lead)] + [
        TaskAssignment(task=task, unit=u, role=Role.SUPPORT, position=i) for i, u in enumerate(support)
    ]


def _replace_details(task: Task, row: Row, user) -> None:
    """A changed task keeps its row (and so its reports); its targets follow the new text, its
    units follow ``row.units``: what the revision names, else what the task had."""
    targets = _targets(row.item)
    old_targets = list(task.targets.all())
    if [_target_key(t) for t in old_targets] != [_target_key(t) for t in targets]:
        history.record(
            user, task, "targets", [t.display() for t in old_targets], [t.get("text", "") for t in targets]
        )
        # Superseded, not deleted: the values units reported against them stay with them.
        TaskTarget.all_objects.filter(pk__in=[t.pk for t in old_targets]).update(superseded_at=timezone.now())
        TaskTarget.objects.bulk_create([_target(task, i, d) for i, d in enumerate(targets)])
    if row.units is None or not row.units.changed:
        return
    for role, field_name in ((LEAD, "lead"), (SUPPORT, "support")):
        before = [ref.name for ref in _current_units(task)[role]]
        after = [ref.name for ref in row.units.units[role]]
        history.record(user, task, field_name, before, after)
    TaskAssignment.objects.filter(task=task).delete()
    TaskAssignment.objects.bulk_create(
        [
            TaskAssignment(task=task, unit_id=ref.pk, role=role, position=i)
            for role in (LEAD, SUPPORT)
            for i, ref in enumerate(row.units.units[role])
        ]
    )
