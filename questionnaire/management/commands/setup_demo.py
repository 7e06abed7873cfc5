from django.core.management.base import BaseCommand

from cms.demo import load_content
from compass import demo, demo_districts
from compass.demodata import mark_demo_installation
from questionnaire import demo as questionnaire_demo
from questionnaire import demo_districts as questionnaire_demo_districts


class Command(BaseCommand):
    help = "Create or refresh the demo site, content and users; safe to run again."

    def handle(self, *args, **options):
        home = demo.setup_site()
        self.stdout.write(f"Site: {home.title}")
        mark_demo_installation()
        self.stdout.write("Marked as a demo installation: every page shows a demo notice")
        load_content()
        for user in demo.setup_users():
            self.stdout.write(f"User: {user.username}")
        active, merged = demo.setup_municipalities()
        self.stdout.write(
            f"Municipalities: {active} active, {merged} merged since 2021; regions, demo teams "
            "and a sharing agreement"
        )
        figures = demo.import_demo_figures()
        self.stdout.write(
            f"Veilig Thuis demo figures (invented numbers): {figures.created} created, "
            f"{figures.updated} updated, {figures.unchanged} unchanged"
        )
        youth = demo.setup_youth_population()
        self.stdout.write(
            f"Youth population 0-17 (estimated from CBS {youth.year} age groups, "
            f"{youth.source}): {youth.updated} updated, {youth.unchanged} unchanged"
        )
        districts = demo_districts.setup_districts()
        if districts is not None:
            self.stdout.write(
                f"Districts of Utrecht (real CBS 2023 files): {districts.districts} districts, "
                f"{districts.figures} figures of the distance to a day nursery"
            )
        cycle = demo.setup_cycles()
        self.stdout.write(f"Annual cycle: {cycle}, filled in")
        if demo.setup_purchasing(cycle) is not None:
            self.stdout.write("Purchasing check: example profile set (not the study's figures)")
        taken = questionnaire_demo.setup_situation_figures()
        self.stdout.write(f"Situation step: {taken} CBS figures taken into the cycle")
        started = questionnaire_demo_districts.setup_district_cycles()
        self.stdout.write(
            f"District cycles: {started} started (Overvecht, Zuidwest, Leidsche Rijn), with "
            "their CBS figures; wim is limited to Overvecht"
        )
        cycle = questionnaire_demo.setup_self_assessments()
        if cycle is not None:
            self.stdout.write(f"Self-assessments: {cycle.municipality} 2025 and {cycle.year}")
        peers = questionnaire_demo.setup_benchmark_peers()
        self.stdout.write(
            f"Benchmark peers (GENERATED demo data, marked as such): {peers} self-assessments "
            "created"
        )
        release = questionnaire_demo.setup_benchmark_release()
        self.stdout.write(
            f"Benchmark release {release.reference_date}: {release.municipality_count} "
            "municipalities"
        )
        threads = questionnaire_demo.setup_exchange()
        self.stdout.write(f"Practice exchange: {threads} example threads (marked as examples)")
        self.stdout.write(self.style.SUCCESS("Demo ready: see README.md for the demo users."))
