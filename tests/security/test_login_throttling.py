"""
The admin sign-in is throttled by django-axes: five failures in a row lock that
user name from that address for a quarter of an hour, and nobody else.
"""

import pytest
from axes.models import AccessAttempt
from django.test import Client

LOGIN = "/admin/login/"
RIGHT = "correct horse battery staple"


@pytest.fixture(autouse=True)
def axes_on(settings):
    settings.AXES_ENABLED = True


def sign_in(username, password, *, ip="192.0.2.10", client=None):
    browser = client or Client()
    return browser.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=ip,
    )


def fail(username, times, *, ip="192.0.2.10"):
    return [sign_in(username, f"sbagliata {n}", ip=ip) for n in range(times)]


def test_four_failures_still_show_the_login_form(editor):
    *_, last = fail("editor", 4)

    assert last.status_code == 200
    assert "Accesso sospeso" not in last.text
    assert sign_in("editor", RIGHT).status_code == 302


def test_the_fifth_failure_locks_the_user_out_with_a_clear_italian_message(editor):
    *_, last = fail("editor", 5)

    assert last.status_code == 429
    assert "Accesso sospeso" in last.text
    assert "Troppi tentativi di accesso non riusciti (5 di fila)" in last.text
    assert "15 minuti" in last.text


def test_a_locked_out_user_cannot_sign_in_even_with_the_right_password(editor):
    fail("editor", 5)

    response = sign_in("editor", RIGHT)

    assert response.status_code == 429
    assert "_auth_user_id" not in response.wsgi_request.session


def test_the_lock_ends_after_the_cool_off(editor, time_machine):
    time_machine.move_to("2026-03-02 10:00:00+01:00", tick=False)
    fail("editor", 5)

    time_machine.move_to("2026-03-02 10:16:00+01:00", tick=False)

    assert sign_in("editor", RIGHT).status_code == 302


def test_other_users_and_other_addresses_are_unaffected(editor, reporter):
    fail("editor", 5, ip="192.0.2.10")

    assert sign_in("reporter", RIGHT, ip="192.0.2.10").status_code == 302
    assert sign_in("editor", RIGHT, ip="198.51.100.7").status_code == 302


def test_reader_pages_stay_open_from_a_locked_address(editor, client):
    fail("editor", 5, ip="192.0.2.10")

    assert client.get("/", REMOTE_ADDR="192.0.2.10").status_code == 200


def test_a_successful_sign_in_resets_the_count(editor):
    fail("editor", 4)
    assert sign_in("editor", RIGHT).status_code == 302

    *_, last = fail("editor", 4)

    assert last.status_code == 200
    assert AccessAttempt.objects.get(username="editor").failures_since_start == 4


def test_behind_a_trusted_proxy_a_lockout_holds_only_the_guessers_address(editor, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]

    def through_nginx(password, reader):
        return Client().post(
            LOGIN,
            {"username": "editor", "password": password, "next": "/admin/"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=reader,
        )

    for n in range(5):
        through_nginx(f"sbagliata {n}", "203.0.113.66")

    assert through_nginx(RIGHT, "203.0.113.66").status_code == 429
    assert through_nginx(RIGHT, "198.51.100.7").status_code == 302
