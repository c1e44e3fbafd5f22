"""axe-core in the browser tests: ``assert_accessible(page)`` runs the vendored axe-core
(tests/vendor/axe-core, no network) on the page as it is and fails with every WCAG 2.1 A/AA
violation it finds, each with the elements involved."""

import functools
from pathlib import Path

AXE_VERSION = "4.14.1"
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

RUN = """async (tags) => {
    const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
    return result.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " (" +
            [...n.any, ...n.all, ...n.none].map(c => c.message).join("; ") + ")"),
    }));
}"""


def axe_violations(page) -> list[dict]:
    """The page's WCAG 2.1 A/AA violations. axe-core is evaluated through the DevTools
    protocol, which the site's CSP (rightly refusing injected script tags) does not govern, so
    any page of any browser test can be checked as it is."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(_source())
    return page.evaluate(RUN, WCAG)


@functools.cache
def _source() -> str:
    return AXE.read_text(encoding="utf-8")


def report(page, where: str = "") -> str:
    """The page's violations as lines for an assertion message ("" when there are none)."""
    violations = axe_violations(page)
    if not violations:
        return ""
    lines = [f"axe-core on {where or page.url}:"]
    lines += [
        f"  {v['id']} ({v['impact']}): {v['help']} — {', '.join(v['nodes'])}" for v in violations
    ]
    return "\n".join(lines)


def assert_accessible(page, where: str = "") -> None:
    found = report(page, where)
    assert not found, found
