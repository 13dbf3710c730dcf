from .access import is_member


def membership(request):
    """Expose ``is_member`` to every template (navigation, calls to action)."""
    return {"is_member": is_member(getattr(request, "user", None))}
