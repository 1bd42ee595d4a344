use std::ops::Deref;
use std::sync::Arc;

use std::net::IpAddr;

use lentera_app::App;
use lentera_app::brakes;

/// Settings of the HTTP surface.
#[derive(Debug, Clone, Default)]
pub struct WebConfig {
    /// Mark cookies `Secure` (served over HTTPS, directly or behind a proxy).
    pub cookie_secure: bool,
    /// Peers whose `X-Forwarded-For` names the client (`LENTERA_TRUSTED_PROXIES`).
    pub trusted_proxies: crate::limiter::TrustedProxies,
    /// Submissions (requests and objections) admitted per client address and minute; 0 is no
    /// limit (`LENTERA_RATE_SUBMIT_PER_MIN`; `serve` and `demo` default to 30, the library to 0).
    pub submit_per_min: u32,
}

/// Shared application state of every handler.
#[derive(Clone)]
pub struct AppState {
    pub app: Arc<App>,
    pub web: Arc<WebConfig>,
    /// Submissions per client address and minute.
    pub submissions: lentera_app::brakes::Rule,
}

impl AppState {
    pub fn cookie_secure(&self) -> bool {
        self.web.cookie_secure
    }

    /// Whether this address may guess again (tracking codes, passwords, one-time codes): see
    /// [`lentera_app::brakes::GUESSES`], counted where every node sees it.
    pub async fn guess_allowed(&self, ip: IpAddr) -> bool {
        let key = ip_key(ip);
        !self
            .app
            .brake_blocked(&brakes::GUESSES, &key, brakes::now_ms())
            .await
    }

    /// Counts a wrong guess of this address.
    pub async fn guess_failed(&self, ip: IpAddr) {
        let key = ip_key(ip);
        self.app
            .brake_hit(&brakes::GUESSES, &key, brakes::now_ms())
            .await;
    }

    /// Counts a public submission of this address: `false` when it is over the minute's
    /// allowance. Unlike guesses, successes count: it bounds how much one address can submit.
    pub async fn submission_admitted(&self, ip: IpAddr) -> bool {
        let key = ip_key(ip);
        self.app
            .brake_admit(&self.submissions, &key, brakes::now_ms())
            .await
    }
}

/// IPv4-mapped IPv6 addresses count as the IPv4 address they are.
fn ip_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4).to_string(),
        IpAddr::V4(_) => ip.to_string(),
    }
}

impl Deref for AppState {
    type Target = App;

    fn deref(&self) -> &App {
        &self.app
    }
}
