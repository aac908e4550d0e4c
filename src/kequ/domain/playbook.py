"""The playbook as searchable sections: the help screen's reading matter.

Pure: built from the packaged playbook data and the catalogue, no terminal involved.
"""

from __future__ import annotations

from dataclasses import dataclass

from kequ.domain import complaints as complaint
from kequ.domain.agenda.rules import DEFAULT_CADENCES
from kequ.domain.disc import gift_principles, ladder, relations, taboos, tags, types
from kequ.domain.values import colon
from kequ.i18n import t


@dataclass(frozen=True, slots=True)
class Section:
    group: str  # heading the section belongs to
    title: str
    body: str

    def matches(self, query: str) -> bool:
        needle = query.strip().lower()
        return not needle or needle in f"{self.group}\n{self.title}\n{self.body}".lower()


def sections(lang: str) -> list[Section]:
    found: list[Section] = []
    group = t("playbook.types", lang)
    for key, profile in types().items():
        touches = "\n".join(
            f"{t(f'vocab.kind.{kind}', lang)}{colon(lang)}{advice.get(lang, full=True)}"
            for kind, advice in profile.touch.items()
        )
        body = (
            f"{profile.recognise.get(lang)}\n{profile.approach.get(lang)}\n"
            f"{t('profile.avoid', lang)}{colon(lang)}{profile.avoid.get(lang)}\n{touches}"
        )
        found.append(Section(group, f"{profile.name.get(lang)} {key} · {profile.motto.get(lang)}", body))
    group = t("playbook.tags", lang)
    for tag in tags().values():
        found.append(
            Section(group, tag.name.get(lang), f"{tag.recognise.get(lang)}\n{tag.advice.get(lang, full=True)}")
        )
    group = t("playbook.relations", lang)
    for relation in relations().values():
        found.append(Section(group, relation.name.get(lang), f"{relation.what.get(lang)}\n{relation.serve.get(lang)}"))
    for step in ladder():
        found.append(Section(group, step.name.get(lang), f"{step.meaning.get(lang)}\n{step.next.get(lang)}"))
    group = t("playbook.complaint", lang)
    for number in complaint.STEPS:
        parts = [t(complaint.step_key(number, part), lang) for part in ("why", "say", "avoid")]
        found.append(Section(group, f"{number}. {t(complaint.step_key(number, 'title'), lang)}", "\n".join(parts)))
    group = t("playbook.taboos", lang)
    for principle in (*taboos(), *gift_principles()):
        found.append(Section(group, principle.title.get(lang), principle.text.get(lang)))
    rhythm = "\n".join(
        f"{t(f'vocab.tier.{tier}', lang)}{colon(lang)}"
        + (
            t("punct.list_sep", lang).join(
                t("rhythm.every", lang, kind=t(f"vocab.kind.{k}", lang), days=d) for k, d in kinds.items()
            )
            or "—"
        )
        for tier, kinds in DEFAULT_CADENCES.items()
    )
    found.append(Section(t("playbook.cadences", lang), t("playbook.cadences", lang), rhythm))
    found.append(Section(t("playbook.cadences", lang), t("playbook.deal", lang), t("playbook.deal_body", lang)))
    return found
