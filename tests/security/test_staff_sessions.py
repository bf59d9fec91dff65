"""Staff sessions end when unused, can be ended everywhere, and the admin shows sign-ins."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

LOGIN = "/admin/login/"
RIGHT = "correct horse battery staple"


@pytest.fixture(autouse=True)
def axes_on(settings):
    settings.AXES_ENABLED = True  # it records each successful sign-in


def signed_in(username, *, ip="192.0.2.10", agent="Firefox del portatile"):
    browser = Client(REMOTE_ADDR=ip, HTTP_USER_AGENT=agent)
    response = browser.post(LOGIN, {"username": username, "password": RIGHT, "next": "/admin/"})
    assert response.status_code == 302, response.content.decode()[:500]
    return browser


def in_admin(browser) -> bool:
    return browser.get("/admin/").status_code == 200


def test_a_session_unused_for_longer_than_the_setting_ends(editor, settings):
    assert settings.SESSION_COOKIE_AGE == settings.STAFF_SESSION_IDLE_MINUTES * 60 == 120 * 60
    browser = signed_in("editor")
    with time_machine.travel(timezone.now() + timedelta(minutes=121)):
        assert not in_admin(browser)


def test_each_request_moves_the_end_of_the_session(editor):
    browser = signed_in("editor")
    start = timezone.now()
    with time_machine.travel(start + timedelta(minutes=100)):
        assert in_admin(browser)
    with time_machine.travel(start + timedelta(minutes=200)):
        assert in_admin(browser)  # 100 minutes after the last request


def test_a_superuser_signs_a_colleague_out_of_every_browser(editor, superuser):
    laptop, phone = signed_in("editor"), signed_in("editor", agent="Safari del telefono")
    director = signed_in("direttore")
    response = director.post(
        "/admin/auth/user/",
        {"action": "sign_out_everywhere", "_selected_action": [editor.pk]},
        follow=True,
    )
    assert "2 sessioni chiuse." in response.content.decode()
    assert not in_admin(laptop)
    assert not in_admin(phone)
    assert in_admin(director)


def test_the_admin_shows_each_person_s_last_sign_ins(editor, superuser):
    signed_in("editor", ip="192.0.2.55", agent="Firefox del portatile")
    director = signed_in("direttore")
    page = director.get(f"/admin/auth/user/{editor.pk}/change/").content.decode()
    assert "Ultimi accessi" in page or "ultimi accessi" in page
    assert "192.0.2.55" in page
    assert "Firefox del portatile" in page
