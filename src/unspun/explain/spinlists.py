"""Built-in signals of spinning that need no source: official long forms and fixed expressions."""

from __future__ import annotations

#: Long official names that news prose rarely uses, with the usual short form.
OFFICIAL_FORMS: dict[str, str] = {
    "russian federation": "Russia",
    "united states of america": "the U.S.",
    "people's republic of china": "China",
    "federal republic of germany": "Germany",
    "french republic": "France",
    "islamic republic of iran": "Iran",
    "democratic people's republic of korea": "North Korea",
    "republic of korea": "South Korea",
    "kingdom of saudi arabia": "Saudi Arabia",
    "united kingdom of great britain": "Britain",
    "state of israel": "Israel",
    "republic of turkey": "Turkey",
    "syrian arab republic": "Syria",
    "republic of india": "India",
}

# Fixed expressions, each "phrase | legitimate alternatives for a replaced word". A spinner
# that swaps one word of such an expression leaves a tell-tale ("White Home", "prime priest",
# "in the curiosity of"). Two-word entries only flag a replaced second word.
_COLLOCATION_TABLE = """
prime minister | ministers ministry suspect time example target location minister's
white house | houses
press conference | release releases secretary briefing freedom office corps officer statement
news conference | agency agencies media outlet outlets report reports release reporter anchor
human rights | being beings nature life lives error resources body remains trafficking race
climate change | crisis action policy activists scientists talks summit goals models
supreme court | leader commander council justice
death toll | penalty sentence threat threats row certificate certificates squad squads camp camps
heart attack | disease failure surgery condition transplant rate problems condition attacks
vice president | chairman chair minister premier
told reporters | journalists lawmakers police investigators officials parliament congress
united nations | states kingdom kingdoms arab
european union | commission parliament council court countries leaders central
intelligence community | agencies agency officials services chief chiefs committee
artificial intelligence | sweeteners
state of emergency | repair
in the interest of | event case light name face wake absence hope spirit course
for the first time | week month year day round half quarter
at the same time | day place level rate way
on the other hand | side
take into account | custody consideration
in a statement | row sense way
in an interview | effort attempt email
as well as | long soon far much
"""


def _parse(table: str) -> dict[tuple[str, ...], frozenset[str]]:
    out: dict[tuple[str, ...], frozenset[str]] = {}
    for line in table.strip().splitlines():
        phrase, _, alts = line.partition("|")
        out[tuple(phrase.split())] = frozenset(alts.split())
    return out


#: Fixed expressions (as normalised word tuples) with the words that may legitimately replace one.
COLLOCATIONS: dict[tuple[str, ...], frozenset[str]] = _parse(_COLLOCATION_TABLE)

#: Expressions that are names, written capitalised: a capitalised swap inside them is flagged.
PROPER_COLLOCATIONS: frozenset[tuple[str, ...]] = frozenset(
    {("white", "house"), ("united", "nations"), ("european", "union"), ("supreme", "court"),
     ("prime", "minister"), ("vice", "president")}
)
