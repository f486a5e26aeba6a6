"""``client.with_raw_response``: every endpoint method, returning a ``RawResponse``.

One line per method, built from the method itself (see ``verisoul._raw``), so the
arguments and the result type follow the method under ``mypy --strict``. A test checks
that every endpoint of ``verisoul._endpoints.ENDPOINTS`` is here.
"""

from __future__ import annotations

from .._raw import RawResponseGroup, async_raw_method
from .liveness import AsyncLivenessAPI as _L
from .platform import AsyncPlatformAPI as _P

__all__ = ["AsyncRawResponses"]


class AsyncRawResponses(RawResponseGroup):
    """The client's endpoint methods, each returning a ``RawResponse`` around its result.

    Example:
        ```python
        raw = await client.with_raw_response.create_liveness_session()
        print(raw.status_code, raw.elapsed, raw.headers.get("content-type"))
        session = raw.parsed  # the LivenessSession the plain method returns
        ```
    """

    __slots__ = ()

    create_liveness_session = async_raw_method(_L.create_liveness_session)
    create_id_check_session = async_raw_method(_L.create_id_check_session)
    verify_face = async_raw_method(_L.verify_face)
    verify_id = async_raw_method(_L.verify_id)
    enroll_account = async_raw_method(_L.enroll_account)
    verify_identity = async_raw_method(_L.verify_identity)
    authenticate_session = async_raw_method(_P.authenticate_session)
    unauthenticated_session = async_raw_method(_P.unauthenticated_session)
    get_session = async_raw_method(_P.get_session)
    get_account = async_raw_method(_P.get_account)
    update_account = async_raw_method(_P.update_account)
    delete_account = async_raw_method(_P.delete_account)
    get_account_sessions = async_raw_method(_P.get_account_sessions)
    get_linked_accounts = async_raw_method(_P.get_linked_accounts)
    list_lists = async_raw_method(_P.list_lists)
    get_list = async_raw_method(_P.get_list)
    create_list = async_raw_method(_P.create_list)
    delete_list = async_raw_method(_P.delete_list)
    add_account_to_list = async_raw_method(_P.add_account_to_list)
    remove_account_from_list = async_raw_method(_P.remove_account_from_list)
    verify_phone = async_raw_method(_P.verify_phone)
    submit_email = async_raw_method(_P.submit_email)
    submit_email_batch = async_raw_method(_P.submit_email_batch)
