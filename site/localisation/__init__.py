"""The interface language: Kazakh first, Russian, English.

Sapa picks the language with Django's ``LocaleMiddleware`` (the ``django_language`` cookie, then
the browser's Accept-Language) and not with ``i18n_patterns``: a controlled document has one
address, printed on its official PDF and cited in change notices and familiarisation sheets,
and its text is the same whatever the reader's interface language. Prefixed addresses would
give every procedure three URLs and break the printed ones. ``/ru/…``, ``/en/…`` and ``/kk/…``
still work as shareable links: they choose the language and redirect to the one address.

A signed-in person's choice is kept in Wagtail's user profile (``preferred_language``), the
same field the Wagtail admin reads, so the public site and the admin speak the same language.
"""
