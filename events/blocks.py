"""StreamField blocks of event pages: the programme and its speakers."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock


class SpeakerBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("Navn"))
    title = blocks.CharBlock(label=_("Titel og organisation"), required=False)
    photo = ImageChooserBlock(label=_("Foto"), required=False)
    bio = blocks.TextBlock(label=_("Kort bio"), required=False)

    class Meta:
        icon = "user"
        label = _("Oplægsholder")


class ProgrammeItemBlock(blocks.StructBlock):
    start = blocks.TimeBlock(label=_("Fra"), format="%H:%M")
    end = blocks.TimeBlock(label=_("Til"), required=False, format="%H:%M")
    title = blocks.CharBlock(label=_("Punkt"))
    description = blocks.TextBlock(label=_("Beskrivelse"), required=False)
    speakers = blocks.ListBlock(SpeakerBlock(), label=_("Oplægsholdere"), default=[])

    class Meta:
        icon = "time"
        label = _("Programpunkt")
        template = "events/blocks/programme_item.html"
