"""The purchasing check of a cycle (issue 23): expected families per profile, the demand per
kind of help, and the offering against it (docs/purchasing.md).

The arithmetic, stated once:

1. The expected number of reported families N is spread over the profiles by their shares
   (which add up to exactly 100 %) with the *largest remainder* rule: every profile gets the
   whole part of N × share / 100; the families left over go one each to the profiles with the
   largest remainder (on a tie: the profile listed first). So the profiles' numbers are whole
   families that add up to N exactly.
2. The demand for a kind of help is the sum of the (whole) numbers of the profiles that need it.
3. The capacity for a kind of help is the sum of the places of the offerings linked to it (a
   link's own places, or else the offering's capacity). Capacity below demand is a *gap*;
   no offering at all is a gap of the whole demand; capacity above demand is *over-supply*.
   An offering whose evidence level is not one of the levels the profiles name as fitting is
   listed beside it.

Everything here reads the cycle (two parts of the registry: `purchasing`, `help_provisions`)
and the published profile set (cms.family_profiles); the writes (a gap into an improvement
action, a figure into the expected number) go through `compass.access.check_cycle_write` and
record history with `compass.services.record_changes`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone
from django.utils.translation import gettext

from cms.family_profiles import FamilyProfileSet, HelpKind, shares_problem
from compass import access, parts, services
from compass.models import (
    HelpProvision,
    ImprovementAction,
    PurchasingCheck,
    SituationFigure,
    Step,
    StepProgress,
)
from compass.parts.history import Change

HUNDRED = Decimal("100")
GAP, OVER, FITS, UNKNOWN = "gap", "over", "fits", "unknown"


# --- The arithmetic (pure) ------------------------------------------------------------------


def allocate(total: int, shares: list[Decimal]) -> list[int]:
    """Whole families per profile, adding up to `total` (largest remainder; see above).

    Raises ValueError when the shares do not add up to exactly 100.
    """
    shares = [Decimal(str(s)) for s in shares]
    if sum(shares, Decimal("0")) != HUNDRED:
        raise ValueError("shares do not add up to 100")
    exact = [Decimal(total) * share / HUNDRED for share in shares]
    whole = [int(value.to_integral_value(rounding=ROUND_FLOOR)) for value in exact]
    left = total - sum(whole)
    order = sorted(range(len(shares)), key=lambda i: (-(exact[i] - whole[i]), i))
    for i in order[:left]:
        whole[i] += 1
    return whole


@dataclass
class ProfileRow:
    name: str
    problems: str
    share: Decimal
    exact: Decimal  # N × share / 100
    families: int  # whole families (largest remainder)
    needs: list[tuple[str, list[str]]]  # (help kind code, fitting evidence level codes)


@dataclass
class Provision:
    offering_id: int
    offering: str
    capacity: int | None  # places for this help; None: unknown
    from_offering: bool  # the capacity is the offering's own (the link names none)
    evidence_level: str  # code
    evidence_label: str
    fits: bool | None  # None: the profiles name no fitting levels


@dataclass
class Line:
    """One kind of help: demand, the offering that provides it, and the verdict."""

    code: str
    name: str
    demand: int
    sources: list[tuple[str, int]]  # (profile name, families) adding up to the demand
    fitting: list[str]  # evidence level codes that fit (any profile's)
    fitting_labels: list[str]
    provisions: list[Provision] = field(default_factory=list)
    status: str = FITS
    shortfall: int = 0
    surplus: int = 0

    @property
    def capacity(self) -> int:
        return sum(p.capacity or 0 for p in self.provisions)

    @property
    def unknown_capacity(self) -> bool:
        return any(p.capacity is None for p in self.provisions)

    @property
    def evidence_gap(self) -> bool:
        """Offering there, fitting levels named, and none of the offering has one of them."""
        return bool(self.provisions and self.fitting) and not any(p.fits for p in self.provisions)

    @property
    def arithmetic(self) -> str:
        if not self.sources:
            return "0"
        parts_ = " + ".join(str(n) for _name, n in self.sources)
        return f"{parts_} = {self.demand}" if len(self.sources) > 1 else str(self.demand)


@dataclass
class Check:
    """The purchasing check of one cycle, ready to show."""

    profile_set: FamilyProfileSet | None
    problem: str  # why nothing can be computed ("" when it can)
    expected: int | None
    source: str
    profiles: list[ProfileRow] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)

    @property
    def gaps(self) -> list[Line]:
        return [line for line in self.lines if line.status == GAP]

    @property
    def over_supply(self) -> list[Line]:
        return [line for line in self.lines if line.status == OVER]

    @property
    def unknown(self) -> list[Line]:
        return [line for line in self.lines if line.status == UNKNOWN]

    @property
    def evidence_gaps(self) -> list[Line]:
        return [line for line in self.lines if line.evidence_gap]

    @property
    def is_example(self) -> bool:
        return bool(self.profile_set and self.profile_set.is_example)

    def line(self, code: str) -> Line | None:
        for line in self.lines:
            if line.code == code:
                return line
        return None


def evidence_labels() -> dict[str, str]:
    """The offering's evidence levels and their labels, read from the model (not hard-coded)."""
    field_ = parts.get("offerings").field("evidence_level").model_field
    return {str(code): str(label) for code, label in field_.flatchoices}


def verdict(line: Line) -> None:
    """Set the line's status, shortfall and surplus from its demand and provisions."""
    known = line.capacity
    if line.demand > 0 and not line.provisions:
        line.status, line.shortfall = GAP, line.demand
    elif known < line.demand:
        if line.unknown_capacity:
            line.status = UNKNOWN
        else:
            line.status, line.shortfall = GAP, line.demand - known
    elif known > line.demand:
        line.status, line.surplus = OVER, known - line.demand
    else:
        line.status = FITS


def compute(
    expected: int | None,
    profiles: list[tuple[str, str, Decimal, list[tuple[str, list[str]]]]],
    kinds: dict[str, str],
    provisions: list[tuple[str, Provision]],
) -> tuple[list[ProfileRow], list[Line]]:
    """The check without the database: profiles (name, problems, share, needs), the kinds of
    help {code: name}, and the provisions (help kind code, Provision)."""
    labels = evidence_labels()
    total = expected or 0
    families = allocate(total, [share for _n, _p, share, _needs in profiles])
    rows = [
        ProfileRow(name, problems, share, Decimal(total) * share / HUNDRED, n, needs)
        for (name, problems, share, needs), n in zip(profiles, families, strict=True)
    ]
    lines: dict[str, Line] = {}
    for row in rows:
        seen = set()
        for code, levels in row.needs:
            line = lines.get(code)
            if line is None:
                line = lines[code] = Line(code, kinds.get(code, code), 0, [], [], [])
            for level in levels:
                if level not in line.fitting:
                    line.fitting.append(level)
            if code in seen:
                continue
            seen.add(code)
            line.demand += row.families
            line.sources.append((row.name, row.families))
    for code, provision in provisions:
        line = lines.get(code)
        if line is None:  # provided but needed by no profile: all of it is over-supply
            line = lines[code] = Line(code, kinds.get(code, code), 0, [], [], [])
        line.provisions.append(provision)
    for line in lines.values():
        line.fitting_labels = [labels.get(code, code) for code in line.fitting]
        for provision in line.provisions:
            provision.fits = (provision.evidence_level in line.fitting) if line.fitting else None
        verdict(line)
    return rows, sorted(lines.values(), key=lambda line: (-line.demand, line.name))


# --- Reading a cycle --------------------------------------------------------------------------


def chosen_set(code: str) -> FamilyProfileSet | None:
    sets = FamilyProfileSet.objects.filter(live=True)
    if code:
        return sets.filter(code=code).first()
    return sets.order_by("-source_year", "-version", "-pk").first()


def check_for(cycle) -> Check:
    """The purchasing check of `cycle` (a handful of queries)."""
    inputs = PurchasingCheck.objects.filter(cycle=cycle).first()
    code = inputs.profile_set if inputs else ""
    expected = inputs.expected_families if inputs else None
    source = inputs.families_source if inputs else ""
    profile_set = chosen_set(code)
    if profile_set is None:
        return Check(
            None, gettext("No set of family profiles has been published yet."), expected, source
        )
    profiles = list(profile_set.profiles.all())
    problem = shares_problem([p.share for p in profiles])
    if problem:
        return Check(profile_set, problem, expected, source)
    # Every kind of help in one query; a need whose kind was deleted is left out.
    kind_rows = {
        pk: (code, name) for pk, code, name in HelpKind.objects.values_list("pk", "code", "name")
    }
    kinds = dict(kind_rows.values())
    specs = []
    for profile in profiles:
        needs = [
            (kind_rows[pk][0], levels) for pk, levels in profile.need_refs() if pk in kind_rows
        ]
        specs.append((profile.name, profile.problems, profile.share, needs))
    labels = evidence_labels()
    provided = []
    for link in HelpProvision.objects.filter(cycle=cycle).select_related("offering").order_by("pk"):
        offering = link.offering
        capacity = link.capacity if link.capacity is not None else offering.capacity
        level = offering.evidence_level or ""
        provided.append(
            (
                link.help_kind,
                Provision(
                    offering.pk,
                    offering.name,
                    capacity,
                    link.capacity is None and capacity is not None,
                    level,
                    labels.get(level, level) if level else "",
                    None,
                ),
            )
        )
    rows, lines = compute(expected, specs, kinds, provided)
    check = Check(profile_set, "", expected, source, rows, lines)
    if expected is None:
        check.problem = gettext(
            "Enter the expected number of reported families in the offering step to see the demand."
        )
    return check


# --- Writes -------------------------------------------------------------------------------


def _bump(cycle, step, user) -> None:
    progress = services.progress_for(cycle, step)
    done = StepProgress.Status.DONE
    StepProgress.objects.filter(pk=progress.pk).update(
        version=F("version") + 1,
        saved_at=timezone.now(),
        saved_by=user,
        status=Case(
            When(status=done, then=Value(done)), default=Value(StepProgress.Status.IN_PROGRESS)
        ),
    )


def action_text(line: Line) -> str:
    if line.status == GAP and not line.provisions:
        return gettext(
            "Purchase help for '%(kind)s': no offering provides it; %(demand)s families are "
            "expected to need it."
        ) % {"kind": line.name, "demand": line.demand}
    if line.status == GAP:
        return gettext(
            "Purchase more '%(kind)s': %(demand)s families are expected to need it, the offering "
            "has %(capacity)s places (%(short)s short)."
        ) % {
            "kind": line.name,
            "demand": line.demand,
            "capacity": line.capacity,
            "short": line.shortfall,
        }
    if line.status == OVER:
        return gettext(
            "Review the offering for '%(kind)s': %(capacity)s places for %(demand)s expected "
            "families (%(surplus)s more than needed)."
        ) % {
            "kind": line.name,
            "demand": line.demand,
            "capacity": line.capacity,
            "surplus": line.surplus,
        }
    return gettext(
        "Look for an offering for '%(kind)s' with an evidence level that fits (%(levels)s)."
    ) % {"kind": line.name, "levels": ", ".join(line.fitting_labels)}


class NotAGap(ValueError):
    """The kind of help has no gap, over-supply or evidence gap (any more)."""


@transaction.atomic
def gap_to_action(cycle, user, code: str, due: date | None = None) -> ImprovementAction:
    """Turn the gap (or over-supply) of kind of help `code` into an improvement action.

    The closed-cycle rule and permission: `access.check_cycle_write`. History: one row per
    field of the new action in the improvement plan's history; the step's version goes up.
    """
    access.check_cycle_write(user, cycle)
    check = check_for(cycle)
    line = check.line(code)
    if line is None or not (line.status in (GAP, OVER) or line.evidence_gap):
        raise NotAGap(code)
    decision = ImprovementAction.Decision
    single = len({p.offering_id for p in line.provisions}) == 1
    action = ImprovementAction(
        cycle=cycle,
        what=action_text(line)[:500],
        who=gettext("Purchasing team")[:200],
        due=due or date(cycle.year, 12, 31),
        decision=decision.STOP if line.status == OVER and not line.demand else decision.STRENGTHEN,
        offering_id=line.provisions[0].offering_id if single else None,
    )
    action.full_clean(exclude=["cycle", "result", "offering"])
    action.save()
    part = parts.get("actions")
    history = []
    for item in part.fields:
        value = getattr(action, item.attname)
        if value in (None, ""):
            continue
        label = str(action.offering) if item.name == "offering" else None
        history.append(Change(part.key, str(action), item.name, None, item.raw(value, label)))
    services.record_changes(cycle, Step.IMPROVEMENT, user, history)
    _bump(cycle, Step.IMPROVEMENT, user)
    return action


@transaction.atomic
def take_over_figure(cycle, user, figure: SituationFigure) -> PurchasingCheck:
    """Use one of the cycle's figures as the expected number of reported families."""
    access.check_cycle_write(user, cycle)
    if figure.cycle_id != cycle.pk:
        raise ValueError("figure of another cycle")
    inputs = PurchasingCheck.objects.filter(cycle=cycle).first() or PurchasingCheck(cycle=cycle)
    part = parts.get("purchasing")
    value = int(figure.value.to_integral_value(rounding=ROUND_HALF_UP))
    source = f"{figure.label}, {figure.period} ({figure.source})"[:300]
    history = []
    for name, new in (("expected_families", value), ("families_source", source)):
        old = getattr(inputs, name) if inputs.pk else None
        if old != new:
            item = part.field(name)
            history.append(Change(part.key, str(inputs), name, item.raw(old), item.raw(new)))
    inputs.expected_families, inputs.families_source = value, source
    inputs.full_clean(exclude=["cycle"])
    inputs.save()
    if history:
        services.record_changes(cycle, Step.OFFERING, user, history)
        _bump(cycle, Step.OFFERING, user)
    return inputs
