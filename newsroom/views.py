from django.conf import settings
from django.shortcuts import render

from articles.models import Article, Section


def home(request):
    """The latest news, then a block of the newest articles of each section."""
    published = Article.objects.published().latest_first().for_listing()
    latest = list(published[: settings.HOME_LATEST_COUNT])
    per_section = list(published.latest_per_section(settings.HOME_SECTION_COUNT))
    sections = list(Section.objects.all())
    blocks = [
        (section, [a for a in per_section if a.section_id == section.pk]) for section in sections
    ]
    return render(
        request,
        "home.html",
        {
            "latest": latest,
            "blocks": [(section, articles) for section, articles in blocks if articles],
            "menu_sections": sections,
        },
    )
