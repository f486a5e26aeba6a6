"""The fake's in-memory world: liveness sessions, enrolments, and who owns which face.

Every mutation happens under :attr:`FakeState.lock`: the loopback server and the threads
of a shared sync client call the fake concurrently.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from typing import Literal

import attrs

from ._platform_state import PlatformStore
from ._scenario import Scenario

__all__ = [
    "OUTCOME_ERRORS",
    "SIMULATE_CASES",
    "FakeDocument",
    "FakeState",
    "LivenessSessionRecord",
    "LivenessStore",
    "Product",
]

#: Which verify endpoint a liveness session belongs to.
Product = Literal["face_match", "id_check"]

#: How a session ended in the hosted flow -> the 400 code verify/enroll answer (None: ok).
#: The keys are the documented ``simulate`` / redirect outcomes plus the verify codes
#: themselves; the mapping of the redirect outcomes is the fake's reading of the docs.
OUTCOME_ERRORS: dict[str, str | None] = {
    "success": None,
    "liveness_check_failed": "liveness_check_failed",
    "failed_to_process_id_scan": "id_scan_failed",
    "failed_to_complete_face_scan": "session_not_complete",
    "failed_to_collect_device_data": "session_not_complete",
    "failed_to_get_camera_permission": "session_not_started",
    "invalid_session_id": "session_not_started",
    "session_id_not_found": "session_not_started",
    "session_not_started": "session_not_started",
    "session_not_complete": "session_not_complete",
    "id_scan_not_complete": "id_scan_not_complete",
    "id_scan_failed": "id_scan_failed",
}

#: The documented ``simulate`` values; the fake finishes such a session at creation.
SIMULATE_CASES = frozenset(
    {
        "success",
        "invalid_session_id",
        "session_id_not_found",
        "failed_to_get_camera_permission",
        "failed_to_complete_face_scan",
        "failed_to_process_id_scan",
        "failed_to_collect_device_data",
        "liveness_check_failed",
    }
)


@attrs.frozen
class FakeDocument:
    """The identity document an ID Check session "scanned".

    Two sessions whose documents share ``id_number`` are reported as linked by
    ``document_number`` once one of them is enrolled. Dates use the spec's MM/DD/YYYY.

    Attributes:
        id_number: The document number.
        first_name: Holder's first name.
        last_name: Holder's last name.
        date_of_birth: MM/DD/YYYY.
        date_of_expiration: MM/DD/YYYY.
        date_of_issue: MM/DD/YYYY.
        country_code: Issuing country (ISO alpha-2).
        state: Issuing state or region.
        template_type: One of the spec's ``template_type`` values.
    """

    id_number: str
    first_name: str = "John"
    last_name: str = "Doe"
    date_of_birth: str = "02/26/1997"
    date_of_expiration: str = "02/26/2034"
    date_of_issue: str = "03/19/2025"
    country_code: str = "US"
    state: str = "Texas"
    template_type: str = "driver_license"


@attrs.define
class LivenessSessionRecord:
    """One session the fake issued through ``GET /liveness/session``.

    Attributes:
        session_id: Canonical lower-case UUID.
        product: ``"face_match"`` or ``"id_check"`` (``id=true``).
        created_at: Creation time on the fake's clock (seconds).
        referring_session_id: As given at creation, canonicalised.
        stage: ``"created"`` -> ``"started"`` -> ``"finished"`` (the hosted flow).
        error_code: When finished, the 400 code verify answers (None: passed).
        face: Opaque identity of the face captured; equal faces are the same person.
        document: The scanned document (ID Check only).
        account_id: The account this session is enrolled to.
        scenario: How it ended and what verify reports (set when finished).
    """

    session_id: str
    product: Product
    created_at: float
    referring_session_id: str | None = None
    stage: Literal["created", "started", "finished"] = "created"
    error_code: str | None = None
    face: str | None = None
    document: FakeDocument | None = None
    account_id: str | None = None
    scenario: Scenario | None = None

    def blocking_error(self) -> str | None:
        """The 400 code a verify or enroll call gets for this session now, if any."""
        if self.stage == "created":
            return "session_not_started"
        if self.stage == "started":
            return "session_not_complete"
        return self.error_code

    def finish(
        self,
        outcome: str,
        face: str | None,
        document: FakeDocument | None,
        scenario: Scenario | None = None,
    ) -> None:
        """Record the end of the hosted flow.

        Raises:
            ValueError: ``outcome`` is not a key of :data:`OUTCOME_ERRORS`.
        """
        if outcome not in OUTCOME_ERRORS:
            raise ValueError(
                f"unknown outcome {outcome!r}; expected one of {list(OUTCOME_ERRORS)}"
            )
        self.stage = "finished"
        self.error_code = OUTCOME_ERRORS[outcome]
        self.scenario = attrs.evolve(scenario or Scenario(), outcome=outcome)
        self.face = face if face is not None else f"face-{self.session_id}"
        if self.product == "id_check":
            self.document = document or FakeDocument(id_number=self._default_id_number())
        else:
            self.document = None

    def _default_id_number(self) -> str:
        return "D" + self.session_id.replace("-", "")[:8].upper()


@attrs.define
class LivenessStore:
    """Face Match / ID Check state.

    Attributes:
        sessions: Issued sessions by id.
        enrolled: Account id -> ids of the sessions enrolled to it, oldest first.
    """

    sessions: dict[str, LivenessSessionRecord] = attrs.Factory(dict)
    enrolled: dict[str, list[str]] = attrs.Factory(dict)

    def enrolled_sessions(self, account_id: str) -> list[LivenessSessionRecord]:
        """The sessions enrolled to ``account_id`` (empty when it has none)."""
        return [self.sessions[sid] for sid in self.enrolled.get(account_id, ())]

    def enroll(self, record: LivenessSessionRecord, account_id: str) -> None:
        """Tie ``record`` to ``account_id``."""
        record.account_id = account_id
        self.enrolled.setdefault(account_id, []).append(record.session_id)

    def enrolled_face(self, account_id: str) -> str:
        """The face of the newest session enrolled to ``account_id``.

        Raises:
            ValueError: No session is enrolled to that account.
        """
        sessions = self.enrolled_sessions(account_id)
        if not sessions or sessions[-1].face is None:
            raise ValueError(f"no face is enrolled to account {account_id!r}")
        return sessions[-1].face

    def linked_accounts(self, record: LivenessSessionRecord) -> dict[str, list[str]]:
        """Other accounts sharing this session's face or document number -> match types."""
        links: dict[str, list[str]] = {}
        for account_id in self.enrolled:
            if account_id == record.account_id:
                continue
            types: list[str] = []
            for other in self.enrolled_sessions(account_id):
                if other.face == record.face and "face" not in types:
                    types.append("face")
                if (
                    record.document is not None
                    and other.document is not None
                    and other.document.id_number == record.document.id_number
                    and "document_number" not in types
                ):
                    types.append("document_number")
            if types:
                links[account_id] = types
        return links


def _new_project_id() -> str:
    return str(uuid.uuid4())


@attrs.define
class FakeState:
    """Everything the fake remembers, guarded by one lock.

    Attributes:
        project_id: The project id reported in response metadata.
        clock: Wall-clock seconds (``time.time`` by default; inject one to age sessions).
        groups_enabled: Imitate a project with groups on (session creation answers
            ``groups_enabled``).
        lock: Held by the app around every request and by every test helper.
        liveness: Face Match / ID Check state.
        platform: Device sessions, accounts, lists and the email webhook.
        scenario: How sessions end when nothing more specific is asked (the hosted page's
            defaults, ``simulate``, ``complete_session()``).
    """

    project_id: str = attrs.Factory(_new_project_id)
    clock: Callable[[], float] = time.time
    groups_enabled: bool = False
    lock: threading.RLock = attrs.field(factory=threading.RLock, repr=False, eq=False)
    liveness: LivenessStore = attrs.Factory(LivenessStore)
    platform: PlatformStore = attrs.Factory(PlatformStore)
    scenario: Scenario = attrs.Factory(Scenario)

    def finish_session(
        self,
        session_id: str,
        scenario: Scenario,
        face: str | None = None,
        document: FakeDocument | None = None,
    ) -> LivenessSessionRecord:
        """Play the end of the hosted flow for an issued session (the caller holds the lock).

        Raises:
            KeyError: The fake never issued this session.
            ValueError: ``scenario.same_face_as`` names an account with no enrolled face.
        """
        record = self.liveness.sessions[session_id.strip().lower()]
        if scenario.same_face_as is not None:
            face = self.liveness.enrolled_face(scenario.same_face_as)
        record.finish(scenario.outcome, face, document, scenario)
        return record

    def reset(self) -> None:
        """Forget every session, account, list and the scenario (keeps the project id)."""
        self.liveness = LivenessStore()
        self.platform = PlatformStore()
        self.scenario = Scenario()
