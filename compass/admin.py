"""Django admin for superusers: municipalities, regions, teams and agreements.

Changes made here go through `compass.access` too, so group membership and partner grants
never drift from the rows an administrator edits.
"""

from django.contrib import admin

from compass import access, parts
from compass.models import (
    AgreementParticipation,
    Membership,
    Municipality,
    Region,
    SharingAgreement,
    TeamEvent,
)


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "province", "population", "size_class", "status"]
    list_filter = ["status", "province", "size_class"]
    search_fields = ["code", "name"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    filter_horizontal = ["municipalities"]
    autocomplete_fields = ["centre_municipality"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "municipality", "role"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__email", "municipality__name"]
    autocomplete_fields = ["municipality"]
    raw_id_fields = ["user"]

    def save_model(self, request, obj, form, change):
        previous = list(
            Membership.objects.filter(pk=obj.pk).values_list("user_id", "municipality_id")
        )
        super().save_model(request, obj, form, change)
        access.sync_membership_groups(obj.user, obj.municipality)
        for user_id, municipality_id in previous:
            if (user_id, municipality_id) != (obj.user_id, obj.municipality_id):
                old = Membership(user_id=user_id, municipality_id=municipality_id)
                access.sync_membership_groups(old.user, old.municipality)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        access.sync_membership_groups(obj.user, obj.municipality)

    def has_delete_permission(self, request, obj=None):
        # Bulk deletion would skip the group sync; delete one at a time.
        return obj is not None and super().has_delete_permission(request, obj)


class ParticipationInline(admin.TabularInline):
    model = AgreementParticipation
    extra = 0
    autocomplete_fields = ["municipality"]
    fields = ["municipality", "joined_at", "left_at"]


@admin.register(SharingAgreement)
class SharingAgreementAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "start_date", "end_date"]
    inlines = [ParticipationInline]

    def save_related(self, request, form, formsets, change):
        before = set(form.instance.participations.values_list("municipality_id", flat=True))
        super().save_related(request, form, formsets, change)
        after = set(form.instance.participations.values_list("municipality_id", flat=True))
        access.sync_sharing(before | after)


@admin.register(TeamEvent)
class TeamEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "municipality", "actor", "action", "subject"]
    list_filter = ["action"]
    readonly_fields = [f.name for f in TeamEvent._meta.fields]

    def has_add_permission(self, request):
        return False


# --- The parts of an annual cycle ---------------------------------------------------------------
#
# One admin per part of the registry (compass.parts). The admin's ModelForm runs the model's
# validators and clean(), so it refuses exactly what the steps, the JSON import and the figures
# upload refuse, with the same messages.


def _part_admin(part) -> type[admin.ModelAdmin]:
    links = [f.name for f in part.fields if f.kind in (parts.REFERENCE, parts.INDICATOR)]
    many = [f.name for f in part.fields if f.kind == parts.REFERENCES]
    shown = [f.name for f in part.fields if f.kind not in (parts.REFERENCES, parts.LONGTEXT)]
    return type(
        f"{part.model.__name__}Admin",
        (admin.ModelAdmin,),
        {
            "list_display": ["cycle", *shown[:4]],
            "list_select_related": ["cycle__municipality"],
            "search_fields": ["cycle__municipality__name"],
            "fields": ["cycle", *part.field_names],
            "raw_id_fields": ["cycle", *links, *many],
        },
    )


for _part in parts.PARTS.values():
    admin.site.register(_part.model, _part_admin(_part))
