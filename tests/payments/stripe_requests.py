"""Every request the Stripe adapter makes, checked field by field against the pinned SDK's own
typed parameters (``stripe.params``, generated from Stripe's OpenAPI spec for the API version
the SDK sends, which settings pin as ``STRIPE_API_VERSION``).

``Recorder`` wraps the SDK's one way out (``_APIRequestor.request``): each call is recorded as
(method, path, params + request options) and still sent. ``problems`` maps the request to its
TypedDict (``ROUTES``; a request no route knows is itself a problem) and walks the value
against the type hints recursively: an unknown key, a missing required key, a value outside a
``Literal`` or of the wrong type is reported with its path (``line_items[0].price_data...``).

What the pinned SDK (stripe==16.1.0, API version 2026-10-28.endive) says about
``payment_method_types`` on a Checkout Session: ``SessionCreateParams`` has no such key
(stripe/params/checkout/_session_create_params.py); its ``allowed_payment_method_types``
docstring reads "Unlike `payment_method_types`, this acts as a filter on the dynamically
computed set of eligible payment methods", and ``currency`` is "Required in `setup` mode when
`allowed_payment_method_types` is not set". The Session *object* still reports
``payment_method_types`` (a response field, not a parameter). ``REMOVED`` repeats it so the
check fails on the parameter even if a later SDK typed it again under another version.
"""

from __future__ import annotations

import collections.abc
import re
import types
import typing
from decimal import Decimal
from typing import NotRequired, Required

import stripe
import stripe.params as p
import stripe.params.checkout as pc
from stripe._api_requestor import _APIRequestor
from typing_extensions import is_typeddict

ROUTES: list[tuple[str, str, type]] = [
    ("post", r"/v1/customers", p.CustomerCreateParams),
    ("post", r"/v1/checkout/sessions", pc.SessionCreateParams),
    ("get", r"/v1/checkout/sessions/[^/]+", pc.SessionRetrieveParams),
    ("get", r"/v1/setup_intents/[^/]+", p.SetupIntentRetrieveParams),
    ("post", r"/v1/payment_intents", p.PaymentIntentCreateParams),
    ("get", r"/v1/payment_intents/[^/]+", p.PaymentIntentRetrieveParams),
    ("post", r"/v1/payment_intents/[^/]+/confirm", p.PaymentIntentConfirmParams),
    ("post", r"/v1/payment_methods/[^/]+/detach", p.PaymentMethodDetachParams),
    ("get", r"/v1/refunds", p.RefundListParams),
    ("post", r"/v1/refunds", p.RefundCreateParams),
]

# Parameters the pinned API version no longer accepts (see the module's docstring).
REMOVED = {
    ("post", r"/v1/checkout/sessions"): {"payment_method_types"},
}

# TypedDicts flatten their bases: the request options' hints (RequestOptions) are evaluated in
# each subclass's module, which does not import what they name.
LOCALNS = {
    "Mapping": typing.Mapping,
    "Optional": typing.Optional,
    "StripeContext": getattr(stripe, "StripeContext", object),
}


def route(method: str, path: str) -> tuple[str, type] | None:
    for verb, pattern, params in ROUTES:
        if verb == method.lower() and re.fullmatch(pattern, path):
            return pattern, params
    return None


def hints(typed: type) -> dict:
    return typing.get_type_hints(typed, localns=LOCALNS, include_extras=True)


def _strip(hint):
    while typing.get_origin(hint) in (NotRequired, Required, typing.Annotated):
        hint = typing.get_args(hint)[0]
    return hint


def check(value, hint, where: str) -> list[str]:
    """What is wrong with ``value`` as a ``hint`` (empty when it fits)."""
    hint = _strip(hint)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is typing.Any or hint is object:
        return []
    if hint is type(None) or hint is None:
        return [] if value is None else [f"{where}: {value!r} is not null"]
    if origin in (typing.Union, types.UnionType):
        tried = [check(value, arm, where) for arm in args]
        return [] if any(not t for t in tried) else [f"{where}: {value!r} fits none of {hint}"]
    if origin is typing.Literal:
        return [] if value in args else [f"{where}: {value!r} is not one of {args}"]
    if is_typeddict(hint):
        return check_dict(value, hint, where)
    if origin in (list, collections.abc.Sequence, collections.abc.Iterable):
        if not isinstance(value, list | tuple):
            return [f"{where}: {value!r} is not a list"]
        return [e for i, item in enumerate(value) for e in check(item, args[0], f"{where}[{i}]")]
    if origin in (dict, collections.abc.Mapping):
        if not isinstance(value, dict):
            return [f"{where}: {value!r} is not an object"]
        return [e for k, v in value.items() for e in check(v, args[1], f"{where}.{k}")]
    return _scalar(value, hint, where)


def _scalar(value, hint, where: str) -> list[str]:
    if hint is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif hint is float or hint is Decimal:
        ok = isinstance(value, int | float | Decimal) and not isinstance(value, bool)
    elif isinstance(hint, type):
        ok = isinstance(value, hint)
    else:
        return [f"{where}: the check does not know the type {hint!r}"]
    return [] if ok else [f"{where}: {value!r} is not {hint.__name__}"]


def check_dict(value, typed: type, where: str) -> list[str]:
    if not isinstance(value, dict):
        return [f"{where}: {value!r} is not an object"]
    known = hints(typed)
    found = [f"{where}.{k}: not a parameter of {typed.__name__}" for k in value if k not in known]
    found += [
        f"{where}.{k}: required by {typed.__name__}, missing"
        for k in typed.__required_keys__
        if k not in value
    ]
    for key, item in value.items():
        if key in known:
            found += check(item, known[key], f"{where}.{key}")
    return found


def problems(method: str, path: str, params: dict) -> list[str]:
    """Everything wrong with one request, for the pinned SDK's version."""
    found = route(method, path)
    if found is None:
        return [f"{method.upper()} {path}: a request the check does not know (add it to ROUTES)"]
    pattern, typed = found
    removed = REMOVED.get((method.lower(), pattern), set()) & set(params)
    return [
        f"{method.upper()} {path}.{k}: removed in this API version" for k in sorted(removed)
    ] + check_dict(params, typed, f"{method.upper()} {path}")


class Recorder:
    """Every request the SDK sends while installed: (method, path, params with options)."""

    def __init__(self):
        self.requests: list[tuple[str, str, dict]] = []

    def install(self, monkeypatch) -> Recorder:
        real = _APIRequestor.request
        recorder = self

        def request(requestor, method, url, params=None, options=None, **kwargs):
            merged = {**dict(params or {}), **{k: v for k, v in (options or {}).items() if v}}
            recorder.requests.append((method.lower(), url.split("?")[0], merged))
            return real(requestor, method, url, params, options, **kwargs)

        monkeypatch.setattr(_APIRequestor, "request", request)
        return self

    def problems(self) -> list[str]:
        return [e for method, path, params in self.requests for e in problems(method, path, params)]
