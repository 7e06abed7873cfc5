from django.urls import path

from questionnaire.views import (
    account,
    agreements,
    benchmark,
    cycles,
    district_rollup,
    districts,
    exchange,
    figures,
    moved,
    purchasing,
    self_assessment,
    situation,
    start,
    teams,
)

app_name = "questionnaire"

urlpatterns = [
    path("gemeenten/", start.start, name="start"),
    path("mijn-account/", account.account, name="account"),
    path("mijn-account/e-mail/<str:token>/", account.confirm_email, name="account_email"),
    path("gemeenten/<str:code>/team/", teams.team, name="team"),
    path("gemeenten/<str:code>/team/toevoegen/", teams.add_member, name="team_add"),
    path("gemeenten/<str:code>/team/rol/", teams.change_role, name="team_role"),
    path("gemeenten/<str:code>/team/verwijderen/", teams.remove_member, name="team_remove"),
    path("gemeenten/<str:code>/team/wijk/", teams.limit_district, name="team_district"),
    path(
        "gemeenten/<str:code>/team/uitnodiging-intrekken/",
        teams.withdraw_invitation,
        name="team_withdraw",
    ),
    # The districts of a municipality (issue 22, docs/access.md "Districts").
    path("gemeenten/<str:code>/wijken/", districts.district_list, name="districts"),
    path("gemeenten/<str:code>/wijken/laden/", districts.upload, name="districts_upload"),
    path("gemeenten/<str:code>/wijken/toevoegen/", districts.add, name="district_add"),
    path(
        "gemeenten/<str:code>/wijken/<str:district>/naam/",
        districts.rename,
        name="district_rename",
    ),
    path(
        "gemeenten/<str:code>/wijken/<str:district>/verwijderen/",
        districts.remove,
        name="district_remove",
    ),
    path(
        "gemeenten/<str:code>/wijken/<str:district>/jaarcyclus/nieuw/",
        districts.start_cycle,
        name="district_cycle_start",
    ),
    path("gemeenten/<str:code>/cijfers/", figures.overview, name="figures"),
    path(
        "gemeenten/<str:code>/cijfers/<slug:indicator>/",
        figures.indicator_detail,
        name="figure_detail",
    ),
    path("gemeenten/<str:code>/jaarcyclus/nieuw/", cycles.start_cycle, name="cycle_start"),
    path("jaarcycli/hulp/", cycles.help_page, name="cycle_help"),
    path("jaarcycli/cijfers-sjabloon.csv", situation.csv_template, name="situation_csv_template"),
    path(
        "jaarcycli/<int:cycle>/situatie/cijfers/overnemen/",
        situation.take_over,
        name="situation_take_over",
    ),
    path(
        "jaarcycli/<int:cycle>/situatie/cijfers/uploaden/",
        situation.upload,
        name="situation_upload",
    ),
    path(
        "jaarcycli/<int:cycle_pk>/zelfevaluatie/",
        self_assessment.answer,
        name="self_assessment",
    ),
    path(
        "jaarcycli/<int:cycle_pk>/zelfevaluatie/heropenen/",
        self_assessment.reopen,
        name="self_assessment_reopen",
    ),
    path("jaarcycli/<int:cycle_pk>/vergelijking/", benchmark.benchmark, name="benchmark"),
    path(
        "jaarcycli/<int:cycle_pk>/zelfevaluatie/uitslag/",
        self_assessment.results,
        name="self_assessment_results",
    ),
    path(
        "jaarcycli/<int:cycle_pk>/zelfevaluatie/versies/<int:version>/",
        self_assessment.results,
        name="self_assessment_version",
    ),
    path("jaarcycli/<int:cycle>/", cycles.dashboard, name="cycle"),
    path("jaarcycli/<int:cycle>/inkoopcheck/", purchasing.check, name="purchasing"),
    path(
        "jaarcycli/<int:cycle>/inkoopcheck/actie/",
        purchasing.to_action,
        name="purchasing_action",
    ),
    path(
        "jaarcycli/<int:cycle>/inkoopcheck/overnemen/",
        purchasing.take_over,
        name="purchasing_take_over",
    ),
    # Before the steps: "wijken" would otherwise be read as a step's slug.
    path("jaarcycli/<int:cycle>/wijken/", district_rollup.rollup, name="district_rollup"),
    path("jaarcycli/<int:cycle>/<slug:step>/", cycles.step, name="cycle_step"),
    path("jaarcycli/<int:cycle>/<slug:step>/geschiedenis/", cycles.history, name="cycle_history"),
    path("uitnodiging/<str:token>/", teams.accept_invitation, name="invitation"),
    path("samenwerking/", agreements.agreements, name="agreements"),
    path("samenwerking/<int:pk>/deelnemen/", agreements.join, name="agreement_join"),
    path("samenwerking/<int:pk>/verlaten/", agreements.leave, name="agreement_leave"),
    path(
        "samenwerking/<int:pk>/verzoek/accepteren/",
        agreements.accept_request,
        name="agreement_accept",
    ),
    path(
        "samenwerking/<int:pk>/verzoek/weigeren/",
        agreements.refuse_request,
        name="agreement_refuse",
    ),
    path(
        "samenwerking/<int:pk>/verzoek/intrekken/",
        agreements.withdraw_request,
        name="agreement_withdraw",
    ),
    # The practice exchange (docs/exchange.md).
    path("uitwisseling/", exchange.index, name="exchange"),
    path("uitwisseling/vraag/", exchange.ask, name="exchange_ask"),
    path("uitwisseling/<int:pk>/", exchange.thread, name="exchange_thread"),
    path("uitwisseling/<int:pk>/volgen/", exchange.follow, name="exchange_follow"),
    path("uitwisseling/bijdrage/<int:pk>/nuttig/", exchange.helpful, name="exchange_helpful"),
    path("uitwisseling/bijdrage/<int:pk>/melden/", exchange.report, name="exchange_report"),
    path("uitwisseling/bijdrage/<int:pk>/verbergen/", exchange.hide, name="exchange_hide"),
    path("uitwisseling/bijdrage/<int:pk>/tip/", exchange.make_tip, name="exchange_tip"),
    path("uitwisseling/moderatie/", exchange.moderation, name="exchange_moderation"),
    path("uitwisseling/wie-scoort-hoog/", exchange.high_scorers, name="exchange_high"),
    path("uitwisseling/vindbaar/<str:code>/", exchange.findable, name="exchange_findable"),
    path("uitwisseling/e-mail/", exchange.digest, name="exchange_digest"),
    path("uitwisseling/afmelden/<str:token>/", exchange.unsubscribe, name="exchange_unsubscribe"),
    # Everything of a cycle lives under /jaarcycli/<id>/; the old /cycli/<id>/ addresses of
    # the self-assessment and the benchmark answer with a permanent redirect (301, or 308 for
    # a POST so it is not turned into a GET), keeping the query string.
    *[path(old, moved.to_cycle_prefix, name="moved_cycle_url") for old in moved.OLD_ROUTES],
]
