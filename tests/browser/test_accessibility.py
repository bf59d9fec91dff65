"""
axe-core on every kind of reader page, the comment form with errors and the
admin's article form: no violation of impact serious or critical. The form
also works with the keyboard alone, and says what is wrong.
"""

import json

import pytest
from playwright.sync_api import expect

from .conftest import ARTIFACTS, AXE, send_comment_with_errors

pytestmark = pytest.mark.django_db(transaction=True)

BLOCKING = {"serious", "critical"}


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in BLOCKING]


def describe(violations) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(node["target"][0] for node in v["nodes"][:5])
        for v in violations
    )


def test_reader_pages_have_no_serious_accessibility_violations(visitor, reader_pages):
    # axe is injected as a script of its own: the page's CSP would refuse it.
    reader = visitor("reader", bypass_csp=True)
    found = {}
    for name, path in reader_pages.items():
        reader.page.goto(path)
        found[name] = axe_violations(reader.page)
    send_comment_with_errors(reader.page, reader_pages["article"])
    found["comment-form-errors"] = axe_violations(reader.page)
    reader.screenshot("a11y-comment-form-errors")

    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "axe-reader-pages.json").write_text(json.dumps(found, indent=2))
    report = "\n".join(f"[{name}]\n{describe(v)}" for name, v in found.items() if v)
    assert not report, report


def test_admin_article_form_has_no_serious_accessibility_violations(visitor, editor):
    desk = visitor("editor", bypass_csp=True)
    desk.sign_in("editor")
    desk.page.goto("/admin/articles/article/add/")
    desk.page.locator(".ProseMirror[contenteditable=true]").wait_for()

    violations = axe_violations(desk.page)

    assert not violations, describe(violations)


def test_comment_form_works_with_the_keyboard_alone(visitor, reader_pages):
    reader = visitor("reader")
    page = reader.page
    page.goto(reader_pages["article"])
    page.locator("#id_name").focus()
    for text in ("   ", "non-un-indirizzo@example", ""):
        page.keyboard.type(text)
        page.keyboard.press("Tab")
    expect(page.locator("#id_body")).to_be_focused()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "focus must be visible"
    page.keyboard.type("   ")
    page.locator("button", has_text="Invia commento").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    errors = page.locator("#comment-form-errors")
    expect(errors).to_have_attribute("role", "alert")
    name = page.locator("#id_name")
    expect(name).to_have_attribute("aria-invalid", "true")
    assert "id_name_error" in name.get_attribute("aria-describedby")
    reader.screenshot("a11y-keyboard-errors")
