"""Each moderation rule on its own, then how the pipeline combines them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from comments import moderation, trust
from comments.models import Comment, EmailConfirmation, ModerationWord
from comments.moderation import APPROVED, PENDING, SPAM, Context, Decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_comment(article):
    """An unsaved comment, as the form hands it to the pipeline."""

    def make(**fields):
        values = {
            "article": article,
            "name": "Giulia Ferri",
            "email": "giulia@example.org",
            "body": "Un commento qualsiasi.",
            "ip": "192.0.2.1",
            "user_agent": "Mozilla/5.0",
        }
        values.update(fields)
        return Comment(**values)

    return make


def human(browser=None):
    return Context(seconds_to_post=60, browser=browser)


def confirmed(email="giulia@example.org"):
    return EmailConfirmation.objects.create(email=email, confirmed_at=timezone.now())


def owners_browser(email="giulia@example.org"):
    """The commenter cookie's claim of a browser proven for ``email``."""
    return trust.claim_for(EmailConfirmation.objects.get(email=email))


# Rule 1


def test_rule_1_holds_a_comment_no_rule_approves(new_comment):
    decision = moderation.moderate(new_comment(), human())
    assert decision.status == PENDING
    assert decision.reason == "in attesa: ogni commento nuovo passa dai moderatori"


def test_rule_1_can_be_turned_off_to_publish_first_and_moderate_after(new_comment, settings):
    settings.COMMENTS_HOLD_BY_DEFAULT = False
    assert moderation.moderate(new_comment(), human()).status == APPROVED


# Rule 2


def test_rule_2_approves_a_confirmed_address_with_an_approved_comment(new_comment, make_comment):
    make_comment(email="giulia@example.org", status=Comment.Status.APPROVED)
    confirmed()
    decision = moderation.approve_known_commenter(new_comment(), human(owners_browser()))
    assert decision == Decision(APPROVED, "approvato: commentatore conosciuto, email confermata")
    assert moderation.moderate(new_comment(), human(owners_browser())).status == APPROVED


def test_rule_2_holds_a_confirmed_address_typed_in_another_browser(new_comment, make_comment):
    # The borrowed address: right address, any name, but not the owner's browser.
    make_comment(email="giulia@example.org", status=Comment.Status.APPROVED)
    confirmed()
    held = Decision(PENDING, "in attesa: indirizzo confermato, ma non da questo browser")
    impostor = new_comment(name="Un altro nome")
    assert moderation.approve_known_commenter(impostor, human()) == held
    assert moderation.moderate(impostor, human()) == held


def test_rule_2_holds_a_browser_proven_for_another_address(new_comment, make_comment):
    make_comment(email="giulia@example.org", status=Comment.Status.APPROVED)
    confirmed()
    confirmed("marco@example.org")
    decision = moderation.moderate(new_comment(), human(owners_browser("marco@example.org")))
    assert decision.status == PENDING


def test_rule_2_holds_a_browser_whose_trust_was_revoked(new_comment, make_comment):
    make_comment(email="giulia@example.org", status=Comment.Status.APPROVED)
    confirmed()
    browser = owners_browser()
    EmailConfirmation.objects.get().revoke_browsers()
    assert moderation.moderate(new_comment(), human(browser)).status == PENDING
    assert moderation.moderate(new_comment(), human(owners_browser())).status == APPROVED


def test_rule_2_ignores_an_address_that_merely_had_an_approved_comment(new_comment, make_comment):
    # The WordPress spoof: type the address of someone whose comments get through.
    make_comment(email="giulia@example.org", status=Comment.Status.APPROVED)
    assert moderation.approve_known_commenter(new_comment(), human()) is None
    assert moderation.moderate(new_comment(), human()).status == PENDING


def test_rule_2_ignores_an_address_sent_a_link_but_never_confirmed(new_comment, make_comment):
    make_comment(email="giulia@example.org", status=Comment.Status.APPROVED)
    EmailConfirmation.objects.create(email="giulia@example.org")
    assert moderation.approve_known_commenter(new_comment(), human()) is None


def test_rule_2_needs_an_approved_comment_besides_the_confirmation(new_comment, make_comment):
    make_comment(email="giulia@example.org", status=Comment.Status.PENDING)
    confirmed()
    assert moderation.approve_known_commenter(new_comment(), human(owners_browser())) is None


def test_rule_2_can_be_turned_off(new_comment, make_comment, settings):
    settings.COMMENTS_APPROVE_KNOWN_COMMENTERS = False
    make_comment(email="giulia@example.org")
    confirmed()
    assert moderation.approve_known_commenter(new_comment(), human(owners_browser())) is None


def test_a_later_rule_still_holds_a_known_commenter(new_comment, make_comment):
    make_comment(email="giulia@example.org")
    confirmed()
    body = "Fonti: https://a.example https://b.example https://c.example"
    decision = moderation.moderate(new_comment(body=body), human(owners_browser()))
    assert decision == Decision(PENDING, "in attesa: 3 link")


# Rule 3


def test_rule_3_holds_more_than_two_links_and_says_how_many(new_comment):
    body = "Vedi http://a.example, https://b.example e www.c.example"
    assert moderation.hold_many_links(new_comment(body=body), human()) == Decision(
        PENDING, "in attesa: 3 link"
    )


def test_rule_3_lets_two_links_through(new_comment):
    body = "Vedi http://a.example e https://b.example"
    assert moderation.hold_many_links(new_comment(body=body), human()) is None


def test_rule_3_limit_is_a_setting(new_comment, settings):
    settings.COMMENTS_MAX_LINKS = 0
    decision = moderation.hold_many_links(new_comment(body="http://a.example"), human())
    assert decision == Decision(PENDING, "in attesa: 1 link")


# Rule 4


@pytest.mark.parametrize(
    ("field", "value", "label"),
    [
        ("name", "Il Truffatore", "nome"),
        ("email", "truffatore@example.org", "email"),
        ("website", "https://truffa.example", "sito web"),
        ("body", "Questa è una TRUFFA bella e buona.", "testo"),
    ],
)
def test_rule_4_a_moderation_word_anywhere_holds_the_comment(new_comment, field, value, label):
    ModerationWord.objects.create(word="truff", action=ModerationWord.Action.HOLD)
    decision = moderation.hold_moderation_words(new_comment(**{field: value}), Context())
    assert decision == Decision(PENDING, f"in attesa: parola da moderare “truff” in {label}")


@pytest.mark.parametrize(
    ("field", "value", "label"),
    [
        ("body", "Il miglior Casino Online del web", "testo"),
        ("email", "promo@casino-online.example", "email"),
    ],
)
def test_rule_4_a_blocked_word_makes_it_spam(new_comment, field, value, label):
    ModerationWord.objects.create(word="casino", action=ModerationWord.Action.SPAM)
    decision = moderation.spam_blocked_words(new_comment(**{field: value}), Context())
    assert decision == Decision(SPAM, f"spam: parola bloccata “casino” in {label}")


def test_rule_4_blocked_addresses_and_ips_are_spam(new_comment):
    ModerationWord.objects.create(word="spammer@example.org", action=ModerationWord.Action.SPAM)
    ModerationWord.objects.create(word="198.51.100.", action=ModerationWord.Action.SPAM)
    by_email = new_comment(email="spammer@example.org")
    by_ip = new_comment(ip="198.51.100.7")
    assert moderation.spam_blocked_words(by_email, Context()).status == SPAM
    assert moderation.spam_blocked_words(by_ip, Context()).reason == (
        "spam: parola bloccata “198.51.100.” in indirizzo IP"
    )


def test_rule_4_words_of_the_other_kind_are_ignored(new_comment):
    ModerationWord.objects.create(word="truffa", action=ModerationWord.Action.SPAM)
    comment = new_comment(body="Una truffa.")
    assert moderation.hold_moderation_words(comment, Context()) is None


def test_rule_4_loads_the_words_once_for_both_rules(new_comment, django_assert_num_queries):
    ModerationWord.objects.create(word="truffa")
    context = Context()
    with django_assert_num_queries(1):
        moderation.hold_moderation_words(new_comment(), context)
        moderation.spam_blocked_words(new_comment(), context)


# Rule 5


def test_rule_5_a_filled_honeypot_is_spam(new_comment):
    decision = moderation.spam_honeypot(new_comment(), Context(honeypot="http://bot.example"))
    assert decision == Decision(SPAM, "spam: compilato il campo nascosto ai lettori")


def test_rule_5_a_form_sent_back_under_three_seconds_is_spam(new_comment):
    decision = moderation.spam_too_fast(new_comment(), Context(seconds_to_post=1.2))
    assert decision == Decision(SPAM, "spam: inviato 1.2 secondi dopo l'apertura della pagina")
    assert moderation.spam_too_fast(new_comment(), Context(seconds_to_post=3.5)) is None


def test_rule_5_a_form_without_a_valid_time_is_spam(new_comment):
    assert moderation.spam_too_fast(new_comment(), Context(seconds_to_post=None)).status == SPAM


def test_rule_5_the_minimum_time_is_a_setting(new_comment, settings):
    settings.COMMENTS_MIN_SECONDS_TO_POST = 0
    assert moderation.spam_too_fast(new_comment(), Context(seconds_to_post=None)) is None


# Rules 6 and 7: refusals


def test_rule_6_refuses_the_same_text_from_the_same_address_on_the_same_article(
    new_comment, make_comment, make_article
):
    make_comment("Testo identico.", email="giulia@example.org", status=Comment.Status.SPAM)
    message = moderation.refuse_duplicate(new_comment(body="Testo identico."), Context())
    assert message == "Hai già inviato questo commento a questo articolo."
    elsewhere = new_comment(body="Testo identico.", article=make_article("Altro articolo"))
    assert moderation.refuse_duplicate(elsewhere, Context()) is None
    someone_else = new_comment(body="Testo identico.", email="marco@example.org")
    assert moderation.refuse_duplicate(someone_else, Context()) is None


def test_rule_7_refuses_a_second_comment_from_one_ip_within_fifteen_seconds(
    new_comment, make_comment
):
    now = timezone.now()
    make_comment(ip="192.0.2.1", created_at=now - timedelta(seconds=10))
    assert "aspetta 15 secondi" in moderation.refuse_flood(new_comment(), Context(now=now))
    later = Context(now=now + timedelta(seconds=6))
    assert moderation.refuse_flood(new_comment(), later) is None
    assert moderation.refuse_flood(new_comment(ip="192.0.2.2"), Context(now=now)) is None


# The pipeline


def test_spam_wins_over_held_and_every_reason_of_the_winner_is_kept():
    decisions = [
        Decision(APPROVED, "approvato: x"),
        Decision(PENDING, "in attesa: 3 link"),
        Decision(SPAM, "spam: a"),
        None,
        Decision(SPAM, "spam: b"),
    ]
    default = Decision(PENDING, "in attesa: default")
    assert moderation.combine(decisions, default) == Decision(SPAM, "spam: a; spam: b")


def test_with_no_verdict_the_default_decides():
    default = Decision(PENDING, "in attesa: default")
    assert moderation.combine([None, None], default) == default


def test_the_reason_is_in_the_site_language_whatever_the_reader_speaks(new_comment):
    from django.utils import translation

    with translation.override("en"):
        decision = moderation.moderate(new_comment(), human())
    assert decision.reason == "in attesa: ogni commento nuovo passa dai moderatori"
