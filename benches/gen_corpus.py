#!/usr/bin/env python3
"""Generate a synthetic Evident repository for benchmarks.

    python3 benches/gen_corpus.py N OUT_DIR [--git] [--force] [--seed S]

Writes OUT_DIR/evident.yaml and N documents (one per file, 1-3 KB each, all nine kinds
in realistic proportions) under OUT_DIR/policies/<kind folder>/. The content is modelled
on the reference set in policies/ (Northwind Digital Bank) and scaled out to a banking
group with many business units: ids, titles, numbers and dates vary, and every
cross-reference (roles, services, suppliers, calendars, agreements, plans, records)
resolves to a document of the corpus. Every document is meant to be valid against its
kind schema and conformant with the built-in controls as of 2026-11-21.

Deterministic: the same N and seed give byte-identical output. Python 3.11 stdlib only.
With --git, runs `git init` and makes one commit in OUT_DIR (fixed author and date).
"""

import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import subprocess
import sys
import textwrap

DEFAULT_SEED = "evident-bench-v1"
AS_OF = dt.date(2026, 11, 21)  # the date the benchmark checks run "as of"

KINDS = ["Policy", "Process", "Service", "ServiceLevelAgreement", "Supplier", "Role",
         "Calendar", "Plan", "Record"]
FOLDER = {
    "Policy": "sms", "Process": "processes", "Service": "catalog",
    "ServiceLevelAgreement": "agreements", "Supplier": "suppliers", "Role": "roles",
    "Calendar": "calendars", "Plan": "plans", "Record": "records",
}
# Share of each kind, per mille (records, agreements and catalogue entries dominate).
SHARE = {"Record": 290, "ServiceLevelAgreement": 200, "Service": 150, "Role": 120,
         "Supplier": 70, "Process": 70, "Plan": 60, "Calendar": 35, "Policy": 5}
# The smallest complete SMS (the shape of the reference set: 45 documents).
MINIMUM = {"Policy": 1, "Process": 9, "Service": 3, "ServiceLevelAgreement": 4,
           "Supplier": 2, "Role": 17, "Calendar": 2, "Plan": 2, "Record": 5}


# ---------------------------------------------------------------------------------------
# YAML text helpers (the generator writes YAML text directly; no YAML library needed)

_SPECIAL_WORDS = {"true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"}
_NUMBERISH = re.compile(r"[-+]?(\.?[0-9][0-9_.:eExXoObB+-]*|\.inf|\.nan)", re.I)


def _needs_quotes(s, flow):
    if not s or s != s.strip() or "\n" in s or "\t" in s:
        return True
    if s.lower() in _SPECIAL_WORDS or _NUMBERISH.fullmatch(s):
        return True
    if s[0] in "-?:,[]{}#&*!|>'\"%@`":
        return True
    if ": " in s or " #" in s or s.endswith(":"):
        return True
    if flow and any(c in s for c in ",[]{}"):
        return True
    return False


def q(s):
    """A scalar for block context: plain when safe, else double-quoted."""
    s = str(s)
    return json.dumps(s, ensure_ascii=False) if _needs_quotes(s, False) else s


def qf(s):
    """A scalar for flow context ([a, b] or {k: v})."""
    s = str(s)
    return json.dumps(s, ensure_ascii=False) if _needs_quotes(s, True) else s


def flow_list(items):
    return "[" + ", ".join(qf(x) for x in items) + "]"


def folded(key, text, indent, width=96):
    pad = " " * indent
    if len(text) + indent + len(key) + 2 <= width:
        return [f"{pad}{key}: {q(text)}"]
    lines = textwrap.wrap(text, width=width - indent - 2)
    return [f"{pad}{key}: >-"] + [f"{pad}  {line}" for line in lines]


def block_list(key, items, indent):
    pad = " " * indent
    return [f"{pad}{key}:"] + [f"{pad}  - {q(x)}" for x in items]


def date(d):
    return d.isoformat()


def rdate(rng, start, end):
    """A random date in [start, end]."""
    span = (end - start).days
    return start + dt.timedelta(days=rng.randint(0, max(0, span)))


def D(y, m, d):
    return dt.date(y, m, d)


def add_months(d, n):
    y, m = divmod(d.month - 1 + n, 12)
    y += d.year
    m += 1
    mdays = [31, 29 if (y % 4 == 0 and (y % 100 or y % 400 == 0)) else 28, 31, 30, 31, 30,
             31, 31, 30, 31, 30, 31][m - 1]
    return dt.date(y, m, min(d.day, mdays))


def version(rng):
    return f"{rng.randint(1, 4)}.{rng.randint(0, 6)}.{rng.choice([0, 0, 0, 1, 2])}"


# ---------------------------------------------------------------------------------------
# Naming of the business units of the (fictional) banking group

DIVISIONS = ["retail", "business", "private", "corporate", "cards", "wealth", "treasury",
             "leasing", "insurance", "mortgages", "consumer-credit", "savings"]
REGIONS = ["north", "south", "east", "west", "central", "nordics", "dach", "benelux",
           "iberia", "baltics", "alpine", "adriatic"]


_UNITS = [1]  # number of complete business units (set from the number of Roles)


def _base_slug(u):
    if u == 0:
        return ""
    k = u - 1
    s = f"{DIVISIONS[k % 12]}-{REGIONS[(k // 12 + k) % 12]}"
    rep = k // 144
    return f"{s}-{rep + 1}" if rep else s


def unit_slug(k):
    """Slug of entity k: unit k % UNITS (unit 0 is the reference organization, no suffix);
    entities beyond the number of units get a running number (a second line of business)."""
    u, rep = k % _UNITS[0], k // _UNITS[0]
    s = _base_slug(u)
    if rep:
        s = f"{s}-{rep + 1}" if s else f"hq-{rep + 1}"
    return s


def unit_name(k):
    if not unit_slug(k):
        return ""
    return " ".join(w.upper() if w == "hq" else w.capitalize()
                    for w in unit_slug(k).replace("consumer-credit", "consumer credit").split("-"))


def with_unit(base, u):
    s = unit_slug(u)
    return f"{base}-{s}" if s else base


def title_with_unit(title, u):
    return f"{title} ({unit_name(u)})" if unit_name(u) else title


CITIES = [
    ("frankfurt", "Frankfurt", "Europe/Berlin"), ("amsterdam", "Amsterdam", "Europe/Amsterdam"),
    ("madrid", "Madrid", "Europe/Madrid"), ("stockholm", "Stockholm", "Europe/Stockholm"),
    ("vienna", "Vienna", "Europe/Vienna"), ("warsaw", "Warsaw", "Europe/Warsaw"),
    ("lisbon", "Lisbon", "Europe/Lisbon"), ("dublin", "Dublin", "Europe/Dublin"),
    ("helsinki", "Helsinki", "Europe/Helsinki"), ("prague", "Prague", "Europe/Prague"),
    ("milan", "Milan", "Europe/Rome"), ("paris", "Paris", "Europe/Paris"),
    ("copenhagen", "Copenhagen", "Europe/Copenhagen"), ("oslo", "Oslo", "Europe/Oslo"),
    ("zurich", "Zurich", "Europe/Zurich"), ("brussels", "Brussels", "Europe/Brussels"),
    ("london", "London", "Europe/London"), ("athens", "Athens", "Europe/Athens"),
    ("riga", "Riga", "Europe/Riga"), ("tallinn", "Tallinn", "Europe/Tallinn"),
]

SUPPLIER_PREFIX = ["Alto", "Quill", "Brook", "Cedar", "Hollow", "Iron", "Lumen", "North", "Oak",
                   "Pine", "Silver", "Stone", "Tide", "Vale", "Wren", "Zephyr", "Amber", "Birch",
                   "Copper", "Delta", "Ember", "Fjord", "Granite", "Harbor"]
SUPPLIER_SUFFIX = ["strata", "field", "gate", "line", "works", "bridge", "point", "mark",
                   "forge", "stream", "wave", "crest"]
LEGAL = ["GmbH", "B.V.", "Ltd", "S.A.", "AB", "Oy", "A/S", "SE", "S.p.A.", "AG"]
SUPPLIER_KINDS = [
    # (id word, title word, what they do, services they support: template indexes)
    ("hosting", "Hosting", "Data centre and managed infrastructure provider", (0, 2)),
    ("payments", "Payment Services", "Card processor and SEPA instant gateway operator", (1,)),
    ("cloud", "Cloud", "Public cloud platform and managed Kubernetes provider", (0, 2)),
    ("networks", "Networks", "Wide-area network and internet connectivity provider", (0, 1, 2)),
    ("security", "Security", "Managed security operations centre and DDoS protection", (2,)),
    ("software", "Software", "Vendor of the core banking software, with third-line support", (0,)),
]


# ---------------------------------------------------------------------------------------
# Roles (content from the reference set)

ROLES = {
    "chief-operating-officer": dict(
        title="Chief Operating Officer", owner="chief-operating-officer",
        approver="chief-operating-officer",
        description="Member of the executive board who directs the service management system on behalf of top management.",
        top_management=True,
        responsibilities=["Set the service management policy and objectives and make sure they fit the bank's strategy.",
                          "Provide the people, budget and tools the service management system needs.",
                          "Chair the management review and decide on the improvements it proposes."],
        authorities=["Approve the service management policy, the scope of the SMS and the role definitions.",
                     "Accept residual service risks on behalf of the executive board."],
        competence=[("Executive experience in running regulated banking operations.",
                     "Appointment by the supervisory board; fit-and-proper assessment on file with HR.")],
        holders=["Chief Operating Officer (executive board)"]),
    "head-of-service-management": dict(
        title="Head of Service Management", owner="chief-operating-officer",
        approver="chief-operating-officer", reports_to="chief-operating-officer",
        description="Owns the service management system day to day and is the process owner of last resort.",
        responsibilities=["Keep the service management system documented, operating and improving.",
                          "Approve process definitions, service catalogue entries, agreements and plans.",
                          "Report the performance of the SMS to top management and prepare the management review."],
        authorities=["Approve SMS documents other than the policy and role definitions.",
                     "Assign process owners and resolve conflicts between processes."],
        competence=[("Certified knowledge of ITIL 4 (Managing Professional or equivalent).",
                     "Certificate kept in the HR training record."),
                    ("Working knowledge of ISO/IEC 20000-1 requirements.",
                     "Lead implementer training certificate.")],
        holders=["Head of IT Service Management"]),
    "change-manager": dict(
        title="Change Manager",
        description="Owns change enablement and chairs the change advisory board.",
        responsibilities=["Own the change enablement process and the schedule of changes.",
                          "Make sure every normal change is assessed for risk and authorized before it is made.",
                          "Maintain the catalogue of pre-authorized standard changes."],
        authorities=["Authorize normal changes on the advice of the change advisory board.",
                     "Add or withdraw standard change models."],
        competence=[("ITIL 4 Specialist Create, Deliver and Support or equivalent experience.",
                     "Certificate in the HR training record.")],
        holders=["Change Manager, IT Service Management"]),
    "continuity-manager": dict(
        title="Service Continuity Manager",
        description="Makes sure services can be recovered within agreed times after a major disruption.",
        responsibilities=["Own the service continuity management process and the continuity plans.",
                          "Plan and run continuity tests and follow up their findings."],
        authorities=["Invoke the service continuity plan."],
        competence=[("Business continuity training (ISO 22301 based or equivalent).",
                     "Certificate in the HR training record.")],
        holders=["Service Continuity Manager, IT Risk"]),
    "digital-channels-owner": dict(
        title="Digital Channels Service Owner",
        description="Accountable end to end for the online banking service.",
        responsibilities=["Own the online banking service, its catalogue entry and its SLA.",
                          "Represent customers' needs in service reviews and change decisions."],
        authorities=["Accept or reject service level targets for online banking.",
                     "Prioritize improvements to online banking."],
        competence=[("Product ownership experience for customer-facing digital services.",
                     "CV in the HR record.")],
        holders=["Head of Digital Channels"]),
    "information-security-manager": dict(
        title="Information Security Manager", owner="chief-operating-officer",
        reports_to="chief-operating-officer",
        description="Advises on and oversees the security of information processed by the services.",
        responsibilities=["Assess the information security impact of changes and new services.",
                          "Own information security risks in the SMS risk register."],
        authorities=["Veto a change that would breach the information security policy."],
        competence=[("Recognized information security certification (e.g. CISSP or CISM).",
                     "Certificate in the HR training record.")],
        holders=["Chief Information Security Officer"]),
    "internal-auditor": dict(
        title="Internal Auditor (SMS)", reports_to="chief-operating-officer",
        description="Audits the service management system independently of the processes audited.",
        responsibilities=["Plan and carry out internal audits of the SMS according to the audit programme.",
                          "Report findings and verify that corrective actions are effective."],
        authorities=["Access any SMS record and interview any staff member for audit purposes."],
        competence=[("ISO/IEC 20000-1 internal auditor training.", "Course certificate in the HR training record."),
                    ("No operational responsibility for the processes audited.",
                     "Declaration of independence filed with each audit plan.")],
        holders=["Group Internal Audit, IT audit team"]),
    "major-incident-manager": dict(
        title="Major Incident Manager", owner="service-desk-manager",
        approver="head-of-service-management",
        description="Leads the response to major incidents until service is restored and the review is held.",
        responsibilities=["Coordinate technical teams and suppliers during a major incident.",
                          "Communicate status to stakeholders at the agreed interval.",
                          "Run the major incident review and hand open causes to problem management."],
        authorities=["Call in any technical team or supplier at any hour.", "Request emergency changes."],
        competence=[("Experience of incident command in a 24x7 environment.",
                     "Rota sign-off after shadowing two major incidents.")],
        holders=["On-call rota of four senior operations engineers"]),
    "payments-service-owner": dict(
        title="Payments Service Owner",
        description="Accountable end to end for the payments service.",
        responsibilities=["Own the payments service, its catalogue entry and its SLA.",
                          "Make sure payment schemes' operating rules are reflected in service targets."],
        authorities=["Accept or reject service level targets for payments."],
        competence=[("Knowledge of SEPA and card scheme operating rules.",
                     "Scheme training certificates in the HR record.")],
        holders=["Head of Payments Operations"]),
    "platform-operations-lead": dict(
        title="Platform Operations Lead",
        description="Runs the core banking platform and the infrastructure beneath the customer-facing services.",
        responsibilities=["Own the core banking platform service and its operational level agreement.",
                          "Run second-line support and on-call for platform incidents.",
                          "Manage capacity and availability of the platform."],
        authorities=["Approve standard changes on the platform.",
                     "Call in the hosting supplier's escalation contacts."],
        competence=[("Experience operating high-availability banking platforms.",
                     "CV in the HR record; on-call sign-off.")],
        holders=["Platform Operations Lead, Infrastructure"]),
    "problem-manager": dict(
        title="Problem Manager",
        description="Owns problem management and the known error database.",
        responsibilities=["Identify problems from incident trends and major incidents.",
                          "Make sure root causes are analysed and known errors recorded with workarounds."],
        authorities=["Ask any technical team for root cause analysis effort.",
                     "Raise changes to remove the causes of problems."],
        competence=[("Trained in structured root cause analysis techniques.",
                     "Course certificate in the HR training record.")],
        holders=["Problem Manager, IT Service Management"]),
    "release-manager": dict(
        title="Release Manager",
        description="Plans and controls releases into the live environment.",
        responsibilities=["Own the release management process and the release calendar.",
                          "Make sure each release meets its acceptance criteria before deployment."],
        authorities=["Approve or stop the deployment of a release."],
        competence=[("Experience with the bank's delivery pipeline and deployment tooling.",
                     "Sign-off by the head of platform engineering.")],
        holders=["Release Manager, Digital Delivery"]),
    "service-catalogue-manager": dict(
        title="Service Catalogue Manager", reports_to="service-level-manager",
        description="Keeps the service catalogue complete, accurate and published.",
        responsibilities=["Own the service catalogue management process.",
                          "Keep each catalogue entry current as services are added, changed or retired."],
        authorities=["Publish and withdraw catalogue entries once approved."],
        competence=[("Knowledge of the bank's service portfolio and its owners.",
                     "Yearly check by the head of service management.")],
        holders=["Service Catalogue Manager (part-time, combined with reporting analyst)"]),
    "service-desk-analyst": dict(
        title="Service Desk Analyst", owner="service-desk-manager",
        approver="head-of-service-management", reports_to="service-desk-manager",
        description="First point of contact for users; logs, classifies and resolves incidents and requests.",
        responsibilities=["Log, categorize and prioritize every incident and service request.",
                          "Resolve what can be resolved at first line and route the rest.",
                          "Keep users informed until their ticket is closed."],
        authorities=["Fulfil standard service requests without further approval."],
        competence=[("ITIL 4 Foundation within six months of joining.", "Certificate in the HR training record."),
                    ("Completed onboarding on the ITSM tool and the knowledge base.",
                     "Training record in the learning platform.")],
        holders=["Service desk team ({n} analysts, two shifts)"]),
    "service-desk-manager": dict(
        title="Service Desk Manager", deputy="service-desk-analyst",
        description="Leads the service desk and owns incident and service request management.",
        responsibilities=["Own the incident management and service request management processes.",
                          "Staff the service desk to match the agreed support hours.",
                          "Monitor incident and request targets and act on breaches."],
        authorities=["Assign and re-prioritize incidents and requests.", "Declare a major incident."],
        competence=[("ITIL 4 Foundation and at least three years leading a support team.",
                     "Certificate and CV in the HR record.")],
        holders=["Service Desk Manager, Operations Centre {city}"]),
    "service-level-manager": dict(
        title="Service Level Manager",
        description="Agrees service levels with customers and reports on them.",
        responsibilities=["Own the service level management process.",
                          "Negotiate, agree and review SLAs and OLAs.",
                          "Produce monthly service reports and lead service reviews with customers."],
        authorities=["Sign SLAs and OLAs on behalf of IT Service Management."],
        competence=[("Experience in negotiating service agreements and reporting on them.",
                     "CV and references in the HR record.")],
        holders=["Service Level Manager, IT Service Management"]),
    "supplier-manager": dict(
        title="Supplier Manager",
        description="Manages suppliers that contribute to the services and their contracts.",
        responsibilities=["Own the supplier management process and the supplier register.",
                          "Make sure supplier contracts contain targets that support the SLAs.",
                          "Review supplier performance and contracts at the agreed interval."],
        authorities=["Issue formal performance notices to suppliers.",
                     "Recommend renewal or termination of supplier contracts."],
        competence=[("Contract management training and knowledge of outsourcing regulation for banks.",
                     "Certificate in the HR training record.")],
        holders=["IT Supplier Manager, Procurement"]),
}
ROLE_BASES = list(ROLES)  # 17; index order defines which role ids exist for small N


# ---------------------------------------------------------------------------------------
# Process spec templates (the reference processes; role ids are mapped to the unit's roles)

PROCESS_TEMPLATES = {}

PROCESS_TEMPLATES["incident-management"] = dict(
    title="Incident management", owner="service-desk-manager",
    description="Restoring normal service as quickly as possible when it is interrupted or degraded.",
    spec="""\
  practice: incident-management
  purpose: >-
    Limit the effect of unplanned interruptions and degradations on customers by restoring
    service within the agreed times, and keep users informed while doing so.
  scope: >-
    All incidents affecting the services of {unit_scope}, whether reported by users, detected by
    monitoring or notified by suppliers.
  roles:
    - role: service-desk-manager
      responsibility: accountable
      duties: Owns the process, its targets and its reporting.
    - role: service-desk-analyst
      responsibility: responsible
      duties: Logs, classifies, prioritizes and resolves or routes incidents.
    - role: platform-operations-lead
      responsibility: responsible
      duties: Second-line investigation and resolution of platform incidents.
    - role: major-incident-manager
      responsibility: responsible
      duties: Leads major incidents.
  activities:
    - id: detect-and-log
      name: Detect and log
      description: Record every incident in the ITSM tool with time, reporter, affected service and symptoms.
      responsible: service-desk-analyst
    - id: classify-and-prioritize
      name: Classify and prioritize
      description: Set category, impact and urgency; the priority follows from the matrix.
      responsible: service-desk-analyst
    - id: resolve-and-recover
      name: Resolve and recover
      description: Apply the fix or workaround and confirm recovery with the user or monitoring.
      responsible: platform-operations-lead
  inputs: [Calls, chats and e-mails to the service desk, Monitoring alerts]
  outputs: [Restored service, Resolved and closed incident records]
  records: [Incident records in the ITSM tool (kept 7 years)]
  kpis:
    - id: resolution-within-target
      name: Incidents resolved within SLA target
      measure: Resolved incidents within the resolution target of their priority divided by all resolved incidents.
      target: ">= {kpi_a}%"
      frequency: 1mo
  interfaces:
    - process: problem-management
      description: Incidents without a known cause become problem candidates; known errors provide workarounds.
    - process: change-enablement
      description: Fixes that need a change are raised as changes; emergency changes during major incidents.
  review_interval: 1y
  priority_matrix:
    impacts: [high, medium, low]
    urgencies: [high, medium, low]
    matrix:
      - { impact: high, urgency: high, priority: P1 }
      - { impact: high, urgency: medium, priority: P2 }
      - { impact: high, urgency: low, priority: P3 }
      - { impact: medium, urgency: high, priority: P2 }
      - { impact: medium, urgency: medium, priority: P3 }
      - { impact: medium, urgency: low, priority: P4 }
      - { impact: low, urgency: high, priority: P3 }
      - { impact: low, urgency: medium, priority: P4 }
      - { impact: low, urgency: low, priority: P4 }
  major_incident:
    criteria:
      - Any P1 incident.
      - A P2 incident on a critical service expected to last more than 2 hours.
    procedure: >-
      The service desk manager or the on-call major incident manager declares the major incident,
      opens the bridge call and the status page entry, and calls in suppliers. A major incident
      review is held within 5 working days.
    manager: major-incident-manager
    communication:
      channels: [customer status page, bridge call, e-mail to stakeholders]
      update_interval: {update_interval}
    review_within: 5d
  escalation:
    - { level: 1, after: 30m, to: platform-operations-lead, type: functional }
    - { level: 2, after: 2h, to: service-desk-manager, type: hierarchical }
    - { level: 3, after: 4h, to: head-of-service-management, type: hierarchical, priorities: [P1, P2] }
""")

PROCESS_TEMPLATES["change-enablement"] = dict(
    title="Change enablement", owner="change-manager",
    description="Assessing, authorizing and scheduling changes so that they succeed.",
    spec="""\
  practice: change-enablement
  purpose: >-
    Make as many changes succeed as possible by assessing their risk, authorizing them at the
    right level and scheduling them so that they do not collide or disrupt customers.
  scope: Every change that could affect the live services of {unit_scope}.
  roles:
    - role: change-manager
      responsibility: accountable
      duties: Owns the process, chairs the CAB, authorizes normal changes.
    - role: release-manager
      responsibility: responsible
      duties: Raises changes for releases and implements them.
    - role: information-security-manager
      responsibility: consulted
      duties: Assesses security impact of normal and emergency changes.
  activities:
    - id: assess
      name: Assess risk and impact
      description: Score risk with the questionnaire, check conflicts on the schedule.
      responsible: change-manager
    - id: authorize
      name: Authorize
      description: The approval authority of the change type authorizes or rejects the change.
      responsible: change-manager
  records: [Change records in the ITSM tool, CAB minutes]
  kpis:
    - id: change-success-rate
      name: Successful changes
      measure: Changes implemented without backout or resulting incident divided by all implemented changes.
      target: ">= {kpi_b}%"
      frequency: 1mo
  interfaces:
    - process: release-management
      description: Releases are deployed through normal or standard changes.
    - process: incident-management
      description: Emergency changes resolve major incidents; failed changes cause incidents.
  review_interval: 1y
  change_types:
    standard:
      description: Pre-authorized, low-risk change following a documented change model.
      approval_authority: change-manager
      lead_time: 1d
    normal:
      description: Change assessed individually and authorized by the change manager on CAB advice.
      approval_authority: change-manager
      lead_time: {lead_time}
    emergency:
      description: Change needed at once to restore service or close a severe security exposure.
      approval_authority: major-incident-manager
      lead_time: 0m
  risk_assessment:
    method: Questionnaire scoring impact on customers, complexity, test coverage and backout ease.
    levels: [low, medium, high]
  backout:
    required: true
    description: Every normal and emergency change documents how it is reversed.
  post_implementation_review:
    required_for: [emergency, normal]
    within: 5d
  change_schedule:
    location: Change calendar in the ITSM tool
    published: Weekly to service owners and the service desk
  cab:
    chair: change-manager
    members: [platform-operations-lead, release-manager, information-security-manager, service-desk-manager]
    meeting_interval: 1w
""")

PROCESS_TEMPLATES["problem-management"] = dict(
    title="Problem management", owner="problem-manager",
    description="Finding and removing the causes of incidents.",
    spec="""\
  practice: problem-management
  purpose: Reduce the number and impact of incidents by finding their causes, managing workarounds and removing causes where it pays off.
  scope: Problems in the services of {unit_scope}, including those caused by suppliers.
  roles:
    - role: problem-manager
      responsibility: accountable
      duties: Owns the process and the known error database.
    - role: platform-operations-lead
      responsibility: responsible
      duties: Leads technical root cause analysis for the platform.
    - role: service-desk-manager
      responsibility: consulted
      duties: Provides incident data and applies workarounds.
    - role: change-manager
      responsibility: informed
      duties: Receives changes raised to remove causes.
  activities:
    - id: identify
      name: Identify problems
      description: From major incidents, repeated incidents and trend analysis.
      responsible: problem-manager
    - id: analyse
      name: Analyse root cause
      description: Structured analysis (timeline, five whys, fault tree) by the technical team.
      responsible: platform-operations-lead
    - id: record-known-error
      name: Record known error
      description: Record cause and workaround in the known error database.
      responsible: problem-manager
  inputs: [Incident records, Major incident reviews, Supplier root cause reports]
  outputs: [Known errors with workarounds, Changes removing causes]
  records: [Problem records and known error database in the ITSM tool]
  kpis:
    - id: recurring-incidents
      name: Recurring incidents
      measure: Incidents linked to a known error raised in an earlier month.
      target: Falling quarter on quarter
      frequency: 3mo
  interfaces:
    - process: incident-management
      description: Receives incident data, provides workarounds.
    - process: change-enablement
      description: Causes are removed through changes.
  review_interval: 1y
  known_errors:
    register: Known error database in the ITSM tool, visible to the service desk
    workaround_required: true
    review_interval: 3mo
  trend_analysis:
    interval: 1mo
    method: Incident counts by service, category and configuration item, compared with the three previous months.
""")

PROCESS_TEMPLATES["release-management"] = dict(
    title="Release management", owner="release-manager",
    description="Making new and changed services and features available for use.",
    spec="""\
  practice: release-management
  purpose: Plan, build and make available releases that meet their acceptance criteria, with controlled risk to the live services.
  scope: Releases of the services of {unit_scope}, including supplier-delivered software.
  roles:
    - role: release-manager
      responsibility: accountable
      duties: Owns the process and the release calendar.
    - role: change-manager
      responsibility: consulted
      duties: Authorizes the change that deploys each release.
    - role: digital-channels-owner
      responsibility: consulted
      duties: Accepts online banking releases on behalf of the business.
  activities:
    - id: plan
      name: Plan release
      description: Define content, schedule and acceptance criteria.
      responsible: release-manager
    - id: build-and-test
      name: Build and test
      description: Build from version control through the pipeline; run automated and acceptance tests.
      responsible: release-manager
    - id: deploy
      name: Deploy and verify
      description: Deploy under an authorized change, verify in production, hand over to operations.
      responsible: release-manager
  inputs: [Backlog items ready for release, Vendor software releases]
  outputs: [Deployed releases, Release notes]
  records: [Release records and pipeline logs]
  kpis:
    - id: release-incidents
      name: Releases causing incidents
      measure: Releases followed within 7 days by a P1 or P2 incident attributed to them, divided by all releases.
      target: "< {kpi_c}%"
      frequency: 1mo
  interfaces:
    - process: change-enablement
      description: Every release is deployed through a change.
    - process: incident-management
      description: Early life support and known errors handed to the service desk.
  review_interval: 1y
  release_types:
    - id: major
      name: Major release
      description: New functions or architectural changes, released quarterly.
      approval_authority: change-manager
    - id: minor
      name: Minor release
      description: Small enhancements and fixes, released every two weeks.
      approval_authority: release-manager
    - id: hotfix
      name: Hotfix
      description: Urgent fix deployed through an emergency change.
      approval_authority: major-incident-manager
  acceptance_criteria:
    - All automated tests and security scans pass in the pipeline.
    - Business acceptance signed off by the service owner for major releases.
    - Backout tested in the pre-production environment.
""")

PROCESS_TEMPLATES["service-catalogue-management"] = dict(
    title="Service catalogue management", owner="service-catalogue-manager",
    description="Keeping one accurate source of information about the services offered.",
    spec="""\
  practice: service-catalogue-management
  purpose: Give customers and staff one accurate, current description of each service, its offerings and its status.
  scope: All services of {unit_scope} in pipeline, live or retired status.
  roles:
    - role: service-catalogue-manager
      responsibility: accountable
      duties: Owns the catalogue and its publication.
    - role: digital-channels-owner
      responsibility: responsible
      duties: Keeps the online banking entry current.
    - role: payments-service-owner
      responsibility: responsible
      duties: Keeps the payments entry current.
    - role: platform-operations-lead
      responsibility: responsible
      duties: Keeps the core banking platform entry current.
  activities:
    - id: update-entry
      name: Update an entry
      description: Service owners propose changes to their entry through a pull request in this repository.
      responsible: service-catalogue-manager
    - id: publish
      name: Publish
      description: Approved entries are published to the intranet catalogue and the customer portal.
      responsible: service-catalogue-manager
    - id: verify
      name: Verify
      description: Quarterly check that entries match the services as operated.
      responsible: service-catalogue-manager
  inputs: [New or changed services from change enablement, Service owner updates]
  outputs: [Published service catalogue]
  records: [Catalogue entries and their history in this repository]
  kpis:
    - id: entries-current
      name: Catalogue entries reviewed on time
      measure: Entries whose last review is within the past 6 months.
      target: 100%
      frequency: 3mo
  interfaces:
    - process: service-level-management
      description: Agreements refer to catalogue entries.
    - process: service-request-management
      description: Offerings define the request models.
  review_interval: 1y
""")

PROCESS_TEMPLATES["service-continuity-management"] = dict(
    title="Service continuity management", owner="continuity-manager",
    description="Making sure services can be recovered within agreed times after a disaster.",
    spec="""\
  practice: service-continuity-management
  purpose: Keep the services' availability and performance at an agreed level after a disaster, and recover them within their recovery objectives.
  scope: The live services of {unit_scope} and the supplier-operated data centres they run in.
  roles:
    - role: continuity-manager
      responsibility: accountable
      duties: Owns the process and the continuity plan; invokes the plan.
    - role: platform-operations-lead
      responsibility: responsible
      duties: Maintains and executes recovery runbooks.
    - role: supplier-manager
      responsibility: consulted
      duties: Makes sure supplier contracts include continuity obligations and tests.
    - role: chief-operating-officer
      responsibility: informed
      duties: Receives test results and invocation notices.
  activities:
    - id: assess-requirements
      name: Assess continuity requirements
      description: Agree recovery time and point objectives with service owners, based on business impact.
      responsible: continuity-manager
    - id: maintain-plan
      name: Maintain the plan
      description: Keep the continuity plan and runbooks current after every relevant change.
      responsible: continuity-manager
    - id: test
      name: Test the plan
      description: Test the plan at least yearly and record results and actions.
      responsible: continuity-manager
  inputs: [Business impact analysis, Service continuity requirements in catalogue entries, Change records]
  outputs: [Continuity plan, Test records]
  records: [Continuity test records in this repository]
  kpis:
    - id: tests-on-time
      name: Continuity tests on time
      measure: Plans tested within their test interval.
      target: 100%
      frequency: 3mo
  interfaces:
    - process: change-enablement
      description: Changes are assessed for their effect on the continuity plan.
    - process: incident-management
      description: A major incident may lead to invoking the plan.
  review_interval: 1y
""")

PROCESS_TEMPLATES["service-level-management"] = dict(
    title="Service level management", owner="service-level-manager",
    description="Agreeing service levels with customers, and measuring and reporting against them.",
    spec="""\
  practice: service-level-management
  purpose: Set clear, business-based targets for service performance, and make sure the delivered service is measured, reported and reviewed against them.
  scope: SLAs for every live service of {unit_scope} and OLAs with the internal teams that support them.
  roles:
    - role: service-level-manager
      responsibility: accountable
      duties: Owns the process, negotiates agreements, issues service reports.
    - role: digital-channels-owner
      responsibility: consulted
      duties: Agrees online banking targets on behalf of the business.
    - role: payments-service-owner
      responsibility: consulted
      duties: Agrees payments targets on behalf of the business.
    - role: head-of-service-management
      responsibility: informed
      duties: Receives monthly reports and breach escalations.
  activities:
    - id: agree
      name: Agree service levels
      description: Capture requirements, check that OLAs and supplier contracts support the targets, sign the agreement.
      responsible: service-level-manager
    - id: monitor
      name: Monitor and report
      description: Produce the monthly service report per agreement.
      responsible: service-level-manager
    - id: review
      name: Review with customers
      description: Hold service reviews at the agreed interval, agree improvements, update the agreement.
      responsible: service-level-manager
  inputs: [Business requirements, Monitoring data, Incident and request statistics, Supplier reports]
  outputs: [Signed SLAs and OLAs, Monthly service reports, Service review minutes]
  records: [Agreements in this repository, Service reports and review minutes on the SMS SharePoint]
  kpis:
    - id: targets-met
      name: Service level targets met
      measure: Targets met divided by targets measured, across all agreements, per month.
      target: ">= {kpi_d}%"
      frequency: 1mo
  interfaces:
    - process: service-catalogue-management
      description: Agreements cover services listed in the catalogue.
    - process: supplier-management
      description: Supplier targets must support SLA targets.
  review_interval: 1y
""")

PROCESS_TEMPLATES["service-request-management"] = dict(
    title="Service request management", owner="service-desk-manager",
    description="Handling predefined, user-initiated requests for service.",
    spec="""\
  practice: service-request-management
  purpose: Fulfil users' standard requests quickly and consistently through defined request models.
  scope: Requests listed as offerings in the service catalogue for the services of {unit_scope}.
  roles:
    - role: service-desk-manager
      responsibility: accountable
      duties: Owns the process and the request models.
    - role: service-desk-analyst
      responsibility: responsible
      duties: Logs, checks and fulfils requests.
    - role: payments-service-owner
      responsibility: consulted
      duties: Defines the payment investigation request model.
  activities:
    - id: receive
      name: Receive and validate
      description: Log the request and check the requester's identity and entitlement.
      responsible: service-desk-analyst
    - id: approve
      name: Approve where needed
      description: Obtain approval when the request model requires it.
      responsible: service-desk-analyst
    - id: fulfil
      name: Fulfil and close
      description: Carry out the request model's steps, confirm with the requester, close.
      responsible: service-desk-analyst
  inputs: [Requests through the portal, phone and branches]
  outputs: [Fulfilled requests]
  records: [Request records in the ITSM tool]
  kpis:
    - id: fulfilment-within-target
      name: Requests fulfilled within target
      measure: Requests fulfilled within the SLA fulfilment target divided by all fulfilled requests.
      target: ">= {kpi_a}%"
      frequency: 1mo
  interfaces:
    - process: service-catalogue-management
      description: Request models are published as catalogue offerings.
    - process: incident-management
      description: Requests that reveal a fault are converted to incidents.
  review_interval: 1y
  request_models:
    - { id: credential-reset, name: Reset of online banking credentials, fulfilment: 1d }
    - { id: payment-investigation, name: Payment investigation, approval: payments-service-owner, fulfilment: 2d }
""")

PROCESS_TEMPLATES["supplier-management"] = dict(
    title="Supplier management", owner="supplier-manager",
    description="Making sure suppliers deliver what the services need.",
    spec="""\
  practice: supplier-management
  purpose: Make sure suppliers and their contracts support the agreed service levels, and that their performance is monitored, reviewed and managed.
  scope: All external and internal suppliers that contribute to the services of {unit_scope}.
  roles:
    - role: supplier-manager
      responsibility: accountable
      duties: Owns the process, the supplier register and contract reviews.
    - role: service-level-manager
      responsibility: consulted
      duties: Confirms that supplier targets support SLA targets.
    - role: information-security-manager
      responsibility: consulted
      duties: Assesses suppliers' security controls.
    - role: platform-operations-lead
      responsibility: responsible
      duties: Day-to-day operational contact with the hosting supplier.
  activities:
    - id: select-and-contract
      name: Select and contract
      description: Define requirements, evaluate suppliers, agree a contract with measurable targets and exit terms.
      responsible: supplier-manager
    - id: monitor
      name: Monitor performance
      description: Collect monthly performance reports and compare them with contract targets.
      responsible: supplier-manager
    - id: review
      name: Review supplier and contract
      description: Hold reviews at the interval in the supplier record; decide on renewal, changes or exit.
      responsible: supplier-manager
  inputs: [Service requirements, Supplier performance reports, Incident data]
  outputs: [Contracts, Supplier review minutes, Service credit claims]
  records: [Supplier register in this repository, Contracts in the contract register]
  kpis:
    - id: supplier-reviews-on-time
      name: Supplier reviews on time
      measure: Suppliers reviewed within their review interval.
      target: 100%
      frequency: 3mo
  interfaces:
    - process: service-level-management
      description: Supplier targets underpin SLAs and OLAs.
    - process: incident-management
      description: Supplier-caused incidents are tracked against contract targets.
  review_interval: 1y
""")

PROCESS_ORDER = ["incident-management", "change-enablement", "problem-management",
                 "service-level-management", "service-request-management", "supplier-management",
                 "release-management", "service-catalogue-management",
                 "service-continuity-management"]

_ROLE_KEYS = re.compile(
    r"^(\s*(?:- )?(?:\{ )?.*?\b(?:role|responsible|approval_authority|chair|manager|to|approval): )([a-z-]+)")


# ---------------------------------------------------------------------------------------
# Service templates: each group of three services is one "line of business".

SERVICE_TEMPLATES = [
    dict(base="core-banking-platform", title="Core banking platform", owner="platform-operations-lead",
         type="supporting", criticality="critical", classification="restricted",
         description="Accounts, ledgers and customer master data, used by the customer-facing services and back-office staff.",
         long="Holds accounts, balances, postings and customer master data, and offers them to the online banking and payments services through internal APIs and to back-office staff through the operations console.",
         customers=["Banking Operations division (back-office users)", "Digital Channels team (online banking)",
                    "Payments Operations team (payments)"],
         cis=["{p}-core-ledger (core banking application cluster)", "{p}-core-db (primary and standby database)",
              "{p}-integration-bus"],
         measurement="Health endpoint of the core API polled every 30 seconds from both data centres, plus end-of-day batch completion.",
         capacity=["{k},200 postings per second sustained during end-of-day batch",
                   "Storage headroom of at least 30% at all times"],
         offerings=[]),
    dict(base="payments", title="Payments", owner="payments-service-owner",
         type="customer-facing", criticality="critical", classification="confidential",
         description="Domestic, SEPA and card payment processing for customers and internal channels.",
         long="Executes SEPA credit transfers (including instant transfers), direct debits and card authorizations for the bank's customers, whether initiated in branches, online or by card.",
         customers=["Retail banking customers", "Small-business customers",
                    "Branch network (payments entered on behalf of customers)"],
         cis=["{p}-payment-hub (payment orchestration)", "SEPA instant gateway",
              "card authorization switch (operated by the card processor)"],
         measurement="Share of minutes in which the payment hub accepts and settles test transactions, from the hub's own health checks and the scheme gateway logs.",
         capacity=[],
         offerings=[("SEPA credit transfer and instant transfer", None), ("Card authorization", None),
                    ("Payment investigation request", "Trace or recall of a payment, fulfilled by Payments Operations.")]),
    dict(base="online-banking", title="Online banking", owner="digital-channels-owner",
         type="customer-facing", criticality="critical", classification="confidential",
         description="Web and mobile banking for retail and small-business customers.",
         long="Lets customers view balances and statements, make transfers, manage standing orders and cards, and message their adviser, through the web portal and the mobile app.",
         customers=["Retail banking customers (about {k}0,000 active users)",
                    "Small-business customers (about {k},{k}00 active users)"],
         cis=["{p}-web-portal (web front end)", "{p}-mobile-api (API gateway for the mobile app)",
              "{p}-identity (customer login and strong authentication)"],
         measurement="Synthetic login-and-balance transactions from two external probes every minute; a minute counts as unavailable when both probes fail.",
         capacity=["{k}5,000 concurrent sessions at month-end peak",
                   "Login answered within 2 seconds for 95% of attempts at peak"],
         offerings=[("Online banking access", "Web portal and mobile app access with strong customer authentication."),
                    ("Reset of online banking credentials", "Standard request fulfilled through the service desk after identity checks.")]),
]

RECORD_CYCLE = (["service-report"] * 6 + ["improvement"] * 3 + ["nonconformity"] * 2 +
                ["customer-satisfaction"] * 2 + ["continuity-test"] * 2 + ["risk-assessment"] * 2 +
                ["internal-audit", "management-review", "training"])
RECORD_FIRST = ["internal-audit", "management-review", "nonconformity", "improvement", "continuity-test"]
PLAN_CYCLE = ["continuity", "continuity", "continuity", "improvement", "capacity", "availability",
              "information-security", "transition"]
PLAN_FIRST = ["continuity", "improvement"]


# ---------------------------------------------------------------------------------------
# The corpus: first all ids and the reference graph, then the documents' text.

def kind_counts(n):
    extra = n - sum(MINIMUM.values())
    if extra < 0:
        raise SystemExit(f"N must be at least {sum(MINIMUM.values())} (one complete SMS)")
    total = sum(SHARE.values())
    raw = {k: extra * SHARE[k] / total for k in SHARE}
    counts = {k: MINIMUM[k] + int(raw[k]) for k in SHARE}
    rest = n - sum(counts.values())
    for k in sorted(SHARE, key=lambda k: (-(raw[k] - int(raw[k])), k))[:rest]:
        counts[k] += 1
    assert sum(counts.values()) == n
    return counts


class Corpus:
    def __init__(self, n, seed):
        self.n = n
        self.seed = seed
        self.counts = kind_counts(n)
        c = self.counts
        # Roles: role i has base i % 17 in unit i // 17; UR units are complete.
        self.role_units = max(1, c["Role"] // len(ROLE_BASES))
        _UNITS[0] = self.role_units
        self.roles = [with_unit(ROLE_BASES[i % 17], i // 17) for i in range(c["Role"])]
        # Calendars
        self.calendars = []  # (id, type, city index)
        for i in range(c["Calendar"]):
            if i == 0:
                self.calendars.append(("always-on", "always-on", 0))
            elif i == 1:
                self.calendars.append(("business-hours", "business-hours", 0))
            else:
                typ = ["business-hours", "extended-hours", "always-on"][i % 3]
                city = (i // 3) % len(CITIES)
                rep = (i // 3) // len(CITIES)
                cid = f"{typ}-{CITIES[city][0]}" + (f"-{rep + 1}" if rep else "")
                self.calendars.append((cid, typ, city))
        self.cal_by_type = {}
        for cid, typ, _ in self.calendars:
            self.cal_by_type.setdefault(typ, []).append(cid)
        # Services: groups of three (core platform, payments, online banking)
        self.services = []  # dicts: id, group, t, status
        for i in range(c["Service"]):
            g, t = divmod(i, 3)
            status = "live"
            if t == 2 and g > 0:
                if g % 29 == 7:
                    status = "pipeline"
                elif g % 31 == 11:
                    status = "retired"
            self.services.append(dict(id=with_unit(SERVICE_TEMPLATES[t]["base"], g), group=g, t=t,
                                      status=status, index=i))
        self.groups = (c["Service"] + 2) // 3
        self.live = [s for s in self.services if s["status"] == "live"]
        # Suppliers
        self.suppliers = []  # dicts: id, title, kind index
        seen = set()
        for j in range(c["Supplier"]):
            if j == 0:
                sid, title, kind = "altostrata-hosting", "Altostrata Hosting GmbH", 0
            elif j == 1:
                sid, title, kind = "quillfield-payments", "Quillfield Payment Services B.V.", 1
            else:
                r = random.Random(f"{seed}/supplier-name/{j}")
                kind = [0, 1, 0, 1, 2, 3, 4, 5][j % 8]
                name = r.choice(SUPPLIER_PREFIX) + r.choice(SUPPLIER_SUFFIX)
                sid = f"{name.lower()}-{SUPPLIER_KINDS[kind][0]}"
                if sid in seen:
                    sid = f"{sid}-{j}"
                title = f"{name} {SUPPLIER_KINDS[kind][1]} {r.choice(LEGAL)}"
            seen.add(sid)
            self.suppliers.append(dict(id=sid, title=title, kind=kind, index=j))
        self.sup_by_kind = {}
        for s in self.suppliers:
            self.sup_by_kind.setdefault(s["kind"], []).append(s)
        # Processes: template i % 9, unit i // 9
        self.processes = []
        for i in range(c["Process"]):
            base = PROCESS_ORDER[i % 9]
            self.processes.append(dict(id=with_unit(base, i // 9), base=base, unit=i // 9))
        # Plans
        self.plans = []
        for i in range(c["Plan"]):
            typ = PLAN_FIRST[i] if i < len(PLAN_FIRST) else PLAN_CYCLE[(i - len(PLAN_FIRST)) % len(PLAN_CYCLE)]
            self.plans.append(dict(type=typ, index=i))
        self.plans_by_type = {}
        for p in self.plans:
            k = len(self.plans_by_type.setdefault(p["type"], []))
            p["k"] = k
            p["id"] = self._plan_id(p["type"], k)
            self.plans_by_type[p["type"]].append(p)
        # Records
        self.records = []
        for i in range(c["Record"]):
            typ = RECORD_FIRST[i] if i < len(RECORD_FIRST) else RECORD_CYCLE[(i - len(RECORD_FIRST)) % len(RECORD_CYCLE)]
            self.records.append(dict(type=typ, index=i))
        self.records_by_type = {}
        for r in self.records:
            k = len(self.records_by_type.setdefault(r["type"], []))
            r["k"] = k
            self.records_by_type[r["type"]].append(r)
        # Agreements: OLAs for the first groups' core platforms, SLAs for every live service.
        n_agr = c["ServiceLevelAgreement"]
        n_ola = min(self.groups, max(1, n_agr // 5))
        n_sla = n_agr - n_ola
        self.olas = []
        for g in range(n_ola):
            core = self.services[3 * g]
            self.olas.append(dict(id=f"{core['id']}-ola", type="ola", services=[core], group=g))
        self.slas = []
        used = set(o["id"] for o in self.olas)
        L = len(self.live)
        for j in range(n_sla):
            covered = self.live[j::n_sla] or [self.live[j % L]]
            covered = covered[:4]
            sid = f"{covered[0]['id']}-sla"
            if sid in used:
                sid = f"{covered[0]['id']}-sla-{j}"
            used.add(sid)
            self.slas.append(dict(id=sid, type="sla", services=covered, group=covered[0]["group"], index=j))
        # Record ids need agreement ids (service reports) and plan ids (continuity tests).
        for r in self.records:
            r["id"] = self._record_id(r)

    # -- id helpers --------------------------------------------------------------------
    def role(self, base, u):
        """The id of role `base` in unit u (falls back to an existing unit)."""
        b = ROLE_BASES.index(base)
        if len(self.roles) < 17:
            raise SystemExit("too few roles")
        return with_unit(base, u % self.role_units) if b + 17 * (u % self.role_units) < len(self.roles) else base

    def unit_of_group(self, g):
        return g % self.role_units

    def calendar(self, typ, k):
        ids = self.cal_by_type.get(typ) or self.cal_by_type["always-on"]
        return ids[k % len(ids)]

    def supplier_of(self, service):
        """Suppliers a service depends on."""
        g, t = service["group"], service["t"]
        hosting = self.sup_by_kind.get(0, []) + self.sup_by_kind.get(2, [])
        out = []
        if t in (0, 2) and hosting:
            out.append(hosting[g % len(hosting)]["id"])
        if t == 1:
            pay = self.sup_by_kind.get(1) or self.suppliers
            out.append(pay[g % len(pay)]["id"])
        if t == 0 and self.sup_by_kind.get(5) and g % 3 == 0:
            sw = self.sup_by_kind[5]
            out.append(sw[g % len(sw)]["id"])
        if t == 2 and self.sup_by_kind.get(4) and g % 4 == 1:
            sec = self.sup_by_kind[4]
            out.append(sec[g % len(sec)]["id"])
        return list(dict.fromkeys(out)) or [self.suppliers[g % len(self.suppliers)]["id"]]

    def group_services(self, g):
        return [s for s in self.services[3 * g:3 * g + 3]]

    def continuity_plan_for_group(self, g):
        cps = self.plans_by_type["continuity"]
        return cps[g % len(cps)]

    def _plan_id(self, typ, k):
        if typ == "continuity":
            return "core-services-continuity-plan" if k == 0 else f"continuity-plan-{unit_slug(k)}"
        if typ == "improvement":
            return "service-improvement-plan-2026" if k == 0 else f"service-improvement-plan-2026-{unit_slug(k)}"
        return f"{typ}-plan-{unit_slug(k + 1)}"

    def _record_id(self, r):
        typ, k = r["type"], r["k"]
        if typ == "internal-audit":
            return "internal-audit-2026" if k == 0 else f"internal-audit-2026-{k:04d}"
        if typ == "management-review":
            return "management-review-2026-10" if k == 0 else f"management-review-2026-{k:04d}"
        if typ == "nonconformity":
            return "nonconformity-2026-003" if k == 0 else f"nonconformity-2026-{k + 3:04d}"
        if typ == "improvement":
            return "improvement-2026-007" if k == 0 else f"improvement-2026-{k + 7:04d}"
        if typ == "continuity-test":
            return "continuity-test-2026" if k == 0 else f"continuity-test-2026-{k:04d}"
        if typ == "service-report":
            agr = self.all_agreements()[k % len(self.all_agreements())]
            month = 10 - (k // len(self.all_agreements())) % 10
            return f"service-report-{agr['id']}-2026-{month:02d}" + (
                f"-{k}" if k >= 10 * len(self.all_agreements()) else "")
        if typ == "customer-satisfaction":
            return f"customer-satisfaction-2026-{k + 1:04d}"
        if typ == "risk-assessment":
            return f"risk-assessment-2026-{k + 1:04d}"
        if typ == "training":
            return f"training-record-2026-{k + 1:04d}"
        raise AssertionError(typ)

    def all_agreements(self):
        return self.slas + self.olas

    def record_of(self, typ, k):
        lst = self.records_by_type.get(typ)
        return lst[k % len(lst)]["id"] if lst else None

    # -- document generation -------------------------------------------------------------
    def documents(self):
        """Yield (relative path, text, kind) for every document."""
        for i in range(self.counts["Policy"]):
            yield self.policy(i)
        for i, p in enumerate(self.processes):
            yield self.process(p)
        for cal in self.calendars:
            yield self.calendar_doc(cal)
        for i in range(self.counts["Role"]):
            yield self.role_doc(i)
        for s in self.services:
            yield self.service(s)
        for a in self.olas + self.slas:
            yield self.agreement(a)
        for s in self.suppliers:
            yield self.supplier(s)
        for p in self.plans:
            yield self.plan(p)
        for r in self.records:
            yield self.record(r)

    def rng(self, *key):
        return random.Random("/".join([self.seed] + [str(k) for k in key]))

    def meta(self, kind, mid, title, owner, approver, r, description=None, status="approved",
             approved_range=(D(2026, 1, 5), D(2026, 10, 30)), labels=None):
        lines = ["apiVersion: evident/v1", f"kind: {kind}", "metadata:", f"  id: {mid}",
                 f"  title: {q(title)}"]
        if description:
            lines.append(f"  description: {q(description)}")
        lines += [f"  owner: {owner}", f"  version: {version(r)}", f"  status: {status}"]
        approved_on = rdate(r, *approved_range)
        if status == "approved":
            lines += [f"  approved_by: {approver}", f"  approved_on: {date(approved_on)}"]
        lines.append(f"  last_reviewed: {date(rdate(r, approved_on, D(2026, 11, 20)))}")
        if labels:
            lines.append("  labels: { " + ", ".join(f"{k}: {qf(v)}" for k, v in labels.items()) + " }")
        lines.append("spec:")
        return lines

    # Policy ------------------------------------------------------------------------------
    def policy(self, i):
        r = self.rng("policy", i)
        u = i
        R = lambda b: self.role(b, u)
        pid = "sms-policy" if i == 0 else f"sms-policy-{unit_slug(i)}"
        org = f"Northwind {unit_name(i)}" if unit_name(i) else "Northwind Digital Bank"
        groups = [g for g in range(i, self.groups, self.counts["Policy"])][:2] or [0]
        services = [s["id"] for g in groups for s in self.group_services(g) if s["status"] != "retired"]
        city = CITIES[i % len(CITIES)][1]
        lines = self.meta("Policy", pid, f"Service management policy of {org}", R("head-of-service-management"),
                          R("chief-operating-officer"), r,
                          description="Top management's commitment, the scope of the service management system and its objectives.",
                          labels={"organization": pid.replace("sms-policy", "northwind") if i else "northwind-digital-bank"})
        lines += folded("statement", f"{org} runs its IT services so that customers can bank safely at any hour. Top management commits to meeting the service requirements agreed with customers and regulators, to planning and operating services through the service management system, to providing the resources it needs, and to improving services and the system continually on the basis of measured results.", 2)
        lines += ["  scope:"]
        lines += folded("description", f"The design, transition, delivery and improvement of the services listed below, provided from {city} to retail and small-business customers and to internal business units.", 4)
        lines += [f"    services: {flow_list(services)}"]
        lines += block_list("locations", [f"{city} head office and operations centre",
                                          "Primary and secondary data centres (supplier-operated)"], 4)
        lines += block_list("organizational_units", ["IT Service Management", "Platform Operations",
                                                     "Digital Channels", "Payments Operations"], 4)
        avail = r.choice(["99.9", "99.95", "99.8"])
        sat = r.choice([80, 82, 85, 88])
        lines += ["  objectives:",
                  "    - id: obj-availability",
                  "      description: Keep the customer-facing services available within their agreed targets.",
                  "      measure: Monthly availability of online banking and payments as reported in service reports.",
                  f"      target: \">= {avail}% every month\"",
                  f"      due: {date(rdate(r, D(2027, 6, 30), D(2027, 12, 31)))}",
                  f"      owner: {R('head-of-service-management')}",
                  "    - id: obj-satisfaction",
                  "      description: Keep customers satisfied with the digital services.",
                  "      measure: Share of satisfied respondents in the half-yearly customer survey.",
                  f"      target: \">= {sat}%\"",
                  f"      due: {date(rdate(r, D(2027, 3, 31), D(2027, 9, 30)))}",
                  f"      owner: {R('service-level-manager')}",
                  "    - id: obj-nonconformities",
                  "      description: Correct audit nonconformities on time.",
                  "      measure: Share of corrective actions completed by their due date.",
                  "      target: 100",
                  f"      due: {date(rdate(r, D(2027, 6, 30), D(2027, 12, 31)))}",
                  f"      owner: {R('head-of-service-management')}"]
        lines += ["  interested_parties:",
                  "    - party: Retail and small-business customers",
                  "      needs:",
                  "        - Online banking and payments available around the clock.",
                  "        - Timely information when a service is disrupted.",
                  "    - party: Banking supervisor",
                  "      needs:",
                  "        - Operational resilience of critical services, including outsourced ones."]
        lines += ["  context:",
                  "    internal_issues:",
                  "      - Small platform team with key-person dependencies for the core banking platform.",
                  "    external_issues:",
                  "      - Stricter regulation of ICT risk and third-party providers in the EU financial sector.",
                  "      - Customer expectation of instant payments at any hour."]
        lines += ["  risks:",
                  "    - id: risk-supplier-concentration",
                  "      description: Both data centres are operated by one hosting supplier; its failure would affect all services.",
                  f"      likelihood: {r.choice(['low', 'medium'])}",
                  "      impact: high",
                  "      treatment: Reduce — contractual exit plan, yearly failover test, evaluation of a second provider.",
                  f"      owner: {R('supplier-manager')}",
                  "    - id: risk-cyber-attack",
                  "      description: A destructive cyber attack makes the services and their data unavailable.",
                  f"      likelihood: {r.choice(['low', 'medium'])}",
                  "      impact: high",
                  "      treatment: Reduce — immutable backups, clean-room recovery in the continuity plan, security monitoring.",
                  f"      owner: {R('information-security-manager')}"]
        lines += ["  communication:",
                  "    audience: [All staff of the units in scope, Suppliers that contribute to the services]",
                  "    method: Published on the intranet and covered in onboarding and in the yearly SMS awareness training.",
                  "  review_interval: 1y"]
        return self._doc("Policy", f"{pid}.yaml", lines)

    # Process -----------------------------------------------------------------------------
    def process(self, p):
        r = self.rng("process", p["id"])
        u = p["unit"]
        t = PROCESS_TEMPLATES[p["base"]]
        title = title_with_unit(t["title"], u)
        lines = self.meta("Process", p["id"], title, self.role(t["owner"], u),
                          self.role("head-of-service-management", u), r, description=t["description"],
                          approved_range=(D(2026, 1, 5), D(2026, 9, 30)))
        scope = f"the {unit_name(u)} unit" if unit_name(u) else "Northwind Digital Bank"
        values = dict(unit_scope=scope, kpi_a=r.choice([90, 92, 95]), kpi_b=r.choice([95, 97, 98]),
                      kpi_c=r.choice([2, 3, 5]), kpi_d=r.choice([95, 97, 98]),
                      update_interval=r.choice(["30m", "1h"]), lead_time=r.choice(["3d", "5d"]))
        spec = re.sub(r"\{([a-z_]+)\}", lambda m: str(values[m.group(1)]), t["spec"])

        def map_roles(m):
            v = m.group(2)
            return m.group(1) + (self.role(v, u) if v in ROLES else v)

        out = []
        for line in spec.splitlines():
            if "members: [" in line:
                pre, rest = line.split("[", 1)
                ids = [x.strip() for x in rest.rstrip("]").split(",")]
                line = pre + "[" + ", ".join(self.role(x, u) for x in ids) + "]"
            elif "to: " in line and line.strip().startswith("- {"):
                line = re.sub(r"to: ([a-z-]+)", lambda m: "to: " + self.role(m.group(1), u), line)
            elif "approval: " in line and line.strip().startswith("- {"):
                line = re.sub(r"approval: ([a-z-]+)", lambda m: "approval: " + self.role(m.group(1), u), line)
            else:
                line = _ROLE_KEYS.sub(map_roles, line)
            out.append(line)
        lines += out
        return self._doc("Process", f"{p['id']}.yaml", lines)

    # Calendar ----------------------------------------------------------------------------
    def calendar_doc(self, cal):
        cid, typ, city = cal
        r = self.rng("calendar", cid)
        _, cname, tz = CITIES[city]
        titles = {"always-on": "Around the clock (24x7)", "business-hours": f"Business hours, {cname}",
                  "extended-hours": f"Extended support hours, {cname}"}
        descs = {"always-on": "Every hour of every day; used for service hours of the digital services and for critical support.",
                 "business-hours": f"Weekday office hours of the {cname} operations centre, excluding public holidays.",
                 "extended-hours": f"Extended weekday and Saturday support hours of the {cname} service desk."}
        title = titles[typ] if cid != "always-on" or typ != "always-on" else titles[typ]
        if typ == "always-on" and cid != "always-on":
            title = f"Around the clock (24x7), {cname}"
        lines = self.meta("Calendar", cid, title, self.role("service-level-manager", city),
                          self.role("head-of-service-management", city), r, description=descs[typ])
        lines += [f"  timezone: {tz}", "  working_hours:"]
        days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
        if typ == "always-on":
            for d in days:
                lines.append(f"    {d}: [{{ from: \"00:00\", to: \"24:00\" }}]")
            w = r.choice(["sunday", "saturday"])
            s = r.choice([1, 2, 3])
            lines += ["  maintenance_windows:", f"    - {{ day: {w}, from: \"{s:02d}:00\", to: \"{s + 2:02d}:00\" }}"]
        else:
            start = r.choice([7, 8, 8, 9]) if typ == "business-hours" else r.choice([6, 7])
            end = r.choice([17, 18, 18]) if typ == "business-hours" else r.choice([20, 21, 22])
            for d in days[:5]:
                e = end - 1 if (d == "friday" and typ == "business-hours" and r.random() < 0.5) else end
                lines.append(f"    {d}: [{{ from: \"{start:02d}:00\", to: \"{e:02d}:00\" }}]")
            if typ == "extended-hours":
                lines.append(f"    saturday: [{{ from: \"{start + 2:02d}:00\", to: \"16:00\" }}]")
            hol = [(D(2026, 12, 24), "Christmas Eve (bank closed)"), (D(2026, 12, 25), "Christmas Day"),
                   (D(2026, 12, 26), "Second Day of Christmas"), (D(2026, 12, 31), "New Year's Eve (bank closed)"),
                   (D(2027, 1, 1), "New Year's Day"), (D(2027, 3, 26), "Good Friday"),
                   (D(2027, 3, 29), "Easter Monday"), (D(2027, 5, 1), "Labour Day"),
                   (D(2027, 5, 6), "Ascension Day"), (D(2027, 5, 17), "Whit Monday"),
                   (D(2027, 10, 3), "National Day"), (D(2027, 12, 24), "Christmas Eve (bank closed)"),
                   (D(2027, 12, 25), "Christmas Day"), (D(2027, 12, 26), "Second Day of Christmas")]
            keep = [h for h in hol if r.random() < 0.8]
            lines.append("  holidays:")
            for d, name in keep:
                lines.append(f"    - {{ date: {date(d)}, name: {qf(name)} }}")
        return self._doc("Calendar", f"{cid}.yaml", lines)

    # Role --------------------------------------------------------------------------------
    def role_doc(self, i):
        base, u = ROLE_BASES[i % 17], i // 17
        t = ROLES[base]
        r = self.rng("role", i)
        rid = self.roles[i]
        owner = self.role(t.get("owner", "head-of-service-management"), u)
        approver = self.role(t.get("approver", "chief-operating-officer"), u)
        lines = self.meta("Role", rid, title_with_unit(t["title"], u), owner, approver, r,
                          approved_range=(D(2026, 3, 1), D(2026, 10, 15)))
        lines.append(f"  description: {q(t['description'])}")
        if t.get("top_management"):
            lines.append("  top_management: true")
        else:
            lines.append(f"  reports_to: {self.role(t.get('reports_to', 'head-of-service-management'), u)}")
        if t.get("deputy"):
            lines.append(f"  deputy: {self.role(t['deputy'], u)}")
        lines += block_list("responsibilities", t["responsibilities"], 2)
        lines += block_list("authorities", t["authorities"], 2)
        lines.append("  competence:")
        for req, ev in t["competence"]:
            lines += [f"    - requirement: {q(req)}", f"      evidence: {q(ev)}"]
        city = CITIES[u % len(CITIES)][1]
        holders = [h.format(n=r.randint(6, 24), city=city) for h in t["holders"]]
        if unit_name(u):
            holders = [f"{h} — {unit_name(u)}" for h in holders]
        lines += block_list("holders", holders, 2)
        return self._doc("Role", f"{rid}.yaml", lines)

    # Service -----------------------------------------------------------------------------
    def service(self, s):
        g, t = s["group"], s["t"]
        u = self.unit_of_group(g)
        tpl = SERVICE_TEMPLATES[t]
        r = self.rng("service", s["id"])
        k = r.randint(1, 9)
        prefix = "nw" + ("".join(w[0] for w in unit_slug(g).split("-") if w and not w.isdigit()) or "b") + (
            str(g // self.role_units + 1) if g >= self.role_units else "")
        status = s["status"]
        mstatus = "draft" if status == "pipeline" else "approved"
        owner = self.role(tpl["owner"], u)
        lines = self.meta("Service", s["id"], title_with_unit(tpl["title"], g), owner,
                          self.role("head-of-service-management", u), r, description=tpl["description"],
                          status=mstatus)
        lines += folded("description", tpl["long"], 2)
        lines += [f"  status: {status}", f"  type: {tpl['type']}", f"  service_owner: {owner}"]
        lines += block_list("customers", [c.format(k=k) for c in tpl["customers"]], 2)
        crit = tpl["criticality"] if g % 5 else r.choice(["critical", "high"])
        lines += [f"  criticality: {crit}", f"  information_classification: {tpl['classification']}"]
        lines += ["  hours:", f"    service: {self.calendar('always-on', g)}",
                  f"    support: {self.calendar('always-on' if t != 2 or g % 2 == 0 else 'extended-hours', g)}"]
        lines.append("  dependencies:")
        if t > 0:
            deps = [x["id"] for x in self.services[3 * g:3 * g + t]]
            lines.append(f"    services: {flow_list(deps)}")
        lines.append(f"    suppliers: {flow_list(self.supplier_of(s))}")
        lines += block_list("configuration_items", [c.format(p=prefix) for c in tpl["cis"]], 4)
        target = {0: r.choice([99.95, 99.95, 99.9]), 1: r.choice([99.9, 99.95]), 2: r.choice([99.9, 99.8, 99.9])}[t]
        lines += ["  availability:", f"    target: {target}"]
        lines += folded("measurement", tpl["measurement"], 4)
        rto, rpo = {0: ("2h", "5m"), 1: ("2h", "0m"), 2: ("4h", "15m")}[t]
        lines += ["  continuity:", f"    rto: {rto}", f"    rpo: {rpo}",
                  f"    plan: {self.continuity_plan_for_group(g)['id']}"]
        if tpl["capacity"]:
            lines += ["  capacity:"]
            lines += block_list("requirements", [c.format(k=k) for c in tpl["capacity"]], 4)
            caps = self.plans_by_type.get("capacity")
            if caps and g % 2 == 0:
                lines.append(f"    plan: {caps[g % len(caps)]['id']}")
        if tpl["offerings"]:
            lines.append("  offerings:")
            for name, desc in tpl["offerings"]:
                lines.append(f"    - name: {q(name)}")
                if desc:
                    lines.append(f"      description: {q(desc)}")
        return self._doc("Service", f"{s['id']}.yaml", lines)

    # ServiceLevelAgreement -----------------------------------------------------------------
    def agreement(self, a):
        r = self.rng("agreement", a["id"])
        g = a["group"]
        u = self.unit_of_group(g)
        svc = a["services"]
        first = SERVICE_TEMPLATES[svc[0]["t"]]
        is_ola = a["type"] == "ola"
        name = title_with_unit(first["title"], g)
        if len(svc) > 1:
            name += f" and {len(svc) - 1} related service" + ("s" if len(svc) > 2 else "")
        title = f"{name} {'operational' if is_ola else 'service'} level agreement"
        if is_ola:
            desc = f"What Platform Operations commits to the teams that run the services built on the {name[0].lower() + name[1:]}."
            customer = "Digital Channels team and Payments Operations team"
            provider = self.role("platform-operations-lead", u)
        else:
            desc = f"Service levels agreed between IT Service Management and the business for {name[0].lower() + name[1:]}."
            customer = r.choice(["Retail Banking division", "Retail and Business Banking divisions",
                                 "Banking Operations division", "Small-business banking division"])
            if unit_name(g):
                customer += f", {unit_name(g)}"
            provider = self.role("service-level-manager", u)
        lines = self.meta("ServiceLevelAgreement", a["id"], title, self.role("service-level-manager", u),
                          self.role("head-of-service-management", u), r, description=desc)
        frm = rdate(r, D(2025, 6, 1), D(2026, 6, 1)).replace(day=1)
        validity = f"{{ from: {date(frm)} }}" if r.random() < 0.3 else \
            f"{{ from: {date(frm)}, to: {date(D(r.choice([2027, 2027, 2028]), 12, 31))} }}"
        interval = r.choice(["6mo", "6mo", "1y"])
        last = rdate(r, D(2026, 6, 1), D(2026, 11, 16))
        cal = self.calendar("always-on" if (svc[0]["t"] != 0 or is_ola or g % 3) else "business-hours", g)
        lines += [f"  type: {a['type']}", f"  services: {flow_list([s['id'] for s in svc])}",
                  f"  customer: {q(customer)}", f"  provider: {provider}",
                  f"  validity: {validity}", f"  review: {{ interval: {interval}, last: {date(last)} }}",
                  f"  calendar: {cal}", "  targets:"]
        if is_ola:
            avail = 99.95
            pri = [("P1", "15m", "2h"), ("P2", "30m", "4h"), ("P3", "2h", "1d"), ("P4", "8h", "3d")]
        else:
            avail = r.choice([99.5, 99.8, 99.9, 99.9])
            pri = [("P1", r.choice(["15m", "30m"]), r.choice(["4h", "6h", "8h"])),
                   ("P2", r.choice(["30m", "1h"]), r.choice(["8h", "12h", "1d"])),
                   ("P3", r.choice(["2h", "4h"]), r.choice(["2d", "3d", "5d"])),
                   ("P4", r.choice(["8h", "1d"]), r.choice(["5d", "10d", "15d"]))]
        lines += [f"    availability: {avail}", "    priorities:"]
        for p, resp, res in pri:
            lines.append(f"      - {{ priority: {p}, response: {resp}, resolution: {res} }}")
        if not is_ola:
            lines.append(f"    request_fulfilment: {r.choice(['1d', '2d', '3d'])}")
            if r.random() < 0.4:
                lines.append(f"    customer_satisfaction: {r.choice([80, 85, 90])}")
            if r.random() < 0.5:
                lines += block_list("exceptions", [
                    "Announced maintenance in the maintenance window of the service calendar, at most twice a month.",
                    "Outages of customers' own devices, networks or app stores."], 2)
        lines += ["  responsibilities:", "    provider:",
                  "      - Monitor the service around the clock and publish incidents on the status page.",
                  "      - Announce planned maintenance at least five working days ahead.",
                  "    customer:",
                  "      - Name a business contact for major incidents and service reviews."]
        lines += ["  measurement:"]
        lines += folded("method", "Availability is measured over each calendar month against the agreement's calendar, less the agreed exceptions. Response and resolution times are measured from ticket timestamps.", 4)
        lines += ["    source: Synthetic monitoring platform and the ITSM tool."]
        recipients = [self.role(svc[0] and SERVICE_TEMPLATES[svc[0]["t"]]["owner"], u),
                      self.role("head-of-service-management", u)]
        lines += ["  reporting:", "    frequency: 1mo", f"    recipients: {flow_list(list(dict.fromkeys(recipients)))}"]
        under_agr = []
        if not is_ola:
            for s in svc:
                if s["t"] != 0 and s["group"] < len(self.olas):
                    under_agr.append(self.olas[s["group"]]["id"])
        sups = []
        for s in svc:
            sups += self.supplier_of(s)
        lines.append("  underpinned_by:")
        if under_agr:
            lines.append(f"    agreements: {flow_list(list(dict.fromkeys(under_agr)))}")
        lines.append(f"    suppliers: {flow_list(list(dict.fromkeys(sups))[:3])}")
        return self._doc("ServiceLevelAgreement", f"{a['id']}.yaml", lines)

    # Supplier ----------------------------------------------------------------------------
    def supplier(self, s):
        r = self.rng("supplier", s["id"])
        j = s["index"]
        u = j % self.role_units
        kind = SUPPLIER_KINDS[s["kind"]]
        supported = [x["id"] for x in self.services if s["id"] in self.supplier_of(x)][:4]
        lines = self.meta("Supplier", s["id"], s["title"], self.role("supplier-manager", u),
                          self.role("head-of-service-management", u), r,
                          description=f"{kind[2]} for the bank's services.")
        typ = "internal" if j % 11 == 10 else "external"
        lines.append(f"  type: {typ}")
        lines += folded("description", f"{kind[2]}: provides the capacity, operation and 24x7 support that the supported services rely on, under a contract with measurable targets and exit terms.", 2)
        lines += [f"  manager: {self.role('supplier-manager', u)}",
                  f"  criticality: {r.choice(['critical', 'critical', 'high', 'medium'])}"]
        start = rdate(r, D(2023, 1, 1), D(2026, 6, 30)).replace(day=1)
        end = D(r.choice([2027, 2028, 2029]), r.choice([3, 6, 9, 12]), 1) - dt.timedelta(days=1)
        cid = f"PRC-{start.year}-{j + 1:05d}"
        lines += ["  contract:", f"    id: {cid}", f"    start: {date(start)}", f"    end: {date(end)}",
                  f"    notice_period: {r.choice(['3mo', '6mo', '12mo'])}",
                  f"    location: Contract register, Procurement SharePoint, folder {cid}"]
        if supported:
            lines.append(f"  services_supported: {flow_list(supported)}")
        lines += ["  targets:", f"    availability: {r.choice([99.95, 99.99])}", "    priorities:"]
        for p, resp, res in [("P1", "15m", "1h"), ("P2", "30m", "4h"), ("P3", "2h", "1d"), ("P4", "8h", "3d")]:
            lines.append(f"      - {{ priority: {p}, response: {resp}, resolution: {res} }}")
        interval = r.choice(["3mo", "6mo"])
        last = rdate(r, D(2026, 8, 25), D(2026, 11, 16))
        lines += ["  review:", f"    interval: {interval}", f"    last: {date(last)}"]
        dom = s["id"].split("-")[0]
        lines += ["  contact:", f"    name: {q(s['title'].split(' ')[0] + ' customer operations centre')}",
                  f"    email: noc@{dom}.example", f"    phone: \"+49 69 {r.randint(1000, 9999)} {r.randint(1000, 9999)}\"",
                  f"    url: https://portal.{dom}.example"]
        return self._doc("Supplier", f"{s['id']}.yaml", lines)

    # Plan --------------------------------------------------------------------------------
    def plan(self, p):
        r = self.rng("plan", p["id"])
        typ, k = p["type"], p["k"]
        u = (k if typ in ("continuity", "improvement") else k + 1) % self.role_units
        R = lambda b: self.role(b, u)
        if typ == "continuity":
            groups = list(range(k, self.groups, len(self.plans_by_type["continuity"])))[:2] or [0]
            services = [s["id"] for g in groups for s in self.group_services(g)]
            lines = self.meta("Plan", p["id"], title_with_unit("Service continuity plan for core banking, payments and online banking", k),
                              R("continuity-manager"), R("head-of-service-management"), r,
                              description="How the live services are recovered in the secondary data centre after a major disruption.",
                              approved_range=(D(2026, 3, 1), D(2026, 10, 30)))
            tests = self.records_by_type.get("continuity-test", [])
            test_date = rdate(r, D(2026, 1, 10), D(2026, 11, 7))
            lines.append("  type: continuity")
            lines += folded("scope", "Recovery of the core banking platform, payments and online banking after loss of the primary data centre, loss of a critical supplier or a destructive cyber attack.", 2)
            lines += [f"  services: {flow_list(services)}", "  interval: 1y", "  last_test:",
                      f"    date: {date(test_date)}", f"    outcome: {r.choice(['passed', 'passed', 'partial'])}"]
            if tests:
                lines.append(f"    record: {tests[k % len(tests)]['id']}")
            lines += [f"  last_review: {date(rdate(r, test_date, D(2026, 11, 18)))}"]
            lines += block_list("objectives", [
                "Restore the core banking platform within 2 hours with no more than 5 minutes of data loss.",
                "Restore payments within 2 hours with no loss of accepted payment orders.",
                "Restore online banking within 4 hours with no more than 15 minutes of data loss."], 2)
            lines += ["  invocation:"]
            lines += block_list("criteria", [
                "Primary data centre unavailable, or expected to be, for more than 30 minutes.",
                "Loss of the card processor or scheme gateway for more than 1 hour."], 4)
            lines += [f"    authority: {R('continuity-manager')}"]
            lines += ["  scenarios:",
                      "    - name: Loss of the primary data centre",
                      "      response: Fail the platform over to the secondary site using the documented runbook RB-DR-01.",
                      "    - name: Destructive cyber attack",
                      "      response: Isolate affected systems, restore from immutable backups in the clean-room environment, then fail back."]
            rel = [("Process", self.processes[8]["id"] if len(self.processes) > 8 else "service-continuity-management")]
            if tests:
                rel.append(("Record", tests[k % len(tests)]["id"]))
            lines.append("  related:")
            lines += [f"    - {{ kind: {kd}, id: {i} }}" for kd, i in rel]
            return self._doc("Plan", f"{p['id']}.yaml", lines)

        titles = {"improvement": "Service improvement plan 2026/27", "capacity": "Capacity plan 2027",
                  "availability": "Availability plan 2027", "information-security": "Information security plan 2027",
                  "transition": "Transition plan for the payments hub upgrade"}
        descs = {"improvement": "The improvements the bank has decided to make to its services and its service management system.",
                 "capacity": "Forecast demand and the capacity to be provided for the services over the next year.",
                 "availability": "How the availability targets of the services will be met and improved.",
                 "information-security": "Information security measures for the services and their suppliers.",
                 "transition": "How the new payments hub release is moved into the live environment."}
        owners = {"improvement": "head-of-service-management", "capacity": "platform-operations-lead",
                  "availability": "platform-operations-lead", "information-security": "information-security-manager",
                  "transition": "release-manager"}
        kk = k if typ == "improvement" else k + 1
        status = "draft" if (typ == "transition" and k % 3 == 2) else "approved"
        lines = self.meta("Plan", p["id"], title_with_unit(titles[typ], kk), R(owners[typ]),
                          R("chief-operating-officer" if typ == "improvement" else "head-of-service-management"), r,
                          description=descs[typ], status=status)
        g = kk % self.groups
        services = [s["id"] for s in self.group_services(g) if s["status"] != "retired"]
        scope = {"improvement": "All services and processes in the scope of the service management system.",
                 "capacity": "Compute, storage and network capacity of the services listed, including month-end and year-end peaks.",
                 "availability": "Availability design, monitoring and improvement of the services listed.",
                 "information-security": "Security controls protecting the services listed and the data they process.",
                 "transition": "Build, test, deployment and early life support of the payments hub release 5.0."}[typ]
        lines += [f"  type: {typ}", f"  scope: {q(scope)}", f"  services: {flow_list(services)}",
                  f"  interval: {r.choice(['3mo', '6mo'] if typ == 'improvement' else ['6mo', '1y'])}",
                  f"  last_review: {date(rdate(r, D(2026, 8, 1), D(2026, 11, 18)))}"]
        objectives = {
            "improvement": ["Cut the number of P1 and P2 incidents on online banking by 20% by the end of 2027.",
                            "Raise first-contact resolution at the service desk to 70%.",
                            "Close every audit nonconformity by its agreed due date."],
            "capacity": ["Keep peak utilization of the core platform below 70%.",
                         "Forecast month-end demand three months ahead."],
            "availability": ["Remove single points of failure in the login chain.",
                             "Meet the availability targets of all SLAs every month."],
            "information-security": ["Patch critical vulnerabilities within 72 hours.",
                                     "Complete the yearly penetration test of online banking."],
            "transition": ["Deploy the new payments hub release without customer-visible downtime.",
                           "Hand over operations documentation and known errors before go-live."]}[typ]
        lines += block_list("objectives", objectives, 2)
        lines.append("  actions:")
        action_texts = [
            ("Publish major incident updates automatically on the customer status page.", "service-desk-manager"),
            ("Extend the knowledge base with the 30 most frequent credential and login issues.", "service-desk-manager"),
            ("Introduce capacity forecasts for month-end peaks of online banking.", "platform-operations-lead"),
            ("Add supplier performance data to the monthly service reports.", "supplier-manager"),
            ("Run a failover drill of the login chain in the pre-production environment.", "platform-operations-lead"),
        ]
        prefix = {"improvement": "sip", "capacity": "cap", "availability": "av", "information-security": "sec",
                  "transition": "tr"}[typ]
        for n in range(r.randint(2, 4)):
            text, owner = action_texts[(n + k) % len(action_texts)]
            lines += self._action(r, f"{prefix}-{n + 1:02d}", text, R(owner), 4)
        rel = []
        mr = self.record_of("management-review", k)
        if mr:
            rel.append(("Record", mr))
        if typ == "improvement":
            imp = self.record_of("improvement", k)
            if imp:
                rel.append(("Record", imp))
            rel.append(("Process", "service-level-management"))
        lines.append("  related:")
        lines += [f"    - {{ kind: {kd}, id: {i} }}" for kd, i in rel]
        return self._doc("Plan", f"{p['id']}.yaml", lines)

    def _action(self, r, aid, text, owner, indent, nonconformity=False):
        pad = " " * indent
        status = r.choice(["open", "in-progress", "in-progress", "done"])
        lines = [f"{pad}- id: {aid}", f"{pad}  description: {q(text)}", f"{pad}  owner: {owner}"]
        if status == "done":
            due = rdate(r, D(2026, 7, 1), D(2026, 12, 31))
            completed = rdate(r, D(2026, 6, 1), min(due, D(2026, 11, 20)))
            lines += [f"{pad}  due: {date(due)}", f"{pad}  status: done", f"{pad}  completed: {date(completed)}"]
        else:
            due = rdate(r, D(2026, 12, 1), D(2027, 6, 30))
            lines += [f"{pad}  due: {date(due)}", f"{pad}  status: {status}"]
        return lines

    # Record ------------------------------------------------------------------------------
    def record(self, rec):
        typ, k = rec["type"], rec["k"]
        r = self.rng("record", rec["id"])
        u = k % self.role_units
        R = lambda b: self.role(b, u)
        lines = None
        attachments = []
        related = []
        when = rdate(r, D(2026, 1, 15), D(2026, 11, 10))
        unit = f" ({unit_name(u)})" if unit_name(u) else ""

        def head(title, owner, approver=None, approved_days=(3, 10)):
            approved = when + dt.timedelta(days=r.randint(*approved_days))
            approved = min(approved, D(2026, 11, 20))
            ls = ["apiVersion: evident/v1", "kind: Record", "metadata:", f"  id: {rec['id']}",
                  f"  title: {q(title)}", f"  owner: {owner}", f"  version: 1.{r.randint(0, 2)}.0",
                  "  status: approved", f"  approved_by: {approver or R('head-of-service-management')}",
                  f"  approved_on: {date(approved)}",
                  f"  last_reviewed: {date(rdate(r, approved, D(2026, 11, 20)))}", "spec:",
                  f"  type: {typ}", f"  date: {date(when)}"]
            return ls

        if typ == "internal-audit":
            lines = head(f"Internal audit of the SMS{unit}, {when.strftime('%B %Y')}", R("internal-auditor"))
            lines.append(f"  period: {{ from: {date(when - dt.timedelta(days=2))}, to: {date(when)} }}")
            lines += folded("scope", "Change enablement, incident management, service level management and supplier management for the services in scope; clauses 8.2, 8.3 and 8.5 of the audit programme 2026.", 2)
            lines += block_list("participants", [R("internal-auditor"), R("change-manager"), R("service-desk-manager"),
                                                 R("service-level-manager")], 2)
            lines += folded("summary", "Processes were found to be defined and largely followed; records were complete for the samples taken, with one exception in change enablement.", 2)
            lines.append("  outcome: SMS conforms with one minor nonconformity and one opportunity for improvement.")
            nc = self.record_of("nonconformity", k)
            lines += ["  findings:", "    - id: f1", "      classification: minor-nonconformity", "      clause: \"8.5.1\"",
                      f"      description: {q(f'{r.randint(2, 4)} of {r.randint(6, 10)} sampled emergency changes had no post-implementation review within 5 days.')}"]
            if nc:
                lines.append(f"      record: {nc}")
            lines += ["    - id: f2", "      classification: opportunity-for-improvement", "      clause: \"8.6.1\"",
                      "      description: Major incident status updates to customers are posted by hand and were late twice in the sample.",
                      "    - SLA review records for all services sampled were complete and current."]
            attachments.append(f"policies/records/attachments/{rec['id']}.md")
            if nc:
                related.append(("Record", nc))
            related.append(("Process", "change-enablement"))
        elif typ == "management-review":
            lines = head(f"Management review of the SMS{unit}, {when.strftime('%B %Y')}", R("head-of-service-management"),
                         approver=R("chief-operating-officer"))
            lines.append(f"  period: {{ from: {date(add_months(when, -6).replace(day=1))}, to: {date(when.replace(day=1) - dt.timedelta(days=1))} }}")
            lines += block_list("participants", [R("chief-operating-officer"), R("head-of-service-management"),
                                                 R("service-level-manager"), R("platform-operations-lead")], 2)
            lines += folded("summary", "Half-yearly review of the service management system covering policy and objectives, service performance against SLAs, supplier performance, audit results, nonconformities, customer satisfaction, risks and the improvement plan.", 2)
            lines += folded("outcome", "The SMS remains suitable and effective. Service levels were met for all services except one missed P2 resolution target. The improvement plan was updated.", 2)
            lines += ["  measures:",
                      f"    - {{ name: Online banking availability (6 months), value: {round(r.uniform(99.85, 99.99), 2)}, target: 99.9 }}",
                      f"    - {{ name: Payments availability (6 months), value: {round(r.uniform(99.85, 99.99), 2)}, target: 99.9 }}",
                      f"    - {{ name: Customer satisfaction, value: {r.randint(80, 92)}, target: 85 }}"]
            lines += block_list("findings", ["The policy and SMS scope remain appropriate; no change needed.",
                                             "One minor nonconformity from the internal audit is being corrected."], 2)
            lines.append("  actions:")
            lines += self._action(r, f"mr-{k}-a1", "Fund and deliver automated status page updates for major incidents.", R("service-desk-manager"), 4)
            lines += self._action(r, f"mr-{k}-a2", "Review the payments SLA P2 target with the payments service owner.", R("service-level-manager"), 4)
            attachments.append(f"policies/records/attachments/{rec['id']}-minutes.md")
            pol = k % self.counts["Policy"]
            related.append(("Policy", "sms-policy" if pol == 0 else f"sms-policy-{unit_slug(pol)}"))
            imp = self.plans_by_type.get("improvement")
            if imp:
                related.append(("Plan", imp[k % len(imp)]["id"]))
            ia = self.record_of("internal-audit", k)
            if ia:
                related.append(("Record", ia))
        elif typ == "nonconformity":
            lines = head("Emergency changes without post-implementation review" + unit, R("change-manager"))
            lines += folded("summary", f"Internal audit finding f1: sampled emergency changes (CHG-26-{r.randint(100, 999):04d}, CHG-26-{r.randint(100, 999):04d}) had no post-implementation review within 5 days, as the change enablement process requires.", 2)
            lines.append(f"  status: {r.choice(['open', 'in-progress', 'in-progress'])}")
            lines.append("  correction: Reviews of the changes were held; no further issues were found.")
            lines += folded("root_cause", "The ITSM tool does not create a review task when an emergency change is closed, and emergency changes made out of hours were not handed over to the change manager.", 2)
            lines += block_list("findings", ["Reviews depended on the change manager remembering them."], 2)
            lines.append("  actions:")
            lines += self._action(r, f"nc-{k}-a1", "Configure the ITSM tool to create a review task, due in 5 days, when an emergency change is closed.", R("change-manager"), 4)
            lines += self._action(r, f"nc-{k}-a2", "Add the emergency change handover to the on-call shift checklist.", R("major-incident-manager"), 4)
            lines += self._action(r, f"nc-{k}-a3", "Re-audit a sample of emergency changes to verify the actions are effective.", R("internal-auditor"), 4)
            ia = self.record_of("internal-audit", k)
            if ia:
                related.append(("Record", ia))
            related.append(("Process", "change-enablement"))
        elif typ == "improvement":
            topics = ["automated major incident updates on the status page", "self-service password reset in the mobile app",
                      "capacity forecasts for month-end peaks", "supplier performance in service reports",
                      "knowledge articles for the top 30 login issues", "automated evidence collection for audits"]
            topic = topics[k % len(topics)]
            lines = head(f"Improvement register: {topic}{unit}", R("head-of-service-management"))
            lines.append(f"  status: {r.choice(['open', 'in-progress', 'in-progress', 'closed'])}")
            lines += folded("summary", f"Raised from an internal audit finding and the service reviews: {topic}. The current manual way of working delayed customer communication or cost staff time in the audit sample.", 2)
            lines.append(f"  outcome: {q('Approved at the management review with budget for the next two quarters.')}")
            lines += ["  measures:",
                      f"    - {{ name: Share of cases handled within target, value: \"{r.randint(70, 95)}%\", target: \"100%\" }}"]
            lines.append("  actions:")
            lines += self._action(r, f"imp-{k}-a1", "Connect the ITSM tool to the status page and publish update templates.", R("service-desk-manager"), 4)
            lines += self._action(r, f"imp-{k}-a2", "Measure the effect for three months after go-live and report to the management review.", R("service-level-manager"), 4)
            ia = self.record_of("internal-audit", k)
            if ia:
                related.append(("Record", ia))
            imp = self.plans_by_type.get("improvement")
            if imp:
                related.append(("Plan", imp[k % len(imp)]["id"]))
            related.append(("Process", "incident-management"))
        elif typ == "continuity-test":
            cps = self.plans_by_type["continuity"]
            plan = cps[k % len(cps)]
            lines = head(f"Yearly data centre failover test{unit}, {when.strftime('%B %Y')}", R("continuity-manager"))
            lines.append("  scope: Full failover of core banking, payments and online banking to the secondary data centre and back.")
            lines += block_list("participants", [R("continuity-manager"), R("platform-operations-lead"),
                                                 R("major-incident-manager"), "Hosting supplier operations"], 2)
            lines += folded("summary", "Planned failover during the Saturday night window. The primary site was isolated at 22:00; services were recovered in the secondary site and failed back on Sunday morning.", 2)
            lines.append("  outcome: passed")
            a, b, c = r.randint(60, 115), r.randint(60, 115), r.randint(120, 230)
            lines += ["  measures:",
                      f"    - {{ name: Core banking platform recovery time, value: {a // 60}h{a % 60}m, target: 2h }}",
                      f"    - {{ name: Payments recovery time, value: {b // 60}h{b % 60}m, target: 2h }}",
                      f"    - {{ name: Online banking recovery time, value: {c // 60}h{c % 60}m, target: 4h }}",
                      "    - { name: Data loss on core banking, value: 0m, target: 5m }"]
            lines += block_list("findings", ["All recovery time and recovery point objectives were met.",
                                             f"The DNS switch for the mobile API took {r.randint(10, 40)} minutes longer than planned; runbook step clarified."], 2)
            lines.append("  actions:")
            lines += self._action(r, f"ct-{k}-a1", "Update runbook RB-DR-01 with the corrected DNS switch sequence.", R("platform-operations-lead"), 4)
            related.append(("Plan", plan["id"]))
        elif typ == "service-report":
            agrs = self.all_agreements()
            agr = agrs[k % len(agrs)]
            month = 10 - (k // len(agrs)) % 10
            when = D(2026, month + 1, r.randint(3, 9))
            start = D(2026, month, 1)
            end = D(2026, month + 1, 1) - dt.timedelta(days=1)
            lines = head(f"Service report {start.strftime('%B %Y')}: {agr['id']}", R("service-level-manager"),
                         approved_days=(1, 5))
            lines.append(f"  period: {{ from: {date(start)}, to: {date(end)} }}")
            lines.append(f"  scope: {q('Services covered by ' + agr['id'] + ': ' + ', '.join(s['id'] for s in agr['services']))}")
            lines += folded("summary", "Monthly report on availability, incident response and resolution and request fulfilment against the targets of the agreement, with the supplier performance that underpins them.", 2)
            met = r.random() < 0.85
            lines.append(f"  outcome: {'All targets met.' if met else 'One target missed; see findings and actions.'}")
            avail = round(r.uniform(99.9, 100.0), 3) if met else round(r.uniform(99.5, 99.89), 3)
            lines += ["  measures:",
                      f"    - {{ name: Availability, value: {avail}, target: 99.9 }}",
                      f"    - {{ name: P1 incidents resolved within target, value: \"{r.randint(95, 100) if met else r.randint(60, 89)}%\", target: \"95%\" }}",
                      f"    - {{ name: P2 incidents resolved within target, value: \"{r.randint(95, 100)}%\", target: \"95%\" }}",
                      f"    - {{ name: Requests fulfilled within target, value: \"{r.randint(95, 100)}%\", target: \"95%\" }}",
                      f"    - {{ name: Incidents logged, value: {r.randint(5, 400)} }}"]
            if met:
                lines += block_list("findings", ["No target was missed in the period."], 2)
            else:
                lines += block_list("findings", ["One P1 incident exceeded its resolution target after a supplier escalation took longer than agreed."], 2)
                lines.append("  actions:")
                lines += self._action(r, f"sr-{k}-a1", "Review the supplier escalation path with the supplier manager.", R("supplier-manager"), 4)
            related.append(("ServiceLevelAgreement", agr["id"]))
            related += [("Service", s["id"]) for s in agr["services"][:2]]
        elif typ == "customer-satisfaction":
            lines = head(f"Customer satisfaction survey{unit}, {when.strftime('%B %Y')}", R("service-level-manager"))
            lines.append(f"  period: {{ from: {date(add_months(when, -6))}, to: {date(when)} }}")
            lines.append("  scope: Retail and small-business users of online banking and payments.")
            lines += folded("summary", f"Half-yearly online survey sent to a random sample of active users; {r.randint(800, 4000)} responses received.", 2)
            sat = r.randint(80, 93)
            lines.append(f"  outcome: {q(f'{sat}% of respondents satisfied or very satisfied.')}")
            lines += ["  measures:", f"    - {{ name: Satisfied respondents, value: \"{sat}%\", target: \"85%\" }}",
                      f"    - {{ name: Net promoter score, value: {r.randint(10, 45)} }}"]
            lines += block_list("findings", ["Login with the mobile app is the most praised improvement.",
                                             "Respondents want faster answers to payment investigation requests."], 2)
            lines.append("  actions:")
            lines += self._action(r, f"cs-{k}-a1", "Shorten the fulfilment target of payment investigation requests.", R("payments-service-owner"), 4)
            related.append(("Process", "service-level-management"))
        elif typ == "risk-assessment":
            lines = head(f"Service risk assessment{unit}, {when.strftime('%B %Y')}", R("information-security-manager"))
            lines.append("  scope: Risks to the availability, continuity and security of the services in scope, including supplier risks.")
            lines += block_list("participants", [R("information-security-manager"), R("continuity-manager"),
                                                 R("supplier-manager")], 2)
            lines += folded("summary", "Yearly reassessment of the SMS risk register with the risk owners, using the group's five-by-five likelihood and impact scale.", 2)
            lines.append(f"  outcome: {q(f'{r.randint(12, 30)} risks assessed; {r.randint(1, 4)} raised to high, treatment plans agreed.')}")
            lines += block_list("findings", ["Supplier concentration on one hosting provider remains the highest service risk.",
                                             "Key-person dependency on the core platform team has fallen after cross-training."], 2)
            lines.append("  actions:")
            lines += self._action(r, f"ra-{k}-a1", "Evaluate a second provider for backups outside the primary hosting supplier.", R("supplier-manager"), 4)
            related.append(("Policy", "sms-policy"))
        elif typ == "training":
            lines = head(f"SMS awareness training{unit}, {when.strftime('%B %Y')}", R("head-of-service-management"))
            lines.append("  scope: Yearly service management awareness training for staff of the units in scope.")
            lines += block_list("participants", [R("service-desk-manager"), R("service-desk-analyst"),
                                                 R("platform-operations-lead")], 2)
            lines += folded("summary", "Two-hour session on the service management policy, incident priorities, the change process and how to raise improvements.", 2)
            n = r.randint(20, 120)
            lines.append(f"  outcome: {q(f'{n} staff trained; {r.randint(90, 100)}% passed the knowledge check.')}")
            lines += ["  measures:", f"    - {{ name: Staff trained, value: {n}, target: {n + r.randint(0, 10)} }}"]
            related.append(("Role", R("service-desk-analyst")))
        if attachments:
            lines.append("  attachments:")
            lines += [f"    - {a}" for a in attachments]
        if related:
            lines.append("  related:")
            lines += [f"    - {{ kind: {kd}, id: {i} }}" for kd, i in related]
        sub = f"{typ}/{rec['id']}.yaml"
        doc = self._doc("Record", sub, lines)
        return doc + (attachments,)

    def _doc(self, kind, name, lines):
        return (f"policies/{FOLDER[kind]}/{name}", "\n".join(lines) + "\n", kind)


ATTACHMENT_TEXT = """# {title}

Evidence kept with record `{rid}` (generated benchmark corpus).

| item | value |
| --- | --- |
| record | {rid} |
| kept by | the document owner |

The original minutes and working papers are held in the SMS document store.
"""


def write_corpus(n, out, seed):
    corpus = Corpus(n, seed)
    os.makedirs(out)
    with open(os.path.join(out, "evident.yaml"), "w", encoding="utf-8") as f:
        f.write("# Generated by benches/gen_corpus.py: a synthetic repository for benchmarks.\n"
                "apiVersion: evident/v1\nkind: Config\norganization: Northwind Banking Group (benchmark corpus)\n"
                "documents: [policies]\n")
    made_dirs = set()
    sizes = {}
    count = 0
    ids = set()
    for item in corpus.documents():
        path, text, kind = item[:3]
        full = os.path.join(out, path)
        d = os.path.dirname(full)
        if d not in made_dirs:
            os.makedirs(d, exist_ok=True)
            made_dirs.add(d)
        if (kind, path) in ids or os.path.exists(full):
            raise SystemExit(f"internal error: duplicate document {path}")
        ids.add((kind, path))
        with open(full, "w", encoding="utf-8") as f:
            f.write(text)
        sizes.setdefault(kind, []).append(len(text.encode("utf-8")))
        count += 1
        for att in (item[3] if len(item) > 3 else []):
            afull = os.path.join(out, att)
            os.makedirs(os.path.dirname(afull), exist_ok=True)
            rid = os.path.basename(att)[:-3]
            with open(afull, "w", encoding="utf-8") as f:
                f.write(ATTACHMENT_TEXT.format(title=rid.replace("-", " ").capitalize(), rid=rid))
    assert count == n, (count, n)
    return corpus, sizes


def git_commit(out):
    env = dict(os.environ, GIT_AUTHOR_NAME="Evident Bench", GIT_AUTHOR_EMAIL="bench@example.invalid",
               GIT_COMMITTER_NAME="Evident Bench", GIT_COMMITTER_EMAIL="bench@example.invalid",
               GIT_AUTHOR_DATE="2026-11-20T12:00:00+00:00", GIT_COMMITTER_DATE="2026-11-20T12:00:00+00:00")
    run = lambda *a: subprocess.run(["git", "-C", out, *a], check=True, env=env, stdout=subprocess.DEVNULL)
    run("init", "-q", "-b", "main")
    run("add", "-A")
    run("-c", "commit.gpgsign=false", "commit", "-q", "-m", "Benchmark corpus")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, help="number of documents (at least 45)")
    ap.add_argument("out_dir", help="repository to create (must not exist, unless --force)")
    ap.add_argument("--git", action="store_true", help="git init and commit everything in OUT_DIR")
    ap.add_argument("--force", action="store_true", help="replace OUT_DIR if it exists")
    ap.add_argument("--seed", default=DEFAULT_SEED, help="random seed (default: %(default)s)")
    ap.add_argument("--stats", action="store_true", help="print counts and sizes per kind")
    args = ap.parse_args()
    out = os.path.abspath(args.out_dir)
    if os.path.exists(out):
        if not args.force:
            raise SystemExit(f"{out} exists (use --force to replace it)")
        shutil.rmtree(out)
    # Build in a temporary sibling and rename at the end, so that OUT_DIR only ever exists complete.
    tmp = f"{out}.tmp-{os.getpid()}"
    try:
        corpus, sizes = write_corpus(args.n, tmp, args.seed)
        if args.git:
            git_commit(tmp)
        os.rename(tmp, out)
    finally:
        if os.path.exists(tmp):
            shutil.rmtree(tmp)
    total = sum(sum(v) for v in sizes.values())
    print(f"wrote {args.n} documents ({total / 1024:.0f} KiB) to {out}" + (" and committed them" if args.git else ""))
    if args.stats:
        for k in KINDS:
            v = sorted(sizes.get(k, []))
            if v:
                print(f"  {k:22} {len(v):6}  bytes min {v[0]:5}  median {v[len(v) // 2]:5}  max {v[-1]:5}")


if __name__ == "__main__":
    main()
