"""The conversation's declarations: the stored flow and step names, and the order of the route."""

from __future__ import annotations

from flows.conversation import menu, route

#: conversation_state rows name these; renaming one needs an Alembic migration that rewrites the rows.
STORED_NAMES = {
    "registration": {
        "consent", "name", "posyandu", "has_child", "child_name", "child_sex", "child_dob",
        "child_dob_confirm", "more_children", "pregnant", "pregnancy_kind", "pregnancy_date",
    },
    "profile": {
        "overview", "name", "child_name", "child_sex", "child_dob", "child_dob_confirm", "remove_child",
        "remove_child_confirm", "posyandu",
    },
    "erase": {"confirm"},
    "immunization": {
        "pick_child", "overview", "record_vaccine", "record_date", "fix_pick", "fix_action", "fix_date",
    },
    "question": {"ask", "feedback", "offer_bidan", "pick", "for_bidan"},
    "asi": {
        "home", "child", "return_date", "hours", "room", "work_fridge", "home_storage", "express_time",
        "caregiver", "after",
    },
    "asi_hitung": {"hours"},
    "asi_simpan": {"place", "when"},
    "asi_checkin": {"answer", "feeding", "breast", "reason", "offer_bidan"},
    "growth": {"child", "home", "date", "weight", "length", "position"},
    "development": {"question"},
    "announcement": {"text", "audience", "when", "at", "monthly", "confirm"},
}  # fmt: skip


def test_the_stored_flow_and_step_names_stay() -> None:
    assert {name: set(flow.steps) for name, flow in route.FLOWS.items()} == STORED_NAMES
    assert all(flow.first in flow.steps for flow in route.FLOWS.values())


def test_the_route_keeps_its_order() -> None:
    """The order is behaviour: e.g. a bidan's TIMBANG is refused as TIMBANG, her JADWAL is her desk's."""
    names = [handler.name for handler in route.ROUTE]
    assert len(names) == len(set(names))
    order = [
        route.opted_out,
        route.no_text,
        route.kader_commands,
        route.bidan_desk.offer,
        route.keywords.offer,
        route.posyandu_schedule.offer,
        route.danger_signs,
        route.running_flow,
        route.at_the_menu,
    ]
    positions = [[handler.handle for handler in route.ROUTE].index(handle) for handle in order]
    assert positions == sorted(positions)
    assert route.ROUTE[-1].handle is route.at_the_menu  # the menu takes whatever is left


def test_the_menu_numbers_follow_the_declared_options() -> None:
    assert [option.value for option in menu.OPTIONS] == [
        "immunization", "question", "profile", "bidan", "asi", "growth",
    ]  # fmt: skip
    assert all(word in menu.WORDS for option in menu.OPTIONS for word in option.words)
