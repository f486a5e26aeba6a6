"""Device and network risk signals shared by the session and account models."""

from __future__ import annotations

import attrs

from .._serialize import Model

__all__ = ["RiskSignalScores", "RiskSignals"]


@attrs.frozen(kw_only=True)
class RiskSignals(Model):
    """Which device and network risks fired for one session (``risk_signals`` object).

    Each attribute is ``True`` when Verisoul flagged that risk; ``None`` when absent.

    Attributes:
        device_risk: The device itself looks risky.
        proxy: The connection goes through a proxy.
        vpn: The connection goes through a VPN.
        tor: The connection comes from the Tor network.
        spoofed_ip: The IP address looks spoofed.
        datacenter: The IP address belongs to a datacenter (hosting), not an ISP.
        recent_fraud_ip: The IP address was recently used for fraud.
        impossible_travel: The user's location changed faster than travel allows.
        device_network_mismatch: The device and the network disagree.
        location_spoofing: The device's location looks faked.
    """

    device_risk: bool | None = None
    proxy: bool | None = None
    vpn: bool | None = None
    tor: bool | None = None
    spoofed_ip: bool | None = None
    datacenter: bool | None = None
    recent_fraud_ip: bool | None = None
    impossible_travel: bool | None = None
    device_network_mismatch: bool | None = None
    location_spoofing: bool | None = None


@attrs.frozen(kw_only=True)
class RiskSignalScores(Model):
    """Risk scores from 0 (no risk) to 1 for one session, or averaged over an account.

    Used for a session's ``risk_signal_scores`` and an account's ``risk_signal_average``.
    Each score goes with the flag of the same name in :class:`RiskSignals`.

    Attributes:
        device_risk: Risk score of the device.
        proxy: Probability of proxy use.
        vpn: Probability of VPN use.
        tor: Probability of Tor use.
        spoofed_ip: Probability of IP spoofing (the spec has it in ``risk_signal_average``
            only; a session's ``risk_signal_scores`` usually lacks it, so ``None``).
        datacenter: Probability of a datacenter IP.
        recent_fraud_ip: Probability the IP was recently used for fraud.
        impossible_travel: Probability of impossible travel.
        device_network_mismatch: Probability the device and network disagree.
        location_spoofing: Probability of location spoofing.
    """

    device_risk: float | None = None
    proxy: float | None = None
    vpn: float | None = None
    tor: float | None = None
    spoofed_ip: float | None = None
    datacenter: float | None = None
    recent_fraud_ip: float | None = None
    impossible_travel: float | None = None
    device_network_mismatch: float | None = None
    location_spoofing: float | None = None
