"""Browser tests: the automated accessibility check (axe-core from npm, issue 17 item 12).

`assert_accessible(page)` runs axe-core inside the page a browser test has open and fails with
every violation of impact serious or critical (rule, impact, help and the offending elements).
axe-core is a front-end package (package.json, `node_modules/axe-core/axe.min.js`); the pages'
Content-Security-Policy forbids inline scripts, so the script is evaluated through the browser's
debugging protocol (`page.evaluate`), which a CSP does not govern, rather than added as a tag.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.conf import settings

AXE_SCRIPT = settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
# The impacts a public page must not have (axe's scale: minor, moderate, serious, critical).
BLOCKING_IMPACTS = frozenset({"serious", "critical"})
# WCAG 2.1 A and AA, the level of GB/T 37668-2019 (信息无障碍 Web 信息内容无障碍可访问性技术要求).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


@cache
def _axe_source() -> str:
    return AXE_SCRIPT.read_text(encoding="utf-8")


def axe_violations(
    page: Any, *, impacts: frozenset[str] = BLOCKING_IMPACTS
) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is now; the violations of the given impacts."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    result = page.evaluate(
        """async (tags) => {
            const found = await window.axe.run(document, {
                runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
            });
            return found.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary})),
            }));
        }""",
        AXE_TAGS,
    )
    return [violation for violation in result if violation["impact"] in impacts]


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            summary = " ".join(str(node["summary"] or "").split())
            lines.append(f"    {node['target']}: {summary[:300]}")
    return "\n".join(lines)


def assert_accessible(page: Any) -> None:
    """Fail with every serious or critical axe-core violation of the page as it is now."""
    violations = axe_violations(page)
    assert not violations, f"{page.url}\n{describe(violations)}"
