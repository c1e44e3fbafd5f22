from drf_spectacular.openapi import AutoSchema as BaseAutoSchema


class AutoSchema(BaseAutoSchema):
    """Name components after their qualified class name.

    The house style nests small ``InputSerializer`` / ``OutputSerializer`` classes in each API
    view; by plain class name they would all collide into one schema component.
    """

    def _get_serializer_name(self, serializer, direction, bypass_extensions=False) -> str:
        name = super()._get_serializer_name(serializer, direction, bypass_extensions)
        qualname = type(serializer).__qualname__
        if "." in qualname and "<locals>" not in qualname:
            owner = qualname.rsplit(".", 1)[0].replace(".", "")
            if not name.startswith(owner):
                name = owner + name
        return name
