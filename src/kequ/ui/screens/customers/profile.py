"""The profile: who this person is, how to approach them, and everything that happened."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Sparkline, Static, TabbedContent, TabPane
from textual.widgets.data_table import RowDoesNotExist

from kequ.domain.calendar.lunar import AnnualDate, describe
from kequ.domain.complaints import status_key
from kequ.domain.gender import known_gender, refer
from kequ.domain.gifts import spend_by_year, this_year
from kequ.domain.records import DateView, ProfileView
from kequ.domain.rhythms import CustomerRhythm
from kequ.domain.values import address_as, colon, listed_name
from kequ.i18n import language, t
from kequ.storage import clock
from kequ.ui.base import KequScreen
from kequ.ui.styles import css_beside
from kequ.ui.widgets.badges import disc_badge, plain
from kequ.ui.widgets.footer import KequFooter
from kequ.ui.widgets.measured_table import MeasuredTable

if TYPE_CHECKING:
    from pathlib import Path

    from kequ.domain.agenda.rules import DueItem
    from kequ.domain.review.health import Health, Trend
    from kequ.storage.database import Database

MONEY = "¥{:,.0f}"
OWED_SHOWN = 2  # the label counts them all; the rest are on Today

# Below this many columns the advice for each kind of touch is the one-line version, so
# that the first screen of an 80×24 terminal holds more than the advice for a call.
NARROW = 100


def header_text(view: ProfileView) -> Text:
    base = view.detail.base
    line = plain(address_as(base.name, base.honorific), "bold")
    if base.honorific and base.honorific != base.name:
        line.append_text(plain(f"（{base.name}）"))
    if base.company or base.title:
        line.append_text(plain(f"  {base.company} {base.title}".rstrip(), "dim"))
    line.append("  ")
    line.append_text(disc_badge(base.disc))
    line.append(f"  {t(f'vocab.tier.{base.tier}')}")
    known = known_gender(base.gender, base.honorific)
    if known.gender is not None:
        gender = t(f"vocab.gender.{known.gender}")
        line.append(f" · {t('profile.gender_guess', gender=gender) if known.guessed else gender}")
    if base.relation_type:
        line.append(f" · {t(f'vocab.relation_type.{base.relation_type}')}")
    if base.ladder:
        line.append(f" · {t(f'vocab.ladder.{base.ladder}')}")
    if base.churned:
        line.append(f"  {lost_mark(view)}", style="bold red")
    return line


def reason_label(reason: str) -> str:
    """价格 for "price"; a reason an older book wrote as free text, as it was written."""
    from kequ.domain.vocab import ChurnReason

    return t(f"vocab.churn_reason.{reason}") if reason in set(ChurnReason) else reason


def lost_mark(view: ProfileView) -> str:
    """（流失：价格，2026-11-23）, or （流失） when the reason or day was never said."""
    detail = view.detail
    if detail.churn_reason and detail.churned_on:
        return t("lost.header", reason=reason_label(detail.churn_reason), day=detail.churned_on.isoformat())
    return t("lost.mark")


def facts_text(view: ProfileView) -> Text:
    detail = view.detail
    base = detail.base
    rows = [  # the phones and WeChat are on the line above the tabs
        ("field.email", base.email),
        ("field.city", " ".join(p for p in (base.city, detail.district, detail.address) if p)),
        ("field.company_role", t(f"vocab.company_role.{detail.company_role}") if detail.company_role else ""),
        ("field.tags", "、".join(base.tags)),
        ("field.interests", detail.interests),
        ("field.source", detail.source),
        ("field.ford_family", detail.ford_family),
        ("field.ford_occupation", detail.ford_occupation),
        ("field.ford_recreation", detail.ford_recreation),
        ("field.ford_dreams", detail.ford_dreams),
        ("field.notes", base.notes),
    ]
    if base.churned:
        why = "：".join(part for part in (reason_label(detail.churn_reason), detail.churn_note) if part)
        rows.insert(0, ("field.churn_reason", why))
    text = Text()
    for key, value in rows:
        text.append(f"{t(key)}{colon()}", style="bold")
        text.append(value or "—", style="" if value else "dim")
        text.append("\n")
    return text


def reach_text(view: ProfileView) -> Text:
    """How to reach this person, above the tabs: what a salesperson opens a profile for."""
    base = view.detail.base
    text = Text()
    for key, value in (("field.phones", ", ".join(base.phones)), ("field.wechat", base.wechat)):
        if text:
            text.append("    ")
        text.append(f"{t(key)}{colon()}", style="bold")
        text.append_text(plain(value, "") if value else Text("—", style="dim"))
    return text


def owed_text(items: list[DueItem] | None, today: date) -> tuple[Text, Text]:
    """The label and the next things owed to this customer, soonest first, one a line;
    None while they are read."""
    from kequ.domain.agenda.reasons import kind_label, reason_text
    from kequ.services.profile import OWED_DAYS

    if not items:
        label = Text(f"{t('profile.owed.label')}{colon()}", style="bold")
        waiting = items is None
        return label, Text(t("today.loading") if waiting else t("profile.owed.none", days=OWED_DAYS), style="dim")
    label = Text(f"{t('profile.owed.count', n=len(items))}{colon()}", style="bold")
    lines = Text()
    for number, item in enumerate(items[:OWED_SHOWN]):
        if number:
            lines.append("\n")
        if item.due < today:
            lines.append(t("profile.owed.overdue", n=(today - item.due).days), style="bold red")
        elif item.due == today:
            lines.append(t("profile.owed.today"), style="bold")
        else:
            lines.append(item.due.strftime("%m-%d") if item.due.year == today.year else item.due.isoformat())
        lines.append(f" {kind_label(item.kind)} · ", style="bold")
        lines.append_text(plain(reason_text(item)))
    return label, lines


def approach_text(view: ProfileView, full: bool = True) -> Text:
    """How to approach this person: their type, each kind of touch, relationship and tags.

    Not ``full``: each kind of touch in one line, for a narrow screen."""
    from kequ.domain.disc import ladder_hint, relation_advice, tag_approach, tag_key, type_profile

    lang = language()
    base = view.detail.base
    gender = known_gender(base.gender, base.honorific).gender

    def about(advice: str) -> str:  # the playbook's TA as 他 or 她 for this person
        return refer(advice, gender)

    profile = type_profile(base.disc)
    text = Text()
    text.append_text(disc_badge(base.disc))
    text.append(f"  {profile.motto.get(lang)}\n", style="bold")
    text.append(f"{about(profile.approach.get(lang))}\n")
    text.append(f"{t('profile.avoid')}{colon()}", style="bold red")
    text.append(f"{about(profile.avoid.get(lang))}\n\n")
    for kind in ("call", "visit", "gift", "message", "festival", "complaint"):
        advice = profile.touch.get(kind)
        if advice is not None:
            text.append(f"{t(f'vocab.kind.{kind}')}{colon()}", style="bold")
            text.append(f"{about(advice.get(lang, full=full))}\n")
    if base.relation_type:
        text.append(f"\n{t(f'vocab.relation_type.{base.relation_type}')}{colon()}", style="bold")
        text.append(f"{about(relation_advice(base.relation_type, lang))}\n")
    if base.ladder:
        text.append(f"{t('profile.next_step')}{colon()}", style="bold")
        text.append(f"{about(ladder_hint(base.ladder, lang))}\n")
    for label in base.tags:
        key = tag_key(label)
        if key is not None:
            text.append(f"{label}{colon()}", style="bold")
            text.append(f"{about(tag_approach(key, lang, full=full))}\n")
    return text


def date_row(view_date: DateView, today: date) -> tuple[Text, ...]:
    from kequ.domain.agenda.reasons import when_text
    from kequ.domain.life_events import is_one_off

    annual = AnnualDate(view_date.month, view_date.day, view_date.lunar, view_date.leap, view_date.year)
    kind_name = t(f"vocab.date_kind.{view_date.kind}")
    label = view_date.label or kind_name
    when = describe(annual, language())
    year = str(view_date.year) if view_date.year else ""
    upcoming = view_date.next_on.isoformat() if view_date.next_on else "—"
    if is_one_off(view_date.kind):
        # A life event does not come round again: name it always, and count to or from its day.
        if view_date.label:
            label = f"{kind_name} · {view_date.label}"
        if view_date.next_on:
            left = when_text((view_date.next_on - today).days, language())
            upcoming = t("profile.date_once", day=upcoming, left=left)
    return plain(label), plain(when), plain(year), plain(upcoming), plain(str(view_date.lead_days))


# Where a notes search's hit is shown: (tab, table whose row keys are the record ids).
_ENTRY_TABS = {
    "interaction": ("tab-timeline", "timeline"),
    "complaint": ("tab-complaints", "complaints"),
    "complaint_step": ("tab-complaints", None),
}


def health_text(name: str, health: Health, trend: Trend) -> Text:
    """为什么 王总 是 42 分: the trend, then each part with its points and why."""
    text = Text()
    text.append_text(plain(t("health.ui.why", name=name, score=health.score), "bold"))
    text.append("\n")
    moved = t(f"health.ui.trend_{trend.direction}", n=abs(trend.change))
    style = "red" if trend.change < 0 else "green" if trend.change > 0 else ""
    text.append(t("health.ui.trend", before=trend.before, now=trend.now, change=moved) + "\n\n", style=style)
    labels = [part.label() for part in health.parts]
    width = max(cell_len(label) for label in labels)
    for part, label in zip(health.parts, labels, strict=True):
        text.append(label + " " * (width - cell_len(label) + 2), style="bold")
        points = f"{part.points:>3}/{part.most:<3}"
        text.append(points, style="bold red" if part.points < part.most / 2 else "")
        text.append("  " + part.explain() + "\n")
    return text


def month_axis(today: date) -> str:
    """The months under the 12-month chart, oldest first, three cells each as its bars."""
    months = [(today.month - back - 1) % 12 + 1 for back in range(11, -1, -1)]
    return "".join(f"{month:>2} " for month in months).rstrip()


class ProfileScreen(KequScreen[bool]):
    """Dismissed with True when something changed, so the list behind can refresh."""

    BINDINGS = [
        Binding("escape", "back", t("key.back"), id="profile.back"),
        Binding("e", "edit", t("key.edit"), id="profile.edit"),
        Binding("l", "log", t("key.log"), id="profile.log"),
        Binding("b", "add_date", t("key.add_date"), id="profile.add_date"),
        Binding("delete", "remove", t("key.remove"), id="profile.remove", show=False),
        Binding("k", "classify", t("key.classify"), id="profile.classify"),
        Binding("x", "complaint", t("key.complaint"), id="profile.complaint"),
        Binding("g", "gift", t("key.gift"), id="profile.gift"),
        Binding("L", "lost", t("lost.key.mark"), id="profile.lost", show=False),
        Binding("D", "delete_customer", t("removal.key.customer"), id="profile.delete_customer", show=False),
        Binding("r", "rhythm", t("rhythm.label"), id="profile.rhythm", show=False),
    ]

    DEFAULT_CSS = css_beside(__file__, "profile_screen.tcss")

    def __init__(self, customer_id: int, today: date | None = None, at: tuple[str, int] | None = None) -> None:
        super().__init__()
        self.customer_id = customer_id
        # An entry to open at (what a notes search found): (source, id), kequ.domain.notes.SOURCES.
        self.at = at
        self.today = today or clock.today()
        self.view: ProfileView | None = None
        self.owed: list[DueItem] | None = None
        self.rhythm: CustomerRhythm | None = None
        self.health: tuple[Health, Trend] | None = None  # the score and its trend, once read
        self.changed = False
        self.narrow = False

    @property
    def loaded(self) -> ProfileView | None:
        """None until the profile has been read and shown."""
        return self.view

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("today.loading"), id="profile-header")
        yield Static("", id="profile-reach")
        with Horizontal(id="profile-owed"):  # what wraps stays under the first thing owed
            yield Static("", id="owed-label")
            yield Static("", id="owed-items")
        with TabbedContent(id="profile-tabs"):
            with TabPane(t("profile.tab.facts"), id="tab-facts"), VerticalScroll():
                yield Static("", id="approach")
                yield Static("", id="facts")
            with TabPane(t("profile.tab.timeline"), id="tab-timeline"):
                yield Static("", id="timeline-summary")
                yield Static(t("profile.timeline_hint"), id="timeline-hint", classes="hint")
                yield Sparkline([], id="timeline-spark")
                yield Static("", id="timeline-months", classes="hint")
                yield MeasuredTable(id="timeline", cursor_type="row", zebra_stripes=True)
            with TabPane(t("profile.tab.dates"), id="tab-dates"):
                yield MeasuredTable(id="dates", cursor_type="row")
            with TabPane(t("profile.tab.gifts"), id="tab-gifts"):
                yield Static("", id="gift-summary")
                yield Static(t("gift.hint"), id="gift-hint", classes="hint")
                yield MeasuredTable(id="gifts", cursor_type="row")
            with TabPane(t("profile.tab.complaints"), id="tab-complaints"):
                yield MeasuredTable(id="complaints", cursor_type="row")
            with TabPane(t("profile.tab.people"), id="tab-people"):
                yield MeasuredTable(id="people", cursor_type="row")
            with TabPane(t("health.ui.tab"), id="tab-health"), VerticalScroll():
                yield Static(t("today.loading"), id="health")
        yield KequFooter()

    def on_mount(self) -> None:
        self.title = t("profile.title")
        columns = {
            "timeline": ("col.when", "col.kind", "col.notes", "col.outcome"),
            "dates": ("col.occasion", "col.date", "col.year", "col.next", "col.lead"),
            "gifts": ("col.date", "col.item", "col.cost", "col.occasion", "col.reaction"),
            "complaints": ("col.opened", "col.status", "col.step", "col.summary"),
            "people": ("col.customer", "col.title", "col.role"),
        }
        for table_id, keys in columns.items():
            table = self.query_one(f"#{table_id}", DataTable)
            for key in keys:
                table.add_column(t(key), key=key)
        self.narrow = self.app.size.width < NARROW
        self.load()

    def on_resize(self) -> None:
        narrow = self.size.width < NARROW
        if narrow != self.narrow:
            self.narrow = narrow
            if self.view is not None:
                self.query_one("#approach", Static).update(approach_text(self.view, full=not narrow))

    def load(self) -> None:
        """The profile and what is owed, read side by side: what is owed (a few ms, from this
        customer's rows) is then on the screen when the profile is, not laid out and drawn
        again after it; a big book's first touches, read with the whole agenda, come later."""
        self.load_owed()
        self.load_view()

    @work(thread=True, exclusive=True, group="profile")
    def load_view(self) -> None:
        from kequ.services.profile import load_profile
        from kequ.services.review import health_of
        from kequ.services.rhythms import customer_rhythm

        def read(db: Database) -> tuple[ProfileView, CustomerRhythm, tuple[Health, Trend]]:
            view = load_profile(db, self.customer_id, self.today)
            return view, customer_rhythm(db, self.customer_id), health_of(db, self.customer_id, self.today)

        self.read_then_show(read, self.show_with_rhythm)

    def show_with_rhythm(self, read: tuple[ProfileView, CustomerRhythm, tuple[Health, Trend]]) -> None:
        view, self.rhythm, self.health = read
        self.show(view)
        base = view.detail.base
        self.query_one("#health", Static).update(health_text(address_as(base.name, base.honorific), *self.health))
        facts = facts_text(view)
        facts.append(f"{t('rhythm.label')}{colon()}", style="bold")
        facts.append(self.rhythm.describe())
        self.query_one("#facts", Static).update(facts)
        if self.at is not None:
            self.go_to(*self.at)
            self.at = None

    def go_to(self, source: str, ref: int) -> None:
        """The tab that shows a found entry, with the cursor on it where it has a row."""
        tab, table_id = _ENTRY_TABS.get(source, ("tab-facts", None))
        self.query_one(TabbedContent).active = tab
        if table_id is None:
            return
        table = self.query_one(f"#{table_id}", DataTable)
        try:
            table.move_cursor(row=table.get_row_index(str(ref)))
        except RowDoesNotExist:  # not among the rows shown (the 500 newest): the tab still opens
            return
        table.focus()

    @work(thread=True, exclusive=True, group="profile-owed")
    def load_owed(self) -> None:
        """What is owed: apart from the profile, as it may take the whole agenda."""
        from kequ.services.profile import owed

        self.read_then_show(lambda db: owed(db, self.customer_id, self.today), self.show_owed)

    def show_owed(self, items: list[DueItem]) -> None:
        self.owed = items
        if self.is_attached:  # a big book's agenda may arrive after the profile was left
            self.show_owed_text()

    def show_owed_text(self) -> None:
        label, lines = owed_text(self.owed, self.today)
        self.query_one("#owed-label", Static).update(label)
        self.query_one("#owed-items", Static).update(lines)

    def show(self, view: ProfileView) -> None:
        self.view = view
        self.sub_title = view.detail.base.display_name
        self.query_one("#profile-header", Static).update(header_text(view))
        self.query_one("#profile-reach", Static).update(reach_text(view))
        self.show_owed_text()
        self.query_one("#approach", Static).update(approach_text(view, full=not self.narrow))
        self.query_one("#facts", Static).update(facts_text(view))
        self.query_one("#timeline-summary", Static).update(
            t("profile.timeline_summary", total=view.interaction_count, year=sum(view.contacts_per_month))
        )
        self.query_one("#timeline-spark", Sparkline).data = list(view.contacts_per_month)
        self.query_one("#timeline-months", Static).update(month_axis(self.today))

        timeline = self.query_one("#timeline", DataTable)
        timeline.clear()
        detail = view.detail
        if detail.base.churned:
            # Losing a customer is on their timeline for as long as they are lost.
            when = detail.churned_on.isoformat() if detail.churned_on else ""
            why = reason_label(detail.churn_reason)
            timeline.add_row(plain(when), plain(t("lost.timeline"), "bold red"), plain(why), plain(detail.churn_note))
        for item in view.timeline:
            when = item.happened_at.astimezone().strftime("%Y-%m-%d %H:%M")
            timeline.add_row(
                plain(when),
                plain(t(f"vocab.kind.{item.kind}")),
                plain(item.notes),
                plain(item.outcome),
                key=str(item.id),
            )

        dates = self.query_one("#dates", DataTable)
        dates.clear()
        for entry in view.dates:
            dates.add_row(*date_row(entry, self.today), key=str(entry.id))

        spent = this_year(spend_by_year(view.gifts), self.today)
        self.query_one("#gift-summary", Static).update(
            t(
                "gift.spend",
                count=spent.count,
                amount=f"{spent.cost_cents / 100:,.0f}",
                total=f"{view.book_gift_cents_this_year / 100:,.0f}",
            )
        )
        gifts = self.query_one("#gifts", DataTable)
        gifts.clear()
        for gift in view.gifts:
            cost = MONEY.format(gift.cost_cents / 100) if gift.cost_cents is not None else "—"
            reaction = t(f"vocab.reaction.{gift.reaction}")
            gifts.add_row(
                plain(gift.given_on.isoformat()),
                plain(gift.item),
                plain(cost),
                plain(gift.occasion),
                plain(reaction),
                key=str(gift.id),
            )

        complaints = self.query_one("#complaints", DataTable)
        complaints.clear()
        for complaint in view.complaints:
            complaints.add_row(
                plain(complaint.opened_on.isoformat()),
                plain(t(status_key(complaint.status))),
                plain(f"{complaint.step}/9"),
                plain(complaint.summary),
                key=str(complaint.id),
            )

        people = self.query_one("#people", DataTable)
        people.clear()
        for person in view.colleagues:
            who = listed_name(person.name, person.honorific)
            role = t(f"vocab.company_role.{person.company_role}") if person.company_role else "—"
            people.add_row(plain(who), plain(person.title), plain(role), key=str(person.id))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "people" and event.row_key.value:
            self.app.push_screen(ProfileScreen(int(event.row_key.value), self.today))
        elif event.data_table.id == "complaints" and event.row_key.value:
            self.changed = True
            self.app.open_complaint(complaint_id=int(event.row_key.value))  # type: ignore[attr-defined]
        elif event.data_table.id == "timeline" and (event.row_key.value or "").isdigit():
            self.edit_entry(int(event.row_key.value or 0))
        elif event.data_table.id == "gifts" and event.row_key.value:
            self.edit_gift(int(event.row_key.value))

    def edit_gift(self, gift_id: int) -> None:
        """Correct a gift in the form that recorded it."""
        from kequ.ui.dialogs.gift import GiftPrompt

        gift = next((g for g in self.view.gifts if g.id == gift_id), None) if self.view else None
        if gift is not None and self.view is not None:
            self.push_then_reload(GiftPrompt(self.view, self.today, editing=gift))

    def edit_entry(self, interaction_id: int) -> None:
        """Correct a timeline entry in the same prompt that logged it."""
        from kequ.services.agenda import local_day
        from kequ.ui.dialogs.log import LogEntry, LogPrompt

        item = next((i for i in self.view.timeline if i.id == interaction_id), None) if self.view else None
        if item is None or self.view is None:
            return
        was = LogEntry(item.kind, local_day(item.happened_at), item.notes, item.outcome)

        def after(entry: LogEntry | None) -> None:
            if entry is not None and entry != was:
                self.write(("update", interaction_id, entry))

        self.app.push_screen(LogPrompt(self.view.detail.base.display_name, self.today, editing=was), after)

    def action_complaint(self) -> None:
        self.changed = True
        self.app.open_complaint(customer_id=self.customer_id)  # type: ignore[attr-defined]

    def action_back(self) -> None:
        self.dismiss(self.changed)

    def push_then_reload(self, screen: Screen[object]) -> None:
        """Open a form or prompt; when it reports a change, note it and read the profile again."""

        def after(result: object) -> None:
            if result:
                self.changed = True
                self.load()

        self.app.push_screen(screen, after)

    def action_edit(self) -> None:
        from kequ.ui.screens.customers.customer_form import CustomerForm

        if self.view is not None:
            self.push_then_reload(CustomerForm(self.view.detail))

    def action_log(self) -> None:
        from kequ.ui.dialogs.log import LogEntry, LogPrompt

        if self.view is None:
            return

        def after(entry: LogEntry | None) -> None:
            if entry is not None:
                self.write(("log", self.customer_id, entry))

        self.app.push_screen(LogPrompt(self.view.detail.base.display_name, self.today), after)

    def write(self, change: tuple[str, int, object]) -> None:
        """One change to the timeline or the dates, then the profile read again."""
        from kequ.services import contacts
        from kequ.services.customers import remove_date
        from kequ.services.gifts import delete_gift
        from kequ.ui.dialogs.log import LogEntry

        what, ref, entry = change

        def apply(db: Database) -> None:
            if what == "remove_date":
                remove_date(db, ref)
            elif what == "remove_entry":
                contacts.delete_interaction(db, ref)
            elif what == "remove_gift":
                delete_gift(db, ref)
            else:
                assert isinstance(entry, LogEntry)
                if what == "log":
                    contacts.log_interaction(db, ref, entry.kind, entry.day, entry.note, entry.outcome)
                else:
                    contacts.update_interaction(db, ref, entry.kind, entry.day, entry.note, entry.outcome)

        def refused(message: str) -> None:
            # Read again all the same: what was refused may have been changed by someone else.
            self.notify(message, severity="error", markup=False)
            self.load()

        self.changed = True
        done = {
            "log": "log.saved",
            "update": "log.updated",
            "remove_entry": "log.removed",
            "remove_gift": "gift.removed",
        }
        self.run_change(apply, group="profile-write", done=done.get(what), on_refusal=refused)

    def action_lost(self) -> None:
        """Mark the customer lost (a reason and a note), or, if lost, win them back at once."""
        from kequ.services.lost import mark_lost, win_back
        from kequ.ui.dialogs.lost import LostEntry, LostPrompt

        if self.view is None:
            return
        if self.view.detail.base.churned:
            self.changed = True
            self.run_change(lambda db: win_back(db, self.customer_id), group="profile-write", done="lost.won_back")
            return

        def after(entry: LostEntry | None) -> None:
            if entry is not None:
                self.changed = True
                self.run_change(
                    lambda db: mark_lost(db, self.customer_id, entry.reason, entry.note),
                    group="profile-write",
                    done="lost.marked",
                )

        self.app.push_screen(LostPrompt(self.view.detail.base.display_name), after)

    def action_delete_customer(self) -> None:
        if self.view is not None:
            self.count_then_ask()

    @work(thread=True, exclusive=True, group="profile-delete")
    def count_then_ask(self) -> None:
        from kequ.services.deletion import owned_rows

        self.read_then_show(lambda db: owned_rows(db, self.customer_id), self.ask_delete)

    def ask_delete(self, counts: dict[str, int]) -> None:
        """After a y: a backup, then the customer and all that is theirs gone; the profile closes."""
        from kequ.services.deletion import delete_customer, what_goes
        from kequ.ui.dialogs.prompts import ConfirmPrompt

        if self.view is None:
            return
        who = self.view.detail.base.display_name

        def gone(backup: Path) -> None:
            self.notify(t("removal.done", who=who, path=backup), timeout=10, markup=False)
            self.dismiss(True)

        def after(yes: bool | None) -> None:
            if yes:
                self.run_change(
                    lambda db: delete_customer(db, self.customer_id), group="profile-write", then=gone, reload=False
                )

        self.app.push_screen(ConfirmPrompt(t("removal.customer", who=who, what=what_goes(counts))), after)

    def action_classify(self) -> None:
        from kequ.ui.dialogs.classify import ClassifyPrompt

        if self.view is not None:
            base = self.view.detail.base
            gender = known_gender(base.gender, base.honorific).gender
            self.push_then_reload(ClassifyPrompt(self.customer_id, base.display_name, gender))

    def action_gift(self) -> None:
        from kequ.ui.dialogs.gift import GiftPrompt

        if self.view is not None:
            self.push_then_reload(GiftPrompt(self.view, self.today))

    def action_rhythm(self) -> None:
        from kequ.ui.dialogs.rhythm import RhythmPrompt

        if self.view is not None and self.rhythm is not None:
            self.push_then_reload(RhythmPrompt(self.rhythm, self.view.detail.base.display_name))

    def action_remove(self) -> None:
        """Delete the highlighted date or timeline entry, after a yes from the user."""
        from kequ.ui.dialogs.prompts import ConfirmPrompt

        tab = self.query_one(TabbedContent).active
        target = {
            "tab-dates": ("dates", "remove_date"),
            "tab-timeline": ("timeline", "remove_entry"),
            "tab-gifts": ("gifts", "remove_gift"),
        }.get(tab)
        if target is None:
            return
        table = self.query_one(f"#{target[0]}", DataTable)
        if table.row_count == 0:
            return
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        label = " ".join(str(cell) for cell in table.get_row(row_key)[:3])
        question = t(f"profile.{target[1]}", what=label)

        if not (row_key.value or "").isdigit():
            return  # the lost mark on the timeline: L wins the customer back

        def after(yes: bool | None) -> None:
            if yes and row_key.value:
                self.write((target[1], int(row_key.value), None))

        self.app.push_screen(ConfirmPrompt(question), after)

    def action_add_date(self) -> None:
        from kequ.ui.dialogs.date import DatePrompt

        self.push_then_reload(DatePrompt(self.customer_id))
