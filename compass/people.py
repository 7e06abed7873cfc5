"""Which name of a person another user sees: the one rule for every author shown on a page.

A person's name is shown to their own teammates (anyone who shares a municipality with them),
to themselves and to superusers. Everyone else, in practice the partners of a sharing
agreement, sees the municipality instead, unless the person chose to be visible to partners
(`AccountSettings.visible_to_partners`, off by default, on the account page). This keeps staff
names of one municipality from being collected by another.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from compass.models import AccountSettings, Membership


def full_name(user) -> str:
    return user.get_full_name() or user.get_username()


def _cache(viewer) -> dict:
    cache = getattr(viewer, "_compass_people", None)
    if cache is None:
        cache = {"authors": {}}
        viewer._compass_people = cache
    return cache


def _municipalities_of(user, cache) -> dict[int, str]:
    key = ("municipalities", user.pk)
    if key not in cache:
        cache[key] = dict(
            Membership.objects.filter(user_id=user.pk)
            .order_by("municipality__name")
            .values_list("municipality_id", "municipality__name")
        )
    return cache[key]


def visible_to_partners(user) -> bool:
    return AccountSettings.objects.filter(user_id=user.pk, visible_to_partners=True).exists()


def shown_name(viewer, author, municipality=None) -> str:
    """The name of `author` as `viewer` may see it; `municipality` is whose data it is."""
    if author is None:
        return "–"
    if viewer is not None and viewer.is_authenticated:
        if viewer.pk == author.pk or viewer.is_superuser:
            return full_name(author)
        cache = _cache(viewer)
        if author.pk not in cache["authors"]:
            theirs = _municipalities_of(author, cache)
            teammates = bool(set(theirs) & set(_municipalities_of(viewer, cache)))
            if teammates or visible_to_partners(author):
                cache["authors"][author.pk] = full_name(author)
            else:
                cache["authors"][author.pk] = _municipality_label(theirs, municipality)
        return cache["authors"][author.pk]
    return _municipality_label({}, municipality)


def _municipality_label(theirs: dict[int, str], municipality) -> str:
    if municipality is not None and (not theirs or municipality.pk in theirs):
        name = municipality.name
    elif theirs:
        name = next(iter(theirs.values()))
    else:
        return _("someone")
    return _("municipality %(name)s") % {"name": name}
