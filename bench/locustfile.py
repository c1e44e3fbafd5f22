"""The whole-site traffic mix for Locust (run by bench/load_test.py, which prepares the data).

Four kinds of people, weighted as the issue asks: anonymous visitors browsing (70 %), members
voting, commenting and reading signed in (20 %), backers pledging (5 %) and finance staff on
their pages and exports (5 %). Each simulated person comes from their own address (the site
trusts one proxy hop in the load test, as behind a reverse proxy), so the per-address throttles
see people, not the load generator.

The data (ids, tokens, session keys) comes from the JSON file named by LOAD_FIXTURE. Requests
are grouped by endpoint (``name=``) so the report has one line per page or API route.
"""

import json
import os
import random

from locust import FastHttpUser, between, task

FIXTURE = json.loads(open(os.environ["LOAD_FIXTURE"], encoding="utf-8").read())
CSRF = FIXTURE["csrf"]
# bench/cluster_faults.py: every write the site acknowledged (2xx), one JSON line each, to check
# afterwards that the primary has them all.
ACK_LOG = (
    open(os.environ["LOAD_ACK_LOG"], "a", encoding="utf-8")
    if "LOAD_ACK_LOG" in os.environ
    else None
)


def acknowledged(response, **write) -> None:
    if ACK_LOG is not None and 200 <= (response.status_code or 0) < 300:
        if write["kind"] in ("comment", "claim"):
            write["id"] = response.json()["id"]
        ACK_LOG.write(json.dumps(write) + "\n")
        ACK_LOG.flush()


def _address() -> str:
    return f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"


class Person(FastHttpUser):
    abstract = True
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        self.headers = {"X-Forwarded-For": _address()}

    def page(self, path: str, name: str) -> None:
        self.client.get(path, headers=self.headers, name=name)


class Visitor(Person):
    """Anonymous browsing: the home tabs, search, idea pages, the ideas API."""

    weight = 70

    @task(4)
    def home(self) -> None:
        self.page("/", "/ (hot)")

    @task(2)
    def home_tab(self) -> None:
        tab = random.choice(["top", "new", "closing"])
        self.page(f"/?tab={tab}", "/?tab=[top|new|closing]")

    @task(1)
    def home_page_2(self) -> None:
        self.page("/?page=2", "/?page=2")

    @task(2)
    def search(self) -> None:
        query = random.choice(FIXTURE["queries"])
        self.page(f"/search/?q={query}", "/search/?q=…")

    @task(5)
    def idea(self) -> None:
        self.page(f"/ideas/{random.choice(FIXTURE['public_ideas'])}/", "/ideas/[id]/")

    @task(1)
    def ideas_api(self) -> None:
        self.page("/api/v1/ideas/?ordering=hot", "/api/v1/ideas/?ordering=hot")


class Member(Person):
    """A signed-in member: reads idea pages with their session, votes and comments by API."""

    weight = 20
    wait_time = between(1, 3)

    def on_start(self) -> None:
        super().on_start()
        token, session = random.choice(FIXTURE["members"])
        self.token = token
        self.api = {**self.headers, "Authorization": f"Token {token}"}
        self.browser = {**self.headers, "Cookie": f"sessionid={session}; csrftoken={CSRF}"}

    @task(4)
    def read_idea(self) -> None:
        idea = random.choice(FIXTURE["voting_ideas"])
        self.client.get(f"/ideas/{idea}/", headers=self.browser, name="/ideas/[id]/ (member)")

    @task(3)
    def vote(self) -> None:
        idea = random.choice(FIXTURE["voting_ideas"])
        response = self.client.post(
            f"/api/v1/ideas/{idea}/vote/", headers=self.api, name="/api/v1/ideas/[id]/vote/"
        )
        acknowledged(response, kind="vote", token=self.token, idea=idea)

    @task(1)
    def comment(self) -> None:
        idea = random.choice(FIXTURE["voting_ideas"])
        response = self.client.post(
            f"/api/v1/ideas/{idea}/comments/",
            json={"body": random.choice(FIXTURE["comments"])},
            headers=self.api,
            name="/api/v1/ideas/[id]/comments/ POST",
        )
        acknowledged(response, kind="comment", idea=idea)


class Backer(Person):
    """A member pledging on an idea that is raising funds, or changing the amount."""

    weight = 5
    wait_time = between(2, 6)

    def on_start(self) -> None:
        super().on_start()
        token, _ = random.choice(FIXTURE["backers"])
        self.token = token
        self.api = {**self.headers, "Authorization": f"Token {token}"}

    @task(3)
    def read_idea(self) -> None:
        idea = random.choice(FIXTURE["funding_ideas"])
        self.client.get(
            f"/api/v1/ideas/{idea}/funding/", headers=self.api, name="/api/v1/ideas/[id]/funding/"
        )

    @task(1)
    def pledge(self) -> None:
        idea = random.choice(FIXTURE["funding_ideas"])
        path = f"/api/v1/ideas/{idea}/pledges/"
        amount = {"amount": random.randrange(5, 200) * 100}
        with self.client.get(
            path, headers=self.api, name="/api/v1/ideas/[id]/pledges/ GET", catch_response=True
        ) as mine:
            pledged = mine.status_code == 200
            if mine.status_code == 404:  # no pledge yet: that is the expected answer
                mine.success()
        if pledged:
            name = "/api/v1/ideas/[id]/pledges/ PATCH"
            response = self.client.patch(path, json=amount, headers=self.api, name=name)
        else:
            name = "/api/v1/ideas/[id]/pledges/ POST"
            response = self.client.post(path, json=amount, headers=self.api, name=name)
        acknowledged(response, kind="pledge", token=self.token, idea=idea, **amount)

    @task(1)
    def claim(self) -> None:
        """A contribution claimed on a product (when the data names products to claim on)."""
        if not FIXTURE.get("product_ideas"):
            return
        idea = random.choice(FIXTURE["product_ideas"])
        claim = {
            "idea": idea,
            "kind": random.choice(["design", "marketing", "other"]),
            "description": "Drew the packaging for the launch.",
            "proposed_points": 5,
        }
        response = self.client.post(
            "/api/v1/contributions/", json=claim, headers=self.api, name="/api/v1/contributions/"
        )
        acknowledged(response, kind="claim", idea=idea)


class Finance(Person):
    """Finance staff: the console, payments to collect, batches and the ledger export."""

    weight = 5
    wait_time = between(1, 3)

    def on_start(self) -> None:
        super().on_start()
        self.api = {**self.headers, "Authorization": f"Token {FIXTURE['finance']['token']}"}
        self.browser = {**self.headers, "Cookie": f"sessionid={FIXTURE['finance']['session']}"}

    @task(3)
    def console(self) -> None:
        self.client.get("/finance/", headers=self.browser, name="/finance/")

    @task(2)
    def payments(self) -> None:
        self.client.get("/finance/payments/", headers=self.browser, name="/finance/payments/")

    @task(1)
    def batches(self) -> None:
        self.client.get("/api/v1/payout-batches/", headers=self.api, name="/api/v1/payout-batches/")

    @task(1)
    def ledger_export(self) -> None:
        self.client.get(
            "/api/v1/ledger/export.csv", headers=self.api, name="/api/v1/ledger/export.csv"
        )
