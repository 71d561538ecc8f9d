"""Who may do what: every permission decision in luoshi is made here.

Pages and the API both ask ``can(user, action, obj)``, and list views narrow their rows with
``plans_in_scope`` / ``tasks_in_scope``, so one table of rules serves every way in.

| role      | sees                               | changes                                          |
|-----------|------------------------------------|--------------------------------------------------|
| admin     | everything                         | everything                                       |
| office    | the plans it manages               | those plans, their tasks; returns reports; the   |
|           |                                    | units of its cities                              |
| reporter  | its unit's tasks (lead or support) | reports (lead) and contributions (support)       |
|           | and the 督办单 to it or copied to  | answers the 督办单 addressed to it               |
|           | it (抄送)                          |                                                  |
| leader    | every plan in its cities; the      | nothing                                          |
|           | proposals it leads (领衔督办) or    |                                                  |
|           | was escalated, and its cities'     |                                                  |
|           | proposal statistics                |                                                  |
| member    | the proposals it made (委员/代表)   | confirms contacts, rates the replies             |
| committee | every proposal (提案委/人大工委)     | registers (立案) and imports proposals           |

A profile grants only what it names: a reporter without a unit sees nothing, and a leader with
neither cities nor ``all_cities`` only the proposals it leads or was escalated.
| public    | published plans and scorecards,    | nothing; a member's rating through the letter's  |
|           | replies marked 主动公开, no        | feedback link (the link is the credential)       |
|           | personal data beyond names         |                                                  |
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce

from luoshi.ledger import pagecache
from luoshi.ledger.models import City, Plan, ProgressReport, Role, Task, TaskAssignment, TaskRole, Unit

PUBLIC = "public"
ACTIONS = (
    "plan.view",
    "plan.edit",
    "plan.import",
    "task.view",
    "task.edit",
    "report.submit",
    "report.contribute",
    "report.return",
    "people.view",
    "ledger.view",
    "dashboard.view",
    "audit.view",
    # supervision and bulletins (luoshi.supervision_web); a notice's plan is ``notice.plan``
    "lights.view",
    "notice.view",
    "notice.issue",
    "notice.manage",
    "notice.reply",
    "bulletin.view",
    "bulletin.produce",
    # the unit register (组织机构管理): units, their aliases and parents, merging duplicates
    "unit.view",
    "unit.manage",
    # message channels of units (luoshi.notify): robots, SMS, e-mail; obj: the Unit or the Channel
    # (a person's own channel: its owner, the office that keeps the owner's unit, the admin)
    "channel.manage",
    # keeping channels of one's own (obj None): every signed-in role
    "channel.own",
    # indicators (luoshi.indicators): read the catalogue and figures; edit the catalogue and the
    # entities; record figures (upload statistics tables; obj: an ImportBatch, which only its
    # uploader or an admin may review, commit or discard)
    "indicator.view",
    "indicator.manage",
    "indicator.record",
    # scorecards (成绩单) of indicators; obj is a Scorecard: a published one is public, a draft is
    # read by those who read indicators and edited (wording, figures, publishing) by the office
    "scorecard.view",
    "scorecard.edit",
    # 跨城通办 service items (luoshi.indicators.crosscity): read the list and its counts (pages and
    # the API; the list has no published state, so never the public); add, edit,
    # import and export it (obj: a ServiceImport, which only its uploader or an admin may review,
    # commit or discard)
    "crosscity.view",
    "crosscity.manage",
    # the integration index (同城化指数): read the stored runs, their method and sensitivity, and
    # check one recomputes; compute and store a new run
    "index.view",
    "index.compute",
    # proposals and suggestions (luoshi.proposals); obj is a Proposal
    "proposal.list",
    "proposal.view",
    "proposal.register",
    "proposal.assign",
    "proposal.adjust",
    "proposal.communicate",
    "proposal.opinion",
    "proposal.reply",
    "proposal.confirm",
    "proposal.rate",
    # 督办单 about red proposals (a reply overdue); without obj: may open the drafts page
    "proposal.supervise",
    # naming a key proposal's 领衔督办 leader by linking a leader's account (page and API)
    "proposal.link_leader",
    # handling statistics and their bulletin (no obj): the office, the committee, leaders
    "proposal.stats",
)

WITHDRAWN_CLOSED = ("task.edit", "report.submit", "report.contribute")


def role_of(user) -> str:
    """The user's role name: admin, office, reporter, leader, or public for anyone else."""
    if user is None or not user.is_authenticated or not user.is_active:
        return PUBLIC
    if user.is_superuser:
        return "admin"
    profile = getattr(user, "profile", None)
    return profile.role if profile else PUBLIC


def _unit_id(user) -> int | None:
    profile = getattr(user, "profile", None)
    return profile.unit_id if profile else None


def reads_as_copy(user, addressed_unit_id: int) -> bool:
    """True when ``user`` reads a 督办单 addressed to another unit than its own: a reporter of a
    unit named under 抄送, who reads it and answers nothing (pages mark it read-only)."""
    unit_id = _unit_id(user) if role_of(user) == "reporter" else None
    return unit_id is not None and unit_id != addressed_unit_id


def _leader_city_ids(user) -> list[int] | None:
    """The cities a leader reads, or None for every city."""
    if user.profile.all_cities:
        return None
    return list(user.profile.cities.values_list("id", flat=True))


OFFICE_CITIES_SECONDS = 10 * 60


def _office_city_ids(user) -> set[int]:
    """The cities whose units an office keeps: those of the plans it manages and of its profile.

    Kept in the cache per user under the scope stamp, which every change they are made of renews
    (a profile's cities, a plan's offices, a plan saved or deleted: ``pagecache.connect``): the
    two ORM queries cost more than the rest of a proposal list served from its own caches.
    """
    key = f"scope:office-cities:{user.pk}:{pagecache.scope_stamp()}"
    kept = cache.get(key)
    if kept is not None:
        return set(kept)
    of_plans = Plan.objects.filter(offices=user, city__isnull=False).values_list("city_id", flat=True)
    cities = set(of_plans) | set(user.profile.cities.values_list("id", flat=True))
    cache.set(key, sorted(cities), OFFICE_CITIES_SECONDS)
    return cities


def _keeps_unit(user, unit: Unit) -> bool:
    """An office keeps a unit of its cities, or one without a city that only its own plans name."""
    if unit.city_id is not None:
        return unit.city_id in _office_city_ids(user)
    return not TaskAssignment.objects.filter(unit=unit).exclude(task__plan__offices=user).exists()


def units_kept_by(user) -> QuerySet[Unit]:
    """The units whose settings ``user`` may change: every unit for an admin; for an office those
    of its cities, and those without a city that only its own plans name (as ``_keeps_unit``)."""
    role = role_of(user)
    if role == "admin":
        return Unit.objects.all()
    if role != "office":
        return Unit.objects.none()
    others = TaskAssignment.objects.exclude(task__plan__offices=user).values("unit_id")
    return Unit.objects.filter(
        Q(city_id__in=_office_city_ids(user)) | (Q(city__isnull=True) & ~Q(id__in=others))
    )


def plans_in_scope(user) -> QuerySet[Plan]:
    """The plans ``user`` may read."""
    role = role_of(user)
    plans = Plan.objects.all()
    if role == "admin":
        return plans
    if role == "office":
        return plans.filter(offices=user)
    if role == "leader":
        cities = _leader_city_ids(user)
        return plans if cities is None else plans.filter(city__in=cities)
    if role == "reporter":
        if _unit_id(user) is None:
            return plans.none()
        mine = Task.objects.current().filter(assignments__unit_id=_unit_id(user))
        return plans.filter(id__in=mine.values("plan_id"))
    return plans.filter(published=True)


def tasks_in_scope(user) -> QuerySet[Task]:
    """The current tasks ``user`` may read; withdrawn ones are reached only through their own page."""
    role = role_of(user)
    tasks = Task.objects.current()
    if role == "reporter":
        if _unit_id(user) is None:
            return tasks.none()
        return tasks.filter(id__in=TaskAssignment.objects.filter(unit_id=_unit_id(user)).values("task_id"))
    if role == "admin":
        return tasks
    return tasks.filter(plan__in=plans_in_scope(user))


def reports_in_scope(user) -> QuerySet[ProgressReport]:
    """The progress reports on current tasks ``user`` may read."""
    if role_of(user) == "admin":
        # A join, not a subquery: the dashboard still walks its submitted_at index.
        return ProgressReport.objects.filter(task__removed_at__isnull=True)
    return ProgressReport.objects.filter(task__in=tasks_in_scope(user))


def _proposal_unit_ids(proposal) -> dict[int, str]:
    """The units of the proposal's current assignment and their role (lead / support)."""
    if proposal.assignment_id is None:
        return {}
    return dict(proposal.assignment.units.values_list("unit_id", "role"))


def proposals_in_scope(user):
    """The proposals ``user`` may read.

    Staff of the government office, the committee and admins read every proposal of their
    cities (all of them when a proposal has no city); a unit only the proposals its unit is
    assigned now (a unit relieved by 调整 no longer sees it); a member only the proposals of their
    own account.

    A leader reads, one by one, the proposals they are asked to look at: those whose 领衔督办
    leader is their account (``Proposal.leader_account``), and those with a 督办单 the office
    escalated to them (提级督办), which their 待办 and the notices page point to. What leaders read
    of their cities elsewhere — every plan, its lights and bulletins — are the government's own
    work; proposals are the members' and each names its member, so a leader reads them as
    figures of their cities (``proposal_stats_in_scope``), not as a list of every proposal. A
    leader who leads a proposal reads it whatever its city: the link is made for that leader.
    """
    from luoshi.proposals.models import AssignedUnit, Proposal, ProposalNotice

    role = role_of(user)
    rows = Proposal.objects.all()
    if role in ("admin", "committee"):
        return rows
    if role == "office":
        return _proposals_of_cities(rows, _office_city_ids(user))
    if role == "leader":
        escalated = ProposalNotice.objects.filter(escalated_to=user).values("proposal_id")
        return rows.filter(Q(leader_account=user) | Q(id__in=escalated))
    if role == "reporter":
        if _unit_id(user) is None:
            return rows.none()
        current = AssignedUnit.objects.filter(unit_id=_unit_id(user)).values("assignment_id")
        return rows.filter(assignment_id__in=current)
    if role == "member":
        return rows.filter(member=user)
    return rows.none()


def proposal_stats_in_scope(user):
    """The proposals counted in ``user``'s handling statistics (figures, the board, the bulletin).

    What they may read (``proposals_in_scope``), except leaders: their statistics are those of
    their cities (every city with ``all_cities``), as the office's are, though they open only the
    proposals they lead or were escalated. The statistics name units and sessions, never a
    proposal or its member.
    """
    from luoshi.proposals.models import Proposal

    if role_of(user) == "leader":
        cities = _leader_city_ids(user)
        rows = Proposal.objects.all()
        return rows if cities is None else _proposals_of_cities(rows, cities)
    return proposals_in_scope(user)


def proposal_notices_in_scope(user, proposals=None):
    """The proposals' 督办单 ``user`` may read beside the ledger's (the notices page, 待办);
    ``proposals``, when given, is ``proposals_in_scope(user)`` already at hand (it saves reading
    the user's cities again).

    A unit's reporters read those addressed to their unit and those that name it under 抄送 (the
    主办's notice, to its 会办 units: ``ProposalNotice.objects.copies``, the units the Word file
    prints), on proposals it handles now: after 调整 relieved it, none. A copy is read, never
    answered: replying, 办结 and 提级督办 are asked of the proposal (``can``), and 待办 lists only
    the notices addressed to the unit. Offices, leaders and admins read those of the proposals
    they read (an office its cities'). Members read them on their proposal's page only; the
    committee registers and does not supervise.
    """
    from luoshi.proposals.models import ProposalNotice

    role = role_of(user)
    rows = ProposalNotice.objects.all()
    if role == "admin":
        return rows
    readable = proposals_in_scope(user) if proposals is None else proposals
    if role == "reporter":
        unit_id = _unit_id(user)
        if unit_id is None:
            return rows.none()
        copied = ProposalNotice.objects.copies().filter(copy_unit_id=unit_id).values("pk")
        return rows.filter(Q(unit_id=unit_id) | Q(pk__in=copied), proposal__in=readable)
    if role in ("office", "leader"):
        return rows.filter(proposal__in=readable)
    return rows.none()


def public_replies():
    """The replies anyone may read, the public included: those their unit marked 主动公开."""
    from luoshi.proposals.models import Reply

    return Reply.objects.filter(public=True)


def notices_of_proposal(user, proposal):
    """The 督办单 of one proposal ``user`` may read: on its page, as Word and through the API.

    The notices page's rule (``proposal_notices_in_scope``: a unit reads those addressed to it and
    those copied to it as 会办) and, beside it, the proposal's own member, who follows the 督办 of
    their proposal on its page. The committee, a unit named on neither, one relieved by 调整 and
    anyone who does not read the proposal read none.
    """
    from luoshi.proposals.models import ProposalNotice

    if not proposals_in_scope(user).filter(pk=proposal.pk).exists():
        return ProposalNotice.objects.none()
    if role_of(user) == "member":
        return ProposalNotice.objects.filter(proposal=proposal)
    return proposal_notices_in_scope(user).filter(proposal=proposal)


def _proposals_of_cities(rows, cities):
    """The proposals of ``cities`` and those without a city.

    One expression over the column rather than ``city IS NULL OR city IN (…)``: SQLite, which
    keeps no statistics, took that OR for a selective use of the city index and then sorted every
    proposal of the city to show the list's first page; this leaves it to walk the list's order
    index. 0 stands for "no city": no city has that id.
    """
    return rows.alias(scope_city=Coalesce("city_id", 0)).filter(scope_city__in=[0, *cities])


def _can_proposal(user, action: str, obj) -> bool:
    """Who may do what to a proposal; see ``proposals_in_scope`` for who reads which."""
    from luoshi.proposals.models import Proposal

    role = role_of(user)
    if action == "proposal.list":
        return role in ("admin", "office", "leader", "reporter", "member", "committee")
    if action == "proposal.register":
        return role in ("admin", "committee")
    if action == "proposal.stats":
        return role in ("admin", "office", "committee", "leader")
    if action == "proposal.supervise" and obj is None:
        return role in ("admin", "office")
    if not isinstance(obj, Proposal):
        return False
    if not proposals_in_scope(user).filter(pk=obj.pk).exists():
        return False
    if action == "proposal.view":
        return True
    if action in ("proposal.assign", "proposal.supervise"):
        # 交办, deciding 调整 requests and 督办: the government office, not the committee that registered it.
        return role in ("admin", "office")
    if action == "proposal.link_leader":
        # The committee that registers it (and names its leader on the list) and the office that
        # 交办 it; the leader never links itself, as the link is what lets a leader read it.
        return role in ("admin", "office", "committee")
    unit_role = _proposal_unit_ids(obj).get(_unit_id(user)) if role == "reporter" else None
    if action in ("proposal.adjust", "proposal.communicate"):
        return unit_role is not None
    if action == "proposal.opinion":
        return unit_role == "support"
    if action == "proposal.reply":
        return unit_role == "lead"
    if action in ("proposal.confirm", "proposal.rate"):
        return role == "member"
    return False


def leaders_reading(plan: Plan) -> QuerySet:
    """The active leaders who may read ``plan`` (or a proposal): those a notice on it may be escalated to."""
    from django.contrib.auth import get_user_model

    # A proposal has a city as a plan has: its leaders are chosen the same way.
    reads = Q(profile__all_cities=True)
    if plan.city_id is not None:
        reads |= Q(profile__cities=plan.city_id)
    leaders = get_user_model().objects.filter(is_active=True, is_superuser=False, profile__role="leader")
    return leaders.filter(pk__in=leaders.filter(reads).values("pk")).order_by("username")


def _manages(user, plan: Plan) -> bool:
    role = role_of(user)
    return role == "admin" or (role == "office" and plan.offices.filter(pk=user.pk).exists())


def _reads_plan(user, plan: Plan) -> bool:
    role = role_of(user)
    if role in ("admin", "office"):
        return _manages(user, plan)
    if role == "leader":
        cities = _leader_city_ids(user)
        return cities is None or plan.city_id in cities
    if role == "reporter":
        unit_id = _unit_id(user)
        return (
            unit_id is not None and TaskAssignment.objects.filter(task__plan=plan, unit_id=unit_id).exists()
        )
    return plan.published


def _chased(task: Task | None) -> bool:
    """Background and safeguard rows are read, never reported on."""
    return task is not None and task.role == TaskRole.TASK


def _unit_role(user, task: Task, role: str) -> bool:
    unit_id = _unit_id(user)
    return (
        unit_id is not None and TaskAssignment.objects.filter(task=task, unit_id=unit_id, role=role).exists()
    )


def can(user, action: str, obj=None) -> bool:
    """True when ``user`` may do ``action`` (one of ACTIONS) on ``obj`` (a Plan, Task, report or None)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if action.startswith("proposal."):
        return _can_proposal(user, action, obj)
    role = role_of(user)
    obj_task = obj.task if isinstance(obj, ProgressReport) else (obj if isinstance(obj, Task) else None)
    plan = obj if isinstance(obj, Plan) else (obj_task.plan if obj_task else None)
    # A task withdrawn by a re-import is a record: nothing more is changed or reported on it, and
    # the public pages, which show only the current plan, do not show it.
    withdrawn = obj_task is not None and obj_task.removed_at is not None
    if withdrawn and (action in WITHDRAWN_CLOSED or role == PUBLIC):
        return False

    if action == "plan.view":
        return plan is not None and _reads_plan(user, plan)
    if action == "plan.edit":
        return plan is not None and _manages(user, plan)
    if action == "plan.import":
        return _manages(user, plan) if plan is not None else role in ("admin", "office")
    if action == "task.view":
        if obj_task is None:
            return False
        if role == "reporter":
            unit_id = _unit_id(user)
            return (
                unit_id is not None and TaskAssignment.objects.filter(task=obj_task, unit_id=unit_id).exists()
            )
        return _reads_plan(user, obj_task.plan)
    if action == "task.edit":
        return obj_task is not None and _manages(user, obj_task.plan)
    if action == "report.submit":
        return role == "reporter" and _chased(obj_task) and _unit_role(user, obj_task, Role.LEAD)
    if action == "report.contribute":
        return role == "reporter" and _chased(obj_task) and _unit_role(user, obj_task, Role.SUPPORT)
    if action == "report.return":
        return isinstance(obj, ProgressReport) and _manages(user, obj.task.plan)
    if action == "people.view":
        # Names of the people who reported or edited: never on the public pages, nor to members.
        return role not in (PUBLIC, "member", "committee") and (
            obj_task is None or can(user, "task.view", obj_task)
        )
    if action == "ledger.view":
        return role != PUBLIC
    if action == "dashboard.view":
        return role in ("admin", "office", "leader")
    if action == "audit.view":
        return role == "admin"
    if action == "unit.view":
        # Units are shared by every plan: any office reads the whole register; leaders only read plans.
        return role in ("admin", "office")
    if action == "unit.manage":
        # Changing one is kept to the units of the office's own cities (obj: the Unit, or the City
        # a unit is added to or moved to; None: may the office manage units at all).
        if role != "office":
            return role == "admin"
        if obj is None:
            return True
        if isinstance(obj, City):
            return obj.pk in _office_city_ids(user)
        return isinstance(obj, Unit) and _keeps_unit(user, obj)
    if action == "channel.own":
        return role != PUBLIC
    if action == "channel.manage" and getattr(obj, "owner_id", None) is not None:
        # A person's own channel: theirs, and the office keeping their unit (as for the unit's).
        if role == PUBLIC:
            return False
        if obj.owner_id == user.pk or role == "admin":
            return True
        owner_unit = getattr(getattr(obj.owner, "profile", None), "unit", None)
        return role == "office" and owner_unit is not None and _keeps_unit(user, owner_unit)
    if action == "channel.manage":
        # Where a unit's reminders go (its work groups' robots, phones): the office that keeps the unit.
        if role != "office":
            return role == "admin"
        unit = getattr(obj, "unit", obj)
        return obj is None or (isinstance(unit, Unit) and _keeps_unit(user, unit))
    if action == "indicator.view":
        # Figures of the whole area, not of one plan: office and leaders read them all.
        return role in ("admin", "office", "leader")
    if action == "indicator.manage":
        return role in ("admin", "office")
    if action == "indicator.record":
        if obj is not None and hasattr(obj, "uploaded_by_id"):
            return role == "admin" or (role == "office" and obj.uploaded_by_id == user.pk)
        return role in ("admin", "office")
    if action == "crosscity.view":
        return role in ("admin", "office", "leader")
    if action == "crosscity.manage":
        if obj is not None and hasattr(obj, "uploaded_by_id"):
            return role == "admin" or (role == "office" and obj.uploaded_by_id == user.pk)
        return role in ("admin", "office")
    if action == "index.view":
        return role in ("admin", "office", "leader")
    if action == "index.compute":
        # A run is a published figure: only the office and the admin make one; leaders read.
        return role in ("admin", "office")
    if action == "scorecard.view":
        if getattr(obj, "state", None) == "published":
            return True
        return role in ("admin", "office", "leader")
    if action == "scorecard.edit":
        # A published scorecard is a record: it is never changed (a new one is drafted instead).
        return role in ("admin", "office") and getattr(obj, "state", "draft") == "draft"
    if action in ("lights.view", "bulletin.view"):
        return plan is not None and role in ("admin", "office", "leader") and _reads_plan(user, plan)
    if action in ("notice.issue", "bulletin.produce"):
        return plan is not None and _manages(user, plan)
    if action.startswith("notice.") and hasattr(obj, "lead_unit_id"):
        # Notices: the office manages them, the lead unit's reporters see and answer theirs, leaders
        # read. A unit named under 抄送 receives the notice, so its reporters read it too (the page
        # and the Word file, which prints the same ``copies``), and answer nothing.
        unit_id = _unit_id(user) if role == "reporter" else None
        own_unit = unit_id is not None and obj.lead_unit_id == unit_id
        if action == "notice.view":
            if own_unit or (role in ("admin", "office", "leader") and _reads_plan(user, obj.plan)):
                return True
            # The units of ``copies``, asked without their order on the task.
            return unit_id is not None and obj.copy_units.filter(pk=unit_id).exists()
        if action == "notice.reply":
            return own_unit and obj.state in ("issued", "received", "escalated")
        if action == "notice.manage":
            return _manages(user, obj.plan)
    return False
