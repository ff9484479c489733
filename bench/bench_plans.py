"""Delivery plan: the plan on a page (HTML and PDF) and the exports, at demo size.

The issue sets no target; these figures are recorded so a regression shows.
"""

from __future__ import annotations

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from bench import common
from lantern.accounts.models import User
from lantern.core.testing import sign_in
from lantern.plans import spreadsheets
from lantern.plans.models import DeliveryAction, Strategy
from lantern.plans.onepage import plan_on_a_page


def run() -> None:
    if not User.objects.filter(username="admin").exists():
        call_command("demo", no_serve=True, scale="borough", verbosity=0)
    strategy = Strategy.objects.get(name__startswith="Northmere CSE delivery plan")
    client = Client()
    sign_in(client, User.objects.get(username="board"))
    base = f"/plans/{strategy.pk}"
    exported = spreadsheets.export_csv(strategy)
    common.write(
        "plans",
        {
            "plan_on_a_page_summary": common.timed(
                lambda: plan_on_a_page(strategy, timezone.localdate()), repeat=50
            ),
            "plan_on_a_page_html": common.timed(lambda: client.get(f"{base}/plan-on-a-page/"), 50),
            "plan_on_a_page_pdf": common.timed(
                lambda: client.get(f"{base}/plan-on-a-page.pdf"), repeat=10
            ),
            "delivery_plan_page": common.timed(lambda: client.get(f"{base}/"), repeat=50),
            "export_csv": common.timed(lambda: spreadsheets.export_csv(strategy), repeat=50),
            "export_xlsx": common.timed(lambda: spreadsheets.export_xlsx(strategy), repeat=20),
            "export_docx": common.timed(lambda: spreadsheets.export_docx(strategy), repeat=20),
            "reimport_csv_unchanged": common.timed(
                lambda: spreadsheets.import_plan("bench", strategy, exported, "plan.csv"),
                repeat=10,
            ),
        },
        {
            "scale": "borough demo",
            "actions": DeliveryAction.objects.filter(objective__strategy=strategy).count(),
            "objectives": strategy.objectives.count(),
            "priorities": strategy.priorities.count(),
        },
    )
