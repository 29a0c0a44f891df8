"""Helpers for the browser tests: log in through the real form, check a page with axe-core,
take screenshots for the documentation."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

REPO = Path(__file__).resolve().parents[2]
AXE_JS = REPO / "tests" / "vendor" / "axe.min.js"
SCREENSHOT_DIR = REPO / "docs" / "screenshots"
DEMO_PASSWORD = "itfabrik-demo"  # itfabrik.demo.dalsland.DEMO_PASSWORD
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def url(page: Page, path: str) -> str:
    return f"{page.site}{path}"  # type: ignore[attr-defined]


def login(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the real login form and wait for the start page."""
    page.goto(url(page, "/konto/logga-in/"))
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    expect(page).to_have_url(url(page, "/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Välkommen")


def check_a11y(page: Page) -> None:
    """Run axe-core (WCAG 2.0/2.1 A and AA rules) on the page as it is now; fail on any violation.

    The site sends `Content-Security-Policy: script-src 'self'`. `add_script_tag(path=…)` inserts
    the file's text as an *inline* <script>, which that policy blocks ("Executing inline script
    violates … 'script-src 'self''"). Loosening the site's policy for tests would test a different
    site, so instead the test browser contexts are created with `bypass_csp=True` (see
    conftest.browser_context_args): the server still sends the header unchanged, only the test
    browser ignores it so that axe can be injected. That the real pages work *with* the policy
    enforced is checked separately by test_csp.py, in a context without bypass_csp.
    """
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    result: dict[str, Any] = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return {violations: r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary})),
            }))};
        }""",
        WCAG_TAGS,
    )
    violations = result["violations"]
    if violations:
        lines = [f"axe-core: {len(violations)} WCAG violation(s) on {page.url}:"]
        for v in violations:
            lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
            for node in v["nodes"][:10]:
                target = " ".join(str(t) for t in node["target"])
                summary = re.sub(r"\s+", " ", node["summary"] or "")[:300]
                lines.append(f"    at {target}: {summary}")
            if len(v["nodes"]) > 10:
                lines.append(f"    … and {len(v['nodes']) - 10} more")
        raise AssertionError("\n".join(lines))


def screenshot(page: Page, name: str) -> None:
    """Save a full-page screenshot to docs/screenshots/NAME.png, only when ITFABRIK_SCREENSHOTS=1
    (the PNGs are tracked files; ordinary test runs must not rewrite them)."""
    if os.environ.get("ITFABRIK_SCREENSHOTS") != "1":
        return
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"), full_page=True, animations="disabled")


def visit(page: Page, path: str, *, status: int = 200) -> None:
    """Open PATH, assert the HTTP status and run the accessibility check."""
    response = page.goto(url(page, path))
    assert response is not None
    assert response.status == status, f"{path}: HTTP {response.status}, expected {status}"
    check_a11y(page)


def menu_link(page: Page, name: str) -> Any:
    """The main menu's link called `name`, its area opened first when the menu is grouped (staff
    with many pages see one disclosure per area; a requester's short menu is flat)."""
    nav = page.get_by_role("navigation", name="Huvudmeny")
    expect(nav).to_be_visible()
    link = nav.get_by_role("link", name=name, exact=True, include_hidden=True)
    group = nav.locator("details.nav-group").filter(
        has=page.get_by_role("link", name=name, exact=True, include_hidden=True)
    )
    if group.count() and not group.evaluate("d => d.open"):
        group.locator("summary").click()
    expect(link).to_be_visible()
    return link


def tab_to(page: Page, target: Any, max_presses: int = 120) -> None:
    """Press Tab, from wherever focus is, until `target` has focus: the element is reachable by
    keyboard in the page's tab order (a programmatic focus() would prove nothing)."""
    target.wait_for()
    for _ in range(max_presses):
        if target.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{target} not reached with {max_presses} presses of Tab")


def press(page: Page, target: Any, key: str = "Enter") -> None:
    """Tab to a link or button and activate it with the keyboard."""
    tab_to(page, target)
    page.keyboard.press(key)


def type_into(page: Page, field: Any, text: str) -> None:
    """Tab to a text field, select what is in it and type over it."""
    tab_to(page, field)
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(text)


def choose_by_keys(page: Page, select: Any, label: str) -> None:
    """Tab to a native <select> and arrow to the option called `label`."""
    tab_to(page, select)
    page.keyboard.press("Home")
    for _ in range(60):
        if select.evaluate("s => s.options[s.selectedIndex].text.trim()") == label:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"option {label!r} not reached with the arrow keys")


def send_problem_report(page: Page, title: str, description: str) -> str:
    """Fill in the portal's open "Anmäl ett problem" form for the reporter's own work group, send
    it and return the new ticket's reference from the heading of the page it lands on."""
    page.get_by_label("Vad gäller det?").fill(title)
    page.get_by_label("Beskriv problemet").fill(description)
    page.get_by_label("Min arbetsgrupp").check()
    page.get_by_role("button", name="Skicka anmälan").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text(title)
    return heading.inner_text().split()[0]
