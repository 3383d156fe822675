"""Rate limits without I/O: their configuration, the client IP behind proxies, the sliding window's arithmetic."""

from __future__ import annotations

import dataclasses
from ipaddress import ip_network

import pytest

from server import config, ratelimit
from server.config import ConfigError, load_settings


def settings(tmp_path, **env):
    return load_settings({"BIANMIN_VAR_DIR": str(tmp_path), **env})


def test_defaults_cover_every_limit_and_an_override_changes_one(tmp_path):
    defaults = settings(tmp_path).rate_limits
    assert set(defaults) == set(ratelimit.KEYS) == set(config.DEFAULT_RATE_LIMITS)
    assert defaults["booking"] == (20, 60)
    changed = settings(tmp_path, BIANMIN_RATE_LIMITS='{"search": "5/30s", "map": "off", "coverage": "100/1h"}')
    assert changed.rate_limits["search"] == (5, 30)
    assert changed.rate_limits["map"] is None
    assert changed.rate_limits["coverage"] == (100, 3600)
    assert changed.rate_limits["booking"] == defaults["booking"]


@pytest.mark.parametrize("raw", ['{"serach": "5/1m"}', '{"search": "0/1m"}', '{"search": "5/1w"}',
                                 '{"search": "five/1m"}', '["search"]', "{"])
def test_malformed_limits_name_the_variable(tmp_path, raw):
    with pytest.raises(ConfigError, match="BIANMIN_RATE_LIMITS"):
        settings(tmp_path, BIANMIN_RATE_LIMITS=raw)


def test_trusted_proxies_are_cidrs(tmp_path):
    parsed = settings(tmp_path, BIANMIN_TRUSTED_PROXIES="10.0.0.0/8, 192.168.1.7,fd00::/8").trusted_proxies
    assert parsed == (ip_network("10.0.0.0/8"), ip_network("192.168.1.7/32"), ip_network("fd00::/8"))
    with pytest.raises(ConfigError, match="BIANMIN_TRUSTED_PROXIES"):
        settings(tmp_path, BIANMIN_TRUSTED_PROXIES="10.0.0.0/8, the load balancer")


@dataclasses.dataclass
class Peer:
    """What client_ip reads of a request: the socket peer and the headers."""

    ip: str
    headers: dict[str, str]


@pytest.fixture
def proxies(tmp_path):
    before = config.current() if config._current else None
    config.install(settings(tmp_path, BIANMIN_TRUSTED_PROXIES="10.0.0.0/8"))
    yield
    config._current = before


@pytest.mark.parametrize(("peer", "forwarded", "client"), [
    ("203.0.113.9", "198.51.100.1", "203.0.113.9"),                 # not a proxy of ours: its header is ignored
    ("10.0.0.2", "198.51.100.1", "198.51.100.1"),                   # our proxy says who called it
    ("10.0.0.2", "6.6.6.6, 198.51.100.1", "198.51.100.1"),          # left of that is the caller's own word
    ("10.0.0.2", "198.51.100.1, 10.0.0.3", "198.51.100.1"),         # through two of our proxies
    ("10.0.0.2", "10.0.0.4, 10.0.0.3", "10.0.0.4"),                 # only our own addresses: the farthest
    ("10.0.0.2", "198.51.100.1, <script>", "10.0.0.2"),              # garbage a proxy never writes
    ("10.0.0.2", "", "10.0.0.2"),
])
def test_client_ip_trusts_forwarded_for_only_from_trusted_proxies(proxies, peer, forwarded, client):
    headers = {"x-forwarded-for": forwarded} if forwarded else {}
    assert ratelimit.client_ip(Peer(peer, headers)) == client


def test_ipv6_clients_are_counted_by_their_64():
    assert ratelimit._ip_key("2001:db8:1:2:aaaa::1") == ratelimit._ip_key("2001:db8:1:2:bbbb::2") == "2001:db8:1:2::/64"
    assert ratelimit._ip_key("::ffff:198.51.100.1") == "198.51.100.1"
    assert ratelimit._ip_key("198.51.100.1") == "198.51.100.1"


def test_the_sliding_window_weighs_the_last_one_by_its_overlap():
    wait = ratelimit._wait
    assert wait(10, 0, limit=10, period_s=60, elapsed=5) == 0
    assert wait(11, 0, limit=10, period_s=60, elapsed=5) > 0
    # 10 in the last minute, a quarter of it still overlapping: 2.5 + 7 <= 10
    assert wait(7, 10, limit=10, period_s=60, elapsed=45) == 0
    # at 15 s, 7.5 + 4 > 10: a fifth fits once the share is 5 (10 * (1 - t/60) <= 5: t = 30 s)
    assert wait(4, 10, limit=10, period_s=60, elapsed=15) == 15
    # this window alone is over: wait for it to roll over and fade
    assert wait(20, 0, limit=10, period_s=60, elapsed=30) == 30 + 33
