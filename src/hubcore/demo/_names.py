"""Word pools for fictional school, hub and partner names (no real schools or people)."""

from __future__ import annotations

__all__ = ["PARTNER_NAMES", "PLACES", "SAINTS", "SCHOOL_SUFFIX", "THEMES", "school_name"]

PLACES: tuple[str, ...] = (
    "Ashgrove", "Beechcroft", "Bramley Vale", "Canalside", "Cedar Lodge", "Eastgate",
    "Elmstead", "Fernhill", "Foxglove Park", "Harrowden", "Hillcrest", "Kestrel Way",
    "Kingfisher", "Larkfield", "Linnet", "Marlow Green", "Meadowbank", "Millbrook",
    "New Meadow", "Northfield", "Oakwood", "Orchard Rise", "Quayside", "Ravensworth",
    "Redbrick Lane", "Riverside", "Sandpiper", "Southmere", "Thistledown", "Westbury",
    "Willowmere", "Woodlands", "Brookside", "Castle Hill", "Highfield", "Moorside",
)  # fmt: skip
SAINTS: tuple[str, ...] = (
    "St Aidan\u2019s", "St Bede\u2019s", "St Columba\u2019s", "St Hilda\u2019s",
    "St Mary\u2019s", "St Peter\u2019s", "Holy Trinity", "Our Lady\u2019s",
)  # fmt: skip
SCHOOL_SUFFIX: dict[str, tuple[str, ...]] = {
    "primary": ("Primary School", "Primary Academy", "Church of England Primary School",
                "Catholic Primary School", "Community Primary School", "Junior School"),
    "secondary": ("High School", "Academy", "School", "Community College", "Boys\u2019 School",
                  "Girls\u2019 School"),
    "special": ("Special School", "School", "Academy"),
    "alternative_provision": ("Centre for Learning", "Pupil Referral Unit", "Learning Centre"),
    "nursery": ("Nursery School", "Early Years Centre"),
}  # fmt: skip
PARTNER_NAMES: tuple[str, ...] = (
    "Youth Orchestra", "Folk Collective", "Samba Project", "Jazz Workshop", "Opera Outreach",
    "Steel Pan Trust", "Songwriting Studio", "Choir Network", "Brass Band Association",
    "Music Technology Lab", "Concert Hall Learning", "Young Voices Council",
)  # fmt: skip
THEMES: tuple[str, ...] = (
    "more instruments", "more performing", "singing together", "music technology",
    "composing", "clubs after school", "trips to concerts", "learning from musicians",
    "music from home cultures", "less waiting for a turn",
)  # fmt: skip


def school_name(place: str, saint: str | None, suffix: str) -> str:
    """A fictional school name (curly apostrophes, as GIAS writes them)."""
    return f"{saint} {suffix}" if saint else f"{place} {suffix}"
