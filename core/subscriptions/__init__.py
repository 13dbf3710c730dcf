"""Double opt-in e-mail subscriptions, shared by newsletters and post alerts.

``models``: the abstract subscription (address, status, key, dates) and consent record;
``services``: the signed confirmation token, confirming, unsubscribing, recording consent;
``views``: the confirmation page and the RFC 8058 one-click unsubscribe.
"""
