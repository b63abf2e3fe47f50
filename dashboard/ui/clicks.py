"""A click on a chart point, read back as the filter value the point stands for:
figures.py puts it first in the point's customdata (agent id, 'YYYY-MM' month,
category or age bucket)."""


def clicked(click_data) -> str | int | None:
    """The filter value a clicked point stands for (its first customdata item);
    None for anything else, as a forged or odd clickData must not be an error."""
    try:
        custom = click_data["points"][0]["customdata"]
    except (KeyError, IndexError, TypeError):
        return None
    if isinstance(custom, list | tuple):
        custom = custom[0] if custom else None
    return custom if isinstance(custom, str | int) else None
