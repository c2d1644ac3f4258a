"""Roles from configuration: trainers by e-mail (any case) or by a group claim; everyone else a rep."""

from __future__ import annotations

from coach.ui.auth import role_for


def test_trainers_by_email_or_group_claim_everyone_else_is_a_rep() -> None:
    team = {"trainers": ["Pat@Example.com"], "trainer_group": "sales-trainers", "group_claim": "roles"}
    assert role_for("pat@example.com", {}, team) == "trainer"
    assert role_for("kim@example.com", {"roles": ["sales-trainers", "staff"]}, team) == "trainer"
    assert role_for("kim@example.com", {"roles": "sales-trainers"}, team) == "trainer"
    assert role_for("kim@example.com", {"groups": ["sales-trainers"]}, team) == "rep"  # the configured claim only
    assert role_for("alice@example.com", {"roles": ["staff"]}, team) == "rep"
    assert role_for("pat@example.com", {"groups": ["x"]}, None) == "rep"
    assert role_for("pat@example.com", {}, {"trainer_group": ""}) == "rep"
