"""
The Content-Security-Policy, as django-csp sends it, with the one exception
the admin needs: the rich-text editor's import map is an inline script.
"""

import base64
import hashlib
import re
from functools import cache

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.contrib import admin
from django.shortcuts import render
from django.urls import reverse

IMPORTMAP = re.compile(r'<script type="importmap"[^>]*>(.*?)</script>', re.DOTALL)


@cache
def admin_prefix() -> str:
    return reverse("admin:index")


def importmap_hash() -> str:
    """
    The CSP source that allows the prose editor's import map and nothing else.
    Rendered on each call: its URLs depend on the static files storage.
    """
    from django_prose_editor.widgets import importmap

    content = IMPORTMAP.search(importmap.render()).group(1)
    digest = hashlib.sha256(content.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


class NewsroomCSPMiddleware(CSPMiddleware):
    """
    Reader pages get settings.CONTENT_SECURITY_POLICY as it is: no inline
    script or style at all. Admin pages may also run the editor's import map,
    allowed by its hash rather than 'unsafe-inline', and inline styles: the
    rich-text editor writes style attributes into the markup of its menus and
    dialogs. Styles cannot run code; scripts stay as strict as on reader pages.
    """

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(admin_prefix()):
            parts.update = {
                **(parts.update or {}),
                "script-src": [importmap_hash()],
                "style-src": ["'unsafe-inline'"],
            }
        return parts


def locked_out(request, original_response=None, credentials=None):
    """
    django-axes' answer to a locked-out sign-in: the admin's own page, saying
    in plain words what happened and for how long (status 429).
    """
    context = {
        **admin.site.each_context(request),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "admin/locked_out.html", context, status=429)
