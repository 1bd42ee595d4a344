use std::ops::Deref;
use std::sync::Arc;

use lentera_app::App;

/// Settings of the HTTP surface.
#[derive(Debug, Clone, Default)]
pub struct WebConfig {
    /// Mark cookies `Secure` (served over HTTPS, directly or behind a proxy).
    pub cookie_secure: bool,
}

/// Shared application state of every handler.
#[derive(Clone)]
pub struct AppState {
    pub app: Arc<App>,
    pub web: Arc<WebConfig>,
    /// Failed tracking-code and password guesses per client address.
    pub guesses: Arc<crate::limiter::FailureLimiter>,
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
