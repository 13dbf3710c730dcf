"""StreamField blocks shared by every app (StandardPage, news, cases, resources, events)."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Overskrift"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Niveau"), choices=[("h2", "H2"), ("h3", "H3"), ("h4", "H4")], default="h2"
    )

    class Meta:
        icon = "title"
        label = _("Overskrift")
        template = "blocks/heading_block.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Billede"))
    alt_text = blocks.CharBlock(
        label=_("Alternativ tekst"),
        required=False,
        help_text=_("Beskriv billedet for skærmlæsere. Tom = billedets titel."),
    )
    caption = blocks.CharBlock(label=_("Billedtekst"), required=False)

    class Meta:
        icon = "image"
        label = _("Billede")
        template = "blocks/image_block.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Citat"))
    attribution = blocks.CharBlock(label=_("Afsender"), required=False)

    class Meta:
        icon = "openquote"
        label = _("Citat")
        template = "blocks/quote_block.html"


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titel"))
    text = blocks.TextBlock(label=_("Tekst"), required=False)
    page = blocks.PageChooserBlock(label=_("Side"), required=False)
    url = blocks.URLBlock(label=_("Eller ekstern adresse"), required=False)
    button_label = blocks.CharBlock(label=_("Knaptekst"), default=_("Læs mere"))

    class Meta:
        icon = "pick"
        label = _("Opfordring til handling")
        template = "blocks/call_to_action_block.html"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Dokument"))
    title = blocks.CharBlock(label=_("Linktekst"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Dokument")
        template = "blocks/document_block.html"


class BodyStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Tekst"),
        features=["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link", "hr"],
        template="blocks/paragraph_block.html",
    )
    image = ImageBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()
    embed = EmbedBlock(label=_("Video eller indlejring"), template="blocks/embed_block.html")
    document = DocumentLinkBlock()
