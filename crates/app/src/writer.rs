//! Group commit for new requests: submissions arriving together are stored in one transaction,
//! so a burst of 64 citizens costs one disk sync instead of 64 while every receipt is still
//! given only after its request is durably stored.

use lentera_store::requests::{self, NewRequest, Numbering};
use lentera_store::{Db, StoreError};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::{mpsc, oneshot};

use crate::{App, AppError};

/// Largest number of requests committed together.
const MAX_BATCH: usize = 256;

pub(crate) struct Job {
    item: (NewRequest, Numbering),
    reply: oneshot::Sender<Result<String, StoreError>>,
}

pub(crate) fn spawn(db: Db, refusing: Arc<AtomicBool>) -> mpsc::Sender<Job> {
    let (tx, mut rx) = mpsc::channel::<Job>(4 * MAX_BATCH);
    tokio::spawn(async move {
        while let Some(first) = rx.recv().await {
            let mut items = vec![first.item];
            let mut replies = vec![first.reply];
            while items.len() < MAX_BATCH {
                let Ok(job) = rx.try_recv() else { break };
                items.push(job.item);
                replies.push(job.reply);
            }
            match requests::create_batch(&db, &items).await {
                Ok(results) => {
                    refusing.store(false, Ordering::Relaxed);
                    for (reply, result) in replies.into_iter().zip(results) {
                        let _ = reply.send(result);
                    }
                }
                Err(e) => {
                    // None of the batch is stored: every one of them is told so (503 when the
                    // storage failed), none gets a number.
                    tracing::error!(error = %e, size = items.len(), "group commit failed");
                    let unavailable = matches!(e, StoreError::Unavailable(_));
                    refusing.store(unavailable, Ordering::Relaxed);
                    let text = e.to_string();
                    for reply in replies {
                        let _ = reply.send(Err(if unavailable {
                            StoreError::Unavailable(text.clone())
                        } else {
                            StoreError::Batch(text.clone())
                        }));
                    }
                }
            }
        }
    });
    tx
}

impl App {
    /// Whether the storage refused the last write of new requests (disk full, I/O error).
    pub fn storage_refusing(&self) -> bool {
        self.storage_refusing.load(Ordering::Relaxed)
    }

    /// Stores a new request through the group-commit writer and waits until it is durable.
    pub(crate) async fn store_new_request(
        &self,
        request: NewRequest,
        numbering: Numbering,
    ) -> Result<Result<String, StoreError>, AppError> {
        let sender = self
            .writer
            .get_or_init(|| spawn(self.db.clone(), Arc::clone(&self.storage_refusing)));
        let (reply, answer) = oneshot::channel();
        let gone = || AppError::Unexpected(anyhow::anyhow!("request writer stopped"));
        sender
            .send(Job {
                item: (request, numbering),
                reply,
            })
            .await
            .map_err(|_| gone())?;
        answer.await.map_err(|_| gone())
    }
}
