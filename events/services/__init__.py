"""Business rules for events: registration, double opt-in, waiting list, e-mails, reminders,
retention. One module per concern; every public name is re-exported here, so callers keep
``from events import services`` / ``services.register_for_event(...)``.

- ``registration``: registering, confirming, cancelling, the waiting list (event row lock)
- ``tokens``: signed confirm / cancel links
- ``mails``: the event e-mails and their outbox composers
- ``reminders``: reminders before the event
- ``personal_data``: retention, GDPR export and erasure
- ``listings``: upcoming events for other apps
- ``attendance``: the editor's counts, attendance and moves to the waiting list
- ``editor_mail``: the editor's e-mail to chosen registrants
- ``members``: a signed-in person's own registrations ("Mine tilmeldinger"), cancelling them
- ``materials``: materials after the event: the e-mail announcing them, members' documents
"""

from .attendance import (
    RegistrationCounts,
    mark_attended,
    move_to_waitlist,
    registration_counts,
)
from .editor_mail import EDITOR_MESSAGE_KIND, compose_editor_message, email_registrants
from .errors import AlreadyRegistered, RegistrationError
from .listings import upcoming_events
from .mails import (
    ALREADY_REGISTERED_KIND,
    REGISTRATION_KIND,
    REGISTRATION_SUBJECTS,
    REMINDER_KIND,
    compose_already_registered,
    compose_registration_email,
    compose_reminder,
    event_in_language_of,
    notify_already_registered,
    queue_status_email,
)
from .materials import (
    MATERIALS_KIND,
    announce_due_materials,
    announce_materials,
    compose_materials_email,
    materials_published,
    protect_material_documents,
)
from .members import cancel_own_registration, own_registration, registrations_of
from .personal_data import (
    anonymise_old_registrations,
    erase_needs_after_events,
    erase_personal_data,
    export_personal_data,
)
from .registration import (
    cancel,
    cancel_registration,
    confirm_registration,
    delete_registration,
    promote_from_waitlist,
    register_for_event,
)
from .reminders import send_reminders
from .tokens import (
    CANCEL_SALT,
    CONFIRM_SALT,
    cancel_token,
    confirm_token,
    confirmation_max_age,
    registration_for_cancel_token,
    registration_for_confirm_token,
)

__all__ = [
    "EDITOR_MESSAGE_KIND",
    "RegistrationCounts",
    "compose_editor_message",
    "email_registrants",
    "mark_attended",
    "move_to_waitlist",
    "registration_counts",
    "ALREADY_REGISTERED_KIND",
    "CANCEL_SALT",
    "CONFIRM_SALT",
    "MATERIALS_KIND",
    "REGISTRATION_KIND",
    "REGISTRATION_SUBJECTS",
    "REMINDER_KIND",
    "AlreadyRegistered",
    "RegistrationError",
    "announce_due_materials",
    "announce_materials",
    "anonymise_old_registrations",
    "cancel",
    "cancel_own_registration",
    "cancel_registration",
    "cancel_token",
    "compose_already_registered",
    "compose_materials_email",
    "compose_registration_email",
    "compose_reminder",
    "confirm_registration",
    "confirm_token",
    "confirmation_max_age",
    "delete_registration",
    "erase_needs_after_events",
    "erase_personal_data",
    "event_in_language_of",
    "export_personal_data",
    "materials_published",
    "notify_already_registered",
    "own_registration",
    "promote_from_waitlist",
    "protect_material_documents",
    "queue_status_email",
    "register_for_event",
    "registration_for_cancel_token",
    "registration_for_confirm_token",
    "registrations_of",
    "send_reminders",
    "upcoming_events",
]
