"""The practice exchange under /uitwisseling/ (issue 21, docs/exchange.md).

Who may do what is decided in `compass.exchange`: municipal team members read, ask, answer,
follow, mark and report; content editors (and superusers) moderate and see no score; anonymous
visitors are sent to the login page; anyone else logged in gets 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cms.choices import Band, Block
from cms.models import Measure, Tip
from compass import access
from compass import exchange as rules
from compass.models import (
    Cycle,
    ExchangeTheme,
    FindableMunicipality,
    Post,
    SelfAssessment,
    Thread,
)
from questionnaire.assessment import current_measure_set, read_result
from questionnaire.exchange_forms import AnswerForm, AskForm, HideForm, ReportForm, TipForm

PAGE_SIZE = 20


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("The practice exchange is for the teams of municipalities."))


def _measures() -> list[tuple[str, str]]:
    """(code, title) of the measures of the current measure set, in order."""
    measure_set = current_measure_set()
    if measure_set is None:
        return []
    return list(
        Measure.objects.filter(theme__measure_set=measure_set)
        .order_by("theme__sort_order", "sort_order", "pk")
        .values_list("code", "title")
    )


def _topic_filter(params: QueryDict, measures: dict[str, str]) -> dict:
    """The topic asked for in the query string (?blok=3, ?maatregel=m1, ?thema=data)."""
    block = params.get("blok", "")
    if block.isdigit() and int(block) in Block.values:
        return {"topic": Thread.Topic.BLOCK, "block": int(block), "label": Block(int(block)).label}
    code = params.get("maatregel", "")
    if code and code in measures:
        return {
            "topic": Thread.Topic.MEASURE,
            "measure_code": code,
            "label": f"{code} {measures[code]}",
        }
    theme = params.get("thema", "")
    if theme in ExchangeTheme.values:
        return {"topic": Thread.Topic.THEME, "theme": theme, "label": ExchangeTheme(theme).label}
    return {}


def _topic_query(topic: dict) -> str:
    if topic.get("topic") == Thread.Topic.BLOCK:
        return f"blok={topic['block']}"
    if topic.get("topic") == Thread.Topic.MEASURE:
        return urlencode({"maatregel": topic["measure_code"]})
    if topic.get("topic") == Thread.Topic.THEME:
        return f"thema={topic['theme']}"
    return ""


@require_GET
@login_required
def index(request):
    user = request.user
    _require(rules.may_read(user))
    measures = dict(_measures())
    topic = _topic_filter(request.GET, measures)
    threads = rules.threads_for(user)
    if topic:
        threads = threads.filter(
            **{k: v for k, v in topic.items() if k in ("topic", "block", "measure_code", "theme")}
        )
    query = request.GET.get("q", "").replace("\x00", "").strip()[:200]
    if query:
        threads = rules.search(threads, query, user)
    threads = rules.with_counts(threads).order_by("-last_post_at", "-pk")
    page = Paginator(threads, PAGE_SIZE).get_page(request.GET.get("pagina"))
    following = set(
        user.exchange_follows.filter(thread__in=[t.pk for t in page]).values_list(
            "thread_id", flat=True
        )
    )
    return render(
        request,
        "questionnaire/exchange/index.html",
        {
            "page": page,
            "topic": topic,
            "topic_query": _topic_query(topic),
            "query": query,
            "following": following,
            "may_take_part": rules.may_take_part(user),
            "may_moderate": rules.may_moderate(user),
            "digest_enabled": rules.digest_enabled(user),
            "blocks": Block.choices,
            "themes": ExchangeTheme.choices,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def ask(request):
    user = request.user
    _require(rules.may_take_part(user))
    measures = _measures()
    municipalities = rules.author_municipalities(user)
    topic = _topic_filter(request.GET, dict(measures))
    if request.method == "POST":
        form = AskForm(request.POST, municipalities=municipalities, measures=measures)
        if form.is_valid():
            data = form.cleaned_data
            try:
                thread = rules.ask(
                    user,
                    data["municipality"],
                    title=data["title"],
                    body=data["body"],
                    pseudonymous=data["pseudonymous"],
                    topic=data["topic"],
                    block=data["block"],
                    measure_code=data["measure_code"],
                    measure_title=form.measures.get(data["measure_code"], ""),
                    theme=data["theme"],
                )
            except rules.ExchangeError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _(
                        "Your question has been posted. You follow it: new answers come in "
                        "your daily e-mail."
                    ),
                )
                return redirect("questionnaire:exchange_thread", thread.pk)
    else:
        initial = {
            k: v for k, v in topic.items() if k in ("topic", "block", "measure_code", "theme")
        }
        form = AskForm(initial=initial, municipalities=municipalities, measures=measures)
    return render(request, "questionnaire/exchange/ask.html", {"form": form, "topic": topic})


def _visible_thread(user, pk) -> Thread:
    return get_object_or_404(rules.threads_for(user), pk=pk)


@require_http_methods(["GET", "POST"])
@login_required
def thread(request, pk):
    user = request.user
    _require(rules.may_read(user))
    item = _visible_thread(user, pk)
    may_take_part = rules.may_take_part(user)
    form = None
    if may_take_part:
        form = AnswerForm(municipalities=rules.author_municipalities(user))
    if request.method == "POST":
        _require(may_take_part)
        form = AnswerForm(request.POST, municipalities=rules.author_municipalities(user))
        if form.is_valid():
            data = form.cleaned_data
            try:
                rules.answer(user, item, data["municipality"], data["body"], data["pseudonymous"])
            except rules.ExchangeError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Your answer has been posted."))
                return redirect(
                    reverse("questionnaire:exchange_thread", args=[item.pk]) + "#antwoorden"
                )
    posts = rules.posts_for(item, user)
    return render(
        request,
        "questionnaire/exchange/thread.html",
        {
            "thread": item,
            "question": posts[0] if posts else None,
            "answers": posts[1:],
            "form": form,
            "may_take_part": may_take_part,
            "may_moderate": rules.may_moderate(user),
            "following": rules.is_following(item, user),
        },
    )


@require_POST
@login_required
def follow(request, pk):
    user = request.user
    _require(rules.may_take_part(user))
    item = _visible_thread(user, pk)
    if request.POST.get("action") == "unfollow":
        rules.unfollow(item, user)
        messages.success(request, _("You no longer follow this question."))
    else:
        rules.follow(item, user)
        messages.success(
            request, _("You follow this question: new answers come in your daily e-mail.")
        )
    return redirect("questionnaire:exchange_thread", item.pk)


def _visible_post(user, pk) -> Post:
    post = get_object_or_404(Post.objects.select_related("thread"), pk=pk)
    _visible_thread(user, post.thread_id)
    if post.is_hidden and not (rules.may_moderate(user) or post.author_id == user.pk):
        raise Http404
    return post


@require_POST
@login_required
def helpful(request, pk):
    user = request.user
    _require(rules.may_take_part(user))
    post = _visible_post(user, pk)
    try:
        marked = rules.toggle_helpful(post, user)
    except rules.ExchangeError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Marked as helpful.") if marked else _("No longer marked as helpful."),
        )
    return redirect(
        reverse("questionnaire:exchange_thread", args=[post.thread_id]) + f"#bijdrage-{post.pk}"
    )


@require_http_methods(["GET", "POST"])
@login_required
def report(request, pk):
    user = request.user
    _require(rules.may_take_part(user))
    post = _visible_post(user, pk)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        rules.report(post, user, form.cleaned_data["reason"])
        messages.success(request, _("Thank you. The moderators will look at this post."))
        return redirect("questionnaire:exchange_thread", post.thread_id)
    return render(
        request,
        "questionnaire/exchange/report.html",
        {"post": post, "author_line": rules.shown_author(post), "form": form},
    )


@require_http_methods(["GET", "POST"])
@login_required
def hide(request, pk):
    user = request.user
    _require(rules.may_moderate(user))
    post = get_object_or_404(Post.objects.select_related("thread"), pk=pk)
    form = HideForm(request.POST or None)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "restore":
            rules.restore(post, user)
            messages.success(request, _("The post is shown again."))
            return redirect("questionnaire:exchange_moderation")
        if action == "dismiss":
            rules.dismiss_reports(post, user)
            messages.success(request, _("The reports of this post are closed; it stays visible."))
            return redirect("questionnaire:exchange_moderation")
        if form.is_valid():
            rules.hide(post, user, form.cleaned_data["reason"])
            messages.success(request, _("The post is hidden; its author sees the reason."))
            return redirect("questionnaire:exchange_moderation")
    return render(
        request,
        "questionnaire/exchange/hide.html",
        {
            "post": post,
            "author_line": rules.shown_author(post),
            "form": form,
            "reports": post.reports.filter(handled_at__isnull=True),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def make_tip(request, pk):
    """A good answer becomes a draft tip on the content site; an editor publishes it."""
    user = request.user
    _require(rules.may_moderate(user))
    post = get_object_or_404(
        Post.objects.select_related("thread"), pk=pk, kind=Post.Kind.ANSWER, hidden_at=None
    )
    initial = {"block": post.thread.block} if post.thread.block is not None else {}
    form = TipForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            tip = Tip.objects.create(
                block=form.cleaned_data["block"],
                text=post.body,
                source=_("Practice exchange of the Quality compass"),
                live=False,
            )
            Post.objects.filter(pk=post.pk).update(tip_id=tip.pk)
        messages.success(
            request,
            _(
                "A draft tip has been made of this answer. Check and publish it in the "
                "content admin (Tips)."
            ),
        )
        return redirect("questionnaire:exchange_thread", post.thread_id)
    return render(
        request,
        "questionnaire/exchange/tip.html",
        {"post": post, "author_line": rules.shown_author(post), "form": form},
    )


@require_GET
@login_required
def moderation(request):
    user = request.user
    _require(rules.may_moderate(user))
    reported = (
        Post.objects.filter(reports__handled_at__isnull=True)
        .select_related("thread", "author", "municipality")
        .distinct()
        .order_by("-created_at")
    )
    recent = Post.objects.select_related("thread", "author", "municipality").order_by(
        "-created_at", "-pk"
    )[:30]
    hidden = (
        Post.objects.filter(hidden_at__isnull=False)
        .select_related("thread")
        .order_by("-hidden_at")[:30]
    )
    for post in [*reported, *recent, *hidden]:
        post.author_line = rules.shown_author(post)
    return render(
        request,
        "questionnaire/exchange/moderation.html",
        {"reported": reported, "recent": recent, "hidden": hidden},
    )


def _latest_results(municipality_ids) -> dict[int, tuple[Cycle, SelfAssessment]]:
    """The newest submitted self-assessment of each municipality (newest year, version)."""
    latest = {}
    assessments = (
        SelfAssessment.objects.filter(
            status=SelfAssessment.Status.SUBMITTED, cycle__municipality_id__in=municipality_ids
        )
        .select_related("cycle")
        .order_by("cycle__municipality_id", "-cycle__year", "-version")
    )
    for assessment in assessments:
        latest.setdefault(assessment.cycle.municipality_id, assessment)
    return latest


@require_GET
@login_required
def high_scorers(request):
    """Who scores high on a measure: only partners in a sharing agreement and municipalities
    that chose to be findable; never a score, only the band."""
    user = request.user
    _require(rules.may_take_part(user))
    measures = dict(_measures())
    code = request.GET.get("maatregel", "")
    own = rules.author_municipalities(user)
    own_ids = set(own.values_list("pk", flat=True))
    rows = []
    if code in measures:
        partners = set(access.municipalities_for(user).values_list("pk", flat=True)) - own_ids
        findable = (
            set(
                FindableMunicipality.objects.filter(findable=True).values_list(
                    "municipality_id", flat=True
                )
            )
            - own_ids
        )
        for municipality_id, assessment in _latest_results(partners | findable).items():
            stored = read_result(assessment)
            if not stored.readable:
                continue
            measure = next((m for m in stored.result.measures if m.code == code), None)
            if measure is not None and measure.band == Band.HIGH:
                rows.append(
                    {
                        "municipality": assessment.cycle.municipality,
                        "year": assessment.cycle.year,
                        "partner": municipality_id in partners,
                    }
                )
        rows.sort(key=lambda r: r["municipality"].name)
    coordinated = [m for m in own if access.is_coordinator(user, m)]
    findable_own = set(
        FindableMunicipality.objects.filter(
            municipality__in=coordinated, findable=True
        ).values_list("municipality_id", flat=True)
    )
    return render(
        request,
        "questionnaire/exchange/high_scorers.html",
        {
            "code": code if code in measures else "",
            "measure_title": measures.get(code, ""),
            "measures": measures.items(),
            "rows": rows,
            "coordinated": [(m, m.pk in findable_own) for m in coordinated],
        },
    )


@require_POST
@login_required
def findable(request, code):
    """A coordinator lets their municipality be found in "who scores high" (or not)."""
    municipality = access.get_municipality_for(request.user, code, access.MANAGE_TEAM)
    choice = request.POST.get("findable") == "1"
    FindableMunicipality.objects.update_or_create(
        municipality=municipality, defaults={"findable": choice, "changed_by": request.user}
    )
    if choice:
        messages.success(
            request,
            _("%(name)s can now be found by every municipality on the measures it scores high on.")
            % {"name": municipality.name},
        )
    else:
        messages.success(
            request,
            _("%(name)s is now only found by its partners in a sharing agreement.")
            % {"name": municipality.name},
        )
    url = reverse("questionnaire:exchange_high")
    measure = request.POST.get("maatregel", "")
    if measure in dict(_measures()):
        url += "?" + urlencode({"maatregel": measure})
    return redirect(url)


@require_POST
@login_required
def digest(request):
    user = request.user
    _require(rules.may_take_part(user))
    enabled = request.POST.get("enabled") == "1"
    rules.set_digest(user, enabled)
    messages.success(
        request,
        _("You receive a daily e-mail with new answers in the questions you follow.")
        if enabled
        else _("You no longer receive e-mails from the practice exchange."),
    )
    return redirect("questionnaire:exchange")


@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """One click from the e-mail unsubscribes (no login needed); a button subscribes again."""
    user = rules.user_for_token(token)
    if user is None:
        return render(
            request, "questionnaire/exchange/unsubscribe.html", {"invalid": True}, status=404
        )
    enabled = request.method == "POST" and request.POST.get("action") == "resubscribe"
    rules.set_digest(user, enabled)
    return render(
        request,
        "questionnaire/exchange/unsubscribe.html",
        {"enabled": enabled, "token": token},
    )
