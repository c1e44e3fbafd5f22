"""Stripe for the tests, on loopback only: localstripe (a stateful fake Stripe server from PyPI)
plus a small fake of Stripe Checkout in front of it, since localstripe has no Checkout.

``StripeFake.start()`` runs localstripe on a free port and this proxy on another; the SDK's
``api_base`` points at the proxy, which answers ``/v1/checkout/sessions`` itself (creating the
SetupIntent or PaymentIntent in localstripe) and forwards every other ``/v1/`` call unchanged.
``/pay/<session>`` stands in for Stripe's hosted page: posting a card number there does what
the backer does on Stripe's page, then redirects to the session's ``success_url``.
"""

import json
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

KEY = "sk_test_ahhha_localstripe"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _unflatten(pairs: list[tuple[str, str]]) -> dict:
    """Stripe's form encoding (``metadata[pledge]=7``, ``line_items[0][quantity]=1``) → dicts."""
    out: dict = {}
    for key, value in pairs:
        parts = key.replace("]", "").split("[")
        node = out
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return out


class StripeFake:
    def __init__(self):
        self.sessions: dict[str, dict] = {}
        # Setup intents whose 3-D Secure the hosted page completed (localstripe cannot).
        self.authenticated: dict[str, str] = {}
        # The Stripe-Version header of every request the SDK sent through the proxy.
        self.versions: set[str | None] = set()
        self.localstripe = None
        self.server = None

    # --- talking to localstripe ------------------------------------------------------------
    def call(self, method: str, path: str, data: dict | None = None) -> dict:
        body = urllib.parse.urlencode(data or {}).encode() if data is not None else None
        request = urllib.request.Request(
            self.ls_base + path,
            data=body,
            method=method,
            headers={"Authorization": f"Bearer {KEY}"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    def intents_for(self, payment) -> list[dict]:
        """Every PaymentIntent localstripe holds for one of our payments (its customer is new
        in each test, its id may not be)."""
        from payments.models import StripeCustomer

        customer = StripeCustomer.objects.get(member=payment.pledge.member).customer_id
        listed = self.call("GET", "/v1/payment_intents?limit=100")["data"]
        return [
            i
            for i in listed
            if i.get("customer") == customer
            and (i.get("metadata") or {}).get("payment") == str(payment.pk)
        ]

    # --- the Checkout fake -----------------------------------------------------------------
    def create_session(self, form: dict) -> dict:
        session_id = "cs_test_" + secrets.token_hex(12)
        session = {
            "id": session_id,
            "object": "checkout.session",
            "mode": form["mode"],
            "customer": form.get("customer"),
            "metadata": form.get("metadata", {}),
            "success_url": form["success_url"],
            "cancel_url": form["cancel_url"],
            "status": "open",
            "url": f"{self.base}/pay/{session_id}",
            "setup_intent": None,
            "payment_intent": None,
        }
        if form["mode"] == "setup":
            intent = self.call(
                "POST",
                "/v1/setup_intents",
                {"customer": form["customer"], "payment_method_types[]": "card"},
            )
            session["setup_intent"] = intent["id"]
        else:
            item = form["line_items"]["0"]["price_data"]
            session["amount_total"] = int(item["unit_amount"])
            session["currency"] = item["currency"]
        self.sessions[session_id] = session
        return session

    def pay(self, session_id: str, card: str) -> str:
        """What the backer does on the hosted page; returns where Stripe sends them back."""
        session = self.sessions[session_id]
        method = self.call(
            "POST",
            "/v1/payment_methods",
            {"type": "card", "card[number]": card, "card[exp_month]": "12",
             "card[exp_year]": "2031", "card[cvc]": "123"},
        )  # fmt: skip
        self.call(
            "POST", f"/v1/payment_methods/{method['id']}/attach", {"customer": session["customer"]}
        )
        if session["mode"] == "setup":
            intent = self.call(
                "POST",
                f"/v1/setup_intents/{session['setup_intent']}/confirm",
                {"payment_method": method["id"]},
            )
            if intent["status"] == "requires_action":  # the backer passes 3-D Secure here
                self.authenticated[intent["id"]] = method["id"]
        else:
            metadata = {f"metadata[{k}]": v for k, v in session["metadata"].items()}
            intent = self.call(
                "POST",
                "/v1/payment_intents",
                {"amount": session["amount_total"], "currency": session["currency"],
                 "customer": session["customer"], "payment_method": method["id"],
                 "confirm": "true", **metadata},
            )  # fmt: skip
            session["payment_intent"] = intent["id"]
        session["status"] = "complete"
        return session["success_url"].replace("{CHECKOUT_SESSION_ID}", session_id)

    # --- lifecycle -------------------------------------------------------------------------
    def start(self) -> "StripeFake":
        ls_port = free_port()
        localstripe = Path(sys.executable).with_name("localstripe")
        self.localstripe = subprocess.Popen(
            # --from-scratch: localstripe otherwise reloads /tmp/localstripe.pickle, the state
            # every earlier run (and the other xdist worker) left there.
            [str(localstripe), "--port", str(ls_port), "--from-scratch"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.ls_base = f"http://127.0.0.1:{ls_port}"
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", ls_port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            # Keep-alive, as Stripe's API: the SDK reuses pooled connections, and an HTTP/1.0
            # server closing each one makes a reused connection fail now and then.
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def _send(self, status: int, body: bytes, headers: dict | None = None):
                self.send_response(status)
                for name, value in (headers or {"Content-Type": "application/json"}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _body(self) -> bytes:
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))

            def _route(self, method: str):
                path = urllib.parse.urlsplit(self.path).path
                if path.startswith("/v1/"):
                    fake.versions.add(self.headers.get("Stripe-Version"))
                body = self._body() if method == "POST" else b""
                if path == "/v1/checkout/sessions" and method == "POST":
                    form = _unflatten(urllib.parse.parse_qsl(body.decode()))
                    return self._send(200, json.dumps(fake.create_session(form)).encode())
                if path.startswith("/v1/setup_intents/") and path[18:] in fake.authenticated:
                    intent = fake.call("GET", path)
                    intent.update(status="succeeded", payment_method=fake.authenticated[path[18:]])
                    return self._send(200, json.dumps(intent).encode())
                if path.startswith("/v1/checkout/sessions/"):
                    session = fake.sessions.get(path.rsplit("/", 1)[1])
                    if session is None:
                        return self._send(404, b'{"error": {"message": "No such session"}}')
                    return self._send(200, json.dumps(session).encode())
                if path.endswith("/confirm") and path.startswith("/v1/payment_intents/"):
                    # localstripe refuses off_session on confirm; off-session is what it does.
                    form = [(k, v) for k, v in urllib.parse.parse_qsl(body.decode())
                            if k != "off_session"]  # fmt: skip
                    body = urllib.parse.urlencode(form).encode()
                if path.startswith("/pay/") and method == "POST":
                    card = urllib.parse.parse_qs(body.decode())["card"][0]
                    return self._send(303, b"", {"Location": fake.pay(path[5:], card)})
                headers = {
                    k: v
                    for k, v in self.headers.items()
                    if k.lower() in ("authorization", "content-type")
                }
                request = urllib.request.Request(
                    fake.ls_base + self.path,
                    data=body if method == "POST" else None,
                    method=method,
                    headers=headers,
                )
                try:
                    with urllib.request.urlopen(request, timeout=10) as response:
                        return self._send(response.status, response.read())
                except urllib.error.HTTPError as error:
                    return self._send(error.code, error.read())

            def _safely(self, method: str):
                try:
                    self._route(method)
                except Exception as error:  # answer, so the client sees what went wrong
                    import traceback

                    traceback.print_exc()
                    message = json.dumps({"error": {"message": f"stripe fake: {error!r}"}})
                    self._send(500, message.encode())

            def do_GET(self):
                self._safely("GET")

            def do_POST(self):
                self._safely("POST")

            def do_DELETE(self):
                self._safely("DELETE")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
        if self.localstripe:
            self.localstripe.terminate()
            self.localstripe.wait(timeout=10)
