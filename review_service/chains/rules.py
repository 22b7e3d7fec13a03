"""Chain rules, free of Flask, SQL and the broker.

A configuration is a default chain plus rules tried in order; the first rule whose
conditions all hold gives the chain. Conditions look at the submitter's org level,
the field, the subject type and the kind of submission. A configuration is checked
before it is used: no empty chain, no stage nobody works, no unknown condition.

The problems found are ``Problem`` values: an English msgid and its parameters, made
with ``N_`` (which gettext's tools extract, as they do ``_l``). They are translated
where they are shown, in the reader's language (``chains.views``), so these rules need
no Flask, no request and no locale.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources

from review_service.queue.domain import Chain
from shared.identity import STAGE_ROLES

CONDITIONS = ("org_level", "field", "subject_type", "kind")
SHIPPED = {"three-level": "three_level.json", "two-level": "two_level.json"}


@dataclass(frozen=True)
class Problem:
    """One reason a configuration cannot be used: an English msgid and its parameters (a
    parameter may itself be a ``Problem``: "rule 2", "default"). ``str`` gives the English."""

    msgid: str
    params: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        if not self.params:
            return self.msgid
        return self.msgid % {name: str(value) for name, value in self.params.items()}


def N_(msgid: str, **params) -> Problem:
    """Mark a message for translation, as gettext's ``N_`` does: it is translated when shown."""
    return Problem(msgid, params)


class InvalidConfig(ValueError):
    """A configuration that cannot be used; ``problems`` says every reason, one per line, as
    ``Problem`` values (English msgids, read in the reader's language when shown)."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(map(str, problems)))
        self.problems = problems


@dataclass(frozen=True)
class Facts:
    """What a rule may look at about a submission."""

    kind: str
    field: str
    subject_type: str
    org_level: str = "commune"  # the submitter's org level: commune, district...

    def get(self, name: str) -> str:
        return getattr(self, name)


@dataclass(frozen=True)
class Rule:
    when: Mapping[str, tuple[str, ...]]  # condition -> values any of which matches
    chain: Chain

    def matches(self, facts: Facts) -> bool:
        return all(facts.get(name) in values for name, values in self.when.items())


@dataclass(frozen=True)
class ChainConfig:
    default: Chain
    rules: tuple[Rule, ...] = field(default_factory=tuple)

    def choose(self, facts: Facts) -> Chain:
        return next((rule.chain for rule in self.rules if rule.matches(facts)), self.default)

    @property
    def stages(self) -> tuple[str, ...]:
        """Every stage any chain uses, in the order chains use them."""
        seen: list[str] = []
        for chain in (self.default, *(rule.chain for rule in self.rules)):
            seen += [stage for stage in chain.stages if stage not in seen]
        return tuple(seen)

    def to_json(self) -> str:
        return json.dumps({"default": list(self.default.stages), "rules": [
            {"when": {name: list(values) for name, values in rule.when.items()},
             "stages": list(rule.chain.stages)} for rule in self.rules]},
            ensure_ascii=False, indent=2)


def parse(text: str) -> ChainConfig:
    """Read and check a configuration written as JSON; raise ``InvalidConfig`` with every problem."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidConfig([N_("not JSON: %(error)s (line %(line)s)", error=error.msg,
                                line=error.lineno)]) from None
    if not isinstance(data, dict) or not isinstance(data.get("rules", []), list):
        raise InvalidConfig([N_('write an object: {"default": [stages], "rules": [...]}')])
    problems: list[Problem] = []
    default = _chain(data.get("default"), N_("default"), problems)
    rules = []
    for number, rule in enumerate(data.get("rules", []), start=1):
        where = N_("rule %(number)s", number=number)
        if not isinstance(rule, dict) or not isinstance(rule.get("when"), dict) or not rule["when"]:
            problems.append(N_('%(where)s: needs a non-empty "when" object and "stages"',
                               where=where))
            continue
        unknown = sorted(set(rule["when"]) - set(CONDITIONS))
        if unknown:
            problems.append(N_("%(where)s: unknown condition %(names)s (known: %(known)s)",
                               where=where, names=", ".join(unknown),
                               known=", ".join(CONDITIONS)))
        when = {name: tuple(v if isinstance(v, list) else [v]) for name, v in rule["when"].items()}
        chain = _chain(rule.get("stages"), where, problems)
        if chain is not None and not unknown:
            rules.append(Rule(when, chain))
    if problems:
        raise InvalidConfig(problems)
    return ChainConfig(default, tuple(rules))


def _chain(stages, where: Problem, problems: list[Problem]) -> Chain | None:
    if not isinstance(stages, list) or not stages:
        problems.append(N_("%(where)s: a chain needs at least one stage", where=where))
        return None
    unknown = [stage for stage in stages if stage not in STAGE_ROLES]
    if unknown:
        problems.append(N_("%(where)s: unknown stage %(names)s (known: %(known)s)", where=where,
                           names=", ".join(map(str, unknown)), known=", ".join(STAGE_ROLES)))
        return None
    if len(set(stages)) != len(stages):
        problems.append(N_("%(where)s: a stage appears twice", where=where))
        return None
    return Chain(tuple(stages))


def shipped(name: str) -> ChainConfig:
    """One of the configurations that come with the service: "three-level" or "two-level"."""
    if name not in SHIPPED:
        raise InvalidConfig([N_("no shipped chain configuration %(name)s (known: %(known)s)",
                                name=repr(name), known=", ".join(SHIPPED))])
    return parse((resources.files(__package__) / SHIPPED[name]).read_text(encoding="utf-8"))
