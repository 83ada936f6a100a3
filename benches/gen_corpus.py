#!/usr/bin/env python3
"""Generate a synthetic Evident repository for benchmarks.

    python3 benches/gen_corpus.py N OUT_DIR [--git] [--force] [--seed S]

Writes OUT_DIR/evident.yaml and N documents (one per file, mostly 1-3 KB, all nine kinds
in realistic proportions) under OUT_DIR/policies/<kind folder>/. The content is modelled
on the reference set in policies/ (Northwind Digital Bank) and scaled out to a banking
group with many business units: ids, titles, numbers and dates vary, and every
cross-reference (roles, services, suppliers, calendars, agreements, plans, policies,
records) resolves to a document of the corpus. Each business unit has the 25 reference
roles, the 27 reference practices, a service management and an information security
policy, and the plans and records the controls ask for; every group of three services has
a current monthly service report. Every document is meant to be valid against its kind
schema and conformant with the built-in controls as of 2026-11-21 (no findings). N >= 86.

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
# The smallest complete SMS (the shape of the reference set: 86 documents).
MINIMUM = {"Policy": 2, "Process": 27, "Service": 3, "ServiceLevelAgreement": 4,
           "Supplier": 2, "Role": 25, "Calendar": 2, "Plan": 6, "Record": 15}


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
    "business-relationship-manager": dict(
        title="Business Relationship Manager", reports_to="head-of-service-management",
        description="Manages the relationship between IT Service Management and the business divisions that use the services.",
        responsibilities=["Own the relationship management process and the customer complaint procedure.",
                          "Hold regular service reviews with each customer group and capture their changing needs.",
                          "Run the half-yearly customer satisfaction survey and follow up its results."],
        authorities=["Agree remedies for customer complaints up to the limit set in the complaint procedure.",
                     "Propose new or changed services to the portfolio on behalf of customers."],
        competence=[("Experience in account or relationship management for internal or external customers.",
                     "CV and references in the HR record.")],
        holders=["Business Relationship Manager, IT Service Management"]),
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
    "configuration-manager": dict(
        title="Configuration and Asset Manager", reports_to="head-of-service-management",
        description="Keeps the records of configuration items and IT assets complete, accurate and under control.",
        responsibilities=["Own the service configuration management and IT asset management processes.",
                          "Keep the CMDB and the asset register accurate, and run the configuration and asset audits.",
                          "Report licence compliance and configuration accuracy to the head of service management."],
        authorities=["Define the configuration item types, attributes and relationships that are recorded.",
                     "Require correction of configuration or asset records by any team."],
        competence=[("Experience administering a CMDB and discovery tooling in a regulated environment.",
                     "CV in the HR record; tool administrator certificate."),
                    ("Software licence management training.", "Course certificate in the HR training record.")],
        holders=["Configuration and Asset Manager, IT Service Management"]),
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
    "hr-business-partner": dict(
        title="HR Business Partner for IT", reports_to="chief-operating-officer",
        description="Plans staffing, competence development and awareness for the teams in the scope of the SMS.",
        responsibilities=["Own the workforce and talent management process for the units in scope.",
                          "Keep training records and run the yearly competence review against role requirements.",
                          "Organize the SMS awareness programme with the head of service management."],
        authorities=["Approve training plans and recruitment requests within the approved headcount."],
        competence=[("HR business partnering experience with technology teams.",
                     "CV and HR qualification in the HR record.")],
        holders=["HR Business Partner, Technology and Operations"]),
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
    "it-finance-manager": dict(
        title="IT Finance Manager", reports_to="chief-operating-officer",
        description="Plans and tracks the budget and costs of the IT services.",
        responsibilities=["Own the service financial management process.",
                          "Prepare the yearly IT service budget and the monthly cost reports per service.",
                          "Maintain the cost model that attributes costs to services."],
        authorities=["Approve spending within the approved IT service budget.",
                     "Reallocate budget between cost centres of the services up to EUR 100,000."],
        competence=[("Qualified management accountant with IT cost accounting experience.",
                     "Professional qualification and CV in the HR record.")],
        holders=["IT Finance Manager, Finance division"]),
    "knowledge-manager": dict(
        title="Knowledge Manager", reports_to="service-desk-manager",
        description="Keeps the knowledge base useful, current and used.",
        responsibilities=["Own the knowledge management process and the knowledge base.",
                          "Make sure every knowledge article has an owner and is reviewed on time.",
                          "Capture knowledge from major incidents, problems and releases."],
        authorities=["Publish, retire and assign owners to knowledge articles."],
        competence=[("Knowledge-centred service (KCS) practitioner training or equivalent.",
                     "Certificate in the HR training record.")],
        holders=["Knowledge Manager, Service Desk"]),
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
    "risk-manager": dict(
        title="IT Risk Manager", reports_to="chief-operating-officer",
        description="Runs the assessment and treatment of risks to the services and the service management system.",
        responsibilities=["Own the risk management process and the IT risk register.",
                          "Facilitate risk assessments with risk owners and track treatment actions.",
                          "Report the risk profile to the management review."],
        authorities=["Require a risk assessment for any new service, supplier or major change.",
                     "Escalate risks above appetite to the chief operating officer."],
        competence=[("Operational risk management qualification and knowledge of banking ICT risk regulation.",
                     "Certificate and CV in the HR record.")],
        holders=["IT Risk Manager, Operational Risk"]),
    "service-catalogue-manager": dict(
        title="Service Catalogue Manager", reports_to="service-level-manager",
        description="Keeps the service catalogue complete, accurate and published.",
        responsibilities=["Own the service catalogue management process.",
                          "Keep each catalogue entry current as services are added, changed or retired."],
        authorities=["Publish and withdraw catalogue entries once approved."],
        competence=[("Knowledge of the bank's service portfolio and its owners.",
                     "Yearly check by the head of service management.")],
        holders=["Service Catalogue Manager (part-time, combined with reporting analyst)"]),
    "service-design-lead": dict(
        title="Service Design Lead", reports_to="head-of-service-management",
        description="Leads the design and transition of new and changed services.",
        responsibilities=["Own the service design process.",
                          "Make sure service requirements are captured and the design meets them.",
                          "Plan transitions and run post-transition reviews."],
        authorities=["Approve service designs for build.",
                     "Require a transition plan for any change in scope of service design."],
        competence=[("Service design and architecture experience in financial services.",
                     "CV in the HR record; architecture certification.")],
        holders=["Service Design Lead, IT Service Management"]),
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
    "test-manager": dict(
        title="Test Manager", reports_to="head-of-service-management",
        description="Plans and controls the testing that validates new and changed services before they go live.",
        responsibilities=["Own the service validation and testing process and the test environments.",
                          "Agree test strategy and acceptance criteria with service owners.",
                          "Report test results and residual risks before go-live decisions."],
        authorities=["Withhold test sign-off when acceptance criteria are not met."],
        competence=[("Certified tester (ISTQB Advanced Test Manager or equivalent).",
                     "Certificate in the HR training record.")],
        holders=["Test Manager, Digital Delivery"]),
}
ROLE_BASES = list(ROLES)  # 25, as in the reference set; one complete set per business unit
NROLES = len(ROLE_BASES)


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
  priorities:
    - { id: P1, name: Critical, description: A critical service is unavailable or unusable for many customers. }
    - { id: P2, name: High, description: "A critical service is badly degraded, or unavailable for a group of customers." }
    - { id: P3, name: Medium, description: A service is degraded for some users; a workaround exists. }
    - { id: P4, name: Low, description: Minor issue with little effect on customers. }
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
    - id: raise
      name: Raise the change
      description: Record the change with its reason, scope, risk, implementation and backout plan.
      responsible: release-manager
    - id: assess
      name: Assess risk and impact
      description: Score risk with the questionnaire, check conflicts on the schedule.
      responsible: change-manager
    - id: authorize
      name: Authorize
      description: The approval authority of the change type authorizes or rejects the change.
      responsible: change-manager
  inputs:
    - Change requests from projects, problem management and releases
    - Supplier change notifications
  outputs: [Authorized and implemented changes, The schedule of changes]
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
  release_policy:
    frequency: Major releases quarterly, minor releases every two weeks, hotfixes as needed.
    types: [Major release, Minor release, Hotfix]
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
  catalogue:
    location: Intranet service catalogue and the customer portal, generated from this repository
    audience: [Staff of the units in scope, Business divisions, Retail and small-business customers]
    review_interval: 6mo
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
    - id: credential-reset
      name: Reset of online banking credentials
      fulfilment: 1d
      service: {ob_service}
      steps:
        - Verify the caller's identity with the bank's identification questions.
        - Trigger the reset in the identity administration console.
        - Send the activation link and close the request.
    - id: payment-investigation
      name: Payment investigation
      approval: payments-service-owner
      fulfilment: 2d
      service: {pay_service}
      steps:
        - Check the requester's entitlement to the account.
        - Trace or recall the payment through the scheme gateway.
        - Inform the requester of the result and close the request.
  fulfilment:
    approval_required_for: [payment-investigation]
    target_source: Fulfilment targets of the SLA of the service.
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

PROCESS_TEMPLATES["portfolio-management"] = dict(
    title="Portfolio management", owner="head-of-service-management", approver="chief-operating-officer",
    description="Deciding which services to offer, change or retire.",
    spec="""\
  practice: portfolio-management
  purpose: Keep the mix of services aligned with the bank's strategy, by planning services and deciding on proposals for new, changed and retired services.
  scope: All services of {unit_scope} in pipeline, live or retired status.
  roles:
    - role: head-of-service-management
      responsibility: accountable
      duties: Owns the process and prepares the portfolio board.
    - role: business-relationship-manager
      responsibility: responsible
      duties: Brings customer proposals with their requirements.
    - role: chief-operating-officer
      responsibility: consulted
      duties: Decides proposals as chair of the portfolio board.
  activities:
    - id: collect-proposals
      name: Collect proposals
      description: Record proposals with service requirements, benefits, costs and risks.
      responsible: business-relationship-manager
    - id: evaluate
      name: Evaluate
      description: Assess each proposal against the evaluation criteria and current capacity.
      responsible: head-of-service-management
    - id: decide
      name: Decide
      description: The portfolio board approves, defers or rejects; approved proposals go to service design.
      responsible: head-of-service-management
  inputs: [Business strategy, Customer proposals, Service performance and costs]
  outputs: [Portfolio decisions, Service requirements for design]
  records: [Portfolio board minutes on the SMS SharePoint]
  kpis:
    - id: decisions-within-time
      name: Proposals decided within 60 days
      measure: Proposals decided within 60 days of submission divided by proposals decided.
      target: ">= {kpi_a}%"
      frequency: 6mo
  interfaces:
    - process: service-design
      description: Approved proposals are designed and transitioned.
    - process: service-catalogue-management
      description: Decisions change catalogue status.
  review_interval: 1y
  portfolio:
    evaluation_criteria:
      - Fit with the bank's strategy and risk appetite
      - Customer and regulatory requirements met
      - Cost, benefit and funding
      - Capacity of the organization to deliver and operate the service
    decision_authority: chief-operating-officer
    requirements_source: Requirements are documented with each proposal by the prospective service owner.
    review_interval: 6mo
""")

PROCESS_TEMPLATES["it-asset-management"] = dict(
    title="IT asset management", owner="configuration-manager",
    description="Controlling the IT assets used to deliver the services through their lifecycle.",
    spec="""\
  practice: it-asset-management
  purpose: Know which assets the services depend on, what they cost and whether their use complies with licences.
  scope: Hardware, software licences and cloud subscriptions used by the services of {unit_scope}.
  roles:
    - role: configuration-manager
      responsibility: accountable
      duties: Owns the process, the asset register and licence compliance.
    - role: platform-operations-lead
      responsibility: responsible
      duties: Records receipt, deployment and retirement of infrastructure assets.
    - role: it-finance-manager
      responsibility: consulted
      duties: Reconciles asset values and depreciation with the cost model.
  activities:
    - id: acquire
      name: Acquire and register
      description: Register each asset on order with owner, cost, contract and licence entitlement.
      responsible: configuration-manager
    - id: reconcile
      name: Reconcile licences
      description: Compare software installed and in use with entitlements every quarter.
      responsible: configuration-manager
    - id: retire-and-dispose
      name: Retire and dispose
      description: Remove from service, wipe or destroy data carriers with a certificate, update the register.
      responsible: platform-operations-lead
  inputs: [Purchase orders, Supplier contracts and licence entitlements, Discovery data]
  outputs: [Asset register, Licence compliance report, Disposal certificates]
  records: [Asset register in the ITSM tool, Asset audit records in this repository]
  kpis:
    - id: licence-compliance
      name: Licence compliance
      measure: Software products whose use is within entitlement, divided by all licensed products.
      target: 100%
      frequency: 3mo
  interfaces:
    - process: service-configuration-management
      description: Assets and configuration items share identifiers and status.
    - process: service-financial-management
      description: Asset costs and depreciation feed the service cost model.
  review_interval: 1y
  assets:
    types: [Server and storage hardware, Network and security appliances, Software licences and subscriptions, Cloud subscriptions]
    register: Asset module of the ITSM tool, linked to the CMDB and the contract register
    lifecycle_states: [ordered, received, in-stock, deployed, in-repair, retired, disposed]
    licence_compliance: true
    review_interval: 1y
""")

PROCESS_TEMPLATES["service-configuration-management"] = dict(
    title="Service configuration management", owner="configuration-manager",
    description="Keeping accurate information about the configuration items that make up the services.",
    spec="""\
  practice: service-configuration-management
  purpose: Give the other practices reliable information about the configuration items of each service and how they relate.
  scope: Configuration items of the services of {unit_scope}, including supplier-operated infrastructure.
  roles:
    - role: configuration-manager
      responsibility: accountable
      duties: Owns the process, the CMDB data model and the configuration audits.
    - role: platform-operations-lead
      responsibility: responsible
      duties: Keeps infrastructure and platform configuration items current after each change.
  activities:
    - id: identify-and-record
      name: Identify and record
      description: Register new CIs and relationships when a change or release introduces them.
      responsible: platform-operations-lead
    - id: control
      name: Control
      description: Update CIs only through authorized changes; discovery differences raise tasks for the CI owner.
      responsible: configuration-manager
    - id: verify-and-audit
      name: Verify and audit
      description: Compare discovery data with the CMDB weekly; run a full configuration audit twice a year.
      responsible: configuration-manager
  inputs: [Authorized changes, Release records, Automated discovery data]
  outputs: [Current CMDB with relationships, Configuration baselines, Audit reports]
  records: [CMDB and its change history in the ITSM tool, Configuration audit records in this repository]
  kpis:
    - id: cmdb-accuracy
      name: CMDB accuracy
      measure: CIs sampled in audits whose recorded attributes match the deployed configuration, divided by CIs sampled.
      target: ">= 98%"
      frequency: 6mo
  interfaces:
    - process: change-enablement
      description: Changes use CI relationships for impact assessment; closed changes update the CMDB.
    - process: it-asset-management
      description: Assets and CIs share identifiers; asset status changes update the CI status.
  review_interval: 1y
  configuration:
    ci_types: [Service, Application, Database, Server and container platform, Network device, Certificate]
    register: CMDB module of the ITSM tool, fed by automated discovery in both data centres
    relationships_recorded: true
    change_control: CI attributes change only through change closure or discovery reconciliation.
    audit_interval: 6mo
""")

PROCESS_TEMPLATES["relationship-management"] = dict(
    title="Relationship management", owner="business-relationship-manager",
    description="Keeping a productive relationship with the customers of the services.",
    spec="""\
  practice: relationship-management
  purpose: Understand what customers need from the services, review performance with them regularly, handle their complaints and measure their satisfaction.
  scope: The business divisions and customer groups that use the services of {unit_scope}.
  roles:
    - role: business-relationship-manager
      responsibility: accountable
      duties: Owns the process, the complaint procedure and the satisfaction survey.
    - role: service-level-manager
      responsibility: responsible
      duties: Presents service performance in service reviews.
  activities:
    - id: review
      name: Review services with customers
      description: Quarterly service reviews per customer group covering performance, changes ahead and changing needs.
      responsible: business-relationship-manager
    - id: handle-complaints
      name: Handle complaints
      description: Record, investigate, resolve and close complaints; report them monthly.
      responsible: business-relationship-manager
    - id: survey
      name: Measure satisfaction
      description: Run the half-yearly satisfaction survey and agree actions on the results.
      responsible: business-relationship-manager
  inputs: [Service reports, Customer feedback and complaints, Business plans of the divisions]
  outputs: [Service review records, Complaint records, Satisfaction survey results]
  records: [Service review, complaint and survey records in this repository]
  kpis:
    - id: complaints-closed-on-time
      name: Complaints closed within 20 working days
      measure: Complaints closed within 20 working days divided by complaints closed.
      target: ">= {kpi_d}%"
      frequency: 1mo
  interfaces:
    - process: service-level-management
      description: Service reports feed service reviews; agreed changes update SLAs.
    - process: portfolio-management
      description: New needs become proposals for the portfolio.
  review_interval: 1y
  relationship:
    customer_review_interval: 3mo
    complaint_procedure: Complaints are recorded within one working day, investigated with the service owner and closed with the complainant's agreement.
    satisfaction_survey_interval: 6mo
    contacts:
      - { customer: Retail Banking division, role: business-relationship-manager }
      - { customer: Banking Operations division, role: platform-operations-lead }
""")

PROCESS_TEMPLATES["service-financial-management"] = dict(
    title="Service financial management", owner="it-finance-manager", approver="chief-operating-officer",
    description="Budgeting and accounting for the costs of the services.",
    spec="""\
  practice: service-financial-management
  purpose: Know what each service costs, plan its budget, control spending against it and give decision makers the cost information they need.
  scope: Operating and investment costs of the services of {unit_scope}, including supplier charges.
  roles:
    - role: it-finance-manager
      responsibility: accountable
      duties: Owns the process, the budget and the cost model.
    - role: head-of-service-management
      responsibility: consulted
      duties: Agrees service budgets and reviews variances.
    - role: chief-operating-officer
      responsibility: informed
      duties: Approves the yearly budget and receives quarterly budget reviews.
  activities:
    - id: budget
      name: Budget
      description: Prepare the yearly budget per service from demand forecasts, contracts and planned changes.
      responsible: it-finance-manager
    - id: account
      name: Account
      description: Book actual costs to the service cost centres; allocate shared costs by the cost model.
      responsible: it-finance-manager
    - id: report-and-review
      name: Report and review
      description: Monthly cost report per service; quarterly budget review with service owners.
      responsible: it-finance-manager
  inputs: [Demand forecast, Supplier contracts and invoices, Asset register]
  outputs: [Approved service budgets, Monthly cost reports, Budget review records]
  records: [Budget and actuals in the finance system, Budget review records in this repository]
  kpis:
    - id: budget-variance
      name: Budget variance
      measure: Absolute difference between actual and budgeted cost per service, year to date, as a share of the budget.
      target: "<= {kpi_c}%"
      frequency: 1mo
  interfaces:
    - process: capacity-and-performance-management
      description: Capacity investments are planned into the budget.
    - process: supplier-management
      description: Supplier charges are checked against contracts.
  review_interval: 1y
  financial:
    budget_cycle: 1y
    cost_model: Direct costs are booked to the service's cost centre; shared costs are allocated by transaction volume.
    accounting: Costs are booked monthly against each service cost centre and compared with the budget in the monthly cost report.
    review_interval: 3mo
""")

PROCESS_TEMPLATES["capacity-and-performance-management"] = dict(
    title="Capacity and performance management", owner="platform-operations-lead",
    description="Making sure the services have the capacity and performance to meet current and forecast demand.",
    spec="""\
  practice: capacity-and-performance-management
  purpose: Keep enough capacity, at justified cost, for the services to meet their targets at forecast demand.
  scope: The services of {unit_scope}, including the supplier-operated infrastructure beneath them.
  roles:
    - role: platform-operations-lead
      responsibility: accountable
      duties: Owns the process and the capacity plan.
    - role: it-finance-manager
      responsibility: consulted
      duties: Checks the cost of capacity changes against the budget.
  activities:
    - id: forecast-demand
      name: Forecast demand
      description: Collect business plans and usage trends and update the demand forecast every quarter.
      responsible: platform-operations-lead
    - id: monitor
      name: Monitor utilization and performance
      description: Track utilization and response times against thresholds; act on breaches.
      responsible: platform-operations-lead
    - id: review
      name: Review
      description: Quarterly capacity review with service owners; record the outcome.
      responsible: platform-operations-lead
  inputs: [Business plans and campaigns, Monitoring data, Change schedule]
  outputs: [Demand forecast, Capacity plan, Capacity review records]
  records: [Capacity review records in this repository]
  kpis:
    - id: threshold-breaches
      name: Capacity threshold breaches
      measure: Critical threshold breaches per month across the services.
      target: "0"
      frequency: 1mo
  interfaces:
    - process: availability-management
      description: Capacity shortfalls are availability risks.
    - process: service-financial-management
      description: Capacity investments are budgeted.
  review_interval: 1y
  capacity:
    plan: {capacity_plan}
    monitoring: Utilization and response times collected every minute in the observability platform.
    thresholds:
      - { metric: Database storage used, limit: "70%", action: Raise a capacity change to extend storage within 30 days. }
    review_interval: 3mo
  demand:
    forecast_interval: 3mo
    inputs: [Business plans of the divisions, Usage trends of the previous 12 months, Marketing campaigns]
    method: Trend projection of peak load per service, adjusted by the business events service owners report.
""")

PROCESS_TEMPLATES["service-design"] = dict(
    title="Service design", owner="service-design-lead",
    description="Designing new and changed services so that they meet their requirements in operation.",
    spec="""\
  practice: service-design
  purpose: Design new or changed services to meet their requirements and transition them into operation as designed.
  scope: New services, the removal of services and major changes to the services of {unit_scope}.
  roles:
    - role: service-design-lead
      responsibility: accountable
      duties: Owns the process; approves designs and transition plans.
    - role: business-relationship-manager
      responsibility: responsible
      duties: Captures customer requirements.
  activities:
    - id: capture-requirements
      name: Capture requirements
      description: Document functional, service level, security, capacity and continuity requirements.
      responsible: business-relationship-manager
    - id: design
      name: Design
      description: Produce and approve the design, with catalogue entry, agreement changes and support arrangements.
      responsible: service-design-lead
  inputs: [Approved portfolio proposals, Customer requirements, Architecture standards]
  outputs: [Approved service designs, Transition plans, Post-transition review reports]
  records: [Design documents and transition plans in the project repository]
  kpis:
    - id: transitions-meeting-acceptance
      name: Transitions meeting acceptance criteria
      measure: New or changed services accepted into operation with all acceptance criteria met at first attempt.
      target: ">= {kpi_a}%"
      frequency: 6mo
  interfaces:
    - process: portfolio-management
      description: Receives approved proposals.
    - process: service-validation-and-testing
      description: Validates the service against acceptance criteria.
  review_interval: 1y
  design:
    triggers:
      - A new service or the removal of a service.
      - A change expected to affect availability, security or service levels of a critical service.
    requirements_capture: Requirements workshop with the service owner, security and operations.
    design_documentation: Service design document in the project repository, approved by the service owner.
    acceptance_criteria:
      - Service level targets agreed and measurable.
      - Capacity and continuity requirements met in testing.
      - Service desk trained and knowledge articles published.
    transition_plan_required: true
    post_transition_review: Held 30 days after go-live against the expected outcomes.
""")

PROCESS_TEMPLATES["service-validation-and-testing"] = dict(
    title="Service validation and testing", owner="test-manager",
    description="Making sure new and changed services meet their requirements before they go live.",
    spec="""\
  practice: service-validation-and-testing
  purpose: Give evidence that new and changed services and releases meet their agreed requirements and acceptance criteria before they are deployed.
  scope: Releases and new or changed services of {unit_scope}.
  roles:
    - role: test-manager
      responsibility: accountable
      duties: Owns the process, the test strategy and the test environments.
    - role: release-manager
      responsibility: responsible
      duties: Runs automated tests in the pipeline.
    - role: digital-channels-owner
      responsibility: consulted
      duties: Performs user acceptance for online banking.
  activities:
    - id: plan-tests
      name: Plan tests
      description: Derive test cases from requirements and acceptance criteria.
      responsible: test-manager
    - id: execute
      name: Execute tests
      description: Run automated and manual tests in the test environments.
      responsible: release-manager
    - id: report
      name: Report and sign off
      description: Report results and residual risks; give or withhold test sign-off.
      responsible: test-manager
  inputs: [Requirements and acceptance criteria, Release candidates]
  outputs: [Test reports, Test sign-off]
  records: [Test results in the test management tool, Sign-offs in the release records]
  kpis:
    - id: escaped-defects
      name: Defects found in production
      measure: Severity 1 and 2 defects found in production within 30 days of a release, per release.
      target: "< 0.2"
      frequency: 1mo
  interfaces:
    - process: release-management
      description: Releases are accepted only with test sign-off.
    - process: service-design
      description: Acceptance criteria come from the design.
  review_interval: 1y
  testing:
    environments:
      - Test (integration of all components, synthetic data)
      - Pre-production (production-like, anonymized data, performance and failover tests)
    test_types: [functional, regression, performance, security, failover, user acceptance]
    acceptance_criteria:
      - No open severity 1 or 2 defects.
      - Performance at forecast peak load within targets.
      - Security scan without high findings.
""")

PROCESS_TEMPLATES["deployment-management"] = dict(
    title="Deployment management", owner="release-manager",
    description="Moving releases into the live environment safely and verifiably.",
    spec="""\
  practice: deployment-management
  purpose: Deploy approved releases to production through automated, repeatable steps, verify them and reverse them quickly when they fail.
  scope: Deployments of software and infrastructure code for the services of {unit_scope}.
  roles:
    - role: release-manager
      responsibility: accountable
      duties: Owns the process, the pipelines and the deployment schedule.
    - role: platform-operations-lead
      responsibility: responsible
      duties: Executes infrastructure deployments and supports production verification.
    - role: change-manager
      responsibility: consulted
      duties: Confirms each production deployment runs under an authorized change.
  activities:
    - id: promote
      name: Promote through environments
      description: Promote the same build artefact from test to pre-production to production.
      responsible: release-manager
    - id: deploy
      name: Deploy to production
      description: Deploy in the authorized window using blue-green or canary deployment.
      responsible: release-manager
    - id: verify
      name: Verify
      description: Run smoke tests and compare key metrics with the baseline before routing all traffic.
      responsible: platform-operations-lead
  inputs: [Accepted releases, Authorized changes]
  outputs: [Deployed and verified releases, Deployment logs]
  records: [Pipeline and deployment logs, Change records]
  kpis:
    - id: rollback-rate
      name: Deployments rolled back
      measure: Production deployments rolled back divided by all production deployments.
      target: "< {kpi_c}%"
      frequency: 1mo
  interfaces:
    - process: release-management
      description: Receives accepted releases.
    - process: change-enablement
      description: Every production deployment runs under an authorized change.
  review_interval: 1y
  deployment:
    verification: Automated smoke tests and synthetic transactions; error rate and response time must stay within 10% of the baseline for 30 minutes.
    rollback: Blue-green switch back to the previous version; database changes are backward compatible for one release.
    environments: [development, test, pre-production, production]
    early_life_support: {els}
""")

PROCESS_TEMPLATES["availability-management"] = dict(
    title="Availability management", owner="platform-operations-lead",
    description="Making sure services are available when customers need them, at the agreed levels.",
    spec="""\
  practice: availability-management
  purpose: Meet the agreed availability of each service by understanding the risks to it, designing resilience in, monitoring what is achieved and acting on shortfalls.
  scope: The services of {unit_scope}, including their supplier-operated components.
  roles:
    - role: platform-operations-lead
      responsibility: accountable
      duties: Owns the process and the availability plan.
    - role: service-level-manager
      responsibility: consulted
      duties: Provides availability targets from the SLAs and reports achievement.
    - role: problem-manager
      responsibility: consulted
      duties: Investigates causes of availability loss.
  activities:
    - id: assess-risks
      name: Assess availability risks
      description: Identify single points of failure and other risks to availability every year and after major changes.
      responsible: platform-operations-lead
    - id: plan
      name: Plan availability
      description: Keep the availability plan with resilience measures and their status.
      responsible: platform-operations-lead
    - id: monitor-and-report
      name: Monitor and report
      description: Measure availability against targets; report monthly; analyse every breach.
      responsible: platform-operations-lead
  inputs: [SLA availability targets, Monitoring data, Incident and problem records]
  outputs: [Availability plan, Monthly availability report]
  records: [Availability reports in the service reports, Risk assessment in the availability plan]
  kpis:
    - id: availability-met
      name: Availability targets met
      measure: Services meeting their monthly availability target divided by services.
      target: 100%
      frequency: 1mo
  interfaces:
    - process: service-level-management
      description: Availability targets come from SLAs; results go into service reports.
    - process: service-continuity-management
      description: Continuity measures cover disruptions beyond availability design.
  review_interval: 1y
  availability:
    risk_assessment: Yearly component failure impact analysis per service, repeated after every major change.
    monitoring: Synthetic transactions and health checks per service, reconciled with incident records.
    report_interval: 1mo
    plan: {availability_plan}
""")

PROCESS_TEMPLATES["information-security-management"] = dict(
    title="Information security management", owner="information-security-manager",
    description="Protecting the confidentiality, integrity and availability of the information the services handle.",
    spec="""\
  practice: information-security-management
  purpose: Protect the information processed by the services by applying the information security policy, assessing risks and operating controls.
  scope: Information, systems and people involved in the services of {unit_scope}, including suppliers with access to them.
  roles:
    - role: information-security-manager
      responsibility: accountable
      duties: Owns the process, the risk assessment and the controls register.
    - role: platform-operations-lead
      responsibility: responsible
      duties: Operates technical controls (patching, hardening, backups, access management).
  activities:
    - id: assess-risks
      name: Assess security risks
      description: Assess risks to the information of each service yearly and when services or suppliers change.
      responsible: information-security-manager
    - id: operate-controls
      name: Operate controls
      description: Run the controls in the controls register and record their evidence.
      responsible: platform-operations-lead
    - id: handle-incidents
      name: Handle security incidents
      description: Classify, contain, investigate and review security incidents.
      responsible: information-security-manager
  inputs: [Information security policy, Service and supplier changes, Threat intelligence, Security events]
  outputs: [Security risk assessment, Controls register, Security incident reviews]
  records: [Security risk register and controls register in the GRC tool, Security incident reviews in this repository]
  kpis:
    - id: critical-patches
      name: Critical patches applied on time
      measure: Critical security patches applied within 14 days of release divided by critical patches due.
      target: ">= {kpi_b}%"
      frequency: 1mo
  interfaces:
    - process: incident-management
      description: Security incidents are logged as incidents and follow the security incident procedure.
    - process: risk-management
      description: Security risks are part of the IT risk register.
  review_interval: 1y
  security:
    policy: {security_policy}
    risk_assessment_interval: 1y
    controls_register: Controls register in the GRC tool, with an owner and evidence for each control.
    external_party_controls: Suppliers with access sign the security schedule and provide a yearly assurance report.
    incident_classification: [critical, high, medium, low]
    incident_procedure: Triaged by the security operations centre, contained, investigated and reviewed within 10 days of closure.
    effectiveness_review_interval: 1y
""")

PROCESS_TEMPLATES["measurement-and-reporting"] = dict(
    title="Measurement and reporting", owner="service-level-manager",
    description="Measuring the services and the SMS and reporting the results to those who decide.",
    spec="""\
  practice: measurement-and-reporting
  purpose: Provide accurate, timely measurements of service performance and of the service management system so that decisions are based on evidence.
  scope: Service level, process KPI, customer satisfaction and supplier measurements for the services of {unit_scope}.
  roles:
    - role: service-level-manager
      responsibility: accountable
      duties: Owns the process and the reporting calendar.
    - role: service-catalogue-manager
      responsibility: responsible
      duties: Produces the reports as reporting analyst.
  activities:
    - id: collect
      name: Collect and validate data
      description: Extract data from the ITSM tool, monitoring and supplier reports; check completeness.
      responsible: service-catalogue-manager
    - id: report
      name: Report
      description: Issue the reports on the reporting calendar.
      responsible: service-catalogue-manager
    - id: analyse
      name: Analyse and evaluate
      description: Compare results with targets and trends; raise improvements for shortfalls.
      responsible: service-level-manager
  inputs: [ITSM tool data, Monitoring data, Survey results, Supplier reports]
  outputs: [Service reports, SMS performance report, Improvement opportunities]
  records: [Service reports in this repository]
  kpis:
    - id: reports-on-time
      name: Reports issued on time
      measure: Reports issued by the fifth working day after the period divided by reports due.
      target: 100%
      frequency: 1mo
  interfaces:
    - process: service-level-management
      description: Service reports cover the SLA targets.
    - process: continual-improvement
      description: Shortfalls become improvement opportunities.
  review_interval: 1y
  reporting:
    reports:
      - name: Monthly service report per business unit
        audience: [service-level-manager, digital-channels-owner, payments-service-owner]
        frequency: 1mo
        content: [Achievement against each SLA target, Supplier performance]
      - name: Quarterly SMS performance report
        audience: [chief-operating-officer, head-of-service-management]
        frequency: 3mo
        content: [Progress on SMS objectives, Process KPIs against targets]
    analysis: Each report is analysed against targets and trends before issue; actions go to the improvement register.
""")

PROCESS_TEMPLATES["continual-improvement"] = dict(
    title="Continual improvement", owner="head-of-service-management", approver="chief-operating-officer",
    description="Identifying, evaluating and carrying out improvements to the services and the SMS.",
    spec="""\
  practice: continual-improvement
  purpose: Improve the suitability, adequacy and effectiveness of the services and the service management system step by step, based on evidence.
  scope: All services, processes and supporting documents of {unit_scope}.
  roles:
    - role: head-of-service-management
      responsibility: accountable
      duties: Owns the process, the register and the improvement plan.
    - role: service-level-manager
      responsibility: responsible
      duties: Raises improvements from service reports and reviews.
    - role: internal-auditor
      responsibility: consulted
      duties: Raises opportunities for improvement from audits.
  activities:
    - id: identify
      name: Identify opportunities
      description: From audits, reviews, reports, complaints, staff suggestions and incidents.
      responsible: service-level-manager
    - id: evaluate
      name: Evaluate and prioritize
      description: Rate each opportunity against the evaluation criteria; approve or reject.
      responsible: head-of-service-management
    - id: implement
      name: Implement and measure
      description: Plan approved improvements in the improvement plan; measure their effect.
      responsible: head-of-service-management
  inputs: [Audit findings, Management review decisions, Service reports, Complaints and surveys]
  outputs: [Improvement register, Service improvement plan]
  records: [Improvement records in this repository]
  kpis:
    - id: improvements-on-time
      name: Improvements delivered on time
      measure: Approved improvements completed by their due date divided by improvements due.
      target: ">= {kpi_a}%"
      frequency: 3mo
  interfaces:
    - process: measurement-and-reporting
      description: Reports reveal improvement opportunities and measure their effect.
    - process: problem-management
      description: Problems whose removal is an improvement.
  review_interval: 1y
  improvement:
    register: Records of type improvement in this repository
    evaluation_criteria: [Expected benefit to customers or to the SMS objectives, Cost and effort, Risk of not acting]
    approval: head-of-service-management
    review_interval: 1mo
""")

PROCESS_TEMPLATES["knowledge-management"] = dict(
    title="Knowledge management", owner="knowledge-manager",
    description="Capturing, keeping current and sharing the knowledge needed to run the services.",
    spec="""\
  practice: knowledge-management
  purpose: Make sure staff and users can find accurate, current knowledge when they need it, so that incidents are resolved faster and key-person dependencies shrink.
  scope: Knowledge articles, runbooks and known-error workarounds for the services of {unit_scope}.
  roles:
    - role: knowledge-manager
      responsibility: accountable
      duties: Owns the process and the knowledge base.
    - role: service-desk-analyst
      responsibility: responsible
      duties: Creates and improves articles from resolved tickets.
    - role: problem-manager
      responsibility: consulted
      duties: Provides workarounds for known errors.
  activities:
    - id: capture
      name: Capture
      description: Write or update an article when a ticket is resolved without one.
      responsible: service-desk-analyst
    - id: approve
      name: Review and publish
      description: The article owner checks accuracy before publication.
      responsible: knowledge-manager
    - id: maintain
      name: Maintain
      description: Review articles at their review date; retire outdated ones.
      responsible: knowledge-manager
  inputs: [Resolved incidents and requests, Known errors, Release notes]
  outputs: [Published knowledge articles and runbooks]
  records: [Knowledge base with article history, Knowledge review records in this repository]
  kpis:
    - id: articles-current
      name: Articles reviewed on time
      measure: Published articles whose last review is within their review interval.
      target: ">= {kpi_d}%"
      frequency: 1mo
  interfaces:
    - process: incident-management
      description: Articles support diagnosis; resolutions create articles.
    - process: problem-management
      description: Known errors and workarounds are published as articles.
  review_interval: 1y
  knowledge:
    repository: Knowledge base of the ITSM tool (articles and runbooks)
    review_interval: 1y
    owners: [knowledge-manager, service-desk-manager, problem-manager]
""")

PROCESS_TEMPLATES["monitoring-and-event-management"] = dict(
    title="Monitoring and event management", owner="platform-operations-lead",
    description="Observing the services and their components and acting on significant events.",
    spec="""\
  practice: monitoring-and-event-management
  purpose: Detect changes of state that matter to the services early, and make sure each gets the right response.
  scope: All configuration items of the services of {unit_scope}, including supplier-operated infrastructure.
  roles:
    - role: platform-operations-lead
      responsibility: accountable
      duties: Owns the process, the monitoring tools and the event rules.
    - role: service-desk-analyst
      responsibility: responsible
      duties: Watches the operations console and acts on exception events out of hours.
  activities:
    - id: define-rules
      name: Define monitoring and event rules
      description: Decide what is monitored, thresholds and the response to each event class.
      responsible: platform-operations-lead
    - id: detect-and-filter
      name: Detect, filter and correlate
      description: Filter and correlate events into actionable alerts.
      responsible: platform-operations-lead
    - id: respond
      name: Respond
      description: Exception events create incidents automatically; warnings go to the owning team.
      responsible: service-desk-analyst
  inputs: [Metrics and logs, Traces, Synthetic transactions, Supplier alerts]
  outputs: [Incidents, Alerts, Availability and performance data]
  records: [Event history in the observability platform]
  kpis:
    - id: incidents-detected-by-monitoring
      name: Incidents detected by monitoring first
      measure: P1 and P2 incidents raised by monitoring before any user report divided by all P1 and P2 incidents.
      target: ">= 80%"
      frequency: 1mo
  interfaces:
    - process: incident-management
      description: Exception events create incidents.
    - process: availability-management
      description: Provides availability measurements.
  review_interval: 1y
  monitoring:
    scope: Every configuration item recorded in the CMDB, plus end-to-end synthetic transactions per service.
    tools: [Observability platform, Synthetic transaction probes, Security information and event management system]
    event_types: [informational, warning, exception]
    incident_creation: Exception events open an incident with priority proposed from the affected service's criticality.
""")

PROCESS_TEMPLATES["risk-management"] = dict(
    title="Risk management", owner="risk-manager", approver="chief-operating-officer",
    description="Assessing and treating risks to the services and the service management system.",
    spec="""\
  practice: risk-management
  purpose: Identify, assess and treat risks to the services and to the service management system so that residual risk stays within the bank's appetite.
  scope: Risks to the services of {unit_scope}, their suppliers and the SMS.
  roles:
    - role: risk-manager
      responsibility: accountable
      duties: Owns the process and the IT risk register.
    - role: head-of-service-management
      responsibility: responsible
      duties: Identifies SMS risks and owns their treatment.
    - role: information-security-manager
      responsibility: consulted
      duties: Contributes security risks.
  activities:
    - id: identify
      name: Identify risks
      description: From context, interested parties, changes, incidents and supplier reviews.
      responsible: risk-manager
    - id: assess
      name: Assess
      description: Rate likelihood and impact by the bank's risk matrix.
      responsible: risk-manager
    - id: treat
      name: Treat and monitor
      description: Agree treatment and owner; track actions; reassess twice a year.
      responsible: head-of-service-management
  inputs: [SMS context and interested parties, Incident and audit data, Supplier reviews]
  outputs: [IT risk register, Risk assessment records, Treatment actions]
  records: [IT risk register in the GRC tool, Risk assessment records in this repository]
  kpis:
    - id: treatments-on-time
      name: Risk treatments on time
      measure: Treatment actions completed by their due date divided by actions due.
      target: ">= {kpi_a}%"
      frequency: 3mo
  interfaces:
    - process: information-security-management
      description: Security risks are part of the register.
    - process: service-continuity-management
      description: Disruption risks inform continuity plans.
  review_interval: 1y
  risk:
    register: IT risk register in the GRC tool
    criteria: Likelihood and impact each rated low, medium or high; any risk rated high in impact and medium or high in likelihood must be treated.
    assessment_interval: 6mo
    acceptance_authority: chief-operating-officer
""")

PROCESS_TEMPLATES["service-desk"] = dict(
    title="Service desk", owner="service-desk-manager",
    description="The single point of contact between users and IT Service Management.",
    spec="""\
  practice: service-desk
  purpose: Capture demand for incident resolution and service requests through one point of contact, and keep users informed.
  scope: Staff and business users of the services of {unit_scope}, and customer contacts passed on by the contact centre.
  roles:
    - role: service-desk-manager
      responsibility: accountable
      duties: Owns the desk, its staffing and its performance.
    - role: service-desk-analyst
      responsibility: responsible
      duties: Answers contacts, logs tickets, resolves or routes them.
    - role: knowledge-manager
      responsibility: consulted
      duties: Supplies the knowledge articles the desk uses.
  activities:
    - id: answer
      name: Answer contacts
      description: Answer calls, chats and portal tickets within the target times.
      responsible: service-desk-analyst
    - id: log-and-route
      name: Log and route
      description: Log every contact as an incident, request or enquiry and route it when not resolved.
      responsible: service-desk-analyst
    - id: inform
      name: Keep users informed
      description: Update users on progress and confirm resolution.
      responsible: service-desk-analyst
  inputs: [Calls, chats, portal tickets, e-mails]
  outputs: [Logged and resolved tickets, User updates]
  records: [Tickets and contact history in the ITSM tool]
  kpis:
    - id: answer-time
      name: Calls answered within 60 seconds
      measure: Calls answered within 60 seconds divided by calls offered.
      target: ">= 80%"
      frequency: 1mo
  interfaces:
    - process: incident-management
      description: The desk logs and resolves incidents at first line.
    - process: service-request-management
      description: The desk fulfils standard requests.
  review_interval: 1y
  service_desk:
    channels: [phone, chat, self-service portal, e-mail]
    hours: always-on
    staffing: Analysts in two shifts with a night rota; staffing is planned from contact volumes per hour and raised for month-end.
""")

PROCESS_TEMPLATES["workforce-and-talent-management"] = dict(
    title="Workforce and talent management", owner="hr-business-partner",
    description="Having the right people with the right competence for the services and the SMS.",
    spec="""\
  practice: workforce-and-talent-management
  purpose: Plan staffing, develop competence against role requirements and keep evidence that people in SMS roles are competent and aware.
  scope: Staff of {unit_scope} in the SMS scope, and contractors in SMS roles.
  roles:
    - role: hr-business-partner
      responsibility: accountable
      duties: Owns the process, training records and the yearly competence review.
    - role: head-of-service-management
      responsibility: responsible
      duties: Plans SMS staffing and runs the awareness programme.
  activities:
    - id: plan
      name: Plan workforce
      description: Plan headcount and skills per unit yearly from demand and improvement plans.
      responsible: hr-business-partner
    - id: develop
      name: Develop competence
      description: Train staff against the competence requirements of their roles; record evidence.
      responsible: hr-business-partner
    - id: awareness
      name: Create awareness
      description: Onboarding and yearly SMS awareness briefing for all staff in scope.
      responsible: head-of-service-management
  inputs: [Role definitions, Demand forecast, Improvement plan]
  outputs: [Workforce plan, Training records, Competence review results]
  records: [Training records in the learning platform, Training and awareness records in this repository]
  kpis:
    - id: mandatory-training
      name: Mandatory training completed
      measure: Staff in scope who completed mandatory SMS and security training in the last 12 months.
      target: ">= 98%"
      frequency: 3mo
  interfaces:
    - process: service-desk
      description: Desk staffing plan and onboarding.
    - process: knowledge-management
      description: Knowledge transfer reduces key-person risk.
  review_interval: 1y
  workforce:
    planning: Yearly workforce plan per unit, reviewed quarterly against demand forecasts and attrition.
    competence_review_interval: 1y
    training_records: Learning platform and HR system
    awareness_programme: Onboarding module within the first month and a yearly SMS awareness briefing.
""")

PROCESS_ORDER = ["incident-management", "change-enablement", "problem-management",
                 "service-level-management", "service-request-management", "supplier-management",
                 "release-management", "service-catalogue-management",
                 "service-continuity-management", "portfolio-management", "relationship-management",
                 "service-financial-management", "capacity-and-performance-management",
                 "service-design", "it-asset-management", "service-configuration-management",
                 "availability-management", "information-security-management",
                 "measurement-and-reporting", "service-validation-and-testing", "deployment-management",
                 "continual-improvement", "knowledge-management", "monitoring-and-event-management",
                 "risk-management", "service-desk", "workforce-and-talent-management"]
NPRACTICES = len(PROCESS_ORDER)  # 27, as in the reference set; one complete set per business unit
assert sorted(PROCESS_ORDER) == sorted(PROCESS_TEMPLATES)

_ROLE_IDS = re.compile(r"(?<![a-z-])(" + "|".join(sorted(ROLES, key=len, reverse=True)) + r")(?![a-z-])")


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
         offerings=[],
         cost_centre="Core Platform Operations", charging="Allocated to the customer-facing services in proportion to API calls.",
         forecast="{k},200 postings per second at end-of-day batch today, rising to {k2},000 by the end of 2027.",
         drivers=["Account growth", "Instant payment volumes", "Regulatory reporting batches"]),
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
                    ("Payment investigation request", "Trace or recall of a payment, fulfilled by Payments Operations.")],
         cost_centre="Payments Operations IT", charging="Scheme and processor charges passed on to the divisions each quarter.",
         forecast="Instant payments at {k}0 per second at peak today, growing by 30% in 2027.",
         drivers=["Salary days", "Scheme changes", "Growth of instant payments"]),
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
                    ("Reset of online banking credentials", "Standard request fulfilled through the service desk after identity checks.")],
         cost_centre="Digital Channels IT", charging="Not charged; costs shown back to the divisions each quarter.",
         forecast="{k}5,000 concurrent sessions at month-end peak today, rising by {k2}% by the end of 2027.",
         drivers=["Month-end and salary days", "Marketing campaigns", "New product launches in the app"]),
]

# Records: first one of each type the controls ask for (audits, reviews, tests, reports), then one
# current service report per group of services, then a mix of older and further records.
RECORD_FIRST = ["internal-audit", "management-review", "nonconformity", "improvement", "continuity-test",
                "service-report", "customer-satisfaction", "asset-audit", "awareness-briefing",
                "budget-review", "capacity-review", "configuration-audit", "knowledge-review",
                "release-review", "security-incident-review"]
RECORD_CYCLE = (["service-report"] * 5 + ["improvement"] * 2 + ["nonconformity"] * 2 +
                ["service-review"] * 2 + ["customer-satisfaction", "continuity-test", "risk-assessment",
                 "internal-audit", "management-review", "training", "customer-complaint",
                 "capacity-review", "budget-review", "configuration-audit", "asset-audit",
                 "release-review", "security-incident-review", "knowledge-review", "awareness-briefing"])
PLAN_FIRST = ["continuity", "improvement", "service-management", "availability", "capacity",
              "information-security"]
PLAN_CYCLE = ["continuity", "improvement", "transition", "continuity", "capacity", "availability",
              "continuity", "information-security", "service-management"]


# Records that evidence a process at work (audits, reviews, briefings): one template each.
RECORD_SPECS = {
    "asset-audit": dict(
        title="IT asset and licence audit, {month}", owner="configuration-manager", prefix="asset",
        process="it-asset-management", services="all",
        scope="Hardware assets in both data centres and the ten largest software licences used by the services.",
        participants=["configuration-manager", "platform-operations-lead", "it-finance-manager"],
        summary="Physical check of {n} hardware assets with the hosting supplier and reconciliation of licence use with entitlements. Two retired servers were still shown as deployed.",
        outcome="Register accuracy {n1}%; licences compliant.",
        measures=[("Asset register accuracy", '"{n1}%"', '">= 98%"'), ("Licensed products within entitlement", '"100%"', '"100%"')],
        findings=["Two retired servers still had the status deployed; corrected during the audit."],
        action=("Link the retirement change template to the asset status update.", "configuration-manager")),
    "configuration-audit": dict(
        title="Configuration audit, {month}", owner="configuration-manager", prefix="cfg",
        process="service-configuration-management", services="all",
        scope="Sample of 50 configuration items per service compared with the deployed configuration, and the relationships of each sampled item.",
        participants=["configuration-manager", "platform-operations-lead", "internal-auditor"],
        summary="{n} configuration items were checked against discovery data and the systems themselves. Three items had outdated version attributes after emergency changes; all relationships were correct.",
        outcome="CMDB accuracy {n1}%; relationships correct.",
        measures=[("CMDB accuracy", '"{n1}%"', '">= 98%"'), ("Relationships correct", '"100%"', '"100%"')],
        findings=["Three version attributes were not updated after emergency changes made out of hours."],
        action=("Add a CMDB update check to the emergency change closure task.", "change-manager")),
    "capacity-review": dict(
        title="Quarterly capacity review, {quarter}", owner="platform-operations-lead", prefix="capr",
        process="capacity-and-performance-management", services="all", period=True, plan="capacity",
        participants=["platform-operations-lead", "digital-channels-owner", "payments-service-owner", "it-finance-manager"],
        summary="Utilization and performance of the quarter compared with thresholds and the demand forecast. Core database storage will reach its 70% threshold within two quarters at current growth.",
        outcome="Demand forecast and capacity plan updated; capacity changes planned.",
        measures=[("Core database storage used", '"64%"', '"< 70%"'), ("Critical threshold breaches", "0", "0")],
        action=("Extend core database storage by 40% before the threshold date.", "platform-operations-lead")),
    "budget-review": dict(
        title="Quarterly budget review of the IT services, {quarter}", owner="it-finance-manager", prefix="budget",
        approver="chief-operating-officer", process="service-financial-management", services="all", period=True,
        participants=["it-finance-manager", "head-of-service-management", "payments-service-owner", "platform-operations-lead"],
        summary="Actual costs to date compared with the 2026 budget per service, and the draft 2027 budget. Payments costs ran over because of higher instant payment volumes billed by the card processor.",
        outcome="Total variance within the 5% target; 2027 budget submitted for approval.",
        measures=[("Payments variance year to date", '"+4.6%"', '"<= 5%"'), ("Core banking platform variance year to date", '"+1.2%"', '"<= 5%"')],
        action=("Renegotiate the instant payment volume tiers before the 2027 contract year.", "supplier-manager")),
    "knowledge-review": dict(
        title="Knowledge base review, {quarter}", owner="knowledge-manager", approver="service-desk-manager", prefix="kb",
        process="knowledge-management",
        scope="All published knowledge articles and platform runbooks for the services in scope.",
        participants=["knowledge-manager", "service-desk-manager", "platform-operations-lead"],
        summary="Review of article currency, ownership and use; {n} outdated articles were retired and runbooks updated after the failover test.",
        outcome="{n1}% of articles reviewed within their interval.",
        measures=[("Articles reviewed on time", '"{n1}%"', '"95%"')],
        action=("Write articles for the 30 most frequent credential and login issues.", "service-desk-manager")),
    "release-review": dict(
        title="Post-release review of the major release, {month}", owner="release-manager", prefix="rel",
        process="release-management", services="one",
        participants=["release-manager", "test-manager", "digital-channels-owner", "service-desk-manager"],
        summary="The major release (new standing order management) was deployed in the authorized window. Early life support ended after 7 days with two P4 incidents and no rollback.",
        outcome="Release met its acceptance criteria and expected outcomes.",
        measures=[("P1 or P2 incidents caused within 7 days", "0", "0"), ("Deployment duration", "42m", "1h")],
        action=("Publish the two P4 workarounds as knowledge articles.", "knowledge-manager")),
    "security-incident-review": dict(
        title="Security incident review, credential stuffing attack, {month}", owner="information-security-manager",
        prefix="sec", process="information-security-management", services="one", classification=True,
        participants=["information-security-manager", "platform-operations-lead", "major-incident-manager"],
        summary="A credential stuffing attack tried logins from leaked credentials. Strong customer authentication stopped every attempt beyond the password step; {n} customers were locked out and reset their credentials.",
        outcome="No account was taken over and no data was disclosed; the supervisor was not notified as thresholds were not reached.",
        root_cause="Reuse by customers of passwords leaked in breaches of other services.",
        measures=[("Minutes until rate limiting reacted", "12", "2")],
        findings=["Rate limiting reacted after 12 minutes; it should react within 2."],
        action=("Tighten rate limiting rules on the login endpoint.", "platform-operations-lead")),
    "awareness-briefing": dict(
        title="SMS awareness briefing, {month}", owner="head-of-service-management", prefix="aware",
        process="workforce-and-talent-management", policy=True,
        scope="All staff of the units in the SMS scope; sessions in person and online, recording available on the learning platform.",
        participants=["head-of-service-management", "hr-business-partner"],
        others=["Staff of IT Service Management, Platform Operations, Digital Channels and Payments Operations"],
        topics=["The service management policy and objectives", "How each team's work contributes to the objectives",
                "Where to find processes and knowledge and how to raise improvements"],
        summary="Three sessions of 45 minutes with {n} participants; attendance tracked on the learning platform, absentees completed the recording.",
        outcome="{n1}% of staff in scope attended or completed the recording.",
        measures=[("Staff in scope who attended or completed the recording", '"{n1}%"', '"95%"')],
        action=("Remind the remaining staff and report completion to the HR business partner.", "hr-business-partner")),
}


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
        # Roles: role i has base i % NROLES in unit i // NROLES; the first role_units units are complete.
        self.role_units = max(1, c["Role"] // len(ROLE_BASES))
        _UNITS[0] = self.role_units
        self.roles = [with_unit(ROLE_BASES[i % NROLES], i // NROLES) for i in range(c["Role"])]
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
            ra = random.Random(f"{seed}/service-availability/{i}")
            target = {0: ra.choice([99.95, 99.99]), 1: ra.choice([99.9, 99.95]), 2: ra.choice([99.9, 99.8, 99.9])}[t]
            self.services.append(dict(id=with_unit(SERVICE_TEMPLATES[t]["base"], g), group=g, t=t,
                                      status=status, index=i, availability=target))
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
        # Processes: practice i % NPRACTICES in unit i // NPRACTICES
        self.processes = []
        for i in range(c["Process"]):
            base, u = PROCESS_ORDER[i % NPRACTICES], i // NPRACTICES
            self.processes.append(dict(id=with_unit(base, u), base=base, unit=u))
        # Policies: a service management and an information security policy per unit
        self.policies = []
        self.policies_by_type = {}
        for i in range(c["Policy"]):
            typ = "service-management" if i % 2 == 0 else "information-security"
            pu = i // 2
            base = "sms-policy" if typ == "service-management" else "information-security-policy"
            pol = dict(type=typ, unit=pu, index=i, id=base if pu == 0 else f"{base}-{unit_slug(pu)}")
            self.policies.append(pol)
            self.policies_by_type.setdefault(typ, []).append(pol)
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
        head = RECORD_FIRST + ["service-report"] * (self.groups - 1)
        if c["Record"] < len(head):
            raise SystemExit("too few records for one current service report per group of services")
        for i in range(c["Record"]):
            typ = head[i] if i < len(head) else RECORD_CYCLE[(i - len(head)) % len(RECORD_CYCLE)]
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
        if len(self.roles) < NROLES:
            raise SystemExit("too few roles")
        return with_unit(base, u % self.role_units) if b + NROLES * (u % self.role_units) < len(self.roles) else base

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

    def continuity_test_date(self, k):
        """Date of continuity test record k (plans that name the record use the same date)."""
        return rdate(self.rng("continuity-test-date", k), D(2026, 1, 10), D(2026, 11, 7))

    def _plan_id(self, typ, k):
        base = {"continuity": "continuity-plan", "improvement": "service-improvement-plan-2026",
                "service-management": "sms-plan"}.get(typ, f"{typ}-plan")
        if k == 0:
            return "core-services-continuity-plan" if typ == "continuity" else base
        return f"{base}-{unit_slug(k)}"

    def plan_of(self, typ, u):
        """The id of the plan of type `typ` that unit u works with."""
        lst = self.plans_by_type[typ]
        return lst[u % len(lst)]["id"]

    def policy_of(self, typ, u):
        lst = self.policies_by_type[typ]
        return lst[u % len(lst)]["id"]

    def policy_services(self, u):
        """Services in the scope of the policies of unit u (two groups of services)."""
        n = len(self.policies_by_type["service-management"])
        groups = [g for g in range(u, self.groups, n)][:2] or [0]
        return [s["id"] for g in groups for s in self.group_services(g) if s["status"] != "retired"]

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
            g, month = self.service_report_period(k)
            slug = unit_slug(g)
            return f"service-report-{slug + '-' if slug else ''}2026-{month:02d}" + (
                f"-{k}" if k >= 10 * self.groups else "")
        first = {"asset-audit": "asset-audit-2026", "awareness-briefing": "awareness-briefing-2026",
                 "budget-review": "budget-review-2026-q3", "capacity-review": "capacity-review-2026-q3",
                 "configuration-audit": "configuration-audit-2026", "knowledge-review": "knowledge-review-2026-q3",
                 "release-review": "release-review-2026-r3",
                 "security-incident-review": "security-incident-review-2026-002"}
        if typ in first:
            return first[typ] if k == 0 else f"{first[typ].rsplit('-', 1)[0]}-{k + 1:04d}"
        if typ == "customer-complaint":
            return f"customer-complaint-2026-{k + 14:04d}"
        if typ == "service-review":
            return f"service-review-2026-{k + 1:04d}"
        if typ == "customer-satisfaction":
            return f"customer-satisfaction-2026-{k + 1:04d}"
        if typ == "risk-assessment":
            return f"risk-assessment-2026-{k + 1:04d}"
        if typ == "training":
            return f"training-record-2026-{k + 1:04d}"
        raise AssertionError(typ)

    def service_report_period(self, k):
        """(group, month of 2026) of service report k: first the latest month for every group."""
        return k % self.groups, 10 - (k // self.groups) % 10

    def process_of(self, base, u):
        """The id of the process of practice `base` in unit u (units with all practices only)."""
        units = max(1, self.counts["Process"] // NPRACTICES)
        return with_unit(base, u % units)

    def agreements_of(self, service_ids):
        """Approved agreements that cover any of the services."""
        want = set(service_ids)
        return [a["id"] for a in self.olas + self.slas if want & {s["id"] for s in a["services"]}]

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
             approved_range=(D(2026, 1, 5), D(2026, 10, 30)), labels=None, reviewed_from=None):
        lines = ["apiVersion: evident/v1", f"kind: {kind}", "metadata:", f"  id: {mid}",
                 f"  title: {q(title)}"]
        if description:
            lines.append(f"  description: {q(description)}")
        lines += [f"  owner: {owner}", f"  version: {version(r)}", f"  status: {status}"]
        approved_on = rdate(r, *approved_range)
        if status == "approved":
            lines += [f"  approved_by: {approver}", f"  approved_on: {date(approved_on)}"]
        lines.append(f"  last_reviewed: {date(rdate(r, max(approved_on, reviewed_from or approved_on), D(2026, 11, 20)))}")
        if labels:
            lines.append("  labels: { " + ", ".join(f"{k}: {qf(v)}" for k, v in labels.items()) + " }")
        lines.append("spec:")
        return lines

    # Policy ------------------------------------------------------------------------------
    def policy(self, i):
        pol = self.policies[i]
        if pol["type"] == "information-security":
            return self.security_policy(pol)
        r = self.rng("policy", i)
        u = pol["unit"]
        R = lambda b: self.role(b, u)
        pid = pol["id"]
        org = f"Northwind {unit_name(u)}" if unit_name(u) else "Northwind Digital Bank"
        services = self.policy_services(u)
        city = CITIES[u % len(CITIES)][1]
        lines = self.meta("Policy", pid, f"Service management policy of {org}", R("head-of-service-management"),
                          R("chief-operating-officer"), r,
                          description="Top management's commitment, the scope of the service management system and its objectives.",
                          labels={"organization": pid.replace("sms-policy", "northwind") if u else "northwind-digital-bank"})
        lines.append("  type: service-management")
        lines += folded("statement", f"{org} runs its IT services so that customers can bank safely at any hour. Top management commits to meeting the service requirements agreed with customers and regulators, to planning and operating services through the service management system, to providing the resources it needs, and to improving services and the system continually on the basis of measured results.", 2)
        lines += ["  scope:"]
        lines += folded("description", f"The design, transition, delivery and improvement of the services listed below, provided from {city} to retail and small-business customers and to internal business units.", 4)
        lines += [f"    services: {flow_list(services)}"]
        lines += block_list("locations", [f"{city} head office and operations centre",
                                          "Primary and secondary data centres (supplier-operated)"], 4)
        lines += [f"    organizational_units: {flow_list(['IT Service Management', 'Platform Operations', 'Digital Channels', 'Payments Operations'])}"]
        avail = r.choice(["99.9", "99.95", "99.8"])
        sat = r.choice([80, 82, 85, 88])
        lines += ["  objectives:",
                  "    - id: obj-availability",
                  "      description: Keep the customer-facing services available within their agreed targets.",
                  "      measure: Monthly availability of online banking and payments as reported in service reports.",
                  f"      target: \">= {avail}% every month\"",
                  f"      due: {date(rdate(r, D(2027, 6, 30), D(2027, 12, 31)))}",
                  f"      owner: {R('head-of-service-management')}",
                  f"      plan: {self.plan_of('availability', u)}",
                  "      evaluation: Monthly in the service reports; trend evaluated in the quarterly SMS performance report.",
                  "    - id: obj-satisfaction",
                  "      description: Keep customers satisfied with the digital services.",
                  "      measure: Share of satisfied respondents in the half-yearly customer survey.",
                  f"      target: \">= {sat}%\"",
                  f"      due: {date(rdate(r, D(2027, 3, 31), D(2027, 9, 30)))}",
                  f"      owner: {R('service-level-manager')}",
                  f"      plan: {self.plan_of('improvement', u)}",
                  "      evaluation: After each half-yearly survey, by the business relationship manager.",
                  "    - id: obj-nonconformities",
                  "      description: Correct audit nonconformities on time.",
                  "      measure: Share of corrective actions completed by their due date.",
                  "      target: 100",
                  f"      due: {date(rdate(r, D(2027, 6, 30), D(2027, 12, 31)))}",
                  f"      owner: {R('head-of-service-management')}",
                  f"      plan: {self.plan_of('service-management', u)}",
                  "      evaluation: At every management review, from the status of nonconformity records."]
        lines += ["  interested_parties:",
                  "    - party: Retail and small-business customers",
                  "      needs: [Online banking and payments available around the clock, Timely information when a service is disrupted]",
                  "    - party: Banking supervisor",
                  "      needs: [Operational resilience of critical services including outsourced ones]"]
        lines += ["  context:",
                  "    internal_issues: [Small platform team with key-person dependencies for the core banking platform]",
                  "    external_issues: [Stricter regulation of ICT risk and third-party providers in the EU financial sector]"]
        lines += ["  risks:",
                  "    - id: risk-supplier-concentration",
                  "      description: Both data centres are operated by one hosting supplier; its failure would affect all services.",
                  f"      likelihood: {r.choice(['low', 'medium'])}",
                  "      impact: high",
                  "      treatment: Reduce — contractual exit plan, yearly failover test, evaluation of a second provider.",
                  f"      owner: {R('supplier-manager')}"]
        lines += ["  communication:",
                  "    audience: [All staff of the units in scope, Suppliers that contribute to the services]",
                  "    method: Published on the intranet and covered in onboarding and in the yearly SMS awareness training.",
                  "    plan:",
                  "      - what: Service management policy and objectives",
                  "        audience: [All staff of the units in scope]",
                  "        when: After each approval and yearly at the awareness briefing",
                  "        method: Intranet publication and onboarding module",
                  f"        by: {R('head-of-service-management')}",
                  "      - what: Monthly service reports",
                  "        audience: [Customer representatives named in each SLA, service owners]",
                  "        when: By the fifth working day of each month",
                  "        method: E-mail with the report",
                  f"        by: {R('service-level-manager')}",
                  "      - what: Major incident status",
                  "        audience: [Affected customers, service owners]",
                  f"        when: Every {r.choice(['30 minutes', 'hour'])} during a major incident",
                  "        method: Customer status page and e-mail",
                  f"        by: {R('major-incident-manager')}",
                  "  review_interval: 1y"]
        lines += block_list("commitments", [
            "Meet the service requirements agreed with customers and the obligations set by regulators.",
            "Provide the people, skills, tools and budget the service management system needs.",
            "Continually improve the services and the service management system on the basis of measured results."], 2)
        lines += ["  resources:",
                  "    - resource: Staff of the units in scope",
                  "      provision: Headcount in the 2027 workforce plan, approved by the chief operating officer.",
                  "    - resource: ITSM tool, observability platform and GRC tool",
                  "      provision: Licensed and operated under the IT service budget."]
        lines += ["  awareness:",
                  "    programme: Onboarding module for every joiner in scope and a yearly SMS awareness briefing.",
                  "    audience: [All staff of the units in scope, Contractors in SMS roles]",
                  "    topics: [The service management policy and objectives, How each team's work contributes, What happens when processes are not followed]",
                  "    interval: 1y"]
        lines += ["  documented_information:"]
        lines += block_list("list", ["Policies, process definitions, agreements and plans (this repository)",
                                     "Records of audits, reviews, reports and tests (this repository)",
                                     "Operational records in the ITSM tool"], 4)
        lines += [
                  "    creating_and_updating: Every change is a pull request reviewed by the owner and approved by the role named in approved_by.",
                  "    control: The main branch is protected; history is kept by version control; write access is given to document owners.",
                  f"    retention: SMS documents and records are kept for at least {r.choice([7, 10])} years; superseded versions remain in version history."]
        lines += ["  knowledge:",
                  "    approach: Knowledge needed to run the services is captured in the knowledge base and shared through onboarding and the service desk.",
                  "    repository: Knowledge base of the ITSM tool and this repository",
                  f"    owner: {R('knowledge-manager')}"]
        return self._doc("Policy", f"{pid}.yaml", lines)

    def security_policy(self, pol):
        r = self.rng("policy", pol["id"])
        u = pol["unit"]
        R = lambda b: self.role(b, u)
        pid = pol["id"]
        org = f"Northwind {unit_name(u)}" if unit_name(u) else "Northwind Digital Bank"
        services = self.policy_services(u)
        city = CITIES[u % len(CITIES)][1]
        plan = self.plan_of("information-security", u)
        lines = self.meta("Policy", pid, f"Information security policy of {org}", R("information-security-manager"),
                          R("chief-operating-officer"), r,
                          description="Top management's direction for protecting the information handled by the services in the SMS scope.",
                          labels={"organization": pid.replace("information-security-policy", "northwind") if u else "northwind-digital-bank"})
        lines.append("  type: information-security")
        lines += folded("statement", f"{org} protects the confidentiality, integrity and availability of customer and bank information processed by its services. Top management commits to assessing information security risks regularly, applying controls proportionate to those risks, holding suppliers to the same standard and handling security incidents promptly.", 2)
        lines += ["  scope:"]
        lines += folded("description", f"Information, systems, people and suppliers involved in the services listed below, provided from {city}, as in the scope of the service management system.", 4)
        lines += [f"    services: {flow_list(services)}"]
        lines += ["  objectives:",
                  "    - id: sec-patching",
                  "      description: Close critical vulnerabilities quickly.",
                  "      measure: Critical security patches applied within 14 days of release.",
                  f"      target: \">= {r.choice([90, 95])}% every month\"",
                  f"      due: {date(rdate(r, D(2027, 6, 30), D(2027, 12, 31)))}",
                  f"      owner: {R('platform-operations-lead')}",
                  f"      plan: {plan}",
                  "      evaluation: Monthly in the security report; quarterly in the SMS performance report.",
                  "    - id: sec-suppliers",
                  "      description: Keep assurance over suppliers with access to information.",
                  "      measure: Critical suppliers with a current independent assurance report reviewed in the last 12 months.",
                  "      target: 100%",
                  f"      due: {date(rdate(r, D(2027, 3, 31), D(2027, 9, 30)))}",
                  f"      owner: {R('supplier-manager')}",
                  f"      plan: {plan}",
                  "      evaluation: At each supplier review and in the yearly security report."]
        lines += ["  interested_parties:",
                  "    - party: Retail and small-business customers",
                  "      needs: [Their personal and financial data kept confidential and correct]",
                  "    - party: Banking supervisor",
                  "      needs: [Sound ICT security risk management and timely reporting of major ICT incidents]"]
        lines += ["  context:",
                  "    internal_issues: [Growing use of cloud services by delivery teams]",
                  "    external_issues: [Rising ransomware and account takeover attacks on banks]"]
        lines += ["  risks:",
                  "    - id: sec-risk-ransomware",
                  "      description: Ransomware encrypts platform systems and backups.",
                  f"      likelihood: {r.choice(['low', 'medium'])}",
                  "      impact: high",
                  "      treatment: Reduce — immutable backups, network segmentation, clean-room recovery tested yearly.",
                  f"      owner: {R('platform-operations-lead')}",
                  "    - id: sec-risk-supplier-breach",
                  "      description: A supplier with access to customer data suffers a breach.",
                  "      likelihood: low",
                  "      impact: high",
                  "      treatment: Reduce — contract security schedule, yearly assurance reports, least-privilege access.",
                  f"      owner: {R('supplier-manager')}"]
        lines += ["  communication:",
                  "    audience: [All staff of the units in scope, Suppliers with access to information or systems]",
                  "    method: Published on the intranet; part of onboarding and the yearly security e-learning; annex to supplier contracts.",
                  "  review_interval: 1y"]
        lines += block_list("commitments", [
            "Meet legal, regulatory and contractual information security requirements.",
            "Assess information security risks at least yearly and when services or suppliers change.",
            "Continually improve the management of information security."], 2)
        return self._doc("Policy", f"{pid}.yaml", lines)

    # Process -----------------------------------------------------------------------------
    def process(self, p):
        r = self.rng("process", p["id"])
        u = p["unit"]
        t = PROCESS_TEMPLATES[p["base"]]
        title = title_with_unit(t["title"], u)
        lines = self.meta("Process", p["id"], title, self.role(t["owner"], u),
                          self.role(t.get("approver", "head-of-service-management"), u), r,
                          description=t["description"], approved_range=(D(2026, 1, 5), D(2026, 9, 30)))
        scope = f"the {unit_name(u)} unit" if unit_name(u) else "Northwind Digital Bank"
        g = u % self.groups
        values = dict(unit_scope=scope, kpi_a=r.choice([90, 92, 95]), kpi_b=r.choice([95, 97, 98]),
                      kpi_c=r.choice([2, 3, 5]), kpi_d=r.choice([95, 97, 98]),
                      update_interval=r.choice(["30m", "1h"]), lead_time=r.choice(["3d", "5d"]),
                      els=r.choice(["7d", "7d", "14d"]),
                      ob_service=self.services[min(3 * g + 2, len(self.services) - 1)]["id"],
                      pay_service=self.services[min(3 * g + 1, len(self.services) - 1)]["id"],
                      security_policy=self.policy_of("information-security", u),
                      availability_plan=self.plan_of("availability", u),
                      capacity_plan=self.plan_of("capacity", u))
        spec = re.sub(r"\{([a-z_]+)\}", lambda m: str(values[m.group(1)]), t["spec"])
        # Role ids anywhere in the spec (owners, approvers, RACI, CAB, escalation, contacts) become
        # the roles of this process's unit.
        lines += _ROLE_IDS.sub(lambda m: self.role(m.group(1), u), spec).splitlines()
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
        title = titles[typ]
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
        base, u = ROLE_BASES[i % NROLES], i // NROLES
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
                          status=mstatus, reviewed_from=D(2026, 6, 1))
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
        target = s["availability"]
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
        if status != "retired":
            budget = r.randint(8, 60) / 10 * (3 if t == 0 else 1)
            lines += ["  finance:",
                      f"    budget: EUR {budget:.1f}m operating costs for 2027, approved in the IT service budget",
                      f"    cost_centre: CC-{4100 + 10 * t}-{g:03d} {tpl['cost_centre']}",
                      f"    charging: {tpl['charging']}"]
            lines += ["  demand:"]
            lines += folded("forecast", tpl["forecast"].format(k=k, k2=k + r.randint(1, 3)), 4)
            lines += [f"    drivers: {flow_list(tpl['drivers'])}",
                      f"    reviewed: {date(rdate(r, D(2026, 3, 1), D(2026, 11, 16)))}"]
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
            most = min(s["availability"] for s in svc)
            avail = r.choice([a for a in [99.5, 99.8, 99.9, 99.9] if a <= most])
            pri = [("P1", r.choice(["15m", "30m"]), r.choice(["4h", "6h", "8h"])),
                   ("P2", r.choice(["30m", "1h"]), r.choice(["8h", "12h", "1d"])),
                   ("P3", r.choice(["2h", "4h"]), r.choice(["2d", "3d", "5d"])),
                   ("P4", r.choice(["8h", "1d"]), r.choice(["5d", "10d", "15d"]))]
        lines += [f"    availability: {avail}", "    priorities:"]
        for p, resp, res in pri:
            lines.append(f"      - {{ priority: {p}, response: {resp}, resolution: {res} }}")
        if not is_ola:
            lines.append(f"    request_fulfilment: {r.choice(['2d', '3d', '5d'])}")
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
        supported = [x["id"] for x in self.services
                     if x["status"] != "retired" and s["id"] in self.supplier_of(x)][:4]
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
        u = k % self.role_units
        R = lambda b: self.role(b, u)
        if typ == "continuity":
            groups = list(range(k, self.groups, len(self.plans_by_type["continuity"]))) or [0]
            services = [s["id"] for g in groups for s in self.group_services(g)]
            lines = self.meta("Plan", p["id"], title_with_unit("Service continuity plan for core banking, payments and online banking", k),
                              R("continuity-manager"), R("head-of-service-management"), r,
                              description="How the live services are recovered in the secondary data centre after a major disruption.",
                              approved_range=(D(2026, 3, 1), D(2026, 10, 30)))
            tests = self.records_by_type.get("continuity-test", [])
            test_rec = tests[k % len(tests)] if tests else None
            test_date = self.continuity_test_date(test_rec["k"] if test_rec else 10_000 + k)
            lines.append("  type: continuity")
            lines += folded("scope", "Recovery of the core banking platform, payments and online banking after loss of the primary data centre, loss of a critical supplier or a destructive cyber attack.", 2)
            lines += [f"  services: {flow_list(services)}", "  interval: 1y", "  last_test:",
                      f"    date: {date(test_date)}", "    outcome: passed"]
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
            rel = [("Process", self.process_of("service-continuity-management", u))]
            if tests:
                rel.append(("Record", tests[k % len(tests)]["id"]))
            lines.append("  related:")
            lines += [f"    - {{ kind: {kd}, id: {i} }}" for kd, i in rel]
            return self._doc("Plan", f"{p['id']}.yaml", lines)

        titles = {"improvement": "Service improvement plan 2026/27", "capacity": "Capacity plan 2027",
                  "availability": "Availability plan 2027", "information-security": "Information security plan 2027",
                  "transition": "Transition plan for the payments hub upgrade",
                  "service-management": "Service management system plan 2026/27"}
        descs = {"improvement": "The improvements the bank has decided to make to its services and its service management system.",
                 "capacity": "Forecast demand and the capacity to be provided for the services over the next year.",
                 "availability": "How the availability targets of the services will be met and improved.",
                 "information-security": "Information security measures for the services and their suppliers.",
                 "transition": "How the new payments hub release is moved into the live environment.",
                 "service-management": "How the service management system is established, run and improved, and what it needs to do so."}
        owners = {"improvement": "head-of-service-management", "capacity": "platform-operations-lead",
                  "availability": "platform-operations-lead", "information-security": "information-security-manager",
                  "transition": "release-manager", "service-management": "head-of-service-management"}
        top = typ in ("improvement", "service-management")
        lines = self.meta("Plan", p["id"], title_with_unit(titles[typ], k), R(owners[typ]),
                          R("chief-operating-officer" if top else "head-of-service-management"), r,
                          description=descs[typ])
        g = k % self.groups
        services = [s["id"] for s in self.group_services(g) if s["status"] != "retired"]
        if typ == "transition":
            tps = self.plans_by_type["transition"]
            pipeline = [x["id"] for x in self.services if x["status"] == "pipeline"]
            services = list(dict.fromkeys(pipeline[k::len(tps)] + services))
        scope = {"improvement": "All services and processes in the scope of the service management system.",
                 "capacity": "Compute, storage and network capacity of the services listed, including month-end and year-end peaks.",
                 "availability": "Availability design, monitoring and improvement of the services listed.",
                 "information-security": "Security controls protecting the services listed and the data they process.",
                 "transition": "Build, test, deployment and early life support of the payments hub release 5.0.",
                 "service-management": "The service management system for the services listed, as defined in the service management policy; all processes, roles and supporting tools in scope."}[typ]
        interval = {"improvement": ["3mo", "6mo"], "capacity": ["3mo", "6mo"],
                    "service-management": ["1y"]}.get(typ, ["6mo", "1y"])
        lines += [f"  type: {typ}", f"  scope: {q(scope)}", f"  services: {flow_list(services)}",
                  f"  interval: {r.choice(interval)}",
                  f"  last_review: {date(rdate(r, D(2026, 8, 25), D(2026, 11, 18)))}"]
        addresses = {"improvement": ["obj-satisfaction"], "availability": ["obj-availability"],
                     "service-management": ["obj-nonconformities"],
                     "information-security": ["sec-patching", "sec-suppliers"]}.get(typ)
        if addresses:
            lines.append(f"  addresses: {flow_list(addresses)}")
        objectives = {
            "improvement": ["Cut the number of P1 and P2 incidents on online banking by 20% by the end of 2027.",
                            "Raise first-contact resolution at the service desk to 70%.",
                            "Close every audit nonconformity by its agreed due date."],
            "capacity": ["Keep peak utilization of the core platform below 70%.",
                         "Forecast month-end demand three months ahead."],
            "availability": ["Remove single points of failure in the login chain.",
                             "Meet the availability targets of all SLAs every month."],
            "information-security": ["Achieve the objectives of the information security policy.",
                                     "Patch critical vulnerabilities within 72 hours."],
            "transition": ["Deploy the new payments hub release without customer-visible downtime.",
                           "Hand over operations documentation and known errors before go-live."],
            "service-management": ["Operate every process in scope with an approved definition, an owner and measured KPIs.",
                                   "Achieve the service management objectives in the policy by their due dates."]}[typ]
        lines += block_list("objectives", objectives, 2)
        resources = {
            "improvement": [("Integration of the ITSM tool with the customer status page", "Improvement budget approved at the management review.")],
            "capacity": [("Additional database storage and application nodes", "Capacity line in the IT service budget 2027, delivered under the hosting contract.")],
            "availability": [("Two platform engineers for two quarters to build active-active gateways", "Resilience project line of the approved 2027 IT service budget.")],
            "information-security": [("Security operations centre monitoring around the clock", "Shared service of the bank group."),
                                     ("Yearly penetration test of the customer-facing services", "Security budget line of the IT service budget.")],
            "transition": [("Release team and test environments for two quarters", "Payments hub project budget.")],
            "service-management": [("Process owners and staff in the units in scope", "Headcount in the 2027 workforce plan."),
                                   ("Internal audit capacity of 30 auditor-days a year", "Group internal audit programme 2027.")]}[typ]
        lines.append("  resources:")
        for res, prov in resources:
            lines += [f"    - resource: {q(res)}", f"      provision: {q(prov)}"]
        if typ == "service-management":
            lines += ["  responsibilities:",
                      f"    - {{ role: {R('chief-operating-officer')}, duty: Approves the plan and provides resources. }}",
                      f"    - {{ role: {R('head-of-service-management')}, duty: Owns the plan and reports progress quarterly. }}",
                      f"    - {{ role: {R('internal-auditor')}, duty: Audits the SMS according to the audit programme. }}",
                      "  milestones:",
                      f"    - {{ name: Process definitions for all practices in scope approved, due: 2026-09-30, status: done, completed: {date(rdate(r, D(2026, 9, 1), D(2026, 9, 30)))} }}",
                      f"    - {{ name: Internal audit of the remaining processes, due: {date(rdate(r, D(2027, 1, 29), D(2027, 3, 31)))}, status: open }}",
                      "    - { name: ISO/IEC 20000-1 surveillance audit, due: 2027-06-30, status: open }"]
            lines += folded("evaluation", "KPIs and objectives are reported quarterly in the SMS performance report; the SMS is audited yearly and reviewed at the half-yearly management review.", 2)
        lines.append("  actions:")
        action_texts = [
            ("Publish major incident updates automatically on the customer status page.", "service-desk-manager"),
            ("Extend the knowledge base with the 30 most frequent credential and login issues.", "service-desk-manager"),
            ("Introduce capacity forecasts for month-end peaks of online banking.", "platform-operations-lead"),
            ("Add supplier performance data to the monthly service reports.", "supplier-manager"),
            ("Run a failover drill of the login chain in the pre-production environment.", "platform-operations-lead"),
        ]
        prefix = {"improvement": "sip", "capacity": "cap", "availability": "av", "information-security": "sec",
                  "transition": "tr", "service-management": "sms"}[typ]
        for n in range(r.randint(2, 3)):
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
        if typ in ("service-management", "information-security"):
            rel.append(("Policy", self.policy_of("service-management" if typ == "service-management" else typ, u)))
        practice = {"improvement": "continual-improvement", "capacity": "capacity-and-performance-management",
                    "availability": "availability-management", "information-security": "information-security-management",
                    "transition": "service-design"}.get(typ)
        if practice:
            rel.append(("Process", self.process_of(practice, u)))
        lines.append("  related:")
        lines += [f"    - {{ kind: {kd}, id: {i} }}" for kd, i in rel]
        return self._doc("Plan", f"{p['id']}.yaml", lines)

    def _action(self, r, aid, text, owner, indent, after=None):
        pad = " " * indent
        status = r.choice(["open", "in-progress", "in-progress", "done"])
        lines = [f"{pad}- id: {aid}", f"{pad}  description: {q(text)}", f"{pad}  owner: {owner}"]
        if status == "done":
            due = rdate(r, max(D(2026, 7, 1), after or D(2026, 7, 1)), D(2026, 12, 31))
            end = min(due, D(2026, 11, 20))
            completed = rdate(r, min(max(D(2026, 6, 1), after or D(2026, 6, 1)), end), end)
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
        if typ == "continuity-test":
            when = self.continuity_test_date(k)
        elif k == 0:  # the latest record of its type: within the shortest interval a process sets
            when = rdate(r, D(2026, 9, 1), D(2026, 11, 10))
        unit = f" ({unit_name(u)})" if unit_name(u) else ""
        A = lambda *args: self._action(*args, after=when)  # actions are completed after the record's date

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
            pols = self.policies_by_type["service-management"]
            pol = pols[k % len(pols)]
            top = self.role("chief-operating-officer", pol["unit"])  # approved the policy this review covers
            lines = head(f"Management review of the SMS{unit}, {when.strftime('%B %Y')}", R("head-of-service-management"),
                         approver=top)
            lines.append(f"  period: {{ from: {date(add_months(when, -6).replace(day=1))}, to: {date(when.replace(day=1) - dt.timedelta(days=1))} }}")
            lines += block_list("participants", list(dict.fromkeys([top, R("chief-operating-officer"), R("head-of-service-management"),
                                                                    R("service-level-manager"), R("platform-operations-lead")])), 2)
            lines += folded("summary", "Half-yearly review of the service management system covering policy and objectives, service performance against SLAs, supplier performance, audit results, nonconformities, customer satisfaction, risks and the improvement plan.", 2)
            lines += folded("outcome", "The SMS remains suitable and effective. Service levels were met for all services except one missed P2 resolution target. The improvement plan was updated.", 2)
            lines += ["  measures:",
                      f"    - {{ name: Online banking availability (6 months), value: {round(r.uniform(99.85, 99.99), 2)}, target: 99.9 }}",
                      f"    - {{ name: Payments availability (6 months), value: {round(r.uniform(99.85, 99.99), 2)}, target: 99.9 }}",
                      f"    - {{ name: Customer satisfaction, value: {r.randint(80, 92)}, target: 85 }}"]
            lines += block_list("findings", ["The policy and SMS scope remain appropriate; no change needed.",
                                             "One minor nonconformity from the internal audit is being corrected."], 2)
            lines.append("  actions:")
            lines += A(r, f"mr-{k}-a1", "Fund and deliver automated status page updates for major incidents.", R("service-desk-manager"), 4)
            lines += A(r, f"mr-{k}-a2", "Review the payments SLA P2 target with the payments service owner.", R("service-level-manager"), 4)
            attachments.append(f"policies/records/attachments/{rec['id']}-minutes.md")
            related.append(("Policy", pol["id"]))
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
            lines += A(r, f"nc-{k}-a1", "Configure the ITSM tool to create a review task, due in 5 days, when an emergency change is closed.", R("change-manager"), 4)
            lines += A(r, f"nc-{k}-a2", "Add the emergency change handover to the on-call shift checklist.", R("major-incident-manager"), 4)
            lines += A(r, f"nc-{k}-a3", "Re-audit a sample of emergency changes to verify the actions are effective.", R("internal-auditor"), 4)
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
            lines += A(r, f"imp-{k}-a1", "Connect the ITSM tool to the status page and publish update templates.", R("service-desk-manager"), 4)
            lines += A(r, f"imp-{k}-a2", "Measure the effect for three months after go-live and report to the management review.", R("service-level-manager"), 4)
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
            lines += A(r, f"ct-{k}-a1", "Update runbook RB-DR-01 with the corrected DNS switch sequence.", R("platform-operations-lead"), 4)
            related.append(("Plan", plan["id"]))
        elif typ == "service-report":
            g, month = self.service_report_period(k)
            svcs = [s for s in self.group_services(g) if s["status"] == "live"]
            when = D(2026, month + 1, r.randint(3, 9))
            start = D(2026, month, 1)
            end = D(2026, month + 1, 1) - dt.timedelta(days=1)
            R = lambda b: self.role(b, self.unit_of_group(g))
            lines = head(title_with_unit(f"Monthly service report, {start.strftime('%B %Y')}", g),
                         R("service-level-manager"), approver=R("head-of-service-management"), approved_days=(1, 5))
            lines.append(f"  period: {{ from: {date(start)}, to: {date(end)} }}")
            lines.append(f"  services: {flow_list([s['id'] for s in svcs])}")
            lines += folded("scope", f"Performance of the {len(svcs)} live services of the line of business against their SLAs and OLAs in {start.strftime('%B %Y')}.", 2)
            lines += folded("summary", "Monthly report on availability, incident response and resolution and request fulfilment against the targets of the agreements, with the supplier performance that underpins them.", 2)
            met = r.random() < 0.85
            lines.append(f"  outcome: {'All targets met.' if met else 'One target missed; see findings and actions.'}")
            lines.append("  measures:")
            for s in svcs:
                name = SERVICE_TEMPLATES[s["t"]]["title"]
                avail = round(r.uniform(s["availability"], 100.0), 3) if met or s["t"] == 0 else round(r.uniform(99.5, 99.89), 3)
                lines.append(f"    - {{ name: {name} availability, value: {avail}, target: {s['availability']} }}")
            lines += [f"    - {{ name: Incidents resolved within target, value: \"{r.randint(95, 100) if met else r.randint(80, 94)}%\", target: \"95%\" }}",
                      f"    - {{ name: Requests fulfilled within target, value: \"{r.randint(95, 100)}%\", target: \"95%\" }}"]
            if met:
                lines += block_list("findings", ["No target was missed in the period."], 2)
            else:
                lines += block_list("findings", ["One P1 incident exceeded its resolution target after a supplier escalation took longer than agreed."], 2)
                lines.append("  actions:")
                lines += A(r, f"sr-{k}-a1", "Review the supplier escalation path with the supplier manager.", R("supplier-manager"), 4)
            related += [("ServiceLevelAgreement", a) for a in self.agreements_of([s["id"] for s in svcs])[:4]]
        elif typ == "service-review":
            when = rdate(r, D(2026, 4, 5), D(2026, 11, 10))
            g = k % self.groups
            s = [x for x in self.group_services(g) if x["status"] == "live"][-1]
            R = lambda b: self.role(b, self.unit_of_group(g))
            q_end = D(2026, 9, 30) if when >= D(2026, 10, 1) else (D(2026, 6, 30) if when >= D(2026, 7, 1) else D(2026, 3, 31))
            quarter = (q_end.month - 1) // 3 + 1
            tname = SERVICE_TEMPLATES[s["t"]]["title"].lower()
            customer = "Retail Banking division" + (f", {unit_name(g)}" if unit_name(g) else "")
            lines = head(f"Service review of {tname} with the {customer}, Q{quarter} 2026", R("business-relationship-manager"),
                         approver=R("service-level-manager"))
            lines.append(f"  period: {{ from: {date(D(2026, q_end.month - 2, 1))}, to: {date(q_end)} }}")
            lines.append(f"  services: [{s['id']}]")
            lines.append(f"  customer: {q(customer)}")
            lines += block_list("participants", [R("business-relationship-manager"), R("service-level-manager"),
                                                 R(SERVICE_TEMPLATES[s["t"]]["owner"])], 2)
            lines += [f"  topics: {flow_list(['Achievement against the SLA in the quarter', 'Major incidents and their follow-up', 'Changes in business needs'])}"]
            lines += folded("summary", "All SLA targets were met in the quarter. The division asked for advance notice of load tests before campaigns and for faster status page updates during disruptions.", 2)
            lines.append("  outcome: Service accepted as meeting the SLA; no change to the agreement needed.")
            lines += ["  measures:", f"    - {{ name: Availability in the quarter, value: {round(r.uniform(s['availability'], 100.0), 2)}, target: {s['availability']} }}"]
            lines.append("  actions:")
            lines += A(r, f"srv-{k}-a1", "Share the load test plan for the next campaign with the division.", R(SERVICE_TEMPLATES[s["t"]]["owner"]), 4)
            related += [("ServiceLevelAgreement", a) for a in self.agreements_of([s["id"]])[:1]]
            related.append(("Record", self.record_of("service-report", g)))
        elif typ == "customer-complaint":
            g = k % self.groups
            s = [x for x in self.group_services(g) if x["status"] == "live"][-1]
            R = lambda b: self.role(b, self.unit_of_group(g))
            lines = head(f"Complaint: no status information during an outage of {SERVICE_TEMPLATES[s['t']]['title'].lower()}, {when.strftime('%B %Y')}",
                         R("business-relationship-manager"), approver=R("service-level-manager"))
            lines.append(f"  services: [{s['id']}]")
            lines.append(f"  customer: {q('Business Banking division, on behalf of small-business customers')}")
            lines.append("  classification: service information")
            lines.append(f"  references: [CMP-26-{k + 14:04d}, INC-26-{r.randint(1000, 9999):05d}]")
            lines += folded("summary", f"During a major incident, small-business customers found no information on the status page for {r.randint(20, 60)} minutes and could not plan their payment runs.", 2)
            lines.append("  root_cause: Status page updates were posted by hand and the first update was delayed while the bridge call was set up.")
            closed = when <= D(2026, 10, 15) or r.random() < 0.3
            if closed:
                resolved = min(when + dt.timedelta(days=r.randint(5, 30)), D(2026, 11, 20))
                lines += ["  status: closed",
                          "  correction: A status page update checklist was added to the major incident bridge call opening steps.",
                          "  outcome: Complainant informed of the correction; complaint closed with their agreement.",
                          f"  resolved: {date(resolved)}"]
            else:
                lines.append(f"  status: {r.choice(['open', 'in-progress'])}")
            lines.append("  actions:")
            lines += A(r, f"cmp-{k}-a1", "Add the status page update to the bridge call opening checklist.", R("major-incident-manager"), 4)
            related.append(("Process", self.process_of("relationship-management", u)))
        elif typ in ("asset-audit", "configuration-audit", "capacity-review", "budget-review",
                     "knowledge-review", "release-review", "security-incident-review", "awareness-briefing"):
            g = k % self.groups
            u = self.unit_of_group(g)
            R = lambda b: self.role(b, u)
            svcs = [s["id"] for s in self.group_services(g) if s["status"] != "retired"]
            spec = RECORD_SPECS[typ]
            last = when.replace(day=1) - dt.timedelta(days=1)  # end of the period reviewed
            title = title_with_unit(spec["title"].format(month=when.strftime("%B %Y"),
                                                         quarter=f"Q{(last.month - 1) // 3 + 1} {last.year}"), g)
            lines = head(title, R(spec["owner"]), approver=R(spec.get("approver", "head-of-service-management")))
            if spec.get("period"):
                lines.append(f"  period: {{ from: {date(add_months(when, -3).replace(day=1))}, to: {date(when.replace(day=1) - dt.timedelta(days=1))} }}")
            if spec.get("services"):
                lines.append(f"  services: {flow_list(svcs if spec['services'] == 'all' else svcs[-1:])}")
            if spec.get("classification"):
                lines.append(f"  classification: {r.choice(['high', 'medium', 'medium', 'low'])}")
                lines.append(f"  references: [SEC-26-{k + 2:04d}, INC-26-{r.randint(1000, 9999):05d}]")
            if spec.get("scope"):
                lines += folded("scope", spec["scope"], 2)
            lines.append(f"  participants: {flow_list([R(x) for x in spec['participants']] + spec.get('others', []))}")
            if spec.get("topics"):
                lines.append(f"  topics: {flow_list(spec['topics'])}")
            n1, n2 = r.randint(90, 99), r.randint(95, 100)
            lines += folded("summary", spec["summary"].format(n=r.randint(40, 250)), 2)
            lines += folded("outcome", spec["outcome"].format(n1=n1, n2=n2), 2)
            if spec.get("root_cause"):
                lines.append(f"  root_cause: {q(spec['root_cause'])}")
            lines.append("  measures:")
            lines += [f"    - {{ name: {m}, value: {v.format(n1=n1, n2=n2)}, target: {t} }}" for m, v, t in spec["measures"]]
            if spec.get("findings"):
                lines += block_list("findings", spec["findings"], 2)
            lines.append("  actions:")
            text, owner = spec["action"]
            lines += A(r, f"{spec['prefix']}-{k}-a1", text, R(owner), 4)
            if spec.get("plan"):
                related.append(("Plan", self.plan_of(spec["plan"], u)))
            if spec.get("policy"):
                related.append(("Policy", self.policy_of("service-management", u)))
            related.append(("Process", self.process_of(spec["process"], u)))
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
            lines += A(r, f"cs-{k}-a1", "Shorten the fulfilment target of payment investigation requests.", R("payments-service-owner"), 4)
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
            lines += A(r, f"ra-{k}-a1", "Evaluate a second provider for backups outside the primary hosting supplier.", R("supplier-manager"), 4)
            related.append(("Policy", self.policy_of("service-management", u)))
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
    ap.add_argument("n", type=int, help="number of documents (at least 86)")
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
