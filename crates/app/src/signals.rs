//! Change signals between the nodes of an installation on one PostgreSQL (`LISTEN/NOTIFY`,
//! `store::signals`). A node that stores a change tells the others what to look at again: a
//! body's figures (`b:<id>`, the command centre's live streams and cached shares), a body's
//! settings (`s:<id>`, its compiled calendar), the search outbox (`o`), the national calendar
//! (`c`). A signal only shortens the wait: every listener also looks on a timer and the
//! database stays the truth, so a signal lost with a dropped connection (a gap) delays a change
//! by the timer, never loses it; after a gap everything is looked at again.
//!
//! Signals of one node are coalesced: whatever queued while one `NOTIFY` was sent goes out in
//! the next, one line each, so a burst of submissions costs a few notifications, not one each.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use lentera_store::signals::{Heard, Listener};
use tokio::sync::{Notify, mpsc};
use uuid::Uuid;

use crate::App;

/// PostgreSQL refuses payloads from 8,000 bytes on.
const MAX_PAYLOAD: usize = 7_000;

pub(crate) struct Signals {
    /// This process among the nodes (random per start), so that it skips its own signals.
    node: String,
    out: std::sync::OnceLock<mpsc::UnboundedSender<String>>,
    /// Woken when another node wrote to the search outbox.
    pub(crate) index: Notify,
}

impl Default for Signals {
    fn default() -> Self {
        Self {
            node: Uuid::new_v4().simple().to_string()[..12].to_owned(),
            out: std::sync::OnceLock::new(),
            index: Notify::new(),
        }
    }
}

/// What one line of a signal asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Signal {
    Figures(Uuid),
    AllFigures,
    Settings(Uuid),
    Outbox,
    Calendar,
}

impl Signal {
    fn line(&self) -> String {
        match self {
            Self::Figures(id) => format!("b:{id}"),
            Self::AllFigures => "a".into(),
            Self::Settings(id) => format!("s:{id}"),
            Self::Outbox => "o".into(),
            Self::Calendar => "c".into(),
        }
    }

    fn parse(line: &str) -> Option<Self> {
        let uuid = |s: &str| Uuid::parse_str(s).ok();
        match line.split_once(':') {
            Some(("b", id)) => uuid(id).map(Self::Figures),
            Some(("s", id)) => uuid(id).map(Self::Settings),
            None if line == "a" => Some(Self::AllFigures),
            None if line == "o" => Some(Self::Outbox),
            None if line == "c" => Some(Self::Calendar),
            _ => None,
        }
    }
}

/// Splits a payload into the sending node and its signals; unknown lines are skipped, so a
/// newer node's signals do not disturb an older one during a rolling upgrade.
pub(crate) fn parse_payload(payload: &str) -> Option<(&str, Vec<Signal>)> {
    let mut lines = payload.lines();
    let node = lines.next()?;
    Some((node, lines.filter_map(Signal::parse).collect()))
}

impl App {
    /// This node's name among the nodes (random per start; in logs and readiness).
    pub fn node_id(&self) -> &str {
        &self.signals.node
    }

    /// Queues a signal for the other nodes (nothing happens until [`Self::start_signals`]
    /// ran, or on SQLite, where there are no other nodes).
    pub(crate) fn signal(&self, s: &Signal) {
        self.public_cache.invalidate();
        if let Some(tx) = self.signals.out.get() {
            let _ = tx.send(s.line());
        }
    }

    /// Sends a signal now and waits until it is sent: for the administrative commands, which
    /// end right after their change.
    pub async fn signal_now_calendar(&self) {
        self.send_lines(&[Signal::Calendar.line(), Signal::AllFigures.line()])
            .await;
    }

    async fn send_lines(&self, lines: &[String]) {
        let mut payload = self.signals.node.clone();
        for l in lines {
            payload.push('\n');
            payload.push_str(l);
        }
        if let Err(e) = lentera_store::signals::notify(&self.db, &payload).await {
            tracing::warn!(error = %e, "change signal not sent; other nodes see it on their timer");
        }
    }

    /// Starts sending and receiving signals (PostgreSQL only; a no-op on SQLite or when
    /// started already). The tasks end with the runtime.
    pub fn start_signals(self: &Arc<Self>) {
        if self.db.postgres_pool().is_none() {
            return;
        }
        let (tx, rx) = mpsc::unbounded_channel();
        if self.signals.out.set(tx).is_err() {
            return;
        }
        tokio::spawn(send_loop(Arc::clone(self), rx));
        tokio::spawn(listen_loop(Arc::clone(self)));
    }

    /// Waits until another node signals a change of the search outbox, or `at_most` passed.
    pub async fn outbox_signal(&self, at_most: Duration) {
        let _ = tokio::time::timeout(at_most, self.signals.index.notified()).await;
    }

    /// What another node's signal asks of this one.
    fn heard(&self, s: &Signal) {
        self.public_cache.invalidate();
        match s {
            Signal::Figures(id) => self.changed_in_here(*id),
            Signal::AllFigures => self.changed_here(),
            Signal::Settings(id) => self.forget_body_here(*id),
            Signal::Outbox => self.signals.index.notify_one(),
            Signal::Calendar => self.national.check_now(),
        }
    }

    /// After a gap every cache may be stale: look at everything again.
    fn heard_gap(&self) {
        self.public_cache.invalidate();
        self.changed_here();
        self.forget_all_bodies();
        self.signals.index.notify_one();
        self.national.check_now();
    }
}

async fn send_loop(app: Arc<App>, mut rx: mpsc::UnboundedReceiver<String>) {
    while let Some(first) = rx.recv().await {
        let mut lines = BTreeSet::from([first]);
        while let Ok(more) = rx.try_recv() {
            lines.insert(more);
        }
        let mut batch = Vec::new();
        let mut size = app.signals.node.len();
        for l in lines {
            if size + l.len() + 1 > MAX_PAYLOAD {
                app.send_lines(&batch).await;
                batch.clear();
                size = app.signals.node.len();
            }
            size += l.len() + 1;
            batch.push(l);
        }
        if !batch.is_empty() {
            app.send_lines(&batch).await;
        }
    }
}

async fn listen_loop(app: Arc<App>) {
    // A node shutting down closes its pool; listening ends with it, not in a retry loop.
    while !app.is_shutting_down() {
        let mut listener = match Listener::connect(&app.db).await {
            Ok(Some(l)) => l,
            Ok(None) => return,
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for change signals; retrying");
                tokio::time::sleep(Duration::from_secs(2)).await;
                continue;
            }
        };
        // Whatever happened before this subscription (or during a reconnect) was not heard.
        app.heard_gap();
        loop {
            let heard = tokio::select! {
                h = listener.next() => h,
                () = app.shutting_down() => return,
            };
            match heard {
                Ok(Heard::Signal(payload)) => {
                    if let Some((node, signals)) = parse_payload(&payload)
                        && node != app.signals.node
                    {
                        for s in &signals {
                            app.heard(s);
                        }
                    }
                }
                Ok(Heard::Gap) => app.heard_gap(),
                Err(e) => {
                    tracing::warn!(error = %e, "change signals interrupted; reconnecting");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    break;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signals_read_back_as_written_and_unknown_lines_are_skipped() {
        let id = Uuid::now_v7();
        let all = [
            Signal::Figures(id),
            Signal::AllFigures,
            Signal::Settings(id),
            Signal::Outbox,
            Signal::Calendar,
        ];
        let mut payload = String::from("node1");
        for s in &all {
            payload.push('\n');
            payload.push_str(&s.line());
        }
        payload.push_str("\nz:future\nb:not-a-uuid");
        let (node, got) = parse_payload(&payload).expect("payload");
        assert_eq!(node, "node1");
        assert_eq!(got, all.to_vec());
        assert!(parse_payload("").is_none());
    }
}
