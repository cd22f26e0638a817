"""Label sets shared by analysers and renderers, with the one-line definitions readers see.

The technique labels are spelled exactly as in SemEval-2020 Task 11 (``techniques.txt`` of the PTC).
The definitions are the project's own wording.
"""

from __future__ import annotations

TECHNIQUES: dict[str, str] = {
    "Appeal_to_Authority": "Treats a claim as true because an authority or expert is said to back it, "
    "with no other evidence.",
    "Appeal_to_fear-prejudice": "Builds support by stoking fear of an alternative or prejudice against a group.",
    "Bandwagon,Reductio_ad_hitlerum": "Urges agreement because everyone else agrees, or rejects an idea "
    "because a hated group holds it.",
    "Black-and-White_Fallacy": "Offers two options as the only ones when more exist.",
    "Causal_Oversimplification": "Pins a complex outcome on a single cause.",
    "Doubt": "Questions the credibility of a person or institution rather than their argument.",
    "Exaggeration,Minimisation": "Makes something look larger, better or worse, or smaller and less "
    "important, than it is.",
    "Flag-Waving": "Appeals to patriotism or group identity to justify an idea or action.",
    "Loaded_Language": "Uses words with strong emotional charge to sway the reader.",
    "Name_Calling,Labeling": "Attaches a label the audience fears, hates or admires to a person or group.",
    "Repetition": "Repeats the same message so that it sticks and comes to feel true.",
    "Slogans": "A short, striking phrase standing in for an argument.",
    "Thought-terminating_Cliches": "A stock phrase that discourages further thought or discussion.",
    "Whataboutism,Straw_Men,Red_Herring": "Deflects by pointing at an opponent's hypocrisy, attacks a "
    "distorted version of a position, or changes the subject.",
}

SOURCE_KINDS: dict[str, str] = {
    "person": "A named individual.",
    "organization": "A named company, party, NGO or other body.",
    "media": "A news outlet or publication.",
    "government": "A government, ministry, agency, army or official body.",
    "social_media": "A social-media account or channel, or its users.",
    "anonymous": "An unnamed source: officials, sources close to…, witnesses, experts.",
    "unattributed": "Asserted by the article on nobody's word.",
}

SOURCING: dict[str, str] = {
    "named": "rests on an identifiable person or organisation",
    "anonymous": "rests on an unnamed source",
    "unattributed": "rests on no stated source",
}
