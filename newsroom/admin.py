from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import staff

User = get_user_model()


class StaffUserAdmin(UserAdmin):
    """Django's user admin, with each person's last sign-ins and a way to sign them out."""

    actions = ["sign_out_everywhere"]
    readonly_fields = [*UserAdmin.readonly_fields, "last_sign_ins"]
    fieldsets = [*UserAdmin.fieldsets, (_("Accessi"), {"fields": ["last_sign_ins"]})]

    @admin.display(description=_("ultimi accessi"))
    def last_sign_ins(self, user):
        entries = staff.last_sign_ins(user)
        if not entries:
            return _("Nessun accesso registrato.")
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{} · {} · {}</li>",
                (
                    (
                        date_format(localtime(entry.attempt_time), "DATETIME_FORMAT"),
                        entry.ip_address or "—",
                        entry.user_agent[:120],
                    )
                    for entry in entries
                ),
            ),
        )

    @admin.action(description=_("Disconnetti da tutti i dispositivi"), permissions=["change"])
    def sign_out_everywhere(self, request, queryset):
        ended = sum(staff.sign_out_everywhere(user) for user in queryset)
        self.message_user(
            request,
            ngettext("%(count)d sessione chiusa.", "%(count)d sessioni chiuse.", ended)
            % {"count": ended},
        )


admin.site.unregister(User)
admin.site.register(User, StaffUserAdmin)
