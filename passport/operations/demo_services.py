"""The services directory's starting data: the Stockport services the 2015 review names, and
national services every young person may need. Every entry is marked `needs_checking`: the
details come from the review or general knowledge and must be confirmed before going live.

The review gives no phone number or web address for the local services, yet a service with no
way to reach it is no use to anyone. Those have made-up ones, marked `examples` (and said so
on their pages): phone numbers from Ofcom's range kept for drama (0161 496 0000 to 0999,
never given to anyone), web addresses under example.org (kept for examples). Replace them
with the real ones before going live."""


def example(n: int, slug: str, **more) -> dict:
    """Made-up contact details: a drama phone number and an example.org address."""
    return {"phone": f"0161 496 {n:04d}", "website": f"https://{slug}.example.org",
            "examples": True} | more


SERVICES = [
    {"slug": "cafe-zest", "name": "Café Zest", "provider": "Pure Insight",
     "description": "A weekly drop-in for older young people in care and care leavers: a safe, "
                    "friendly place for health and everyday-living advice, with mentoring. The "
                    "children in care nurse is there every week, including for young parents.",
     "needs": "|health|mental_health|leaving_care|pregnancy|activities|", "min_age": 14,
     "max_age": 25, "areas": ["Stockport"], "eligibility": "Young people in care and care leavers.",
     **example(101, "cafe-zest", opening_times="Thursdays, 4pm to 7pm")},
    {"slug": "central-youth", "name": "Central Youth (CASH service)",
     "provider": "Stockport NHS Foundation Trust",
     "description": "Contraception and sexual health for young people, and a hub for Mosaic, "
                    "the teenage pregnancy midwife and the Family Nurse Partnership.",
     "needs": "|sexual_health|pregnancy|substance_use|health|", "min_age": 13, "max_age": 25,
     "areas": ["Stockport"],
     **example(102, "central-youth",
               opening_times="Monday to Friday, 9am to 5pm; drop-in on Wednesdays, "
                             "3pm to 6pm")},
    {"slug": "kite", "name": "KITE", "provider": "Stockport CAMHS",
     "description": "Mental health support for children in care, and for their foster carers "
                    "and residential staff, especially when a home is at risk of breaking down.",
     "needs": "|mental_health|", "max_age": 17, "areas": ["Stockport"],
     "eligibility": "Only young people in care placed by Stockport Council, up to 18.",
     "only_placed_by": ["Stockport"],
     **example(103, "kite")},
    {"slug": "kite-living-life-to-the-full", "name": "Living life to the full (KITE group)",
     "provider": "KITE",
     "description": "A group for young people in care over 6 to 8 weeks: meet others, build "
                    "confidence and learn ways to cope.",
     "needs": "|mental_health|activities|", "max_age": 17, "areas": ["Stockport"],
     "eligibility": "Young people in care placed by Stockport Council.",
     "only_placed_by": ["Stockport"],
     **example(103, "kite-living-life-to-the-full")},
    {"slug": "mosaic", "name": "Mosaic", "provider": "Stockport young people's substance misuse "
     "service", "description": "Confidential help with alcohol and drugs for young people.",
     "needs": "|substance_use|", "min_age": 11, "max_age": 18, "areas": ["Stockport"],
     **example(104, "mosaic")},
    {"slug": "leisure-key", "name": "Leisure key", "provider": "Stockport Council",
     "description": "Discounts at council sport and leisure centres for young people in care "
                    "and families on a low income.",
     "needs": "|activities|", "areas": ["Stockport"],
     **example(105, "leisure-key")},
    {"slug": "children-in-care-health-team", "name": "Children in Care Health Team",
     "provider": "Stockport NHS Foundation Trust",
     "description": "The nurses and doctors who do your health assessments and health plan, and "
                    "can help with any health question.",
     "needs": "|health|leaving_care|", "max_age": 18, "areas": ["Stockport"],
     **example(106, "children-in-care-health-team",
               opening_times="Monday to Friday, 9am to 5pm")},
    {"slug": "camhs", "name": "CAMHS (child and adolescent mental health services)",
     "provider": "Pennine Care NHS Foundation Trust",
     "description": "Mental health assessment and support; urgent assessment clinics six days a "
                    "week.", "needs": "|mental_health|", "max_age": 17, "areas": ["Stockport"],
     **example(107, "camhs")},
    {"slug": "family-nurse-partnership", "name": "Family Nurse Partnership",
     "provider": "Stockport NHS Foundation Trust",
     "description": "A family nurse visits first-time young parents from pregnancy until the "
                    "child is two.", "needs": "|pregnancy|", "min_age": 13, "max_age": 24,
     "areas": ["Stockport"],
     **example(108, "family-nurse-partnership")},
    {"slug": "teenage-pregnancy-midwife", "name": "Teenage pregnancy midwife",
     "provider": "Stockport NHS Foundation Trust",
     "description": "A specialist midwife for young people who are pregnant, at Central Youth.",
     "needs": "|pregnancy|sexual_health|", "min_age": 13, "max_age": 19, "areas": ["Stockport"],
     **example(102, "teenage-pregnancy-midwife")},
    {"slug": "stepping-hill-emergency-department",
     "name": "Stepping Hill Hospital emergency department",
     "provider": "Stockport NHS Foundation Trust",
     "description": "For serious injuries and illness that cannot wait. In an emergency call "
                    "999.", "needs": "|crisis|health|", "areas": ["Stockport"],
     "address": "Poplar Grove, Hazel Grove, Stockport SK2 7JE", "phone": "0161 483 1010",
     "opening_times": "24 hours, every day"},
    {"slug": "nhs-111", "name": "NHS 111", "provider": "NHS",
     "description": "Urgent medical help that is not an emergency, day or night.",
     "needs": "|health|crisis|", "national": True, "phone": "111",
     "website": "https://111.nhs.uk", "opening_times": "24 hours, every day"},
    {"slug": "childline", "name": "Childline", "provider": "NSPCC",
     "description": "Talk to a counsellor about anything, free and confidential, by phone or "
                    "online.", "needs": "|mental_health|crisis|", "national": True,
     "max_age": 18, "phone": "0800 1111", "website": "https://www.childline.org.uk",
     "opening_times": "24 hours, every day"},
    {"slug": "samaritans", "name": "Samaritans", "provider": "Samaritans",
     "description": "Someone to talk to when things are hard, whatever it is.",
     "needs": "|mental_health|crisis|", "national": True, "phone": "116 123",
     "website": "https://www.samaritans.org", "opening_times": "24 hours, every day"},
    {"slug": "shout", "name": "Shout", "provider": "Mental Health Innovations",
     "description": "Free, confidential text support when you are struggling to cope.",
     "needs": "|mental_health|crisis|", "national": True, "text": "85258",
     "website": "https://giveusashout.org", "opening_times": "24 hours, every day"},
    {"slug": "nhs-low-income-scheme", "name": "NHS Low Income Scheme (HC2 certificate)",
     "provider": "NHS Business Services Authority",
     "description": "After 18, prescriptions, dental care and eye tests are not free "
                    "automatically. On a low income you can apply for help with these costs.",
     "needs": "|money|leaving_care|health|", "national": True, "min_age": 16,
     "website": "https://www.nhsbsa.nhs.uk/nhs-low-income-scheme"},
    {"slug": "register-with-a-gp", "name": "Register with a GP", "provider": "NHS",
     "description": "How to find and register with a GP surgery near where you live: you do "
                    "not need proof of address or ID.", "needs": "|health|leaving_care|",
     "national": True, "website": "https://www.nhs.uk/nhs-services/gps/"},
]
