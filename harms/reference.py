"""Reference codes from the Department for Education's children in need (CIN) census.

Source: DfE, *Children in need census 2024 to 2025: business and technical specification* and its
XSD (the "factors identified at the end of assessment" code list). Codes and wording as published;
csafe stores the code and shows the label.
"""

from __future__ import annotations

from django.db import models


class CINFactor(models.TextChoices):
    ALCOHOL_CHILD = "1A", "Alcohol misuse: concerns about the child"
    ALCOHOL_PARENT = "1B", "Alcohol misuse: concerns about the parent or carer"
    ALCOHOL_OTHER = "1C", "Alcohol misuse: concerns about another person in the household"
    DRUGS_CHILD = "2A", "Drug misuse: concerns about the child"
    DRUGS_PARENT = "2B", "Drug misuse: concerns about the parent or carer"
    DRUGS_OTHER = "2C", "Drug misuse: concerns about another person in the household"
    DOMESTIC_ABUSE_CHILD = "3A", "Domestic abuse: the child is the subject"
    DOMESTIC_ABUSE_PARENT = "3B", "Domestic abuse: the parent or carer is the subject"
    DOMESTIC_ABUSE_OTHER = "3C", "Domestic abuse: another person in the household is the subject"
    MENTAL_HEALTH_CHILD = "4A", "Mental health: concerns about the child"
    MENTAL_HEALTH_PARENT = "4B", "Mental health: concerns about the parent or carer"
    MENTAL_HEALTH_OTHER = "4C", "Mental health: concerns about another person in the household"
    LEARNING_DISABILITY_CHILD = "5A", "Learning disability: concerns about the child"
    LEARNING_DISABILITY_PARENT = "5B", "Learning disability: concerns about the parent or carer"
    LEARNING_DISABILITY_OTHER = "5C", "Learning disability: concerns about another person"
    PHYSICAL_DISABILITY_CHILD = "6A", "Physical disability or illness: concerns about the child"
    PHYSICAL_DISABILITY_PARENT = "6B", "Physical disability or illness: the parent or carer"
    PHYSICAL_DISABILITY_OTHER = "6C", "Physical disability or illness: another person"
    YOUNG_CARER = "7A", "Young carer"
    PRIVATELY_FOSTERED_8B = "8B", "Privately fostered: overseas child intending to return"
    PRIVATELY_FOSTERED_8C = "8C", "Privately fostered: overseas child intending to stay"
    PRIVATELY_FOSTERED_8D = "8D", "Privately fostered: UK child in education or training"
    PRIVATELY_FOSTERED_8E = (
        "8E",
        "Privately fostered: UK child in an alternative family arrangement",
    )
    PRIVATELY_FOSTERED_8F = "8F", "Privately fostered: other"
    UASC = "9A", "Unaccompanied asylum-seeking child"
    MISSING = "10A", "Going or being missing"
    CSE = "11A", "Child sexual exploitation"
    TRAFFICKING = "12A", "Trafficking"
    GANGS = "13A", "Gangs"
    SOCIALLY_UNACCEPTABLE = "14A", "Socially unacceptable behaviour"
    SELF_HARM = "15A", "Self-harm"
    NEGLECT = "16A", "Neglect"
    EMOTIONAL_ABUSE = "17A", "Emotional abuse"
    PHYSICAL_ABUSE_CHILD_ON_CHILD = "18B", "Physical abuse: child on child"
    PHYSICAL_ABUSE_ADULT_ON_CHILD = "18C", "Physical abuse: adult on child"
    SEXUAL_ABUSE_CHILD_ON_CHILD = "19B", "Sexual abuse: child on child"
    SEXUAL_ABUSE_ADULT_ON_CHILD = "19C", "Sexual abuse: adult on child"
    OTHER = "20", "Other"
    NO_FACTORS = "21", "No factors identified"
    FGM = "22A", "Female genital mutilation"
    FAITH_OR_BELIEF = "23A", "Abuse linked to faith or belief"
    CCE = "24A", "Child criminal exploitation"
