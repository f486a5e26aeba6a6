"""Device and network risk signals shared by the session and account models."""

from __future__ import annotations

import attrs

__all__ = ["RiskSignalScores", "RiskSignals"]


@attrs.frozen(kw_only=True)
class RiskSignals:
    """Which device and network risks fired for one session (``risk_signals`` object).

    Each attribute is ``True`` when Verisoul flagged that risk; ``None`` when absent.

    Attributes:
        device_risk: ``True`` when the device itself looks risky (emulator, tampering...).
        proxy: ``True`` when the traffic came through a proxy.
        vpn: ``True`` when the traffic came through a VPN.
        tor: ``True`` when the traffic came through Tor.
        spoofed_ip: ``True`` when the IP address looks spoofed.
        datacenter: ``True`` when the IP address belongs to a data centre.
        recent_fraud_ip: ``True`` when the IP address was recently used for fraud.
        impossible_travel: ``True`` when the user moved faster than possible between sessions.
        device_network_mismatch: ``True`` when device and network disagree (time zone...).
        location_spoofing: ``True`` when the reported location looks faked.
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
class RiskSignalScores:
    """Risk scores from 0 (no risk) to 1 for one session, or averaged over an account.

    Used for a session's ``risk_signal_scores`` and an account's ``risk_signal_average``.

    Attributes:
        device_risk: Likelihood that the device itself looks risky (emulator, tampering...).
        proxy: Likelihood that the traffic came through a proxy.
        vpn: Likelihood that the traffic came through a VPN.
        tor: Likelihood that the traffic came through Tor.
        spoofed_ip: Likelihood that the IP address looks spoofed.
        datacenter: Likelihood that the IP address belongs to a data centre.
        recent_fraud_ip: Likelihood that the IP address was recently used for fraud.
        impossible_travel: Likelihood that the user moved faster than possible between sessions.
        device_network_mismatch: Likelihood that device and network disagree (time zone...).
        location_spoofing: Likelihood that the reported location looks faked.
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
