"""Which installed apps are csafe's own: those whose code lives in this repository. Found by
where the code is, not by a list of package names, so an app that moves or is added is
counted without anyone remembering to add it here."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

_ROOT = Path(settings.BASE_DIR).resolve()


def is_project_app(app_config) -> bool:
    path = Path(app_config.path).resolve()
    return path.is_relative_to(_ROOT) and not any(
        part.startswith(".") or part in {"node_modules", "site-packages"}
        for part in path.relative_to(_ROOT).parts
    )
