use std::ops::Deref;
use std::sync::Arc;

use lentera_app::App;

/// Shared application state of every handler.
#[derive(Clone)]
pub struct AppState(pub Arc<App>);

impl Deref for AppState {
    type Target = App;

    fn deref(&self) -> &App {
        &self.0
    }
}
