"""Demo data: the example plans imported, one account per role, six months of history (demo_history),
the 成德眉资 indicators with their scorecard (demo_indicators), and a session of proposals with the
key proposal whose handling plan is the 海绵行动 plan (demo_proposals).

Run by ``luoshi demo``; safe to run again (plans already imported are skipped).
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from luoshi.accounts.models import Profile, Role
from luoshi.ledger import importing, services
from luoshi.ledger.models import City, Plan, Task, TaskAssignment, Unit
from luoshi.ledger.units import create_unit
from luoshi.web import clock, demo_history, demo_indicators, demo_proposals

# (username, password, role label): printed by `luoshi demo`; for a local demo only.
ACCOUNTS = [
    ("admin", "Demo-Admin-2024!", "系统管理员"),
    ("office", "Demo-Office-2024!", "办公室"),
    ("leader", "Demo-Leader-2024!", "领导"),
    ("reporter", "Demo-Report-2024!", "联络员(市发展改革局)"),
    ("reporter2", "Demo-Report2-2024!", "联络员(人社部)"),
]
# Which city each example belongs to: its file name says what its text often masks.
CITIES = {"huizhou": "惠州", "pingshan": "深圳", "guofa": "全国", "dushiquan": "合肥"}
# Demo only: a lead unit for top-level areas that name none, so every area has someone to report.
DEMO_LEADS = {
    "规划": "市发展改革局",
    "交通": "市交通运输局",
    "产业": "市经济和信息化局",
    "科创": "市科技局",
    "生态": "市生态环境局",
    "开放": "市商务局",
    "公共服务": "市人力资源和社会保障局",
    "市场": "市市场监管局",
    "其他": "市发展改革局",
}
PUBLISHED = ("guofa", "dushiquan")


def seed(examples: Path) -> int:
    """Import the example plans not yet imported and make the demo accounts; returns plans imported."""
    users = _accounts()
    count = 0
    for path in sorted(Path(examples).glob("*.txt")):
        if Plan.objects.filter(source_name=path.name).exists():
            continue
        key = next((k for k in CITIES if path.name.startswith(k)), "")
        city, _ = City.objects.get_or_create(name=CITIES.get(key, "未注明"))
        with transaction.atomic():
            upload = SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/plain")
            session = importing.start_import(upload, users["office"])
            plan = importing.commit_import(session, users["office"], city=city)
            plan.published = key in PUBLISHED
            plan.save(update_fields=["published"])
            _fill_leads(plan, users["office"])
        # Outside the import's transaction: the history commits period by period.
        demo_history.build(plan, users["office"], clock.today())
        count += 1
    _reporter_units(users)
    demo_indicators.build(users["office"], Path(examples))
    demo_proposals.build(users["office"], clock.today())
    return count


def _accounts() -> dict:
    User = get_user_model()
    out = {}
    for username, password, _label in ACCOUNTS:
        user, _ = User.objects.get_or_create(username=username)
        user.set_password(password)
        user.is_superuser = user.is_staff = username == "admin"
        user.save()
        role = {"admin": Role.ADMIN, "office": Role.OFFICE, "leader": Role.LEADER}.get(
            username, Role.REPORTER
        )
        # The demo's leader reads every plan: all cities, said explicitly (an empty list grants nothing).
        Profile.objects.update_or_create(
            user=user, defaults={"role": role, "all_cities": role == Role.LEADER}
        )
        out[username] = user
    return out


def _reporter_units(users: dict) -> None:
    office = users["office"]
    for plan in Plan.objects.all():
        plan.offices.add(office)
    for username, name in (("reporter", "市发展改革局"), ("reporter2", "人力资源社会保障部")):
        unit = (
            Unit.objects.filter(name=name, city__name="惠州").first()
            or Unit.objects.filter(name=name).first()
        )
        Profile.objects.filter(user=users[username]).update(unit=unit)


def _fill_leads(plan: Plan, user) -> None:
    for task in Task.objects.filter(plan=plan, parent__isnull=True):
        if not TaskAssignment.objects.filter(task=task, role="lead").exists():
            unit = create_unit(DEMO_LEADS.get(task.domain, "市发展改革局"), plan.city)
            services.set_assignments(task, user, [unit], [])
