//! Brute-force brake: failed guesses (tracking codes, passwords) are counted per client address
//! in a sliding window; past the limit the address gets 429 until the window passes. Successful
//! requests are never counted, so honest traffic (and the benchmarks) is not slowed.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug)]
pub struct FailureLimiter {
    max: u32,
    window: Duration,
    seen: Mutex<HashMap<IpAddr, (u32, Instant)>>,
}

impl FailureLimiter {
    pub fn new(max: u32, window: Duration) -> Self {
        Self {
            max,
            window,
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// Whether this address may try again now.
    pub fn allowed(&self, ip: IpAddr) -> bool {
        let Ok(m) = self.seen.lock() else { return true };
        m.get(&ip)
            .is_none_or(|(n, since)| *n < self.max || since.elapsed() > self.window)
    }

    /// Counts a failed attempt.
    pub fn failed(&self, ip: IpAddr) {
        let Ok(mut m) = self.seen.lock() else { return };
        if m.len() > 100_000 {
            let window = self.window;
            m.retain(|_, (_, since)| since.elapsed() <= window);
        }
        let e = m.entry(ip).or_insert((0, Instant::now()));
        if e.1.elapsed() > self.window {
            *e = (0, Instant::now());
        }
        e.0 += 1;
    }
}

/// The client address: the peer, or — when the peer is a proxy on this machine — the last
/// address it appended to `X-Forwarded-For`.
pub fn client_ip(peer: std::net::SocketAddr, headers: &axum::http::HeaderMap) -> IpAddr {
    if peer.ip().is_loopback()
        && let Some(ip) = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|v| v.trim().parse::<IpAddr>().ok())
    {
        return ip;
    }
    peer.ip()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_stopped_after_too_many_failures() {
        let l = FailureLimiter::new(3, Duration::from_secs(60));
        let a: IpAddr = [10, 0, 0, 1].into();
        let b: IpAddr = [10, 0, 0, 2].into();
        for _ in 0..3 {
            assert!(l.allowed(a));
            l.failed(a);
        }
        assert!(!l.allowed(a));
        assert!(l.allowed(b));
        let short = FailureLimiter::new(1, Duration::from_millis(1));
        short.failed(a);
        std::thread::sleep(Duration::from_millis(5));
        assert!(short.allowed(a));
    }
}
