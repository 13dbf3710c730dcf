"""Event materials: announced when an event page is published, members' documents protected
whenever an event page or a draft of it is saved (events/services: materials)."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.models import Revision
from wagtail.signals import page_published

from . import services
from .models import EventPage


@receiver(page_published, sender=EventPage)
def announce_materials_on_publish(sender, instance, **kwargs):
    services.materials_published(instance)


@receiver(post_save, sender=EventPage)
def protect_documents_of_saved_event(sender, instance, raw=False, **kwargs):
    if not raw:
        services.protect_material_documents(instance)


@receiver(post_save, sender=Revision)
def protect_documents_of_event_draft(sender, instance, raw=False, **kwargs):
    """A document is downloadable by its URL once uploaded: a draft's materials are protected
    at once, not when the page is published."""
    model = instance.content_type.model_class()
    if not raw and model is not None and issubclass(model, EventPage):
        services.protect_material_documents(instance.as_object())
