"""An anonymous child answered in the app, in Chromium: the child sends with no way back but
the app, customer relations reply there, the child opens the reply and the staff pages show it
read and the first contact recorded; then staff ask for more information, the child answers
in the box, and staff read the answer under the question. axe on every page on the way."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Locator, Page, expect

from tests.e2e.support import Live, page_problems, send_and_follow, write_a_message
from tests.e2e.test_staff_loop import act, make_staff, staff_page

WORDS = "Nobody has told me when I can see my brother."
REPLY = "Thank you for telling us. We are finding out about visits and will write here."
QUESTION = "Which day after school suits you best for a visit?"
ANSWER = 'Fridays <after 4> & "not" Mondays 😀'


def tracker_row(page: Page, reference: str) -> Locator:
    page.goto("/staff/tracker")
    return page.locator("#tracker tbody tr", has=page.get_by_role("link", name=reference))


def test_an_anonymous_app_contact_answered_in_the_app(browser: Browser, live_server: Live) -> None:
    relations = make_staff(live_server, "customer_relations", "Kim Relations")
    seen: dict[str, list[str]] = {}

    child_context = browser.new_context(base_url=live_server.url)
    child = child_context.new_page()
    write_a_message(child, WORDS)  # no name, no way back: the app is the only way back
    reference = send_and_follow(child)

    cr_context, cr = staff_page(browser, live_server, relations)
    cr.get_by_role("link", name=reference).click()
    expect(cr.locator("main")).to_contain_text("The app is the only way back to this child")
    expect(cr.locator(".first-contact")).to_have_text("Not yet")
    act(cr, "Reply in the app", {"Your reply to the child": REPLY})
    expect(cr.locator(".reply-state")).to_contain_text("Replied, not yet read")
    for summary in cr.locator("details.action summary").all():
        summary.click()  # every action's form open, the reply and the question among them
    seen["contact, replied"] = page_problems(cr)
    row = tracker_row(cr, reference)
    expect(row).to_contain_text("Replied, not yet read")
    seen["tracker, replied"] = page_problems(cr)

    child.goto("/messages")
    expect(child.locator(".message-list")).to_contain_text("New reply")
    seen["my messages, new reply"] = page_problems(child)
    child.get_by_role("link", name=f"Message {reference}").click()
    expect(child.locator(".flash")).to_contain_text("We have replied to you.")
    expect(child.locator(".replies")).to_contain_text(REPLY)
    expect(child.locator(".status-now")).to_contain_text("You have read our reply.")
    expect(child.locator("main")).not_to_contain_text(WORDS)  # phones are shared
    seen["status, reply read"] = page_problems(child)

    cr.get_by_role("link", name=reference).click()
    expect(cr.locator(".reply-state")).to_contain_text("Read by the child on")
    expect(cr.locator(".first-contact")).to_contain_text("(reached in the app)")
    expect(cr.locator(".timeline")).to_contain_text("The child opened the reply in the app")
    expect(cr.locator(".tag.met")).to_be_visible()  # the 48-hour promise kept
    expect(tracker_row(cr, reference)).not_to_contain_text("Replied, not yet read")

    cr.get_by_role("link", name=reference).click()
    act(cr, "Ask for more information", {"The question for the child": QUESTION})
    expect(cr.locator(".answer")).to_contain_text("Not answered in the app yet.")

    child.reload()
    question = child.locator(".question")
    expect(question).to_contain_text(QUESTION)
    question.get_by_role("button", name="Send your answer").click()  # nothing written yet
    expect(child).to_have_title(re.compile(f"^Error: Message {reference}"))
    summary = child.locator(".error-summary")
    expect(summary).to_contain_text("Write your answer in the box, then send it")
    expect(summary).to_be_focused()
    seen["status, answer missing"] = page_problems(child)
    summary.get_by_role("link").click()
    expect(child.get_by_label("Your answer")).to_be_focused()
    child.get_by_label("Your answer").fill(ANSWER)
    child.get_by_role("button", name="Send your answer").click()
    expect(child.locator(".flash")).to_contain_text("Thank you. We have your answer.")
    expect(child.locator(".question")).to_contain_text("You answered on")
    expect(child.locator("main")).not_to_contain_text("after 4")  # never shown back
    seen["status, answered"] = page_problems(child)

    cr.reload()
    expect(cr.locator(".answer .child-answer")).to_have_text(ANSWER)  # every character kept
    expect(cr.locator(".timeline")).to_contain_text("The child answered a question")
    seen["contact, answered"] = page_problems(cr)
    assert not {name: found for name, found in seen.items() if found}, seen
    for context in (child_context, cr_context):
        context.close()
