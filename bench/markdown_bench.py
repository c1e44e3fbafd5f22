"""How long one Markdown text of the longest body the site takes renders, worst cases first.

    .venv/bin/python bench/markdown_bench.py            # every pattern, 50,000 characters
    .venv/bin/python bench/markdown_bench.py --length 10000 --repeat 5

Each pattern is repeated up to the length (the idea body limit, ``BODY_MAX_LENGTH``; comments
take 10,000) and rendered by ``ideas.rendering.render_markdown`` (pyromark, the nesting guard
and nh3), best of ``--repeat`` runs. Prints one line per pattern (ms), then the worst. Nothing is
asserted; the target is < 100 ms for the worst at the maximum length. The patterns are the
quadratic cases of Python-Markdown found by the attacker, cmark's pathological test suite and
what is slow in an HTML parser (deep nesting); tests/ideas/test_rendering.py checks their output.
"""

import argparse
import os
import sys
import time
from pathlib import Path

LENGTH = 50_000


def fill(unit: str, length: int, head: str = "", tail: str = "") -> str:
    room = length - len(head) - len(tail)
    return head + (unit * (room // len(unit) + 1))[:room] + tail


def nested(opener: str, closer: str, length: int, middle: str = "") -> str:
    count = (length - len(middle)) // (len(opener) + len(closer))
    return opener * count + middle + closer * count


def staircase(step, length: int) -> str:
    """step(i) for i = 1, 2, … joined, cut at length (lists that indent further each line)."""
    parts, size, i = [], 0, 1
    while size < length:
        parts.append(step(i))
        size += len(parts[-1])
        i += 1
    return "".join(parts)[:length]


def patterns(length: int = LENGTH) -> dict[str, str]:
    n = length
    return {
        "link openers [": fill("[", n),
        "image openers ![": fill("![", n),
        "unclosed links [a](": fill("[a](", n),
        "unclosed links [a](<b": fill("[a](<b", n),
        "link closers a]": fill("a]", n),
        "nested brackets": nested("[", "]", n, "a"),
        "nested parens in a destination": "[a](" + nested("(", ")", n - 5) + ")",
        "[ (](": fill("[ (](", n),
        "link openers and emphasis closers": fill("[ a_", n),
        "nested strong emphasis": nested("*a **a ", " a** a*", n, "b"),
        "emphasis closers without openers": fill("a_ ", n),
        "emphasis openers without closers": fill("_a ", n),
        "mismatched emphasis": fill("*a_ ", n),
        "emphasis delimiters multiple of 3": fill("c* ", n, head="a**b"),
        "alternating *_": fill("*_", n),
        "emphasis in links": fill("**x [a*b**c*](d)", n),
        "strikethrough ~~a": fill("~~a", n),
        "nested block quotes": fill("> ", n, tail="a"),
        "nested ordered lists": fill("1. ", n, tail="a"),
        "quotes in lists": fill("> 1. ", n, tail="a"),
        "indented lists": staircase(lambda i: "  " * i + "* a\n", n),
        "backtick runs": staircase(lambda i: "e" + "`" * i, n),
        "autolink opener": fill("a", n, head="<"),
        "html openers <a ": fill("<a ", n),
        "html comments <!--": fill("<!--", n),
        "raw nested <div>": fill("<div>", n),
        "raw nested <ul>": fill("<ul>", n),
        "raw nested <pre>": fill("<pre>", n),
        "raw nested <a>": fill("<a>", n),
        "raw nested <b>": fill("<b>", n),
        "entities &#": fill("&#", n),
        "backslashes": fill("\\", n),
        "reference definitions": fill("[a]: u\n", n // 2) + fill("[a]", n - n // 2),
        "table of many rows": fill("|a|\n", n, head="| a |\n|---|\n"),
        "table of many columns": fill("|a", n // 2) + "\n" + fill("|-", n - n // 2 - 1),
        "null bytes": fill("a\x00", n),
    }


def normal_document(length: int = LENGTH) -> str:
    section = (
        "## A heading\n\nSome *emphasis*, **strong** text, `code` and a "
        "[link](https://example.org/page). A list:\n\n* one\n* two with [a link][ref]\n"
        "   * nested\n\n> A quote with *style*.\n\n```python\nprint('hello')\n```\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n![chart](/media/ideas/chart.png)\n\n"
        "[ref]: https://example.org/ref\n\n"
    )
    return fill(section, length)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--length", type=int, default=LENGTH)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from ideas.rendering import render_markdown

    texts = {**patterns(args.length), "normal document": normal_document(args.length)}
    timings = {}
    for name, text in texts.items():
        best = float("inf")
        for _ in range(args.repeat):
            start = time.perf_counter()
            render_markdown(text)
            best = min(best, time.perf_counter() - start)
        timings[name] = best * 1000
        print(f"{name:36} {len(text):>7} chars {timings[name]:8.1f} ms", flush=True)
    worst = max(timings, key=timings.get)
    print(f"worst: {worst} {timings[worst]:.1f} ms at {args.length} characters")


if __name__ == "__main__":
    main()
