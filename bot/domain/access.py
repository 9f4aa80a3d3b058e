"""Who may do what: roles per brand, from app.yaml, by Slack user or user group."""

from __future__ import annotations

from enum import IntEnum
from typing import Protocol

from bot.config import Config, Roles
from bot.domain.outcomes import Person, Said
from bot.domain.verbs import Verb


class Role(IntEnum):
    VIEWER = 1
    AGENT = 2
    APPROVER = 3
    ADMIN = 4


REQUIRED_ROLE: dict[Verb, Role] = {
    Verb.VIEW: Role.VIEWER,
    Verb.ASSIGN: Role.AGENT,
    Verb.REPLY: Role.AGENT,
    Verb.NOTE: Role.AGENT,
    Verb.RESOLVE: Role.AGENT,
    Verb.REOPEN: Role.AGENT,
    Verb.WAIT: Role.AGENT,
    Verb.ESCALATE: Role.AGENT,
    Verb.TRACK: Role.AGENT,
    Verb.RETRY: Role.AGENT,
    Verb.TAG: Role.AGENT,
    Verb.TRIAGE: Role.AGENT,
    Verb.UNQUIET: Role.AGENT,
    Verb.MODERATE: Role.AGENT,
    Verb.APPROVE: Role.APPROVER,
    Verb.AUDIT: Role.ADMIN,
}


class DirectoryUnavailable(Exception):
    """A user group's members could not be looked up."""


class Directory(Protocol):
    """Where user groups' members come from (Slack, in the running bot)."""

    def members(self, usergroup: str) -> frozenset[str]: ...


class NoDirectory:
    def members(self, usergroup: str) -> frozenset[str]:
        raise DirectoryUnavailable(f"user group {usergroup} cannot be looked up here")


class Access:
    def __init__(self, config: Config, directory: Directory | None = None) -> None:
        self.config = config
        self.directory = directory or NoDirectory()

    def open_to_everyone(self, brand_id: str) -> bool:
        return self.config.roles_for(brand_id) is None

    def role_of(self, user: str, brand_id: str) -> Role | None:
        """The highest role the user holds for the brand; every role when the brand configures none."""
        roles = self.config.roles_for(brand_id)
        if roles is None:
            return Role.ADMIN
        for role in sorted(Role, reverse=True):
            if self._listed(user, getattr(roles, role.name.lower())):
                return role
        return None

    def refusal(self, user: str, brand_id: str, verb: Verb) -> Said | None:
        """Why the user may not do what the verb needs for the brand, or None when they may."""
        action = verb.permission
        needed = REQUIRED_ROLE[action]
        try:
            role = self.role_of(user, brand_id)
        except DirectoryUnavailable:
            return Said("Your role could not be checked because Slack did not answer; try again in a minute.")
        if role is not None and role >= needed:
            return None
        brand = self.config.brands[brand_id].name
        held = f"you are {role.name.lower()}" if role else "you have no role"
        return Said(f"You cannot {action} for {brand}: it needs the {needed.name.lower()} role and {held}. Ask ",
                    *self._admins(brand_id), " to change the roles in app.yaml.")

    def needs_approval(self, user: str, brand_id: str, priority: str) -> bool:
        """Whether a reply by this user in a conversation of this priority waits for an approver."""
        rule = self.config.approval_for(brand_id)
        if not (rule.roles or rule.priorities) or self.open_to_everyone(brand_id):
            return False
        try:
            role = self.role_of(user, brand_id)
        except DirectoryUnavailable:
            return True  # when in doubt, ask
        if role is not None and role >= Role.APPROVER:
            return False
        held = role.name.lower() if role else None
        return held in rule.roles or priority in rule.priorities

    def approvers(self, brand_id: str) -> tuple[str, ...]:
        roles = self.config.roles_for(brand_id)
        return (roles.approver + roles.admin) if roles else ()

    def viewable_brands(self, user: str) -> list[str]:
        return [brand_id for brand_id in self.config.brands if self.refusal(user, brand_id, Verb.VIEW) is None]

    def _listed(self, user: str, members: tuple[str, ...]) -> bool:
        if user in members:
            return True
        return any(user in self.directory.members(group) for group in members if is_usergroup(group))

    def _admins(self, brand_id: str) -> list[str | Person]:
        roles: Roles | None = self.config.roles_for(brand_id)
        admins = roles.admin if roles else ()
        if not admins:
            return ["whoever maintains socialdesk's app.yaml"]
        named: list[str | Person] = []
        for who in admins[:3]:
            named += [" or ", Person(who, group=is_usergroup(who))]
        return named[1:]


def is_usergroup(member: str) -> bool:
    """app.yaml lists teammates by user id and teams by user group id (S…)."""
    return member.startswith("S")
