from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import MembersAreaPage
from .services import restrict_to_members


@receiver(post_save, sender=MembersAreaPage)
def restrict_new_members_area(sender, instance, created, **kwargs):
    """The members' section is closed to everyone outside the Members group from the start."""
    if created:
        restrict_to_members(instance)
