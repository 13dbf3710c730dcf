from django.dispatch import receiver
from wagtail.signals import page_published

from home.models import NewsPage

from . import services


@receiver(page_published, sender=NewsPage)
def alert_subscribers_of_new_post(sender, instance, **kwargs):
    services.post_published(instance)
