"""Parts of config.settings, each re-exported there (``from .settings_parts.x import *``)."""
