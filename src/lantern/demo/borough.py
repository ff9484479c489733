"""The fictional borough of Northmere: wards, partner agencies, teams and users for every role.

Everything here is invented. Names of people come from Faker (en_GB) with a fixed seed, so the
same seed always gives the same borough; place, premises and team names are made up.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from random import Random

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from lantern.accounts.models import Agency, AgencyKind, RoleAssignment, Team, User
from lantern.accounts.roles import SECOND_FACTOR_REQUIRED, Role
from lantern.core.models import Ward
from lantern.demo.registry import DemoContext

DEMO_PASSWORD = "northmere-demo-2026"  # noqa: S105 - printed for the demo

WARD_NAMES = [
    "Abbeyfield",
    "Brackenside",
    "Castlegate",
    "Dunmore Park",
    "Eastwater",
    "Fenwick Vale",
    "Greystone",
    "Hollins Cross",
    "Ironbridge Row",
    "Kingsmead",
    "Larkfield",
    "Millbeck",
    "Northmere Central",
    "Oakhurst",
    "Pennyford",
    "Quarry Hill",
    "Riverside",
    "Sallow Green",
    "Thornbury Heath",
    "Upper Wendle",
    "Westmoor",
]

# Northmere's made-up extent on the map (open moorland, so no real street lies under a demo
# point). Its wards tile it as a grid, WARD_COLUMNS wide, in WARD_NAMES order.
BOROUGH_BOUNDS = (54.300, -2.100, 54.360, -1.960)  # south, west, north, east
WARD_COLUMNS = 7


def ward_area(name: str) -> tuple[float, float, float, float]:
    """The (south, west, north, east) box a demo ward covers on the map."""
    index = WARD_NAMES.index(name)
    rows = -(-len(WARD_NAMES) // WARD_COLUMNS)
    south, west, north, east = BOROUGH_BOUNDS
    height, width = (north - south) / rows, (east - west) / WARD_COLUMNS
    row, column = divmod(index, WARD_COLUMNS)
    cell_south, cell_west = south + row * height, west + column * width
    return (cell_south, cell_west, cell_south + height, cell_west + width)


def _grid_vertex(row: int, column: int) -> tuple[float, float]:
    """A corner of the ward grid as (longitude, latitude), nudged so wards do not look like a
    chessboard. Inner corners move by up to 8% of a cell (points keep 10% off the box edges, so
    every demo point stays inside its ward); the borough's outer edge stays straight. Seeded by
    the corner alone, so it never draws on the demo's random stream."""
    rows = -(-len(WARD_NAMES) // WARD_COLUMNS)
    south, west, north, east = BOROUGH_BOUNDS
    height, width = (north - south) / rows, (east - west) / WARD_COLUMNS
    nudge = Random(f"northmere-ward-corner-{row}-{column}")
    lat_shift = nudge.uniform(-0.08, 0.08) * height if 0 < row < rows else 0.0
    lon_shift = nudge.uniform(-0.08, 0.08) * width if 0 < column < WARD_COLUMNS else 0.0
    return (
        round(west + column * width + lon_shift, 5),
        round(south + row * height + lat_shift, 5),
    )


def ward_boundary(name: str) -> dict:
    """The demo ward's outline as a GeoJSON Polygon (fictional: Northmere has no real map)."""
    index = WARD_NAMES.index(name)
    row, column = divmod(index, WARD_COLUMNS)
    corners = [
        _grid_vertex(row, column),
        _grid_vertex(row, column + 1),
        _grid_vertex(row + 1, column + 1),
        _grid_vertex(row + 1, column),
    ]
    return {"type": "Polygon", "coordinates": [[list(c) for c in [*corners, corners[0]]]]}


def point_in_ward(name: str, rng) -> tuple[float, float]:
    """A (latitude, longitude) inside the ward, kept off its edges, to 5 decimal places."""
    south, west, north, east = ward_area(name)
    margin_lat, margin_lon = (north - south) / 10, (east - west) / 10
    return (
        round(rng.uniform(south + margin_lat, north - margin_lat), 5),
        round(rng.uniform(west + margin_lon, east - margin_lon), 5),
    )


AGENCIES = [
    (
        "Northmere Police",
        "NP",
        AgencyKind.POLICE,
        ["Intelligence unit", "Child exploitation investigation team", "Neighbourhood policing"],
    ),
    (
        "Northmere Children's Social Care",
        "CSC",
        AgencyKind.CHILDRENS_SOCIAL_CARE,
        ["Child exploitation team", "Referral and assessment", "Children in care"],
    ),
    (
        "Northmere Health Partnership",
        "NHP",
        AgencyKind.HEALTH,
        ["Sexual health service", "School nursing", "Child and adolescent mental health"],
    ),
    (
        "Northmere Schools Safeguarding Service",
        "Schools",
        AgencyKind.EDUCATION,
        ["Designated safeguarding leads", "Attendance and inclusion"],
    ),
    (
        "Northmere Licensing Service",
        "Licensing",
        AgencyKind.LICENSING,
        ["Taxi and private hire licensing", "Premises licensing"],
    ),
    ("Northmere Housing", "Housing", AgencyKind.HOUSING, ["Housing options", "Tenancy support"]),
    ("Northmere Youth Justice Service", "YJS", AgencyKind.YOUTH_JUSTICE, ["Youth justice team"]),
    ("Northmere Youth Service", "Youth", AgencyKind.YOUTH_SERVICE, ["Detached youth work"]),
    (
        "Lanternlight Young People's Trust",
        "LYPT",
        AgencyKind.VOLUNTARY,
        ["Outreach", "Survivor support"],
    ),
    (
        "Northmere Council",
        "Council",
        AgencyKind.COUNCIL,
        ["Elected members", "Safeguarding partnership office", "Scrutiny"],
    ),
]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    agency: str | None
    team: str | None
    job_title: str


# One named sign-in per role, printed by `lantern demo`.
DEMO_ACCOUNTS = [
    DemoAccount(
        "admin",
        Role.ADMINISTRATOR,
        "Northmere Council",
        "Safeguarding partnership office",
        "Systems administrator",
    ),
    DemoAccount(
        "analyst",
        Role.POLICE_INTELLIGENCE,
        "Northmere Police",
        "Intelligence unit",
        "Intelligence analyst",
    ),
    DemoAccount(
        "supervisor",
        Role.POLICE_SUPERVISOR,
        "Northmere Police",
        "Intelligence unit",
        "Detective inspector",
    ),
    DemoAccount(
        "socialworker",
        Role.CSE_SOCIAL_WORKER,
        "Northmere Children's Social Care",
        "Child exploitation team",
        "Specialist social worker",
    ),
    DemoAccount(
        "macechair",
        Role.MACE_CHAIR,
        "Northmere Children's Social Care",
        "Child exploitation team",
        "Team manager",
    ),
    DemoAccount(
        "practitioner",
        Role.PARTNER_PRACTITIONER,
        "Northmere Health Partnership",
        "Sexual health service",
        "Sexual health nurse",
    ),
    DemoAccount(
        "licensing",
        Role.PARTNER_PRACTITIONER,
        "Northmere Licensing Service",
        "Taxi and private hire licensing",
        "Licensing officer",
    ),
    DemoAccount(
        "performance",
        Role.PERFORMANCE_OFFICER,
        "Northmere Council",
        "Safeguarding partnership office",
        "Performance officer",
    ),
    DemoAccount(
        "partnership",
        Role.PARTNERSHIP_MANAGER,
        "Northmere Council",
        "Safeguarding partnership office",
        "Partnership manager",
    ),
    DemoAccount("board", Role.BOARD_MEMBER, "Northmere Council", None, "Board member"),
    DemoAccount(
        "scrutiny", Role.SCRUTINY_MEMBER, "Northmere Council", "Scrutiny", "Scrutiny member"
    ),
    DemoAccount(
        "councillor", Role.COUNCILLOR, "Northmere Council", "Elected members", "Ward councillor"
    ),
    DemoAccount("public", Role.MEMBER_OF_PUBLIC, None, None, ""),
]

# How many more practitioners each agency gets, by scale.
EXTRA_STAFF = {"borough": 12, "national": 400}


def generate(ctx: DemoContext) -> str:
    """Create the borough. Returns a one-line summary."""
    with transaction.atomic():
        wards = Ward.objects.bulk_create(
            Ward(name=name, code=f"NM{index:02d}", boundary=ward_boundary(name))
            for index, name in enumerate(WARD_NAMES, 1)
        )
        agencies, teams = _agencies_and_teams()
        password_hash = make_password(DEMO_PASSWORD)
        named = _demo_accounts(ctx, agencies, teams, password_hash)
        staff = _staff(ctx, agencies, teams, password_hash)
    ctx.made.update(wards=wards, agencies=agencies, teams=teams, accounts=named, staff=staff)
    return (
        f"{len(wards)} wards, {len(agencies)} agencies, {len(teams)} teams, "
        f"{len(named) + len(staff)} users"
    )


def demo_totp_key(username: str) -> str:
    """A fixed TOTP key per demo user, so the printed setup key works on every fresh demo."""
    return hashlib.sha256(f"northmere-demo-totp:{username}".encode()).hexdigest()[:40]


def demo_totp_setup_key(username: str) -> str:
    return base64.b32encode(bytes.fromhex(demo_totp_key(username))).decode().rstrip("=")


def _agencies_and_teams() -> tuple[dict[str, Agency], dict[tuple[str, str], Team]]:
    agencies, teams = {}, {}
    for name, short, kind, team_names in AGENCIES:
        agency = Agency.objects.create(name=name, short_name=short, kind=kind)
        agencies[name] = agency
        for team_name in team_names:
            teams[(name, team_name)] = Team.objects.create(agency=agency, name=team_name)
    return agencies, teams


def _demo_accounts(ctx, agencies, teams, password_hash) -> list[User]:
    users = []
    for account in DEMO_ACCOUNTS:
        user = User.objects.create(
            username=account.username,
            full_name=ctx.faker.name(),
            email=f"{account.username}@northmere.example",
            password=password_hash,
            agency=agencies.get(account.agency) if account.agency else None,
            team=teams.get((account.agency, account.team)) if account.team else None,
            job_title=account.job_title,
        )
        RoleAssignment.objects.create(user=user, role=account.role)
        if account.role in SECOND_FACTOR_REQUIRED:
            TOTPDevice.objects.create(
                user=user,
                name="Demo authenticator",
                confirmed=True,
                key=demo_totp_key(account.username),
            )
        users.append(user)
    supervisor = next(u for u in users if u.username == "supervisor")
    User.objects.filter(username="analyst").update(manager=supervisor)
    chair = next(u for u in users if u.username == "macechair")
    User.objects.filter(username="socialworker").update(manager=chair)
    return users


def _staff(ctx, agencies, teams, password_hash) -> list[User]:
    """More practitioners in every agency, so lists and allocations look like a real borough."""
    per_agency = EXTRA_STAFF.get(ctx.scale, EXTRA_STAFF["borough"])
    role_by_kind = {
        AgencyKind.POLICE: Role.POLICE_INTELLIGENCE,
        AgencyKind.CHILDRENS_SOCIAL_CARE: Role.CSE_SOCIAL_WORKER,
        AgencyKind.COUNCIL: Role.COUNCILLOR,
    }
    users, roles = [], []
    for agency in agencies.values():
        agency_teams = [t for (a, _), t in teams.items() if a == agency.name]
        for index in range(per_agency):
            first, last = ctx.faker.first_name(), ctx.faker.last_name()
            username = f"{first}.{last}.{agency.short_name}{index}".lower().replace(" ", "")
            users.append(
                User(
                    username=username[:150],
                    full_name=f"{first} {last}",
                    email=f"{username[:60]}@northmere.example",
                    password=password_hash,
                    agency=agency,
                    team=ctx.rng.choice(agency_teams),
                    job_title=ctx.faker.job()[:200],
                )
            )
            roles.append(role_by_kind.get(agency.kind, Role.PARTNER_PRACTITIONER))
    created = User.objects.bulk_create(users, batch_size=1000)
    RoleAssignment.objects.bulk_create(
        (RoleAssignment(user=u, role=r) for u, r in zip(created, roles, strict=True)),
        batch_size=1000,
    )
    return created
