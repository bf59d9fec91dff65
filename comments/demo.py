"""
Demo comments: a thread on the reference article and a spread of approved,
pending and spam comments on the other public articles.

Like the rest of the demo, the result depends only on the seed and the day it
runs, and a second run updates the same rows: a comment is known by its
article, address and text.
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.text import slugify

from .models import Comment, EmailConfirmation, ModerationWord

EMAIL_DOMAIN = "lettori.example"
APPROVED, PENDING, SPAM = Comment.Status.APPROVED, Comment.Status.PENDING, Comment.Status.SPAM

HELD = "in attesa: ogni commento nuovo passa dai moderatori"
KNOWN = "approvato: commentatore conosciuto, email confermata"
SPAM_WORD = "spam: parola bloccata “{}” in testo"

WORDS = [
    ("idiota", ModerationWord.Action.HOLD, "Insulto: lo legge un moderatore."),
    ("truffa", ModerationWord.Action.HOLD, "Spesso un'accusa: va verificata."),
    ("casino online", ModerationWord.Action.SPAM, "Pubblicità."),
    ("guadagna subito", ModerationWord.Action.SPAM, "Pubblicità."),
    ("bitcoin gratis", ModerationWord.Action.SPAM, "Pubblicità."),
]

# Commenters who confirmed their address: their next comment is approved at once.
CONFIRMED = ["Giulia Ferri", "Marco Bellini"]


@dataclass
class Spec:
    name: str
    body: str
    minutes: int  # after the article's publication
    status: str = APPROVED
    reason: str = HELD
    website: str = ""
    reply_to: int | None = None  # index of an earlier spec of the same article


# The reference article's thread: opinions, replies three deep, one held, two spam.
REFERENCE_THREAD = [
    Spec(
        "Giulia Ferri",
        "Clubhouse mi sembra già passato di moda. Mi chiedo se al Cremlino sappiano "
        "anche solo che cosa sia.",
        35,
    ),
    Spec(
        "Marco Bellini",
        "Secondo me è soprattutto una mossa pubblicitaria: Musk sa benissimo che "
        "non gli risponderanno.\n\nE intanto se ne parla ovunque.",
        52,
        website="https://marcobellini.example/",
        reply_to=0,
    ),
    Spec(
        "Giulia Ferri",
        "Può darsi, ma allora la missione è compiuta: ne parliamo anche qui.",
        70,
        reason=KNOWN,
        reply_to=1,
    ),
    Spec(
        "Luca Moretti",
        "Il punto vero è Starlink, come scrive l'articolo. Il resto è contorno.",
        95,
        reply_to=0,
    ),
    Spec(
        "Anna Conti",
        "Articolo chiaro, grazie. Per chi vuole capire che cos'è la costellazione: "
        "https://it.wikipedia.org/wiki/Starlink",
        140,
    ),
    Spec(
        "Paolo Greco",
        "Che Putin non usi direttamente i social è la notizia più credibile della giornata.",
        190,
    ),
    Spec(
        "Sara Galli",
        "Ma Clubhouse non era solo per iPhone? Con Android non riesco a entrare.",
        260,
        status=PENDING,
    ),
    Spec(
        "Roberto D.",
        "Tutte le fonti: https://example.org/1 https://example.org/2 "
        "https://example.org/3 https://example.org/4",
        300,
        status=PENDING,
        reason="in attesa: 4 link",
    ),
    Spec(
        "Offerte Imperdibili",
        "Guadagna subito 500 euro al giorno da casa! http://soldi-facili.example",
        320,
        status=SPAM,
        reason=SPAM_WORD.format("guadagna subito"),
    ),
    Spec(
        "Casino Bonus",
        "Il miglior casino online con bonus di benvenuto: http://bonus.example",
        400,
        status=SPAM,
        reason=SPAM_WORD.format("casino online"),
    ),
]

OPINIONS = [
    "Grazie per l'articolo, finalmente qualcuno che spiega le cose senza gridare.",
    "Non sono d'accordo: mancano i numeri per arrivare a questa conclusione.",
    "Qualcuno sa se ci saranno aggiornamenti nei prossimi giorni?",
    "Vivo in zona e confermo: se ne parla da mesi, ma nessuno ha fatto niente.",
    "Bell'approfondimento. Sarebbe utile sapere anche quanto costerà ai cittadini.",
    "Mi sembra una buona notizia, anche se i tempi restano lunghi.",
    "L'ennesimo annuncio. Vedremo i fatti.",
    "Ottimo lavoro della redazione, come sempre.",
    "Scusate, ma il titolo non dice proprio la stessa cosa del testo.",
    "Ho letto anche il comunicato originale: il pezzo lo riassume bene.",
    "Speriamo che questa volta ascoltino anche chi lavora sul campo.",
    "Domanda sincera: chi controllerà che le regole vengano rispettate?",
]
REPLIES = [
    "Concordo, soprattutto sull'ultimo punto.",
    "Non direi: i numeri ci sono, sono nel secondo paragrafo.",
    "Se ne è parlato anche in consiglio comunale, ma senza decisioni.",
    "Esatto, è quello che mi chiedevo anch'io.",
    "Dipende da come verrà applicata, secondo me.",
]
HELD_OPINIONS = [
    "Questa è l'ennesima truffa ai danni dei contribuenti, altro che riforma.",
    "Chi ha scritto questo pezzo? Mi sembra una grande semplificazione.",
    "Ne ho già scritto sul mio blog, con tutti i documenti allegati.",
]
SPAM_BODIES = [
    "Bitcoin gratis per i primi 100 iscritti! http://crypto-regalo.example",
    "Guadagna subito da casa con il nostro metodo: http://metodo.example",
    "Casino online senza deposito, bonus immediato: http://giri-gratis.example",
]


def load_demo_comments(articles, reference, *, seed: int, now: datetime) -> int:
    """Create or update the demo comments of these articles; returns how many there are."""
    for word, action, note in WORDS:
        ModerationWord.objects.update_or_create(
            word=word, defaults={"action": action, "note": note}
        )
    plan = {reference: REFERENCE_THREAD}
    for article in articles:
        public = article.status == article.Status.PUBLISHED and article.published_at <= now
        if article != reference and public:
            rng = random.Random(f"notizie-demo-comments:{seed}:{article.slug}")
            plan[article] = generated_thread(rng, article)

    existing = {
        (c.article_id, c.email, c.body): c
        for c in Comment.objects.filter(article__in=list(plan), email__endswith=EMAIL_DOMAIN)
    }
    saved = {}  # (article, index) -> Comment
    # Parents before replies: each depth in two queries (create and update).
    for depth in (1, 2, 3):
        new, changed = [], []
        for article, specs in plan.items():
            for index, spec in enumerate(specs):
                parent = saved.get((article, spec.reply_to)) if spec.reply_to is not None else None
                if spec_depth(specs, index) != depth:
                    continue
                comment = existing.get((article.pk, email_of(spec.name), spec.body))
                comment = fill(comment or Comment(), article, spec, parent, depth)
                (new if comment.pk is None else changed).append(comment)
                saved[(article, index)] = comment
        Comment.objects.bulk_create(new)
        Comment.objects.bulk_update(changed, FIELDS)

    for name in CONFIRMED:
        EmailConfirmation.objects.update_or_create(
            email=email_of(name),
            defaults={
                "sent_at": reference.published_at,
                "confirmed_at": reference.published_at + timedelta(minutes=10),
            },
        )
    return len(saved)


FIELDS = [
    "parent",
    "depth",
    "name",
    "website",
    "status",
    "moderation_reason",
    "moderated_at",
    "ip",
    "user_agent",
    "created_at",
]


def spec_depth(specs, index) -> int:
    depth = 1
    while specs[index].reply_to is not None:
        index, depth = specs[index].reply_to, depth + 1
    return depth


def email_of(name: str) -> str:
    return f"{slugify(name).replace('-', '.')}@{EMAIL_DOMAIN}"


def fill(comment: Comment, article, spec: Spec, parent, depth: int) -> Comment:
    created_at = article.published_at + timedelta(minutes=spec.minutes)
    number = sum(map(ord, spec.name)) % 250 + 1
    comment.article = article
    comment.parent = parent
    comment.depth = depth
    comment.name = spec.name
    comment.email = email_of(spec.name)
    comment.website = spec.website
    comment.body = spec.body
    comment.status = spec.status
    comment.moderation_reason = spec.reason
    comment.moderated_at = (
        created_at + timedelta(minutes=20)
        if spec.status == APPROVED and spec.reason == HELD
        else None
    )
    comment.ip = f"203.0.113.{number}"  # a range reserved for documentation
    comment.user_agent = "Mozilla/5.0 (demo)"
    comment.created_at = created_at
    return comment


def generated_thread(rng, article) -> list[Spec]:
    """None to six comments, mostly approved, with the odd reply, held one or spam."""
    specs, used, minutes = [], set(), 0

    def add(spec):
        # One text per address and article: a repeat would be refused as a duplicate.
        if (spec.name, spec.body) not in used:
            used.add((spec.name, spec.body))
            specs.append(spec)

    for _ in range(rng.choice([0, 0, 1, 2, 2, 3, 4, 6])):
        minutes += rng.randint(10, 180)
        name = f"{rng.choice(rng.choice(NAMES[0:2]))} {rng.choice(NAMES[2])}"
        roll = rng.random()
        if roll < 0.1:
            promoter = rng.choice(["Offerta del giorno", "Promo Vincente", "Bonus Club"])
            body = rng.choice(SPAM_BODIES)
            add(Spec(promoter, body, minutes, status=SPAM, reason="spam: parola bloccata in testo"))
        elif roll < 0.25:
            add(Spec(name, rng.choice(HELD_OPINIONS), minutes, status=PENDING))
        elif specs and roll < 0.45:
            parent = rng.randrange(len(specs))
            if specs[parent].status == APPROVED and spec_depth(specs, parent) < 3:
                add(Spec(name, rng.choice(REPLIES), minutes, reply_to=parent))
        else:
            website = f"https://{slugify(name)}.example/" if rng.random() < 0.2 else ""
            add(Spec(name, rng.choice(OPINIONS), minutes, website=website))
    return specs


NAMES = [
    ["Marco", "Stefano", "Roberto", "Andrea", "Matteo", "Luca", "Davide"],
    ["Giulia", "Chiara", "Francesca", "Elena", "Sara", "Martina", "Silvia"],
    ["Ricci", "Conti", "Gallo", "Mancini", "Costa", "Fontana", "Rinaldi", "Barbieri"],
]
