"""The benchmark generator's synonym-spinner dictionary; detectors must never import it.

SEPARATION RULE: this table only *generates* spun suspects. No module outside
``unspun.bench`` may import it (``tests/bench/test_separation.py`` checks the import graph),
so a detector that scores well on the benchmark has learnt spinning in general, not this list.
"""

from __future__ import annotations

# One entry per line: "source phrase: replacement | another replacement". Matching is
# case-sensitive for entries that start with a capital or are abbreviations, and
# case-insensitive (keeping the first letter's case) for lowercase entries.
_TABLE = """
Russia: Russian Federation
UN: United Nations Organization
U.N.: United Nations Organization
United Nations: UN Organization
U.S.: USA | United States of America
US: USA
United States: USA | United States of America
UK: United Kingdom
U.K.: United Kingdom
United Kingdom: UK | Great Britain
EU: European Union
European Union: EU bloc
Britain: Great Britain
America: United States of America
NATO: North Atlantic Treaty Organization
China: People's Republic of China
North Korea: Democratic People's Republic of Korea
South Korea: Republic of Korea
Iran: Islamic Republic of Iran
NASA: National Aeronautics and Space Administration
FIFA: world football body
Australia: Commonwealth of Australia
Canada: Dominion of Canada
White House: US presidential administration
Prime Minister: premier
President: head of state
international: worldwide | global
said: stated | mentioned
says: states | mentions
told: informed
big: massive | huge
large: massive | sizeable
small: tiny | little
huge: enormous
government: administration
governments: administrations
officials: authorities
official: authority
announced: declared | introduced
announcement: declaration
reported: stated
reports: accounts
report: account
killed: slain
died: perished
dead: deceased
injured: wounded
people: individuals | persons
country: nation
countries: nations
city: metropolis
town: township
children: kids
child: kid
women: ladies
men: males
police: law enforcement
attack: assault
attacks: assaults
attacked: assaulted
war: conflict
military: armed forces
soldiers: troops
meeting: assembly
meetings: assemblies
summit: high-level meeting
election: vote
elections: polls
vote: ballot
voters: electorate
party: celebration
parties: factions
leader: chief
leaders: chiefs
minister: secretary
president: head of state
company: firm | enterprise
companies: firms | enterprises
business: enterprise
market: marketplace
money: cash | funds
million: million
percent: per cent
increase: rise
increased: risen
decrease: decline
decreased: declined
help: assist | aid
helped: assisted
helping: assisting
support: backing
supported: backed
began: commenced
begin: commence
started: commenced
start: commencement
ended: concluded
end: conclusion
finished: completed
important: crucial | essential
major: significant | main
main: primary | principal
new: fresh | brand-new
old: aged
first: initial
last: final | previous
recent: current
recently: lately
currently: presently
however: nonetheless | nevertheless
also: additionally
many: numerous
several: multiple
most: majority of
often: frequently
quickly: rapidly
slowly: gradually
almost: nearly
about: approximately
around: roughly
because: since
although: though
before: prior to
after: following
during: throughout
while: whilst
against: versus
among: amongst
near: close to
outside: exterior
inside: within
show: demonstrate
showed: demonstrated
shows: demonstrates
believe: think
believed: thought
believes: thinks
think: believe
thought: believed
want: desire
wanted: desired
wants: desires
need: require
needed: required
needs: requires
use: utilize
used: utilized
using: utilizing
make: create
made: created
makes: creates
get: obtain
got: obtained
give: provide
gave: provided
given: provided
take: seize
took: seized
find: discover
found: discovered
keep: retain
kept: retained
ask: inquire
asked: inquired
try: attempt
tried: attempted
allow: permit
allowed: permitted
stop: halt
stopped: halted
leave: depart
left: departed
arrive: show up
arrived: showed up
move: relocate
moved: relocated
build: construct
built: constructed
buy: purchase
bought: purchased
sell: vend
sold: vended
pay: compensate
paid: compensated
win: triumph
won: triumphed | secured
lose: forfeit
lost: forfeited
fight: battle
fought: battled
die: perish
live: reside
lived: resided
work: labor
worked: labored
working: laboring
call: phone call
called: referred to as
claim: assertion
claimed: asserted
claims: assertions
accused: charged
arrested: detained
charged: indicted
investigation: probe
inquiry: probe
evidence: proof
court: tribunal
judge: magistrate
law: legislation
laws: statutes
rule: regulation
rules: regulations
decision: ruling
decided: determined
plan: scheme
plans: schemes
planned: intended
project: venture
problem: issue
problems: issues
issue: matter
issues: matters
question: query
questions: queries
answer: response
answered: responded
result: outcome
results: outcomes
effect: impact
effects: impacts
cause: trigger
caused: triggered
reason: rationale
area: region
areas: regions
region: zone
place: location
places: locations
home: residence
homes: residences
house: dwelling
houses: dwellings
building: structure
buildings: structures
road: roadway
roads: roadways
car: automobile
cars: automobiles
ship: vessel
ships: vessels
boat: vessel
plane: aircraft
airport: airfield
water: H2O
fire: blaze
fires: blazes
storm: tempest
rain: rainfall
weather: climate conditions
disaster: catastrophe
crisis: emergency
danger: hazard
dangerous: hazardous
safe: secure
safety: security
health: wellbeing
hospital: medical center
doctor: physician
doctors: physicians
disease: illness
patients: sufferers
treatment: therapy
study: research
scientists: researchers
research: studies
team: squad
teams: squads
player: athlete
players: athletes
game: match
games: matches
match: contest
season: campaign
competition: contest
championship: title
fans: supporters
coach: trainer
school: academy
schools: academies
student: pupil
students: pupils
university: college
teacher: educator
church: chapel
website: web site
internet: web
computer: PC
technology: tech
system: mechanism
information: info
news: tidings
media: press
newspaper: paper
statement: declaration
speech: address
interview: conversation
group: collective
groups: collectives
organization: organisation
member: participant
members: participants
community: society
public: general public
world: globe
global: worldwide
national: countrywide
local: regional
foreign: overseas
economy: financial system
economic: financial
financial: monetary
political: governmental
president's: head of state's
today: nowadays
week: seven days
year: twelve months
years: many years
month: calendar month
day: daytime
night: nighttime
morning: early day
time: period
early: premature
late: belated
long: lengthy
short: brief
high: elevated
low: reduced
strong: powerful
weak: feeble
good: fine | great
bad: poor
great: excellent
best: finest
worst: poorest
happy: delighted
sad: unhappy
angry: furious
difficult: tough
easy: simple
hard: tough
clear: obvious
possible: feasible
likely: probable
different: distinct
similar: comparable
same: identical
whole: entire
full: complete
total: overall
free: complimentary
open: accessible
opened: unveiled
close: shut
closed: shut
private: personal
special: unique
general: basic
popular: well-liked
famous: renowned
serious: grave
critical: crucial
fast: rapid
famous: celebrated
victims: casualties
victim: casualty
crowd: throng
protest: demonstration
protests: demonstrations
protesters: demonstrators
rights: liberties
freedom: liberty
power: authority
control: command
security: protection
threat: menace
fear: dread
concern: worry
concerns: worries
hope: aspiration
hopes: aspirations
expected: anticipated
expect: anticipate
likely: apt
continue: carry on
continued: carried on
remain: stay
remained: stayed
return: go back
returned: went back
receive: obtain
received: obtained
include: comprise
included: comprised
includes: comprises
including: such as
involved: concerned
become: turn into
became: turned into
happen: occur
happened: occurred
according: as per
agreement: accord
deal: arrangement
talks: negotiations
discuss: talk about
discussed: talked about
criticism: condemnation
criticized: condemned
praised: lauded
warned: cautioned
warning: caution
confirmed: verified
denied: refused
refused: declined
rejected: dismissed
agreed: consented
suggested: proposed
explained: clarified
added: included
noted: observed
described: characterized
spokesman: representative
spokeswoman: representative
spokesperson: representative
director: head
chief: head
head: chief
staff: personnel
workers: employees
employees: staff members
jobs: positions
job: position
price: cost
prices: costs
cost: expense
costs: expenses
budget: spending plan
tax: levy
taxes: levies
funding: financing
bank: financial institution
oil: petroleum
energy: power
environment: atmosphere
climate: weather
land: terrain
island: isle
coast: coastline
river: stream
mountain: peak
festival: fair
event: occasion
events: occasions
ceremony: celebration
award: prize
awards: prizes
film: movie
films: movies
music: songs
song: track
book: publication
history: past
story: tale
death: demise
deaths: fatalities
body: corpse
bodies: corpses
prison: jail
crime: offense
crimes: offenses
murder: homicide
suspect: suspected person
suspects: suspected persons
weapons: arms
gun: firearm
guns: firearms
bomb: explosive device
explosion: blast
rescue: save
rescued: saved
survivors: survivors
missing: lost
search: hunt
efforts: endeavors
effort: endeavor
action: motion
actions: measures
policy: coverage
policies: guidelines
program: programme
service: provider
saying: stating
former: previous | ex
another: one more
came: arrived
later: afterwards
back: again
held: hosted
lead: guide
stated: said
going: heading
conference: convention
hit: struck
order: command
life: existence
case: instance
office: workplace
times: occasions
known: recognized
due: owing
campaign: crusade
way: method
capital: capital city
released: launched
number: quantity
even: even so
went: headed
past: previous
already: previously
peace: harmony
sent: dispatched
taken: seized
hours: hrs
side: facet
food: meals
journalists: reporters
reporters: journalists
violence: brutality
months: many months
led: headed
incident: episode
put: placed
run: operate
despite: regardless of
visit: trip
much: a lot
agency: bureau
seen: witnessed
race: contest
able: capable
change: alteration
shot: gunned
authorities: officials
human: human being
family: household
part: portion
well: nicely
next: following
forces: troops
force: power
flight: flight journal
still: nonetheless
right: proper
every: each and every
away: absent
already: by now
within: inside
hours: several hours
earlier: previously
know: understand
points: factors
seen: observed
board: panel
council: authority
nuclear: atomic
state: condition
states: says
secretary: assistant
intelligence: intellect
final: last
scored: netted
goal: target
away: far
journalist: reporter
continue: proceed
country's: nation's
government's: administration's
world's: globe's
city's: metropolis's
company's: firm's
week's: seven days'
man: male
woman: lady
young: youthful
local: native
across: throughout
several: a number of
received: acquired
reached: arrived at
spoke: talked
speaking: talking
wrote: penned
written: penned
show: present
set: established
led: guided
make: produce
need: must have
looking: searching
look: seem
seems: appears
appeared: seemed
according to: in accordance with
as well as: along with
in order to: so as to
a number of: several
at least: a minimum of
more than: over
services: providers
""".strip()


def _parse(text: str) -> dict[str, tuple[str, ...]]:
    """Parse the table text into ``{phrase: (replacement, ...)}``; the last duplicate wins."""
    table: dict[str, tuple[str, ...]] = {}
    for line in text.splitlines():
        key, _, values = line.partition(":")
        options = tuple(v.strip() for v in values.split("|") if v.strip())
        key = key.strip()
        options = tuple(o for o in options if o.lower() != key.lower())
        if key and options:
            table[key] = options
    return table


#: ``{source phrase: replacements}``; multi-word keys and values are allowed.
SPIN_TABLE: dict[str, tuple[str, ...]] = _parse(_TABLE)
