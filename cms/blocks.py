"""The one shared StreamField block set of the content site."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class TextBlock(blocks.RichTextBlock):
    class Meta:
        label = _("Text")
        icon = "pilcrow"
        features = ["h2", "h3", "bold", "italic", "ol", "ul", "link"]
        template = "cms/blocks/text.html"


class TipBlock(blocks.StructBlock):
    title = blocks.CharBlock(
        label=_("Title"), max_length=120, help_text=_("A short heading for the tip.")
    )
    text = blocks.TextBlock(label=_("Text"), help_text=_("The tip in two or three sentences."))

    class Meta:
        label = _("Tip")
        icon = "help"
        template = "cms/blocks/tip.html"


class ExampleBlock(blocks.StructBlock):
    title = blocks.CharBlock(
        label=_("Title"), max_length=120, help_text=_("What the example shows, in a few words.")
    )
    text = blocks.RichTextBlock(
        label=_("Text"),
        features=["bold", "italic", "ul", "link"],
        help_text=_("A concrete example, e.g. a well-formulated ambition or result."),
    )

    class Meta:
        label = _("Example")
        icon = "openquote"
        template = "cms/blocks/example.html"


class ChecklistBlock(blocks.StructBlock):
    title = blocks.CharBlock(
        label=_("Title"), max_length=120, help_text=_("The question the checklist answers.")
    )
    items = blocks.ListBlock(
        blocks.CharBlock(label=_("Item"), max_length=300),
        label=_("Items"),
        help_text=_("One check per item, phrased so the team can answer yes or no."),
    )

    class Meta:
        label = _("Checklist")
        icon = "tasks"
        template = "cms/blocks/checklist.html"


class SourceLinkBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=200, help_text=_("The link text."))
    url = blocks.URLBlock(label=_("Web address"), help_text=_("The full address, with https://."))
    publisher = blocks.CharBlock(
        label=_("Publisher"),
        max_length=100,
        required=False,
        help_text=_("Who published it, e.g. NJi, Movisie or CBS."),
    )
    description = blocks.CharBlock(
        label=_("Description"),
        max_length=300,
        required=False,
        help_text=_("Optional: what the reader finds there."),
    )

    class Meta:
        label = _("Source link")
        icon = "link"
        template = "cms/blocks/source_link.html"


class GuidanceStreamBlock(blocks.StreamBlock):
    """Text, tips, examples, checklists and source links: the content of every guidance page."""

    text = TextBlock()
    tip = TipBlock()
    example = ExampleBlock()
    checklist = ChecklistBlock()
    source_link = SourceLinkBlock()


class LinkBlock(blocks.StructBlock):
    """A titled link, used in improvement suggestions."""

    title = blocks.CharBlock(label=_("Title"), max_length=200)
    url = blocks.URLBlock(label=_("Web address"))

    class Meta:
        label = _("Link")
        icon = "link"
