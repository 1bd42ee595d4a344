use std::ops::Deref;
use std::sync::Arc;

use lentera_app::App;

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
    /// Failed tracking-code and password guesses per client address.
    pub guesses: Arc<crate::limiter::FailureLimiter>,
    /// Submissions per client address and minute.
    pub submissions: Arc<crate::limiter::RateLimiter>,
}

impl AppState {
    pub fn cookie_secure(&self) -> bool {
        self.web.cookie_secure
    }
}

impl Deref for AppState {
    type Target = App;

    fn deref(&self) -> &App {
        &self.app
    }
}
