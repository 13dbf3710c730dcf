"""Existing "any logged-in user" view restrictions become Members-group restrictions.

Event registrants, newsletter subscribers and ended members hold accounts too, so a login
restriction let them in. Only the Members group restriction is offered from now on
(members_area/admin_views.py); this converts the ones already set, on pages and collections.
"""

from django.db import migrations

MEMBERS_GROUP_NAME = "Members"


def login_to_members_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    members, _ = Group.objects.get_or_create(name=MEMBERS_GROUP_NAME)
    for model_name in ("PageViewRestriction", "CollectionViewRestriction"):
        model = apps.get_model("wagtailcore", model_name)
        for restriction in model.objects.filter(restriction_type="login"):
            restriction.restriction_type = "groups"
            restriction.save(update_fields=["restriction_type"])
            restriction.groups.set([members])


class Migration(migrations.Migration):
    dependencies = [
        ("members_area", "0003_interests_from_taxonomy"),
        ("wagtailcore", "0098_apitoken"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(login_to_members_group, migrations.RunPython.noop)]
