//! Who searches next when every core is busy: the waiting search with the earliest deadline,
//! a deadline being the arrival time plus a multiple of the search's predicted work.
//!
//! Searches run one per core (queued, each runs at full speed). Served in arrival order, a
//! one-word search that takes a third of a millisecond waited behind every four-word search
//! with a typo that arrived before it, and the median search over HTTP was mostly waiting.
//! With deadlines proportional to the predicted work, short searches overtake long ones, but
//! only for a bounded time: a long search is overtaken only by searches that arrived before its
//! own deadline, so nothing waits forever (the scheduling known as earliest deadline first,
//! with deadlines by stretch).

use std::collections::BinaryHeap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use tokio::sync::oneshot;

/// A search may wait up to this many times its predicted run time before it goes ahead of
/// every shorter search that arrives after it.
pub const STRETCH: u32 = 8;

/// The right to run one search; the next waiting search gets it when this is dropped.
pub struct SearchSlot {
    queue: Option<Arc<SearchQueue>>,
}

impl Drop for SearchSlot {
    fn drop(&mut self) {
        if let Some(queue) = self.queue.take() {
            queue.release();
        }
    }
}

pub struct SearchQueue {
    state: Mutex<State>,
}

struct State {
    free: usize,
    waiting: BinaryHeap<Waiter>,
    arrivals: u64,
}

struct Waiter {
    deadline: Instant,
    arrival: u64,
    send: oneshot::Sender<SearchSlot>,
}

impl Waiter {
    /// Earliest deadline first, then first come.
    fn key(&self) -> (Instant, u64) {
        (self.deadline, self.arrival)
    }
}

impl PartialEq for Waiter {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}
impl Eq for Waiter {}
impl PartialOrd for Waiter {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Waiter {
    /// Reversed: the heap's greatest is the earliest deadline.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        other.key().cmp(&self.key())
    }
}

impl SearchQueue {
    pub fn new(slots: usize) -> Arc<SearchQueue> {
        Arc::new(SearchQueue {
            state: Mutex::new(State {
                free: slots.max(1),
                waiting: BinaryHeap::new(),
                arrivals: 0,
            }),
        })
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // The state is a counter and a heap, changed in single steps.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits for a slot; `predicted` is the search's expected run time.
    pub async fn acquire(self: &Arc<Self>, predicted: Duration) -> SearchSlot {
        let deadline = Instant::now() + predicted.saturating_mul(STRETCH);
        let receive = {
            let mut state = self.lock();
            if state.free > 0 && state.waiting.is_empty() {
                state.free -= 1;
                return SearchSlot {
                    queue: Some(Arc::clone(self)),
                };
            }
            let (send, receive) = oneshot::channel();
            state.arrivals += 1;
            let arrival = state.arrivals;
            state.waiting.push(Waiter {
                deadline,
                arrival,
                send,
            });
            receive
        };
        match receive.await {
            Ok(slot) => slot,
            // The sender is only dropped after a send; this cannot happen, and searching
            // without a slot is the harmless way out.
            Err(_) => SearchSlot { queue: None },
        }
    }

    fn release(self: &Arc<Self>) {
        loop {
            let waiter = {
                let mut state = self.lock();
                match state.waiting.pop() {
                    Some(waiter) => waiter,
                    None => {
                        state.free += 1;
                        return;
                    }
                }
            };
            let slot = SearchSlot {
                queue: Some(Arc::clone(self)),
            };
            match waiter.send.send(slot) {
                Ok(()) => return,
                // That search was given up (the client went away): the next one gets it.
                Err(mut slot) => {
                    slot.queue = None;
                }
            }
        }
    }

    /// Searches waiting for a slot (diagnostics, tests).
    pub fn waiting(&self) -> usize {
        self.lock().waiting.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn settle() {
        for _ in 0..10 {
            tokio::task::yield_now().await;
        }
    }

    #[tokio::test(flavor = "current_thread")]
    async fn shorter_searches_go_first_and_every_slot_comes_back() {
        let queue = SearchQueue::new(1);
        let held = queue.acquire(Duration::from_millis(1)).await;
        let order = Arc::new(Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        for (name, millis) in [("long", 20u64), ("short", 1), ("medium", 5)] {
            let queue = Arc::clone(&queue);
            let order = Arc::clone(&order);
            tasks.push(tokio::spawn(async move {
                let _slot = queue.acquire(Duration::from_millis(millis)).await;
                order
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(name);
            }));
            settle().await;
        }
        assert_eq!(queue.waiting(), 3);
        drop(held);
        for task in tasks {
            task.await.expect("task");
        }
        let order = order.lock().unwrap_or_else(PoisonError::into_inner).clone();
        assert_eq!(order, ["short", "medium", "long"]);
        assert_eq!(queue.lock().free, 1);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_long_search_is_not_overtaken_past_its_deadline() {
        let queue = SearchQueue::new(1);
        let held = queue.acquire(Duration::ZERO).await;
        let order = Arc::new(Mutex::new(Vec::new()));
        let spawn = |name: &'static str, predicted: Duration| {
            let queue = Arc::clone(&queue);
            let order = Arc::clone(&order);
            tokio::spawn(async move {
                let _slot = queue.acquire(predicted).await;
                order
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(name);
            })
        };
        // Deadline: now + 8 × 1 ms.
        let long = spawn("long", Duration::from_millis(1));
        settle().await;
        tokio::time::sleep(Duration::from_millis(20)).await;
        // Arrives after the long search's deadline: its own (now + 8 × 0.1 ms) is later.
        let short = spawn("short", Duration::from_micros(100));
        settle().await;
        drop(held);
        long.await.expect("long");
        short.await.expect("short");
        let order = order.lock().unwrap_or_else(PoisonError::into_inner).clone();
        assert_eq!(order, ["long", "short"]);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_search_given_up_while_waiting_does_not_keep_the_slot() {
        let queue = SearchQueue::new(1);
        let held = queue.acquire(Duration::ZERO).await;
        let gone = {
            let queue = Arc::clone(&queue);
            tokio::spawn(async move {
                let _slot = queue.acquire(Duration::from_millis(1)).await;
                std::future::pending::<()>().await;
            })
        };
        settle().await;
        gone.abort();
        let _ = gone.await;
        drop(held);
        assert_eq!(queue.lock().free, 1);
        let again = tokio::time::timeout(
            Duration::from_secs(1),
            queue.acquire(Duration::from_millis(1)),
        )
        .await;
        assert!(again.is_ok(), "the slot came back");
    }
}
